"""The generated VLOS verslagen: valid against VLOS2.0.xsd and shaped like the real files."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kamerwatch.sample import words
from kamerwatch.sample.vlos import (
    FEED_NS,
    XSD_NS,
    VlosCommissie,
    VlosInterruption,
    VlosItem,
    VlosMeeting,
    VlosMotion,
    VlosSpeaker,
    VlosSpeech,
    VlosVote,
    vlos_xml,
)

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "src/kamerwatch/xsd/vlos/VLOS2.0.xsd"
REAL = sorted((ROOT / "tests/data/verslag-vlos").glob("*.xml"))


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _sentences(rng: random.Random, n: int) -> list[str]:
    theme = rng.choice(words.THEMES)
    return [
        rng.choice(words.DEBAT_ZINNEN).format(
            kern=rng.choice(theme.onderwerpen), partij=rng.choice(theme.partijen)
        )
        for _ in range(n)
    ]


def build_meeting(seed: int, soort: str = "Commissie", titel: str | None = None) -> VlosMeeting:
    """A realistic meeting: 3 items, 6 speakers, interruptions, 2 motions, a vote."""
    rng = random.Random(seed)
    members = [
        VlosSpeaker(_id(rng), "Anna", "Velzen", "van", "VVD", vrouw=True),
        VlosSpeaker(_id(rng), "Bram", "Kortenhoeve", "", "GroenLinks-PvdA"),
        VlosSpeaker(_id(rng), "Cor", "Brink", "ten", "CDA"),
        VlosSpeaker(_id(rng), "Dewi", "Mulderink", "", "D66", vrouw=True),
    ]
    chair = VlosSpeaker(_id(rng), "Eva", "Hoogstraaten", "", "SP", vrouw=True)
    minister = VlosSpeaker(_id(rng), "Frits", "Achterveld", "", None, "minister van Defensie")
    a, b, c, d = members

    def speech(who: VlosSpeaker, *interrupters: VlosSpeaker) -> VlosSpeech:
        its = [VlosInterruption(i, _sentences(rng, 2), _sentences(rng, 1)) for i in interrupters]
        return VlosSpeech(who, _sentences(rng, rng.randrange(2, 5)), its)

    motions = [
        VlosMotion("12", "36600-X", "Motie over de munitiereserveregeling", [a, c]),
        VlosMotion(
            "13",
            "36600-X",
            "Motie over het fregatvlootplan",
            [d],
            [
                "De Kamer,",
                "gehoord de beraadslaging,",
                "verzoekt de regering het fregatvlootplan te herzien,",
                "en gaat over tot de orde van de dag.",
            ],
            parlisid="2026Z00013",
        ),
    ]
    items = [
        VlosItem(
            titel or "Personeel en materieel Defensie",
            [speech(a, b), speech(b, a, c), speech(c), speech(minister, a, d, b)],
            soort="Commissiedebat",
            parlisid="2026A00101",
            categories=["Openbare orde en veiligheid | Organisatie en beleid"],
        ),
        VlosItem(
            "Tweeminutendebat Defensie",
            [speech(a), speech(minister, c)],
            motions=motions,
            parlisid="2026A00102",
        ),
        VlosItem(
            "Stemmingen",
            [],
            votes=[
                VlosVote(
                    "de motie-Van Velzen/Ten Brink over de munitiereserveregeling (36600-X, nr. 12)",
                    "Aangenomen",
                    [
                        ("VVD", "Voor"),
                        ("CDA", "Voor"),
                        ("GroenLinks-PvdA", "Tegen"),
                        ("D66", "Voor"),
                    ],
                )
            ],
            soort="Stemmingen",
        ),
    ]
    return VlosMeeting(
        vergadering_id=_id(rng),
        soort=soort,
        datum=date(2026, 11, 12),
        aanvang=datetime(2026, 11, 12, 10, 0),
        sluiting=datetime(2026, 11, 12, 13, 25, 40),
        titel=titel or "Personeel en materieel Defensie",
        zaal="Thorbeckezaal",
        voorzitter=chair,
        vergaderjaar="2026-2027",
        nummer=rng.randrange(0, 110),
        items=items,
        commissies=[VlosCommissie(_id(rng), "Def", "vaste commissie voor Defensie")],
    )


def _localpaths(root: etree._Element) -> set[str]:
    out = set()

    def walk(e: etree._Element, path: str) -> None:
        p = f"{path}/{etree.QName(e).localname}"
        out.add(p)
        for ch in e:
            if isinstance(ch.tag, str):
                walk(ch, p)

    walk(root, "")
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("soort", ["Commissie", "Plenair"])
def test_xsd_dialect_validates(schema: etree.XMLSchema, seed: int, soort: str) -> None:
    doc = etree.fromstring(vlos_xml(build_meeting(seed, soort), dialect="xsd"))
    assert schema.validate(doc), schema.error_log


def to_schema_form(feed: bytes) -> etree._Element:
    """The two documented differences between the feed's files and VLOS2.0.xsd, undone."""
    root = etree.fromstring(feed.replace(FEED_NS.encode(), XSD_NS.encode()))
    doc = etree.Element(
        f"{{{XSD_NS}}}vlosdocument",
        soort=root.get("soort", ""),
        objectid=root.get("MessageID", ""),
        datum="2026-01-01T00:00:00Z",
        source="VLOS2",
        status=root.get("status", ""),
        nsmap={None: XSD_NS},  # type: ignore[dict-item]
    )
    doc.extend(list(root))
    for f in doc.iter(f"{{{XSD_NS}}}fractie"):
        afk, f.text = f.text or "", None
        f.set("objectid", afk)
        etree.SubElement(f, f"{{{XSD_NS}}}naam").text = afk
        etree.SubElement(f, f"{{{XSD_NS}}}afkorting").text = afk
    return doc


