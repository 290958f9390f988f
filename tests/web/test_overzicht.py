"""The overviews kept by the sync (``toezegging_overzicht``, ``vraag_overzicht``; issue #28),
on both engines: after a sync they are current, a change in the feed shows up on
/toezeggingen and /open-vragen after the next ``kamerwatch update``, a re-parse leaves them
current, and what they answer is exactly what the live computation from the mirror answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.store import dashboards as q
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS, kamerwatch

TODAY = date(2026, 11, 28)
Item = tuple[str, str, dict[str, Any]]


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-overzicht/{name}"))


def _toezegging(n: int, status: str, fractie: str, ministerie: str, **more: Any) -> Item:
    values = {
        "nummer": f"TZ-{n}",
        "status": status,
        "tekst": f"Toezegging {n}",
        "ministerie": ministerie,
        "aanmaakdatum": f"2026-0{n}-01T00:00:00",
        "naam": "Minister",
        "toegezegd_aan_fractie_id": gid(fractie),
        **more,
    }
    return ("Toezegging", f"tz{n}", values)


FIRST: list[Item] = [
    ("Fractie", "AAA", {"nummer": "1", "afkorting": "AAA", "naam_nl": "Partij A"}),
    ("Fractie", "BBB", {"nummer": "2", "afkorting": "BBB", "naam_nl": "Partij B"}),
    ("Commissie", "cie", {"nummer": "c1", "afkorting": "FIN", "naam_nl": "Commissie Fin"}),
    (
        "Activiteit",
        "act",
        {
            "nummer": "2026A90001",
            "soort": "Commissiedebat",
            "onderwerp": "Financiën",
            "datum": "2026-03-01T10:00:00",
            "voortouwcommissie_id": gid("cie"),
        },
    ),
    _toezegging(1, "Openstaand", "AAA", "Financiën", activiteit_id=gid("act")),
    _toezegging(2, "Deels voldaan", "BBB", "Defensie", datum_nakoming="2026-12-31"),
    _toezegging(3, "Voldaan", "AAA", "Financiën"),
]


def _vraag(name: str, nummer: str, gestart: str, fractie: str, functie: str) -> list[Item]:
    """A written question (zaak) with its submitter and addressee."""
    return [
        (
            "Zaak",
            name,
            {
                "nummer": nummer,
                "soort": "Schriftelijke vragen",
                "onderwerp": f"Vragen {name}",
                "gestart_op": f"{gestart}T00:00:00",
            },
        ),
        (
            "ZaakActor",
            f"{name}-i",
            {
                "zaak_id": gid(name),
                "actor_naam": f"Lid {fractie}",
                "actor_fractie": fractie,
                "relatie": "Indiener",
            },
        ),
        (
            "ZaakActor",
            f"{name}-g",
            {
                "zaak_id": gid(name),
                "actor_naam": functie,
                "functie": functie,
                "relatie": "Gericht aan",
            },
        ),
    ]


# two open questions, BBB's the older: equal counts are listed by name (AAA first), not in
# the order the questions come
FIRST += _vraag("q0", "2026Z95000", "2026-09-01", "BBB", "minister van Defensie")
FIRST += _vraag("q1", "2026Z95001", "2026-10-01", "AAA", "minister van Financiën")
# the second sync: tz1 fulfilled, a new open one of BBB, overdue since 2026-11-01
SECOND: list[Item] = [
    _toezegging(1, "Voldaan", "AAA", "Financiën", activiteit_id=gid("act")),
    _toezegging(4, "Openstaand", "BBB", "Justitie", datum_nakoming="2026-11-01"),
    (  # q1 answered
        "Document",
        "q1-antwoord",
        {
            "zaak_ids": [gid("q1")],
            "soort": "Antwoord schriftelijke vragen",
            "document_nummer": "2026D95002",
            "onderwerp": "Antwoord op vragen over geld",
            "datum": "2026-11-20T00:00:00",
        },
    ),
]


def _write_page(feed: Path, name: str, items: list[Item], first_token: int) -> None:
    entries = []
    for token, (category, ident, values) in enumerate(items, start=first_token):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-25T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=False
            )
        )
    feed.mkdir(exist_ok=True)
    (feed / name).write_bytes(feed_page(None, entries, None))


def _update(root: Path, url: str) -> None:
    with FeedServer(root) as server:
        result = kamerwatch(
            "update", "--feed-url", server.url, data_dir=root / "data", database_url=url
        )
    assert result.returncode == 0, result.stderr


def _sync(root: Path, url: str) -> None:
    """The sync stage in this process (what `update` starts with)."""
    with FeedServer(root) as server, Database(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        assert not run_sync(db, options, workers=1).errors


def _page(url: str, path: str = "/toezeggingen.json") -> dict[str, Any]:
    app = create_app(url)
    app.state.today = TODAY
    with TestClient(app) as client:
        data: dict[str, Any] = client.get(path).json()
        return data


def _same_as_live(url: str) -> None:
    """The stored answers equal the live ones for every status and filter."""
    with Database(url) as db:
        assert q.overzicht_current(db.conn)
        for status in q.TOEZEGGING_STATUS:
            for keep in (
                q._Keep(),
                q._Keep(fractie="BBB"),
                q._Keep(ministerie="Financiën"),
                q._Keep(commissie_id=gid("cie")),
                q._Keep(toezegger="Minister"),
            ):
                stored = q._stored_index(db.conn, status, keep, TODAY)
                live = q._live_index(db.conn, status, keep, TODAY)
                fields = ("totaal", "per_fractie", "per_commissie", "per_ministerie", "te_laat")
                for name in fields:
                    assert getattr(stored, name) == getattr(live, name), (status, keep, name)
                c = db.conn
                assert stored.ids_of(c, 0, None) == live.ids_of(c, 0, None)
                assert stored.ids_of(c, 1, 1) == live.ids_of(c, 1, 1)
        for fractie, ministerie in ((None, None), ("BBB", None), (None, "Financiën")):
            vragen = q._stored_vragen(db.conn, TODAY, fractie, ministerie)
            with db.transaction() as conn:
                q.forget_overzicht(conn)
            live_vragen = q.open_vragen_index(
                db.conn, today=TODAY, fractie=fractie, ministerie=ministerie
            )
            with db.transaction() as conn:
                q.refresh_overzicht(conn)
            for name in ("totaal", "te_laat", "met_uitstel", "per_fractie", "per_ministerie"):
                assert getattr(vragen, name) == getattr(live_vragen, name), name
            assert vragen.vragen_of(db.conn, 0, None) == live_vragen.vragen_of(db.conn, 0, None)


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    (tmp_path / "data").mkdir()
    url = f"sqlite:///{tmp_path / 'data' / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("overzicht")
    with open_migrated(url):
        pass
    yield tmp_path, url


def test_a_change_in_the_feed_shows_up_after_update(world: tuple[Path, str]) -> None:
    root, url = world
    _write_page(root / "feed", "page-1.xml", FIRST, 1000)
    _sync(root, url)
    _same_as_live(url)
    data = _page(url)
    assert [t["nummer"] for t in data["items"]] == ["TZ-1", "TZ-2"]
    assert (data["totaal"], data["teLaat"]) == (2, 0)
    assert data["perFractie"] == [["AAA", 1], ["BBB", 1]]
    assert data["perCommissie"] == [["Commissie Fin", 1]]
    vragen = _page(url, "/open-vragen.json")
    assert [v["zaakNummer"] for v in vragen["vragen"]] == ["2026Z95000", "2026Z95001"]
    assert (vragen["totaal"], vragen["teLaat"]) == (2, 2)
    assert vragen["perFractie"] == [["AAA", 1], ["BBB", 1]]
    assert vragen["perMinisterie"] == [["Defensie", 1], ["Financiën", 1]]

    _write_page(root / "feed", "page-2.xml", SECOND, 2000)
    _update(root, url)
    _same_as_live(url)
    data = _page(url)
    assert [t["nummer"] for t in data["items"]] == ["TZ-2", "TZ-4"]
    assert (data["totaal"], data["teLaat"]) == (2, 1)
    assert data["perFractie"] == [["BBB", 2]]
    assert data["perMinisterie"] == [["Defensie", 1], ["Justitie", 1]]
    assert data["perCommissie"] == []
    vragen = _page(url, "/open-vragen.json")
    assert [v["zaakNummer"] for v in vragen["vragen"]] == ["2026Z95000"]
    assert (vragen["totaal"], vragen["perFractie"]) == (1, [["BBB", 1]])

    # a re-parse rebuilds the mirror from the raw log: the overview is current again after it
    result = kamerwatch("sync", "--reparse", data_dir=root / "data", database_url=url)
    assert result.returncode == 0, result.stderr
    _same_as_live(url)
    assert _page(url)["perFractie"] == [["BBB", 2]]


def test_a_stale_overview_is_not_used(world: tuple[Path, str]) -> None:
    """A mirror that moved on without a refresh (here: the overview emptied and marked as
    of an older raw-log entry) is answered live, never from the stale rows."""
    root, url = world
    _write_page(root / "feed", "page-1.xml", FIRST, 1000)
    _sync(root, url)
    with Database(url) as db, db.transaction() as conn:
        conn.execute("DELETE FROM toezegging_overzicht")
        conn.execute("DELETE FROM toezegging_telling")
        conn.execute("UPDATE meta SET value = '1' WHERE key = ?", (q.OVERZICHT_STAND,))
    data = _page(url)
    assert (data["totaal"], data["perFractie"]) == (2, [["AAA", 1], ["BBB", 1]])
    with Database(url) as db, db.transaction() as conn:
        assert q.refresh_overzicht(conn) == 3 + 2  # every commitment (any status), 2 questions
        assert q.refresh_overzicht(conn) == 0  # current: nothing to do
    _same_as_live(url)


def test_dossier_counts_stored_equal_live(sample_url: str) -> None:
    """/kamerstukdossiers' document counts from ``dossier_telling`` (current after the
    sync) are the counts in the mirror, for the recent list, a number and title words."""
    searches = (None, "36800", "begrotingsstaten", "Belastingen")
    with Database(sample_url) as db:
        assert q.overzicht_current(db.conn)
        stored = [q.kamerstukdossiers(db.conn, zoek=z) for z in searches]
        with db.transaction() as conn:
            q.forget_overzicht(conn)
        live = [q.kamerstukdossiers(db.conn, zoek=z) for z in searches]
        with db.transaction() as conn:
            q.refresh_overzicht(conn)
        total = db.conn.execute(
            "SELECT count(*) FROM document WHERE kamerstukdossier_id IS NOT NULL"
        ).fetchone()[0]
        kept = db.conn.execute("SELECT sum(aantal) FROM dossier_telling").fetchone()[0]
    assert stored == live
    assert all(stored) and any(d.documenten > 1 for d in stored[0])
    assert int(kept) == int(total) > 0
    # a known answer for the recent list, counted here from the documents: the dossiers of
    # the newest RECENT_DOCUMENTS documents by the date of their newest document (ties: the
    # higher number first)
    with Database(sample_url) as db:
        docs = db.conn.execute(
            "SELECT kamerstukdossier_id, datum, id FROM document"
            " WHERE kamerstukdossier_id IS NOT NULL AND datum IS NOT NULL"
        ).fetchall()
        dossiers = {
            r[0]: (r[1], r[2])
            for r in db.conn.execute("SELECT id, nummer, toevoeging FROM kamerstukdossier")
        }
    newest = sorted(docs, key=lambda d: (d[1], d[2]), reverse=True)[: q.RECENT_DOCUMENTS]
    laatste: dict[str, str] = {}
    for dossier, datum, _id in newest:
        laatste[dossier] = max(laatste.get(dossier, datum), datum)
    known = sorted(
        (k for k in laatste if k in dossiers),
        key=lambda k: (_desc(laatste[k]), -dossiers[k][0], dossiers[k][1] or "", k),
    )[: q.DOSSIERS_SHOWN]
    assert [d.id for d in stored[0]] == known
    assert [d.laatste_document for d in stored[0]] == [laatste[k] for k in known]


def _desc(text: str) -> tuple[int, ...]:
    """A sort key that orders texts from high to low."""
    return (*(-ord(c) for c in text), 0)
