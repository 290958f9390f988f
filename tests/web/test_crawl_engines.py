"""Every page of the sample parliament on both engines: each URL the sitemaps list and its
``.json`` twin answer without a server error, and SQLite and PostgreSQL give the same
status and byte-for-byte the same JSON."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from kamerwatch.progress import ConsoleProgress
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.store.copy import copy_database
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.pgserver import PgServer

BASE = "http://kamerwatch.test"
TODAY = date(2026, 11, 28)
_LOC = re.compile(r"<loc>([^<]+)</loc>")
_TWIN = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)"')


@pytest.fixture(scope="module")
def sample_on_both(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer
) -> Iterator[dict[str, tuple[str, Path]]]:
    """A small sample parliament synced into a SQLite file and copied from there into a
    PostgreSQL database (`kamerwatch db copy`: the same rows, sync times included)."""
    root = tmp_path_factory.mktemp("crawl")
    generate(root / "feed", seed=5, today=TODAY, weeks=3)
    sqlite_url = f"sqlite:///{root / 'data' / 'kamerwatch.sqlite3'}"
    pg_url = pg_server.new_database("crawl")
    with FeedServer(root / "feed") as server, open_migrated(sqlite_url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=10, backoff=0.01)
        report = run_sync(db, options, workers=1)
        assert not report.errors, report.errors
        with open_migrated(pg_url) as target:
            copy_database(db, target, ConsoleProgress(enabled=False))
    yield {"sqlite": (sqlite_url, root / "data"), "postgresql": (pg_url, root / "pgdata")}
    pg_server.drop_database(pg_url)


def _path(url: str) -> str:
    parts = urlsplit(html.unescape(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: TestClient) -> dict[str, tuple[int, bytes | None]]:
    """Path → (status, body of the JSON twin or None) for every page of the sitemaps and
    each twin (its status under the twin's own path)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages: list[str] = []
    for sitemap in _LOC.findall(index.text):
        listed = client.get(_path(sitemap))
        assert listed.status_code == 200, sitemap
        pages.extend(_path(u) for u in _LOC.findall(listed.text))
    assert len(pages) == len(set(pages)), "a URL twice in the sitemaps"
    found: dict[str, tuple[int, bytes | None]] = {}
    for path in pages:
        page = client.get(path)
        found[path] = (page.status_code, None)
        twin = _TWIN.search(page.text)
        twin_path = html.unescape(twin.group(1)) if twin else None
        if twin_path is None:
            continue
        answer = client.get(twin_path)
        found[twin_path] = (answer.status_code, answer.content)
    return found


def test_every_page_same_on_both_engines(sample_on_both: dict[str, tuple[str, Path]]) -> None:
    results: dict[str, dict[str, tuple[int, bytes | None]]] = {}
    for engine, (url, data_dir) in sample_on_both.items():
        app = create_app(url, BASE, data_dir=data_dir)
        with TestClient(app, follow_redirects=False) as client:
            results[engine] = crawl(client)
    lite, post = results["sqlite"], results["postgresql"]
    assert len(lite) > 500, "the sample should give a real crawl"
    errors = sorted(
        (engine, path, status)
        for engine, found in results.items()
        for path, (status, _) in found.items()
        if status >= 500 or status == 404
    )
    assert not errors, f"{len(errors)} pagina's met een fout, bv. {errors[:10]}"
    assert sorted(lite) == sorted(post), "other URLs in the sitemaps of the two engines"
    differ = [p for p in sorted(lite) if lite[p] != post[p]]
    assert not differ, f"{len(differ)} pagina's verschillen tussen de engines, bv. {differ[:10]}"