@pytest.mark.parametrize("seed", [5, 6])
def test_feed_dialect_is_the_schema_up_to_the_known_differences(
    schema: etree.XMLSchema, seed: int
) -> None:
    assert schema.validate(to_schema_form(vlos_xml(build_meeting(seed)))), schema.error_log


def test_real_samples_differ_from_the_schema_only_there(schema: etree.XMLSchema) -> None:
    for path in REAL:
        assert schema.validate(to_schema_form(path.read_bytes().lstrip(b"\xef\xbb\xbf"))), path


def test_feed_dialect_uses_only_structure_of_the_real_files() -> None:
    real: set[str] = set()
    for path in REAL:
        real |= _localpaths(etree.parse(str(path)).getroot())
    ours = set()
    for soort in ("Commissie", "Plenair"):
        ours |= _localpaths(etree.fromstring(vlos_xml(build_meeting(7, soort))))
    # motions are not in the three real samples; their elements are the schema's
    extra = {p for p in ours - real if "alineagroep" not in p and "/zaken/zaak" not in p}
    assert not extra, sorted(extra)
    key = "/vlosCoreDocument/vergadering/activiteit/activiteithoofd/activiteitdeel/activiteititem/woordvoerder/interrumpant/tekst/alinea/alineaitem"
    assert key in ours


