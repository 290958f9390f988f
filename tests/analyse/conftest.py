"""The constructed parliament (tests/analyse/world.py) synced into each engine, the analysis
tables computed by the real command (`kamerwatch analyse`), and a client over it."""

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
from tests.analyse.world import write_feed
from tests.conftest import BACKENDS, kamerwatch

DATA: dict[str, Path] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def analyse_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    root = write_feed(tmp_path_factory.mktemp("analyse-feed"))
    data = tmp_path_factory.mktemp("analyse-data")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("analyse")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with FeedServer(root) as server, open_migrated(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        report = run_sync(db, options, workers=1)
    assert not report.errors, report.errors
    result = kamerwatch("analyse", data_dir=data, database_url=url)
    assert result.returncode == 0, result.stderr
    DATA[url] = data
    return url


@pytest.fixture(scope="session")
def analysed(analyse_url: str) -> Iterator[TestClient]:
    app = create_app(analyse_url, data_dir=DATA[analyse_url])
    with TestClient(app, follow_redirects=False) as client:
        yield client
