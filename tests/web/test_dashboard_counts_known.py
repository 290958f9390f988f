"""Group counts of the dashboards against answers worked out by hand (issue #28.9), on both
engines.

A constructed feed (fracties, committees, 112 commitments and 8 written questions) is synced
through the real feed server and client. The counts per fractie, ministry and committee,
the totals, the late and postponed questions and the pages of 100 are written down below
from the feed items themselves — and counted once more straight from those items — never
from the code's own totals.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
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
Item = tuple[str, str, dict[str, Any]]


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-counts/{name}"))


# -- commitments: (how many, status, fractie, ministerie, activity or None, nested fractie) --
# 105 open ones (two pages of 100), 7 fulfilled ones that count nowhere
TOEZEGGINGEN = [
    (60, "Openstaand", "AAA", "Financiën", "act-fin", False),
    (30, "Openstaand", "BBB", "Defensie", "act-def", False),
    (12, "Deels Voldaan", "CCC", "Financiën", "act-def", False),
    (2, "Openstaand", "DDD", "Justitie en Veiligheid", None, True),  # the live feed's form
    (1, "Deels voldaan", "AAA", "Defensie", None, False),
    (7, "Voldaan", "AAA", "Financiën", "act-fin", False),
]
COMMISSIE = {
    "act-fin": "Vaste commissie voor Financiën",
    "act-def": "Vaste commissie voor Defensie",
}

# worked out by hand from the table above
TZ_TOTAAL = 105
TZ_PER_FRACTIE = [["AAA", 61], ["BBB", 30], ["CCC", 12], ["DDD", 2]]
TZ_PER_MINISTERIE = [["Financiën", 72], ["Defensie", 31], ["Justitie en Veiligheid", 2]]
TZ_PER_COMMISSIE = [["Vaste commissie voor Financiën", 60], ["Vaste commissie voor Defensie", 42]]

# -- written questions: (name, started, indieners (fractie, relatie), gericht aan, closing
# document soort and onderwerp or None, afgedaan) --
VRAGEN = [
    (
        "q1",
        "2026-10-01",
        [("AAA", "Indiener"), ("BBB", "Medeindiener")],
        ["minister van Financiën", "staatssecretaris van Defensie"],
        None,
        False,
    ),
    ("q2", "2026-11-20", [("AAA", "Indiener")], ["minister van Financiën"], None, False),
    (
        "q3",
        "2026-10-15",
        [("CCC", "Indiener")],
        ["minister voor Klimaat en Groene Groei"],
        ("Mededeling (uitstel antwoord)", "Uitstel beantwoording"),
        False,
    ),
    (
        "q4",
        "2026-09-01",
        [("BBB", "Indiener")],
        ["minister van Financiën"],
        ("Antwoord schriftelijke vragen", "Antwoord"),
        False,
    ),
    (
        "q5",
        "2026-09-01",
        [("BBB", "Indiener")],
        ["minister van Algemene Zaken"],
        ("Mededeling", "De vragen zijn ingetrokken"),
        False,
    ),
    ("q6", "2026-09-01", [("AAA", "Indiener")], ["minister van Financiën"], None, True),
    ("q7", "2026-11-01", [("AAA", "Indiener")], ["minister van Defensie"], None, False),
    ("q8", "2026-11-25", [("CCC", "Indiener")], ["minister van Financiën"], None, False),
]
# by hand: q4 answered, q5 withdrawn, q6 afgedaan; q1 (58 days) and q7 (27) late, q3 postponed
OPEN_VRAGEN = ["q1", "q3", "q7", "q2", "q8"]  # oldest first
OV_PER_FRACTIE = [["AAA", 3], ["CCC", 2], ["BBB", 1]]
OV_PER_MINISTERIE = [["Financiën", 3], ["Defensie", 2], ["Klimaat en Groene Groei", 1]]
OV_TE_LAAT, OV_UITSTEL = 2, 1


def _items() -> list[Item]:
    out: list[Item] = []
    for afk in ("AAA", "BBB", "CCC", "DDD"):
        out.append(("Fractie", afk, {"nummer": afk, "afkorting": afk, "naam_nl": f"Partij {afk}"}))
    out.append(("Persoon", "lid", {"nummer": "900", "achternaam": "Lid", "roepnaam": "Een"}))
    for act, naam in COMMISSIE.items():
        out.append(("Commissie", f"c-{act}", {"nummer": act, "afkorting": act, "naam_nl": naam}))
        out.append(
            (
                "Activiteit",
                act,
                {
                    "nummer": f"2026A9{len(out):04d}",
                    "soort": "Commissiedebat",
                    "onderwerp": naam,
                    "datum": "2026-10-01T10:00:00",
                    "voortouwcommissie_id": gid(f"c-{act}"),
                },
            )
        )
    n = 0
    for count, status, fractie, ministerie, act, nested in TOEZEGGINGEN:
        for _ in range(count):
            n += 1
            values: dict[str, Any] = {
                "nummer": f"TZ2026-{n:03d}",
                "status": status,
                "tekst": f"Toezegging {n}",
                "ministerie": ministerie,
                "aanmaakdatum": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T00:00:00",
                "naam": "Minister",
            }
            if nested:
                values["toegezegd_aan_fractie_ids"] = [gid(fractie)]
            else:
                values |= {
                    "toegezegd_aan_fractie_id": gid(fractie),
                    "toegezegd_aan_persoon_id": gid("lid"),
                }
            if act:
                values["activiteit_id"] = gid(act)
            out.append(("Toezegging", f"tz{n}", values))
    for i, (name, started, indieners, gericht, closing, afgedaan) in enumerate(VRAGEN):
        out.append(
            (
                "Zaak",
                name,
                {
                    "nummer": f"2026Z9500{i}",
                    "soort": "Schriftelijke vragen",
                    "onderwerp": f"Vragen {name}",
                    "gestart_op": f"{started}T00:00:00",
                    "afgedaan": afgedaan,
                },
            )
        )
        for j, (fractie, relatie) in enumerate(indieners):
            out.append(
                (
                    "ZaakActor",
                    f"{name}-i{j}",
                    {
                        "zaak_id": gid(name),
                        "actor_naam": f"Lid {fractie}",
                        "actor_fractie": fractie,
                        "relatie": relatie,
                    },
                )
            )
        for j, functie in enumerate(gericht):
            out.append(
                (
                    "ZaakActor",
                    f"{name}-g{j}",
                    {
                        "zaak_id": gid(name),
                        "actor_naam": functie,
                        "functie": functie,
                        "relatie": "Gericht aan",
                    },
                )
            )
        docs = [("Schriftelijke vragen", f"Vragen {name}")] + ([closing] if closing else [])
        for j, (soort, onderwerp) in enumerate(docs):
            out.append(
                (
                    "Document",
                    f"{name}-d{j}",
                    {
                        "zaak_ids": [gid(name)],
                        "soort": soort,
                        "document_nummer": f"2026D9{i:02d}{j:02d}",
                        "onderwerp": onderwerp,
                        "datum": f"{started}T00:00:00",
                    },
                )
            )
    return out


def _sync(root: Path, url: str, items: list[Item]) -> None:
    entries = []
    for token, (category, ident, values) in enumerate(items, start=1000):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-25T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=False
            )
        )
    (root / "feed").mkdir()
    (root / "feed" / "page-1.xml").write_bytes(feed_page(None, entries, None))
    with FeedServer(root) as server, open_migrated(url) as db:
        report = run_sync(
            db, ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01), workers=1
        )
    assert not report.errors


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("counts-known")
    url = f"sqlite:///{root / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("counts")
    _sync(root, url, _items())
    app = create_app(url)
    app.state.today = TODAY
    with TestClient(app) as c:
        yield c


def test_the_hand_counts_agree_with_the_feed_items() -> None:
    """The literals above, counted once more straight from the constructed items."""
    open_tz = [t for t in TOEZEGGINGEN if t[1] != "Voldaan"]
    fracties: Counter[str] = Counter()
    ministeries: Counter[str] = Counter()
    commissies: Counter[str] = Counter()
    for count, _status, fractie, ministerie, act, _nested in open_tz:
        fracties[fractie] += count
        ministeries[ministerie] += count
        if act:
            commissies[COMMISSIE[act]] += count
    assert sum(t[0] for t in open_tz) == TZ_TOTAAL
    assert sorted(map(list, fracties.items())) == sorted(TZ_PER_FRACTIE)
    assert sorted(map(list, ministeries.items())) == sorted(TZ_PER_MINISTERIE)
    assert sorted(map(list, commissies.items())) == sorted(TZ_PER_COMMISSIE)
    still_open = [v for v in VRAGEN if v[4] is None or "uitstel" in v[4][0]]
    still_open = [v for v in still_open if not v[5]]
    assert sorted(v[0] for v in still_open) == sorted(OPEN_VRAGEN)
    per_fractie = Counter(f for v in still_open for f in {f for f, _r in v[2]})
    assert sorted(map(list, per_fractie.items())) == sorted(OV_PER_FRACTIE)


def test_commitment_counts_totals_and_pages(client: TestClient) -> None:
    data = client.get("/toezeggingen.json").json()
    assert data["totaal"] == TZ_TOTAAL
    assert data["perFractie"] == TZ_PER_FRACTIE
    assert data["perMinisterie"] == TZ_PER_MINISTERIE
    assert data["perCommissie"] == TZ_PER_COMMISSIE
    assert (data["pagina"], data["paginas"], len(data["items"])) == (1, 2, 100)
    second = client.get("/toezeggingen.json", params={"pagina": "2"}).json()
    assert (second["pagina"], len(second["items"]), second["totaal"]) == (2, 5, TZ_TOTAAL)
    shown = [t["nummer"] for t in data["items"] + second["items"]]
    assert len(set(shown)) == TZ_TOTAAL and shown == sorted(shown)  # oldest first, once each
    nested = [t for t in second["items"] if t["fractie"] == "DDD"]
    assert len(nested) == 2  # the live feed's nested recipient is the fractie
    assert second["perFractie"] == TZ_PER_FRACTIE  # the counts cover every page


@pytest.mark.parametrize(
    ("params", "totaal"),
    [
        ({"fractie": "CCC"}, 12),
        ({"fractie": "DDD"}, 2),
        ({"ministerie": "Defensie"}, 31),
        ({"commissie": "c-act-def"}, 42),
    ],
)
def test_commitment_filters(client: TestClient, params: dict[str, str], totaal: int) -> None:
    if "commissie" in params:
        params = {"commissie": gid(params["commissie"])}
    data = client.get("/toezeggingen.json", params=params).json()
    assert data["totaal"] == totaal and len(data["items"]) == min(totaal, 100)
    assert data["perFractie"] == TZ_PER_FRACTIE  # over all open ones, whatever the filter


def test_commitments_csv_has_every_row(client: TestClient) -> None:
    rows = list(csv.reader(io.StringIO(client.get("/toezeggingen.csv").text.lstrip("\ufeff"))))
    assert len(rows) == 1 + TZ_TOTAAL
    assert Counter(r[7] for r in rows[1:]) == {f: n for f, n in TZ_PER_FRACTIE}
    only = list(csv.reader(io.StringIO(client.get("/toezeggingen.csv?fractie=BBB").text)))
    assert len(only) == 1 + 30


def test_open_question_counts(client: TestClient) -> None:
    data = client.get("/open-vragen.json").json()
    nummers = {name: f"2026Z9500{i}" for i, (name, *_rest) in enumerate(VRAGEN)}
    assert [v["zaakNummer"] for v in data["vragen"]] == [nummers[q] for q in OPEN_VRAGEN]
    assert (data["totaal"], data["teLaat"], data["metUitstel"]) == (5, OV_TE_LAAT, OV_UITSTEL)
    assert data["perFractie"] == OV_PER_FRACTIE
    assert data["perMinisterie"] == OV_PER_MINISTERIE
    assert client.get("/open-vragen.json", params={"fractie": "CCC"}).json()["totaal"] == 2
    assert client.get("/open-vragen.json", params={"ministerie": "Defensie"}).json()["totaal"] == 2
    rows = list(csv.reader(io.StringIO(client.get("/open-vragen.csv").text.lstrip("\ufeff"))))
    assert [r[4] for r in rows[1:]] == [nummers[q] for q in OPEN_VRAGEN]
