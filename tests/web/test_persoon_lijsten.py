"""The persoon page's long lists (issue #28): a member with more submitted zaken and
activities than the page shows gets the newest ones, the total in the heading and a link
to the whole list (``?lijst=zaken`` / ``?lijst=activiteiten``) that shows every one; a
member with few gets them all and no link. What the sync keeps for the page
(``persoon_overzicht``, ``persoon_lijst``) answers exactly what the live computation
answers, here and on the sample parliament. Both engines, feeds synced by the real sync."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.store import analyse, dashboards
from kamerwatch.store.db import Database, read_pool
from kamerwatch.store.pages.people import ACTIVITEITEN_SHOWN, ZAKEN_SHOWN, persoon_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.runner import run_sync
from kamerwatch.web import render
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS

Item = tuple[str, str, dict[str, Any]]
MANY = ZAKEN_SHOWN + 7  # zaken and activities of the busy member
FEW = 3  # of the quiet one


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-persoon-lijsten/{name}"))


def zaak_nummer(who: str, n: int) -> str:
    return f"2026Z{9 if who == 'busy' else 8}{n:04d}"


def act_nummer(who: str, n: int) -> str:
    return f"2026A{9 if who == 'busy' else 8}{n:04d}"


def _member(who: str, nummer: str, count: int) -> list[Item]:
    items: list[Item] = [
        ("Persoon", who, {"nummer": nummer, "roepnaam": who.title(), "achternaam": "Lid"})
    ]
    for n in range(count):
        day = f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"
        items += [
            (
                "Zaak",
                f"{who}-z{n}",
                {
                    "nummer": zaak_nummer(who, n),
                    "soort": "Motie",
                    "onderwerp": f"Motie {who} {n}",
                    "gestart_op": f"{day}T00:00:00",
                },
            ),
            (
                "ZaakActor",
                f"{who}-za{n}",
                {"zaak_id": gid(f"{who}-z{n}"), "persoon_id": gid(who), "relatie": "Indiener"},
            ),
            (
                "Activiteit",
                f"{who}-a{n}",
                {
                    "nummer": act_nummer(who, n),
                    "soort": "Plenair debat",
                    "onderwerp": f"Debat {who} {n}",
                    "datum": f"{day}T10:00:00",
                },
            ),
            (
                "ActiviteitActor",
                f"{who}-aa{n}",
                {"activiteit_id": gid(f"{who}-a{n}"), "persoon_id": gid(who)},
            ),
        ]
    return items


def _write_feed(feed: Path, items: list[Item]) -> None:
    entries = []
    for token, (category, ident, values) in enumerate(items, start=1000):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-25T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=False
            )
        )
    feed.mkdir(exist_ok=True)
    (feed / "page-1.xml").write_bytes(feed_page(None, entries, None))


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("persoon-lijsten")
    (root / "data").mkdir()
    url = f"sqlite:///{root / 'data' / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("lijsten")
    with open_migrated(url):
        pass
    cosigned: list[Item] = [  # quiet co-signed busy's first two moties
        (
            "ZaakActor",
            f"mede{n}",
            {
                "zaak_id": gid(f"busy-z{n}"),
                "persoon_id": gid("quiet"),
                "actor_naam": "Quiet Lid",
                "relatie": "Medeindiener",
            },
        )
        for n in range(2)
    ]
    items = _member("busy", "9001", MANY) + _member("quiet", "9002", FEW) + cosigned
    _write_feed(root / "feed", items)
    with FeedServer(root) as server, Database(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        assert not run_sync(db, options, workers=1).errors
    return url


@pytest.fixture(scope="module")
def client(world: str) -> Iterator[TestClient]:
    with TestClient(create_app(world)) as c:
        yield c


def _links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="/{prefix}/(\d{{4}}[ZA]\d{{5}})"', html)


def test_a_long_list_shows_the_newest_its_total_and_a_working_link(client: TestClient) -> None:
    assert max(ZAKEN_SHOWN, ACTIVITEITEN_SHOWN) < MANY
    html = client.get("/persoon/9001").text
    newest_zaken = [zaak_nummer("busy", n) for n in range(MANY - 1, MANY - 1 - ZAKEN_SHOWN, -1)]
    assert _links(html, "zaak") == newest_zaken
    acts = [act_nummer("busy", n) for n in range(MANY - 1, MANY - 1 - ACTIVITEITEN_SHOWN, -1)]
    assert _links(html, "activiteit") == acts
    assert f"<h2>Zaken ({MANY})</h2>" in html
    assert f"<h2>Activiteiten ({MANY})</h2>" in html
    assert f"De nieuwste {ZAKEN_SHOWN} van {MANY} ingediende zaken." in html
    for lijst in ("zaken", "activiteiten"):
        link = re.search(rf'<a href="(/persoon/9001\?lijst={lijst}#{lijst})">Alle {MANY} ', html)
        assert link, lijst
        whole = client.get(link.group(1))
        assert whole.status_code == 200
        found = _links(whole.text, "zaak" if lijst == "zaken" else "activiteit")
        everything = zaak_nummer if lijst == "zaken" else act_nummer
        assert found == [everything("busy", n) for n in range(MANY - 1, -1, -1)], lijst
        assert f"Alle {MANY} " in whole.text
        assert 'href="/persoon/9001#' in whole.text  # and back
    twin = client.get("/persoon/9001.json").json()
    assert len(twin["zaken"]) == ZAKEN_SHOWN and len(twin["activiteiten"]) == ACTIVITEITEN_SHOWN
    totals = {k: v for k, v in twin.items() if k.lower().endswith("totaal")}
    assert sorted(totals.values()) == [MANY, MANY], totals
    whole_twin = client.get("/persoon/9001.json?lijst=zaken").json()
    assert len(whole_twin["zaken"]) == MANY


def test_a_short_list_is_whole_without_a_link(client: TestClient) -> None:
    html = client.get("/persoon/9002").text
    assert _links(html, "zaak") == [zaak_nummer("quiet", n) for n in range(FEW - 1, -1, -1)]
    assert _links(html, "activiteit") == [act_nummer("quiet", n) for n in range(FEW - 1, -1, -1)]
    assert f"<h2>Zaken ({FEW})</h2>" in html
    assert "lijst=" not in html


def test_an_unknown_list_is_a_clear_error(client: TestClient) -> None:
    response = client.get("/persoon/9001?lijst=moties")
    assert response.status_code == 400
    assert "onbekende lijst" in response.text
    assert client.get("/persoon/9001.json?lijst=moties").status_code == 400


def _every_page(url: str) -> tuple[dict[str, tuple[Any, ...]], set[bool]]:
    """Each member's lists, totals and record, and whether they came from the kept overview."""
    pool = read_pool(url)
    try:
        conn = pool.connection()
        out: dict[str, tuple[Any, ...]] = {}
        kept: set[bool] = set()
        for (nummer,) in conn.execute("SELECT nummer FROM persoon WHERE nummer IS NOT NULL"):
            page = persoon_page(conn, str(nummer))
            assert page is not None
            cijfers = page.kept.cijfers if page.kept is not None else None
            kept.add(page.kept is not None)
            record = analyse.profiel(conn, page.id, cijfers)
            out[str(nummer)] = (
                page.zaken,
                page.open_vragen,
                page.activiteiten,
                page.zaken_totaal,
                page.activiteiten_totaal,
                record,
            )
        return out, kept
    finally:
        close = getattr(pool, "close", None)  # PostgreSQL's pool; SQLite's: per thread
        if close is not None:
            close()


