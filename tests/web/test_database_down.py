"""The website on PostgreSQL while the database server restarts or is down: a page is read
again on a new connection after a restart, and a server that is away gives a clear 503 in
the one error shape (never a 500, never a traceback)."""

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
from tests.conftest import running_pg_server
from tests.pgserver import PgServer
from tests.web.world import write_feed


@pytest.fixture
def private_pg() -> Iterator[PgServer]:
    """A server of this test alone: it is restarted and stopped."""
    yield from running_pg_server()


def test_restart_then_down(private_pg: PgServer, tmp_path: Path) -> None:
    url = private_pg.new_database("down")
    with FeedServer(write_feed(tmp_path / "feed")) as feed, open_migrated(url) as db:
        options = ClientOptions(base_url=feed.url, pause=0.0, timeout=5, backoff=0.01)
        assert not run_sync(db, options, workers=1).errors
    with TestClient(create_app(url, data_dir=tmp_path), follow_redirects=False) as client:
        assert client.get("/document/2023D03702", headers={"cookie": "x=1"}).status_code == 200
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["database"] == "bereikbaar"
        assert health.json()["laatsteCyclusLeeftijdSeconden"] >= 0
        private_pg.restart()
        again = client.get("/document/2023D03702", headers={"cookie": "x=1"})
        assert again.status_code == 200, again.text[:300]
        private_pg.restart()
        assert client.get("/persoon/1234.json", headers={"cookie": "x=1"}).status_code == 200
        private_pg.restart()  # a search too is read again on a new connection
        found = client.get("/zoeken?q=motie", headers={"cookie": "x=1"})
        assert found.status_code == 200 and "resultaten" in found.text, found.text[:300]
        assert private_pg.process is not None
        private_pg.process.kill()
        private_pg.process.wait()
        down = client.get("/document/2023D03702", headers={"cookie": "x=1"})
        assert down.status_code == 503
        assert "niet bereikbaar" in down.text and "Traceback" not in down.text
        assert client.get("/zoeken?q=motie", headers={"cookie": "x=1"}).status_code == 503
        down_json = client.get("/document/2023D03702.json", headers={"cookie": "x=1"})
        assert down_json.status_code == 503
        assert down_json.json()["ok"] is False
        health = client.get("/healthz")  # a load balancer takes this server out
        assert health.status_code == 503
        assert health.json() == {
            "ok": False,
            "database": "onbereikbaar",
            "versie": health.json()["versie"],
        }
