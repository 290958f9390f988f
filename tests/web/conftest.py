"""Fixtures of the web tests: a real database, filled by syncing a crafted feed through the
real feed server and sync, and an in-process ASGI client over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store.db import Database
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.web.world import write_feed


@pytest.fixture(scope="session")
def web_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = write_feed(tmp_path_factory.mktemp("web-feed"))
    url = f"sqlite:///{tmp_path_factory.mktemp('web-data') / 'kamerwatch.sqlite3'}"
    with FeedServer(root) as server, Database(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        report = run_sync(db, options, workers=1)
    assert not report.errors, report.errors
    return url


@pytest.fixture(scope="session")
def client(web_db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_db_url), follow_redirects=False) as test_client:
        yield test_client