def _kept_equals_live(url: str) -> dict[str, tuple[Any, ...]]:
    kept, how = _every_page(url)
    assert how == {True}, "after a sync every member's page reads the kept overview"
    with Database(url) as db, db.transaction() as conn:
        dashboards.forget_overzicht(conn)
    try:
        live, how = _every_page(url)
        assert how == {False}
    finally:
        with Database(url) as db, db.transaction() as conn:
            dashboards.refresh_overzicht(conn)
    assert kept.keys() == live.keys()
    for nummer, page in kept.items():
        assert page == live[nummer], nummer
    return kept


def test_the_kept_overview_equals_the_live_answer(world: str) -> None:
    pages = _kept_equals_live(world)
    assert pages["9001"][3:5] == (MANY, MANY)
    assert len(pages["9001"][0]) == ZAKEN_SHOWN
    busy, quiet = pages["9001"][5], pages["9002"][5]
    partners = [(m.naam, m.persoon_nummer, m.keer) for m in busy.medeondertekenaars]
    assert partners == [("Quiet Lid", "9002", 2)]
    assert (quiet.medeondertekend, busy.medeondertekend) == (2, 0)


def test_the_kept_overview_equals_the_live_answer_on_the_sample(sample_url: str) -> None:
    pages = _kept_equals_live(sample_url)
    records = [page[5] for page in pages.values()]
    # the sample has what the figures count: written questions, roll calls
    assert any(r.schriftelijke_vragen for r in records)
    assert any(r.hoofdelijke_stemmingen for r in records)
    assert any(page[1] for page in pages.values())  # open written questions


def test_the_page_links_as_the_shared_macros_do(client: TestClient, world: str) -> None:
    """persoon.html writes its zaak and activity links inline (a macro call per link cost
    more than the link, issue #28): each is exactly what ``macros.zaak_link`` and
    ``macros.act_link`` make, so a change to those shows here."""
    macros = render.environment().from_string(
        '{% import "macros.html" as m %}{% for z in zaken %}[{{ m.zaak_link(z) }}]{% endfor %}'
        "{% for a in acts %}[{{ m.act_link(a) }}]{% endfor %}"
    )
    for nummer, lijst in (("9001", None), ("9002", None), ("9001", "zaken")):
        html = client.get(f"/persoon/{nummer}" + (f"?lijst={lijst}" if lijst else "")).text
        pool = read_pool(world)
        try:
            page = persoon_page(pool.connection(), nummer, lijst)
        finally:
            close = getattr(pool, "close", None)  # PostgreSQL's pool; SQLite's: per thread
            if close is not None:
                close()
        assert page is not None and page.zaken and page.activiteiten
        made = macros.render(zaken=[z.zaak for z in page.zaken], acts=page.activiteiten)
        links = made.strip("[]").split("][")
        assert len(links) == len(page.zaken) + len(page.activiteiten)
        for link in links:
            assert f"<td>{link}</td>" in html or f"<li>{link}</li>" in html, link
