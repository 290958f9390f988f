"""Fact tests of the pure parsers on the real samples, and the matching rules on
constructed schedules (issue #24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamerwatch.debatdirect.parse import (
    Broadcast,
    DebatDirectParseError,
    Slot,
    broadcast_of,
    match,
    parse_search,
    wall_clock,
)
from kamerwatch.publicaties.parse import (
    PublicatieParseError,
    parse_metadata,
    parse_sru,
    parse_xml,
    plain_text,
    sru_params,
    sru_query,
    valid_eid,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "officielebekendmakingen"


# ------------------------------------------------------------ official publications


def test_real_aanhangsel_has_nine_questions_and_nine_answers_in_order() -> None:
    pub = parse_xml((DATA / "ah-tk-20202021-3235.xml").read_bytes())
    assert pub.kind == "kamervragen"
    assert [q.label for q in pub.questions] == [f"Vraag {i}" for i in range(1, 10)]
    assert [a.label for a in pub.answers] == [f"Antwoord {i}" for i in range(1, 10)]
    assert pub.questions[0].paragraphs[0].startswith("Klopt het dat de Tijdelijke")
    assert pub.answers[0].paragraphs == (pub.answers[0].paragraphs[0],)
    assert pub.answers[0].paragraphs[0].startswith("Ja. Volledigheidshalve")
    # the last answer has two paragraphs, kept apart
    assert len(pub.answers[8].paragraphs) == 2
    assert pub.answers[8].paragraphs[1].startswith("Bovendien kent het Bbz")
    # inline markup (an extref) stays as text
    assert "Staatsblad 2020, 118" in pub.answers[1].paragraphs[0]
    assert pub.kamervraagnummer == "3235"
    assert pub.omschrijving_vraag is not None
    assert pub.omschrijving_vraag.startswith("Vragen van de leden Van Weyenberg")
    assert "(ingezonden 3 juni 2021)" in pub.omschrijving_vraag
    assert pub.omschrijving_antwoord is not None
    assert pub.omschrijving_antwoord.startswith("Antwoord van Minister Koolmees")
    pairs = pub.pairs
    assert len(pairs) == 9 and all(q and a for q, a in pairs)


def test_real_kamerstuk_readable_body() -> None:
    pub = parse_xml((DATA / "kst-32545-143.xml").read_bytes())
    assert pub.kind == "kamerstuk"
    assert pub.questions == () and pub.answers == ()
    heads = [p.text for p in pub.parts if p.kind == "kop"]
    assert heads == [
        "32 545",
        "Wet- en regelgeving financiële markten",
        "Nr. 143",
        "MOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS",
    ]
    paragraphs = [p.text for p in pub.parts if p.kind == "al"]
    assert paragraphs[0] == "Voorgesteld 6 juli 2021"
    assert paragraphs[1] == "De Kamer,"
    assert "en gaat over tot de orde van de dag." in paragraphs
    assert paragraphs[-2:] == ["Inge van Dijk", "Grinwis"]
    # the kop lines (vergaderjaar, kamer) are not part of the body
    assert not any("Vergaderjaar" in p.text for p in pub.parts)


def test_footnotes_become_markers() -> None:
    xml = (
        b"<officiele-publicatie><kamerstuk><stuk><al>Zie het rapport"
        b"<noot><noot.nr>1</noot.nr><noot.al>Kamerstuk 1, nr. 2</noot.al></noot> hier.</al>"
        b"</stuk></kamerstuk></officiele-publicatie>"
    )
    pub = parse_xml(xml)
    assert [p.text for p in pub.parts] == ["Zie het rapport[1] hier."]
    assert pub.notes == ("Kamerstuk 1, nr. 2",)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "leeg"),
        (b"<officiele-publicatie><kamervragen>", "goedgevormde"),
        (b"<html><body>fout404</body></html>", "geen <officiele-publicatie>"),
        (b"<officiele-publicatie><metadata/></officiele-publicatie>", "geen inhoud"),
    ],
)
def test_bad_xml_has_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(PublicatieParseError, match=reason):
        parse_xml(body)


def test_entities_are_not_resolved() -> None:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<officiele-publicatie><kamerstuk><al>a&e;b</al></kamerstuk></officiele-publicatie>"
    )
    pub = parse_xml(xml)
    assert "root:" not in " ".join(p.text for p in pub.parts)


def test_real_metadata_both_styles() -> None:
    flat = parse_metadata((DATA / "ah-tk-20202021-3235.metadata.xml").read_bytes())
    owms = parse_metadata((DATA / "ah-tk-20202021-3235.metadata_owms.xml").read_bytes())
    for meta in (flat, owms):
        assert meta.identifier == "ah-tk-20202021-3235"
        assert meta.vraagnummer == "2021Z09739"
        assert meta.indieners == ("S.P.R.A. van Weyenberg", "R.H. (Romke) de Jong", "H. Kat")
        assert meta.ontvanger == "W. Koolmees"
        assert meta.issued == "2021-06-21"
    kv = parse_metadata((DATA / "kv-tk-2020Z13248.metadata_owms.xml").read_bytes())
    assert kv.vraagnummer == "2020Z13248"
    assert kv.aanhangsel == "ah-tk-20192020-3799"
    kst = parse_metadata((DATA / "kst-32545-143.metadata.xml").read_bytes())
    assert (kst.dossiernummer, kst.ondernummer, kst.vraagnummer) == ("32545", "143", None)
    with pytest.raises(PublicatieParseError):
        parse_metadata(b"<foo/>")


@pytest.mark.parametrize(
    ("eid", "ok"),
    [
        ("kst-36200-VII-12", True),
        ("ah-tk-20232024-1234", True),
        ("kv-tk-2024Z01234", True),
        ("blg-1007826", True),
        ("h-tk-20232024-12-3", True),
        ("kst-1/../../etc", False),
        ("kst-1/2", False),
        ("kst-1.2", False),
        ("", False),
        ("KST", False),
    ],
)
def test_valid_eid(eid: str, ok: bool) -> None:
    assert valid_eid(eid) is ok


# ------------------------------------------------------------ Debat Direct


def source(**over: object) -> dict[str, object]:
    src: dict[str, object] = {
        "id": "d1",
        "name": "Debat over de TOZO",
        "slug": "debat-over-de-tozo-13-00",
        "debateDate": "2024-09-17",
        "debateType": "Plenair debat",
        "startsAt": "2024-09-17T13:00:00+0200",
        "endsAt": "2024-09-17T14:00:00+0200",
        "startedAt": "2024-09-17T13:24:08+0200",
        "endedAt": "2024-09-17T13:43:37+0200",
        "locationId": "plenaire-zaal",
        "locationName": "Plenaire zaal",
        "categoryIds": ["economie"],
        "categoryNames": ["Economie"],
    }
    src.update(over)
    return src


def test_wall_clock_offset_styles() -> None:
    # the real fragment's style: no colon in the offset
    assert wall_clock("2024-09-17T13:24:08+0200") == "2024-09-17T13:24:08"
    assert wall_clock("2024-09-17T13:24:08+02:00") == "2024-09-17T13:24:08"
    assert wall_clock("2024-09-17T11:24:08Z") == "2024-09-17T13:24:08"
    assert wall_clock("2024-12-17T13:00:00+0000") == "2024-12-17T14:00:00"  # winter time
    assert wall_clock("2024-09-17T13:24:08") == "2024-09-17T13:24:08"
    assert wall_clock("gisteren") is None and wall_clock(None) is None


def test_search_answer_and_links() -> None:
    body = json.dumps(
        {
            "hits": {
                "total": {"value": 2},
                "hits": [
                    {"_source": source()},
                    {"_source": source(id="d2", slug="x/../y")},
                ],
            }
        }
    ).encode()
    page = parse_search(body)
    assert page.total == 2 and page.hits == 2
    (b,) = page.broadcasts
    assert b.starts_at == "2024-09-17T13:00:00" and b.ended_at == "2024-09-17T13:43:37"
    assert b.video_url == (
        "https://debatdirect.tweedekamer.nl/2024-09-17/economie/plenaire-zaal/"
        "debat-over-de-tozo-13-00/video"
    )
    assert b.embed_url.endswith("/debat-over-de-tozo-13-00/embedded")
    ((raw, reason),) = page.rejected
    assert "d2" in raw and "slug" in reason


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"hits": 3}', b'{"hits": {"hits": {}}}'])
def test_search_answer_unreadable(body: bytes) -> None:
    with pytest.raises(DebatDirectParseError):
        parse_search(body)


def test_broadcast_needs_times() -> None:
    with pytest.raises(DebatDirectParseError, match="startsAt"):
        broadcast_of(source(startsAt="morgen"))
    with pytest.raises(DebatDirectParseError, match="voor startsAt"):
        broadcast_of(source(endsAt="2024-09-17T12:00:00+0200"))


def bc(
    ident: str, start: str, end: str, room: str = "Plenaire zaal", day: str = "2024-09-17"
) -> Broadcast:
    return broadcast_of(
        source(
            id=ident,
            slug=f"{ident}-{start.replace(':', '-')}",
            debateDate=day,
            startsAt=f"{day}T{start}:00+0200",
            endsAt=f"{day}T{end}:00+0200",
            locationName=room,
            locationId=room.lower().replace(" ", "-"),
        )
    )


def slot(start: str, end: str | None, room: str | None = None) -> Slot:
    return Slot(f"2024-09-17T{start}:00", f"2024-09-17T{end}:00" if end else None, room)


def test_match_nearest_midpoint_in_the_same_room() -> None:
    schedule = [
        bc("a", "10:00", "12:00"),
        bc("b", "13:00", "15:00"),
        bc("c", "13:30", "14:30", room="Thorbeckezaal"),  # nearer, but another room
    ]
    m = match(slot("13:15", "14:45"), schedule)
    assert m.broadcast is not None and m.broadcast.id == "b"
    assert m.score == 0.0 and m.ties == 0
    m = match(slot("13:15", "14:45", "Thorbeckezaal"), schedule)
    assert m.broadcast is not None and m.broadcast.id == "c"
    assert m.score == 0.0
    # default room is the Plenaire zaal, compared without case or extra spaces
    m = match(slot("10:30", "11:30"), [bc("a", "10:00", "12:00", room="plenaire  Zaal")])
    assert m.broadcast is not None and m.broadcast.id == "a"


def test_match_length_within_ten_times_either_way() -> None:
    # activity of 60 minutes: a 6-minute or a 600-minute broadcast is out, 7 and 590 in
    assert match(slot("12:00", "13:00"), [bc("s", "12:27", "12:33")]).broadcast is None
    assert match(slot("12:00", "13:00"), [bc("s", "12:26", "12:33")]).broadcast is not None
    assert match(slot("12:00", "13:00"), [bc("l", "03:30", "13:30")]).broadcast is None
    assert match(slot("12:00", "13:00"), [bc("l", "03:30", "13:20")]).broadcast is not None
    m = match(slot("12:00", "13:00"), [bc("s", "12:28", "12:32")])
    assert m.broadcast is None and "duur" in m.reason


def test_match_tie_is_deterministic_and_recorded() -> None:
    # two broadcasts whose midpoints are equally far from the activity's (13:00)
    schedule = [bc("late", "13:30", "14:30"), bc("early", "11:30", "12:30")]
    m = match(slot("12:30", "13:30"), schedule)
    assert m.broadcast is not None and m.broadcast.id == "early"
    assert m.ties == 1 and "even dichtbij" in m.reason and "eerst beginnende" in m.reason
    assert match(slot("12:30", "13:30"), list(reversed(schedule))) == m


def test_match_tie_at_the_same_time_goes_to_the_matching_subject() -> None:
    # two tweeminutendebatten scheduled at the same hour in the same room
    a = broadcast_of(source(id="a", name="Tweeminutendebat ontwikkelingshulp"))
    b = broadcast_of(source(id="b", name="Tweeminutendebat rechtspraak"))
    at = Slot("2024-09-17T13:00:00", "2024-09-17T14:00:00", None, "Tweeminutendebat Rechtspraak")
    m = match(at, [a, b])
    assert m.broadcast is not None and m.broadcast.id == "b"
    assert m.ties == 1 and "woorden van het onderwerp" in m.reason


def test_match_no_candidates_has_a_reason() -> None:
    m = match(slot("12:00", "13:00"), [])
    assert m.broadcast is None and "geen uitzending op 2024-09-17" in m.reason
    m = match(slot("12:00", "13:00"), [bc("x", "12:00", "13:00", room="Troelstrazaal")])
    assert m.broadcast is None and "Plenaire zaal" in m.reason
    m = match(slot("12:00", "13:00"), [bc("x", "12:00", "13:00", day="2024-09-18")])
    assert m.broadcast is None


def test_match_without_end_takes_an_hour() -> None:
    m = match(slot("12:00", None), [bc("x", "12:00", "13:00"), bc("y", "15:00", "16:00")])
    assert m.broadcast is not None and m.broadcast.id == "x" and m.score == 0.0


def test_match_midpoints_compare_dutch_wall_clock_in_winter() -> None:
    # the same instant written with another offset: 12:00+0000 is 13:00 in The Hague in
    # December; 12:00+0100 is 12:00 there. The activity (wall-clock 13:00-14:00) is the first.
    winter = "2024-12-17"
    utc = broadcast_of(
        source(
            id="utc",
            slug="utc-13-00",
            debateDate=winter,
            startsAt=f"{winter}T12:00:00+0000",
            endsAt=f"{winter}T13:00:00+0000",
        )
    )
    local = broadcast_of(
        source(
            id="local",
            slug="local-12-00",
            debateDate=winter,
            startsAt=f"{winter}T12:00:00+0100",
            endsAt=f"{winter}T13:00:00+0100",
        )
    )
    m = match(Slot(f"{winter}T13:00:00", f"{winter}T14:00:00", None), [local, utc])
    assert m.broadcast is not None and m.broadcast.id == "utc" and m.score == 0.0


# ------------------------------------------------------------ SRU


def test_real_sru_page_lists_its_records_and_the_next_page() -> None:
    page = parse_sru((DATA / "sru_page1_of_76.xml").read_bytes())
    assert page.total == 76 and page.next_position == 11
    assert len(page.records) == 10 and page.skipped == ()
    first = page.records[0]
    assert first.identifier == "blg-998035" and first.modified == "2021-10-13"
    assert first.type == "Bijlage" and first.xml_url is None  # a bijlage is a PDF only
    assert first.metadata_url == (
        "https://repository.overheid.nl/frbr/officielepublicaties/blg/onopgemaakt/"
        "blg-998035/1/metadata/metadata.xml"
    )
    kst = next(r for r in page.records if r.identifier == "kst-22112-3185")
    assert kst.xml_url == (
        "https://repository.overheid.nl/frbr/officielepublicaties/kst/22112/"
        "kst-22112-3185/1/xml/kst-22112-3185.xml"
    )
    assert [r.identifier for r in page.records][:3] == [
        "blg-998035",
        "h-ek-20212022-2-7",
        "h-tk-20202021-101-5",
    ]


def test_real_sru_record_of_an_answer_carries_its_vraagnummer() -> None:
    page = parse_sru((DATA / "sru_3records_mockhost.xml").read_bytes())
    assert page.total == 3 and page.next_position is None
    ah = next(r for r in page.records if r.identifier == "ah-tk-20202021-3235")
    assert ah.vraagnummer == "2021Z09739" and ah.modified == "2021-07-22"
    assert ah.type == "Aanhangsel van de Handelingen"


def test_sru_query_asks_one_day_of_the_states_general() -> None:
    assert sru_query("2026-11-24") == (
        'c.product-area=="officielepublicaties" and '
        'w.organisatietype=="staten generaal" and dt.modified=="2026-11-24"'
    )
    params = sru_params("2026-11-24", 1001)
    assert params["startRecord"] == "1001" and params["maximumRecords"] == "1000"
    assert params["operation"] == "searchRetrieve" and params["recordSchema"] == "gzd"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "leeg"),
        (b"<sru:searchRetrieveResponse", "goedgevormde"),
        (b"<records/>", "geen SRU-antwoord"),
        (
            b'<s:searchRetrieveResponse xmlns:s="http://docs.oasis-open.org/ns/search-ws/'
            b'sruResponse"><s:records/></s:searchRetrieveResponse>',
            "numberOfRecords",
        ),
        (
            b'<s:searchRetrieveResponse xmlns:s="x"><s:numberOfRecords>veel</s:numberOfRecords>'
            b"</s:searchRetrieveResponse>",
            "onleesbaar aantal",
        ),
        (
            b'<s:searchRetrieveResponse xmlns:s="x" xmlns:d="y"><s:numberOfRecords>0'
            b"</s:numberOfRecords><s:diagnostics><d:diagnostic><d:message>Query syntax error"
            b"</d:message></d:diagnostic></s:diagnostics></s:searchRetrieveResponse>",
            "SRU-fout: Query syntax error",
        ),
    ],
)
def test_sru_unreadable_answers_have_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(PublicatieParseError, match=reason):
        parse_sru(body)


def test_sru_record_without_identifier_is_skipped_with_its_reason() -> None:
    body = (
        b'<s:searchRetrieveResponse xmlns:s="x" xmlns:dc="http://purl.org/dc/terms/">'
        b"<s:numberOfRecords>2</s:numberOfRecords><s:records>"
        b"<s:record><s:recordData><dc:title>zonder id</dc:title></s:recordData></s:record>"
        b"<s:record><s:recordData><dc:identifier>kst-1-2</dc:identifier></s:recordData>"
        b"</s:record></s:records></s:searchRetrieveResponse>"
    )
    page = parse_sru(body)
    assert [r.identifier for r in page.records] == ["kst-1-2"]
    assert page.skipped == ("record 1: geen identifier",)


def test_plain_text_of_the_real_answer_holds_every_question_and_answer() -> None:
    text = plain_text(parse_xml((DATA / "ah-tk-20202021-3235.xml").read_bytes()))
    assert "Klopt het dat de Tijdelijke" in text and "Bovendien kent het Bbz" in text
    assert text.index("Vraag 1") < text.index("Antwoord 1") < text.index("Vraag 2")


def test_odt_adds_no_text_over_the_xml() -> None:
    """Why the ODT is not fetched (docs/media.md): the real ODT of both samples holds no
    word that their XML lacks (except its header's place and identifier), and no picture."""
    import re
    import zipfile

    from lxml import etree

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-zà-ü]{3,}", text.lower()))

    for eid in ("ah-tk-20202021-3235", "kst-32545-143"):
        odt = zipfile.ZipFile(DATA / f"{eid}.odt")
        assert [n for n in odt.namelist() if n.startswith("Pictures/") and n != "Pictures/"] == []
        odt_words = words(" ".join(etree.fromstring(odt.read("content.xml")).itertext()))
        xml_words = words(" ".join(etree.fromstring((DATA / f"{eid}.xml").read_bytes()).itertext()))
        # the header's printer's place and identifier (kst-…, ah-tk-…)
        assert odt_words - xml_words <= {"gravenhage", "kst"}, odt_words - xml_words
        # and the body the pages and the index use is all of the XML's body
        body = words(plain_text(parse_xml((DATA / f"{eid}.xml").read_bytes())))
        assert len(body) > 0.8 * len(xml_words)
