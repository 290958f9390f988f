"""Dashboards on a crafted parliament with known answers: vote totals (fractieGrootte, per
person when hoofdelijk, a mistaken vote marked), which questions are open and late, which
commitments are open."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS

TODAY = date(2026, 11, 28)


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-dash/{name}"))


def _question(
    n: int, started: str, docs: list[tuple[str, str]]
) -> list[tuple[str, str, dict[str, Any]]]:
    zaak = f"q{n}"
    out: list[tuple[str, str, dict[str, Any]]] = [
        (
            "Zaak",
            zaak,
            {
                "nummer": f"2026Z9000{n}",
                "soort": "Schriftelijke vragen",
                "onderwerp": f"Vragen {n}",
                "gestart_op": started,
                "afgedaan": False,
            },
        ),
        (
            "ZaakActor",
            f"{zaak}-indiener",
            {
                "zaak_id": gid(zaak),
                "actor_naam": "A. Lid",
                "actor_fractie": "AAA",
                "relatie": "Indiener",
            },
        ),
        (
            "ZaakActor",
            f"{zaak}-aan",
            {
                "zaak_id": gid(zaak),
                "actor_naam": "D. de Eekbrugge",
                "functie": "minister van Financiën",
                "relatie": "Gericht aan",
            },
        ),
        (
            "Document",
            f"{zaak}-vragen",
            {
                "zaak_ids": [gid(zaak)],
                "soort": "Schriftelijke vragen",
                "document_nummer": f"2026D9000{n}",
                "onderwerp": f"Vragen {n}",
                "datum": started,
            },
        ),
    ]
    for i, (soort, onderwerp) in enumerate(docs):
        out.append(
            (
                "Document",
                f"{zaak}-doc{i}",
                {
                    "zaak_ids": [gid(zaak)],
                    "soort": soort,
                    "document_nummer": f"2026D9100{n}{i}",
                    "onderwerp": onderwerp,
                    "datum": "2026-11-20T00:00:00",
                },
            )
        )
    return out


def _vote(
    besluit: str,
    who: str,
    soort: str,
    zetels: int,
    *,
    persoon: bool = False,
    vergissing: bool = False,
) -> tuple[str, str, dict[str, Any]]:
    values: dict[str, Any] = {
        "besluit_id": gid(besluit),
        "soort": soort,
        "fractie_grootte": zetels,
        "vergissing": vergissing,
    }
    if persoon:
        values |= {
            "persoon_id": gid(who),
            "fractie_id": gid("AAA"),
            "actor_naam": who,
            "actor_fractie": "AAA",
        }
    else:
        values |= {"fractie_id": gid(who), "actor_naam": who, "actor_fractie": who}
    return ("Stemming", f"{besluit}-{who}", values)


ENTITIES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "Fractie",
        "AAA",
        {"nummer": "1", "afkorting": "AAA", "naam_nl": "Partij A", "aantal_zetels": 100},
    ),
    (
        "Fractie",
        "BBB",
        {"nummer": "2", "afkorting": "BBB", "naam_nl": "Partij B", "aantal_zetels": 50},
    ),
    *[
        ("Persoon", p, {"nummer": str(10 + i), "achternaam": p})
        for i, p in enumerate(("Een", "Twee", "Drie"))
    ],
    (
        "Activiteit",
        "stemmingen",
        {
            "nummer": "2026A90001",
            "soort": "Stemmingen",
            "onderwerp": "Stemmingen",
            "datum": "2026-11-24T15:00:00",
            "aanvangstijd": "2026-11-24T15:00:00",
        },
    ),
    (
        "Agendapunt",
        "punt",
        {"activiteit_id": gid("stemmingen"), "onderwerp": "Stemmingen over moties", "volgorde": 1},
    ),
    ("Zaak", "motie", {"nummer": "2026Z90100", "soort": "Motie", "onderwerp": "Motie over iets"}),
    (
        "ZaakActor",
        "motie-indiener",
        {
            "zaak_id": gid("motie"),
            "persoon_id": gid("Een"),
            "actor_naam": "L. Een",
            "actor_fractie": "AAA",
            "relatie": "Indiener",
        },
    ),
    (
        "Besluit",
        "handen",
        {
            "agendapunt_id": gid("punt"),
            "zaak_ids": [gid("motie")],
            "stemmings_soort": "Met handopsteken",
            "besluit_soort": "Stemmen - aangenomen",
            "besluit_tekst": "Aangenomen.",
            "status": "Besluit",
        },
    ),
    _vote("handen", "AAA", "Voor", 100, vergissing=True),
    _vote("handen", "BBB", "Tegen", 50),
    (
        "Besluit",
        "hoofdelijk",
        {
            "agendapunt_id": gid("punt"),
            "zaak_ids": [gid("motie")],
            "stemmings_soort": "Hoofdelijk",
            "besluit_soort": "Stemmen - aangenomen",
            "besluit_tekst": "Aangenomen.",
            "status": "Besluit",
        },
    ),
    _vote("hoofdelijk", "Een", "Voor", 100, persoon=True),
    _vote("hoofdelijk", "Twee", "Voor", 100, persoon=True),
    _vote("hoofdelijk", "Drie", "Tegen", 100, persoon=True),
    *_question(1, "2026-10-01T00:00:00", []),  # open, late
    *_question(
        2, "2026-10-01T00:00:00", [("Mededeling (uitstel antwoord)", "Uitstel")]
    ),  # open, uitstel
    *_question(3, "2026-11-20T00:00:00", []),  # open, 8 days
    *_question(4, "2026-09-01T00:00:00", [("Antwoord schriftelijke vragen (nader)", "Antwoord")]),
    *_question(5, "2026-09-01T00:00:00", [("Mededeling", "Intrekking van de vragen")]),
    *[
        (
            "Toezegging",
            f"tz{i}",
            {
                "nummer": f"TZ2026-{i}",
                "status": status,
                "tekst": f"Toezegging {i}",
                "ministerie": "Financiën",
                "aanmaakdatum": "2026-10-01T00:00:00",
                "naam": "Minister",
                **more,
            },
        )
        for i, (status, more) in enumerate(
            (
                ("Openstaand", {"datum_nakoming": "2026-11-01T00:00:00"}),  # 27 days late
                ("Voldaan", {"kamerbrief_nakoming": "2026D90001"}),  # a letter in the mirror
                ("Deels Voldaan", {"datum_nakoming": "2026-12-31T00:00:00"}),  # not yet due
                ("Vervallen", {"ministerie": "Defensie", "naam": "Staatssecretaris"}),
            )
        )
    ],
]


def _publish_and_sync(
    root: Path, url: str, name: str, items: list[tuple[str, str, dict[str, Any]]], first: int
) -> None:
    entries = []
    for token, (category, ident, values) in enumerate(items, start=first):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-25T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=False
            )
        )
    (root / "feed").mkdir(exist_ok=True)
    (root / "feed" / name).write_bytes(feed_page(None, entries, None))
    with FeedServer(root) as server, open_migrated(url) as db:
        report = run_sync(
            db, ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01), workers=1
        )
    assert not report.errors


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("dash-known")
    url = f"sqlite:///{root / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("known")
    _publish_and_sync(root, url, "page-1.xml", ENTITIES, 5000)
    return root, url


@pytest.fixture(scope="module")
def client(world: tuple[Path, str]) -> Iterator[TestClient]:
    _, url = world
    app = create_app(url)
    app.state.today = TODAY
    with TestClient(app) as c:
        yield c


def test_vote_totals_with_mistake_and_roll_call(client: TestClient) -> None:
    votes = {
        b["id"]: b
        for b in client.get("/stemmingen.json", params={"van": "2026-11-01"}).json()["stemmingen"]
    }
    handen = votes[gid("handen")]
    assert {
        (f["fractie"], f["zetels"], f["soort"], f["vergissing"]) for f in handen["fracties"]
    } == {
        ("AAA", 100, "Voor", True),
        ("BBB", 50, "Tegen", False),
    }
    hoofdelijk = votes[gid("hoofdelijk")]
    assert sorted(p["soort"] for p in hoofdelijk["personen"]) == ["Tegen", "Voor", "Voor"]
    page = client.get("/stemmingen", params={"van": "2026-11-01"}).text
    assert "100 voor, 50 tegen" in page and "2 voor, 1 tegen" in page and "(vergissing)" in page
    csv_text = client.get("/stemmingen.csv", params={"van": "2026-11-01"}).text
    assert "2026Z90100" in csv_text and ',"Aangenomen","",100,50,' in csv_text


def test_a_voting_session_names_what_was_voted_on(client: TestClient) -> None:
    """#25.2: every result on the activity page names its motie (number, title, indiener)
    and links it; a seat bar shows the split."""
    tree = html.fromstring(client.get("/activiteit/2026A90001").text)
    results = tree.xpath("//li[contains(@class, 'besluit')]")
    assert len(results) == 2
    for li in results:
        subject = li.xpath("./p[@class='besluit-zaak']")[0]
        assert subject.xpath("./a/@href")[0] == "/zaak/2026Z90100"
        text = subject.text_content()
        assert "Motie 2026Z90100: Motie over iets" in text
        assert "ingediend door Een, AAA" in text, text
        assert subject.xpath(".//a[@href='/persoon/10']")
    bars = tree.xpath("//li[contains(@class, 'besluit')]//svg[contains(@class, 'zetelbalk')]")
    assert sorted(b.get("aria-label").split(". ")[1] for b in bars) == [
        "100 voor, 50 tegen (van 150)",
        "2 voor, 1 tegen (van 150)",
    ]


def test_stemmingen_per_day_with_the_party_column_and_its_filter(client: TestClient) -> None:
    """#25.3: grouped by voting day; a chosen fractie's vote is a column and a filter; a seat
    bar per vote; a roll call names the members who voted against their party."""
    page = html.fromstring(client.get("/stemmingen", params={"van": "2026-11-01"}).text)
    assert [h.text_content() for h in page.xpath("//section[@class='stemdag']/h2")] == [
        "dinsdag 24 november 2026 (2 stemmingen)"
    ]
    assert len(page.xpath("//table[@class='stemmingen']//svg[contains(@class, 'zetelbalk')]")) == 2
    assert "Tegen de eigen fractie in: Drie (AAA, tegen)" in page.text_content()

    def column(params: dict[str, str]) -> list[str]:
        tree = html.fromstring(client.get("/stemmingen", params=params).text)
        heads = [th.text_content() for th in tree.xpath("//table[@class='stemmingen']//th")]
        assert not heads or f"Stem {params['fractie']}" in heads
        return [td.text_content() for td in tree.xpath("//td[contains(@class, 'stem ')]")]

    assert column({"van": "2026-11-01", "fractie": "AAA"}) == ["voor", "voor"]
    assert column({"van": "2026-11-01", "fractie": "BBB"}) == ["tegen"]
    assert column({"van": "2026-11-01", "fractie": "BBB", "stem": "tegen"}) == ["tegen"]
    assert column({"van": "2026-11-01", "fractie": "BBB", "stem": "voor"}) == []
    only = client.get(
        "/stemmingen.json", params={"van": "2026-11-01", "fractie": "AAA", "stem": "tegen"}
    ).json()
    assert only["stemmingen"] == []
    twin = client.get("/stemmingen.json", params={"van": "2026-11-01"}).json()["stemmingen"]
    roll = next(b for b in twin if b["id"] == gid("hoofdelijk"))
    assert [(p["naam"], p["soort"]) for p in roll["afwijkers"]] == [("Drie", "Tegen")]
    download = client.get("/stemmingen.csv", params={"van": "2026-11-01", "fractie": "BBB"})
    assert download.text.splitlines()[0].endswith(',"stem BBB"')
    # a side without a party is said, not silently dropped
    assert "Kies een fractie" in client.get("/stemmingen", params={"stem": "voor"}).text


def test_which_questions_are_open_and_late(client: TestClient) -> None:
    data = client.get("/open-vragen.json").json()
    assert [v["zaakNummer"] for v in data["vragen"]] == ["2026Z90001", "2026Z90002", "2026Z90003"]
    assert [(v["dagenOpen"], v["teLaat"], v["uitstel"]) for v in data["vragen"]] == [
        (58, True, False),
        (58, False, True),
        (8, False, False),
    ]
    assert (data["totaal"], data["teLaat"], data["metUitstel"]) == (3, 1, 1)
    assert data["perMinisterie"] == [["Financiën", 3]] and data["perFractie"] == [["AAA", 3]]


def test_open_questions_say_who_asked_and_whom(client: TestClient) -> None:
    """#25.8: the function and ministry a question is addressed to and the submitters with
    their party, not the addressee's name only."""
    data = client.get("/open-vragen.json").json()
    first = data["vragen"][0]
    assert first["indienersMetFractie"] == ["A. Lid (AAA)"]
    assert first["gerichtAanFunctie"] == ["D. de Eekbrugge, minister van Financiën"]
    page = html.fromstring(client.get("/open-vragen").text)
    heads = [th.text_content() for th in page.xpath("//thead//th")]
    assert heads == ["Gesteld", "Dagen", "Vragen", "Gesteld door", "Gericht aan"]
    row = [td.text_content() for td in page.xpath("//tbody/tr[1]/td")]
    assert row[3] == "A. Lid (AAA)"
    assert row[4] == "D. de Eekbrugge, minister van FinanciënFinanciën"  # + ministry below


