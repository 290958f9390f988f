"""Fixtures of the web tests: a real database, filled by syncing a crafted feed through the
real feed server and sync, and an in-process ASGI client over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS
from tests.web.world import write_feed

DATA_DIRS: dict[str, Path] = {}


def data_dir_of(url: str) -> Path:
    """The data directory (mails, files) of a test database of either engine."""
    return DATA_DIRS[url]


@pytest.fixture(scope="session", params=BACKENDS)
def web_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The crafted world synced into each engine (the same pages and JSON from both)."""
    root = write_feed(tmp_path_factory.mktemp("web-feed"))
    data = tmp_path_factory.mktemp("web-data")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("web")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    DATA_DIRS[url] = data
    with FeedServer(root) as server, open_migrated(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        report = run_sync(db, options, workers=1)
    assert not report.errors, report.errors
    return url


@pytest.fixture(scope="session")
def client(web_db_url: str) -> Iterator[TestClient]:
    app = create_app(web_db_url, data_dir=data_dir_of(web_db_url))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
