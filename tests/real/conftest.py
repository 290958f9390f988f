"""The real-data conformance corpus (tests/data/real/, see its SOURCES.md) synced into each
engine by the real feed server and sync, and a client over it."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS, kamerwatch

DATA_DIRS: dict[str, Path] = {}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With ``--dist loadgroup`` (``make test``) the corpus tests run on one xdist worker:
    its session fixtures (the corpus synced, fetched and converted into each engine) are
    built once, not once per worker."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("real-corpus"))


REAL = Path(__file__).parent.parent / "data" / "real"


def odata(category: str) -> list[dict[str, Any]]:
    """The real OData records of a category (Documents: nested in their Zaak)."""
    if category == "Document":
        seen: dict[str, dict[str, Any]] = {}
        for zaak in odata("Zaak"):
            for doc in zaak.get("Document") or []:
                seen.setdefault(doc["Id"], doc)
        return sorted(seen.values(), key=lambda r: r["Id"])
    records = json.loads((REAL / "odata" / f"{category}.json").read_text(encoding="utf-8"))
    return [r for r in records if r.get("GewijzigdOp")]


@pytest.fixture(scope="session", params=BACKENDS)
def real_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("real-feed")
    (root / "feed").mkdir()
    pages = [REAL / "syncfeed", REAL / "constructed", REAL / "captured"]
    for page in (path for folder in pages for path in sorted(folder.glob("*.xml"))):
        shutil.copy(page, root / "feed" / page.name)
    (root / "resources").mkdir()
    # the Verslag resources: the real VLOS files under their Verslag ids (derived/Verslag.json)
    for verslag in json.loads((REAL / "derived" / "Verslag.json").read_text(encoding="utf-8")):
        shutil.copy(REAL / "verslag-vlos" / verslag["_bron"], root / "resources" / verslag["Id"])
    data = tmp_path_factory.mktemp("real-data")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("real")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with FeedServer(root) as server:
        with open_migrated(url) as db:
            options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
            report = run_sync(db, options, workers=1)
        assert not report.errors, report.errors
        # the verslagen through the real stages (the corpus has no document files: those
        # downloads fail, which is not what these tests are about)
        # (not retried: the missing files answer 500 every time)
        kamerwatch(
            "fetch-documents",
            "--feed-url",
            server.url,
            data_dir=data,
            database_url=url,
            env={"KAMERWATCH_MAX_RETRIES": "0"},
        )
    result = kamerwatch("convert", data_dir=data, database_url=url)
    assert "Traceback" not in result.stderr, result.stderr
    DATA_DIRS[url] = data
    return url


@pytest.fixture(scope="session")
def real(real_db_url: str) -> Iterator[TestClient]:
    app = create_app(real_db_url, data_dir=DATA_DIRS[real_db_url])
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="session")
def real_indexed(real_db_url: str) -> str:
    """The corpus with its search index built (``kamerwatch index``'s function)."""
    from kamerwatch.search.index import run_index

    with open_migrated(real_db_url) as database:
        run_index(database.conn)
    return real_db_url


_PAGES: dict[tuple[int, str], tuple[int, str]] = {}


def get_page(client: TestClient, path: str) -> tuple[int, str]:
    """(status, body) of a GET, fetched once per client: the corpus is read-only after its
    fixture, so several fact tests reading the same page (zaak, document, persoon) share one
    request."""
    key = (id(client), path)
    if key not in _PAGES:
        response = client.get(path)
        _PAGES[key] = (response.status_code, response.text)
    return _PAGES[key]


def norm(text: str | None) -> str:
    """Whitespace runs as one space (page text and source text compare alike)."""
    return " ".join((text or "").split())


def page_text(client: TestClient, path: str) -> str:
    """A page's visible text, tags dropped and entities resolved (status 200 asserted)."""
    status, body = get_page(client, path)
    assert status == 200, (path, status)
    return norm(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def twin(client: TestClient, path: str) -> Any:
    """A page's JSON twin, decoded (status 200 asserted)."""
    status, body = get_page(client, path + ".json")
    assert status == 200, (path, status)
    return json.loads(body)