def test_which_commitments_are_open(client: TestClient) -> None:
    data = client.get("/toezeggingen.json").json()
    assert sorted(t["nummer"] for t in data["items"]) == ["TZ2026-0", "TZ2026-2"]
    assert data["perMinisterie"] == [["Financiën", 2]]


def test_toezeggingen_by_status_with_deadline_lateness_letters_and_bells(
    client: TestClient,
) -> None:
    """#25.6: a status filter (open, deels, voldaan, vervallen, alles), the deadline and
    "te laat" in days, the fulfilling letter, counts per minister, a bell on the dashboard
    and on each toezegging."""

    def listed(status: str | None) -> list[str]:
        params = {"status": status} if status else {}
        return [
            t["nummer"] for t in client.get("/toezeggingen.json", params=params).json()["items"]
        ]

    assert listed(None) == listed("open") == ["TZ2026-0", "TZ2026-2"]
    assert listed("deels") == ["TZ2026-2"]
    assert listed("voldaan") == ["TZ2026-1"]
    assert listed("vervallen") == ["TZ2026-3"]
    assert sorted(listed("alles")) == ["TZ2026-0", "TZ2026-1", "TZ2026-2", "TZ2026-3"]
    data = client.get("/toezeggingen.json").json()
    assert data["teLaat"] == 1
    assert [(t["nummer"], t["dagenTeLaat"]) for t in data["items"]] == [
        ("TZ2026-0", 27),
        ("TZ2026-2", None),
    ]
    assert data["perToezegger"] == [["Minister", 2]]
    everything = client.get("/toezeggingen.json", params={"status": "alles"}).json()
    assert everything["perToezegger"] == [["Minister", 3], ["Staatssecretaris", 1]]
    page = html.fromstring(client.get("/toezeggingen").text)
    assert "te laat: 27 dagen" in page.text_content()
    assert page.xpath("//form[@class='bel']//input[@name='waarde']/@value") == ["alle"]
    done = html.fromstring(client.get("/toezeggingen", params={"status": "voldaan"}).text)
    assert done.xpath("//table[@class='toezeggingen']//a[@href='/document/2026D90001']")
    assert "Nagekomen met kamerbrief 2026D90001" in done.text_content()
    per_minister = done.xpath("//ul[@class='telling']//a[text()='Minister']/@href")
    assert per_minister == ["?status=voldaan&toezegger=Minister"]
    bell = html.fromstring(client.get("/toezeggingen", params={"ministerie": "Financiën"}).text)
    assert bell.xpath("//form[@class='bel']//input[@name='waarde']/@value") == [
        "ministerie:Financiën"
    ]
    one = html.fromstring(client.get("/toezegging/TZ2026-0").text)
    assert one.xpath("//form[@class='bel']//input[@name='waarde']/@value") == ["nummer:TZ2026-0"]
    oops = html.fromstring(client.get("/toezeggingen?status=oops").text).text_content()
    assert "Onbekende waarde voor 'status' genegeerd" in oops


def test_a_sync_shows_up_at_once_despite_the_cache(
    client: TestClient, world: tuple[Path, str]
) -> None:
    root, url = world
    assert client.get("/geschenken.json").json()["geschenken"] == []
    gift = (
        "PersoonGeschenk",
        "gift",
        {"persoon_id": gid("Een"), "omschrijving": "Taart", "datum": "2026-11-26"},
    )
    _publish_and_sync(root, url, "page-2.xml", [gift], 9000)
    assert [g["omschrijving"] for g in client.get("/geschenken.json").json()["geschenken"]] == [
        "Taart"
    ]
