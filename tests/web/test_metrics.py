"""/metrics in the Prometheus text format and the OpenAPI description of the JSON API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app


@pytest.fixture(scope="module")
def client(sample_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(sample_url)) as c:
        yield c


def test_metrics_parse_and_count_the_mirror(client: TestClient) -> None:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(r.text)}
    rows = {s.labels["category"]: s.value for s in families["kamerwatch_rows"].samples}
    assert rows["Persoon"] > 150 and rows["Document"] > 0
    assert any(
        s.labels["stage"] == "sync"
        for s in families["kamerwatch_stage_last_finished_timestamp_seconds"].samples
    )


def test_openapi_lists_every_json_twin(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/zoeken.json",
        "/document/{nummer}.json",
        "/open-vragen.json",
        "/index.json",
        "/woo.json",
        "/woo/{id}.json",
    ):
        assert path in spec["paths"]