def test_content_speakers_interruptions_motions_votes() -> None:
    m = build_meeting(8)
    root = etree.fromstring(vlos_xml(m))
    ns = {"v": FEED_NS}
    assert root.tag == f"{{{FEED_NS}}}vlosCoreDocument"
    soorten = [a.get("soort") for a in root.xpath("v:vergadering/v:activiteit", namespaces=ns)]
    assert soorten == ["Opening", "Commissiedebat", "Plenair debat", "Stemmingen", "Sluiting"]
    woordvoerders = root.xpath("//v:woordvoerder/v:spreker/v:verslagnaam/text()", namespaces=ns)
    assert {"Van Velzen", "Kortenhoeve", "Ten Brink", "Achterveld"} <= set(woordvoerders)
    assert root.xpath("//v:interrumpant[v:isvoorzitter='false']", namespaces=ns)
    assert (
        root.xpath("string(//v:spreker[v:verslagnaam='Van Velzen']/v:achternaam)", namespaces=ns)
        == "Velzen van"
    )
    assert root.xpath("//v:spreker[v:functie='minister van Defensie']/@soort", namespaces=ns) == [
        "Minister"
    ] * len(root.xpath("//v:spreker[v:functie='minister van Defensie']", namespaces=ns))
    motie = root.xpath("//v:alineagroep[@type='Motietekst']", namespaces=ns)
    assert len(motie) == 2
    assert root.xpath("//v:zaak[@soort='Motie']/v:stuknummer/text()", namespaces=ns) == ["12", "13"]
    assert "fregatvlootplan" in "".join(motie[1].itertext())
    assert root.xpath("//v:activiteititem[@soort='Besluit']/v:uitslag/text()", namespaces=ns) == [
        "Aangenomen"
    ]
    assert len(root.xpath("//v:stemming", namespaces=ns)) == 4


def test_times_are_ordered_and_inside_the_meeting() -> None:
    m = build_meeting(9)
    root = etree.fromstring(vlos_xml(m))
    stamps = [
        e.text
        for e in root.iter()
        if etree.QName(e).localname in ("aanvangstijd", "markeertijdbegin")
    ]
    assert all(m.aanvang.isoformat() <= s <= m.sluiting.isoformat() for s in stamps if s)
    begins = root.xpath("//v:woordvoerder/v:markeertijdbegin/text()", namespaces={"v": FEED_NS})
    assert begins == sorted(begins)


def test_deterministic() -> None:
    assert vlos_xml(build_meeting(10)) == vlos_xml(build_meeting(10))
    assert vlos_xml(build_meeting(10)) != vlos_xml(build_meeting(11))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(titel=st.text(min_size=1, max_size=60))
def test_any_title_gives_valid_xml(schema: etree.XMLSchema, titel: str) -> None:
    meeting = build_meeting(12, titel=titel + "<&>\"'\x00\x1f")
    assert schema.validate(etree.fromstring(vlos_xml(meeting, dialect="xsd"))), schema.error_log
    etree.fromstring(vlos_xml(meeting))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80), name=st.text(min_size=1, max_size=20))
def test_any_speech_text_and_name_gives_valid_xml(
    schema: etree.XMLSchema, text: str, name: str
) -> None:
    base = build_meeting(13)
    who = VlosSpeaker("p-1", name, name, name, name, f"minister van {name}")
    motion = VlosMotion(name, name, text, [who], [text])
    item = VlosItem(
        text,
        [VlosSpeech(who, [text, "<&>"], [VlosInterruption(base.voorzitter, [text])])],
        [motion],
    )
    meeting = VlosMeeting(**{**base.__dict__, "items": [item], "zaal": text})
    assert schema.validate(etree.fromstring(vlos_xml(meeting, dialect="xsd"))), schema.error_log
    root = etree.fromstring(vlos_xml(meeting))
    assert root.xpath("count(//v:alineagroep)", namespaces={"v": FEED_NS}) == 3


def test_edge_cases_stay_valid(schema: etree.XMLSchema) -> None:
    base = build_meeting(14, "Plenair")
    cases = [
        [],
        [VlosItem("De voorzitter alleen", [VlosSpeech(base.voorzitter, ["Hallo."])])],
        [VlosItem("Leeg agendapunt")],
        [
            VlosItem(
                "Stemming zonder fracties",
                votes=[VlosVote("x", "Verworpen", [])],
                soort="Stemmingen",
            )
        ],
    ]
    for items in cases:
        meeting = VlosMeeting(**{**base.__dict__, "items": items})
        assert schema.validate(etree.fromstring(vlos_xml(meeting, dialect="xsd"))), (
            items,
            schema.error_log,
        )
