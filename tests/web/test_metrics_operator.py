"""/metrics for an operator: requests, latency and errors per kind of route, response cache
results, stage outcomes and durations (alerts included), login mails, database pool — on
both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from tests.conftest import kamerwatch
from tests.web.conftest import data_dir_of


@pytest.fixture
def client(web_db_url: str) -> Iterator[TestClient]:
    app = create_app(web_db_url, data_dir=data_dir_of(web_db_url))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_requests_cache_stages_mails_and_pool(client: TestClient, web_db_url: str) -> None:
    for path in ("/uitleg", "/uitleg", "/document/2023D03702", "/document/2023D03702.json"):
        assert client.get(path).status_code == 200
    assert client.get("/document/2099D99999").status_code == 404
    assert client.post("/mijn/link", data={"email": "metriek@example.org"}).status_code == 200
    m = _samples(client)
    assert m[("kamerwatch_http_requests_total", (("kind", "document"), ("status", "2xx")))] == 2
    assert m[("kamerwatch_http_requests_total", (("kind", "document"), ("status", "4xx")))] == 1
    assert m[("kamerwatch_http_requests_total", (("kind", "uitleg"), ("status", "2xx")))] == 2
    assert m[("kamerwatch_http_request_duration_seconds_count", (("kind", "document"),))] == 3
    assert m[("kamerwatch_response_cache_total", (("result", "hit"),))] >= 1
    assert m[("kamerwatch_response_cache_total", (("result", "miss"),))] >= 2
    assert m[("kamerwatch_login_mails_total", (("outcome", "sent"),))] == 1
    assert m[("kamerwatch_stage_runs", (("stage", "sync"), ("status", "ok")))] >= 1
    assert m[("kamerwatch_stage_last_duration_seconds", (("stage", "sync"), ("status", "ok")))] >= 0
    assert m[("kamerwatch_db_pool_connections", (("state", "open"),))] >= 1
    if web_db_url.startswith("postgresql"):
        assert m[("kamerwatch_db_pool_connections", (("state", "in_use"),))] >= 1
        assert ("kamerwatch_db_pool_connections", (("state", "waiting"),)) in m
    assert ("kamerwatch_digests", (("state", "pending"),)) in m


def test_the_alerts_stage_is_recorded(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = kamerwatch("alerts", "run", data_dir=data, database_url=db_url)
    assert done.returncode == 0, done.stderr
    app = create_app(db_url, data_dir=data)
    with TestClient(app) as c:
        text = c.get("/metrics").text
    assert 'kamerwatch_stage_runs{stage="alerts",status="ok"} 1.0' in text
    assert 'kamerwatch_stage_last_duration_seconds{stage="alerts",status="ok"}' in text
