"""The zaak page's "volgens de zoekmachine": documents whose indexed text names the zaak
number but that the data does not link, on a real synced sample with a real index."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html
from starlette.testclient import TestClient

from kamerwatch.search.index import run_index
from kamerwatch.subsystems import open_migrated
from kamerwatch.web.app import create_app


def copy_of(synced_sample: Path, tmp: Path) -> Path:
    path = tmp / "kamerwatch.sqlite3"
    shutil.copy(synced_sample, path)
    return path


def linked_zaak(conn: sqlite3.Connection) -> tuple[str, list[str]]:
    """A zaak with linked documents: (its nummer, the nummers of those documents)."""
    zaak_id, nummer = conn.execute(
        """SELECT z.id, z.nummer FROM zaak z
           WHERE (SELECT count(*) FROM link WHERE dst_id = z.id AND src_category = 'Document'
                  AND relation = 'zaak') >= 1
           ORDER BY z.nummer LIMIT 1"""
    ).fetchone()
    docs = [
        r[0]
        for r in conn.execute(
            """SELECT d.document_nummer FROM link l JOIN document d ON d.id = l.src_id
               WHERE l.dst_id = ? AND l.src_category = 'Document' AND l.relation = 'zaak'""",
            (zaak_id,),
        )
    ]
    return nummer, docs


def mention(conn: sqlite3.Connection, nummers: list[str], zaak: str) -> None:
    """Documents whose subject names the zaak (as a newer feed version would)."""
    for n in nummers:
        conn.execute(
            """UPDATE document SET onderwerp = 'Reactie op zaak ' || ? || ' en verder',
                                   skiptoken = skiptoken + 1000000
               WHERE document_nummer = ?""",
            (zaak, n),
        )


@pytest.fixture(scope="module")
def world(
    synced_sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, str, list[str], list[str]]]:
    """(client, zaak nummer, its linked documents, 25 unlinked documents that mention it)."""
    path = copy_of(synced_sample, tmp_path_factory.mktemp("zaak-zoek"))
    with open_migrated(f"sqlite:///{path}") as db:
        conn = db.conn
        zaak, linked = linked_zaak(conn)
        others = [
            r[0]
            for r in conn.execute(
                f"""SELECT document_nummer FROM document
                    WHERE document_nummer NOT IN ({",".join("?" * len(linked))})
                    ORDER BY document_nummer LIMIT 25""",
                linked,
            )
        ]
        mention(conn, [*others, linked[0]], zaak)  # a linked one that names it too
        run_index(conn)
    with TestClient(create_app(f"sqlite:///{path}")) as client:
        yield client, zaak, linked, others


def section(page_html: str) -> html.HtmlElement:
    (found,) = html.fromstring(page_html).xpath("//section[@id='zoekmachine']")
    return found


def test_unlinked_mentions_are_listed_bounded_with_a_link_to_all(world: tuple) -> None:
    client, zaak, linked, others = world
    page = client.get(f"/zaak/{zaak}")
    assert page.status_code == 200
    part = section(page.text)
    listed = [urlsplit(a).path for a in part.xpath(".//li/a/@href")]
    assert len(listed) == 20
    assert {p.rsplit("/", 1)[1] for p in listed} <= set(others)
    assert not {f"/document/{n}" for n in linked} & set(listed), "linked ones are not repeated"
    assert part.xpath(".//mark"), "the number is highlighted in the snippet"
    (more,) = part.xpath(".//p/a[contains(@href, '/zoeken')]/@href")
    params = parse_qs(urlsplit(more).query)
    assert params == {"q": [f'"{zaak}"'], "categorie": ["document"]}
    assert "van 25" in part.text_content()
    full = client.get(more)
    assert full.status_code == 200
    twin = client.get(f"/zaak/{zaak}.json").json()["volgensZoekmachine"]
    assert twin["total"] == 25 and len(twin["hits"]) == 20 and twin["error"] is None
    assert {h["nummer"] for h in twin["hits"]} <= set(others)


def test_a_zaak_nobody_mentions_has_an_empty_section(world: tuple) -> None:
    client, zaak, _linked, _others = world
    conn = client.app.state.pool.connection()  # type: ignore[attr-defined]
    other = conn.execute(
        "SELECT nummer FROM zaak WHERE nummer <> ? ORDER BY nummer DESC LIMIT 1", (zaak,)
    ).fetchone()[0]
    part = section(client.get(f"/zaak/{other}").text)
    assert "Geen andere documenten gevonden" in part.text_content()
    assert client.get(f"/zaak/{other}.json").json()["volgensZoekmachine"]["total"] == 0


def test_without_an_index_the_section_is_empty_not_an_error(
    synced_sample: Path, tmp_path: Path
) -> None:
    path = copy_of(synced_sample, tmp_path)
    with open_migrated(f"sqlite:///{path}") as db:
        zaak, _linked = linked_zaak(db.conn)
    with TestClient(create_app(f"sqlite:///{path}")) as client:
        page = client.get(f"/zaak/{zaak}")
        assert page.status_code == 200
        assert "Geen andere documenten gevonden" in section(page.text).text_content()
