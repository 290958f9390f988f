"""#25.12 pictures on the real sample parliament, on both engines: a kamerstukdossier's
timeline of documents and votes (server-rendered SVG, linked, with a table behind it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from lxml import html
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from tests.conftest import connect


@pytest.fixture(scope="module")
def client(sample_url: str) -> Iterator[TestClient]:
    app = create_app(sample_url, "https://kamerwatch.example")
    app.state.today = date(2026, 11, 28)
    with TestClient(app) as c:
        yield c


def test_dossier_timeline_of_documents_and_votes(client: TestClient, sample_url: str) -> None:
    conn = connect(sample_url)
    try:
        nummer, docs = conn.execute(
            "SELECT k.nummer, count(DISTINCT d.id) FROM kamerstukdossier k"
            " JOIN document d ON d.kamerstukdossier_id = k.id"
            " JOIN zaak z ON z.kamerstukdossier_id = k.id"
            " JOIN link l ON l.dst_id = z.id AND l.src_category = 'Besluit'"
            " WHERE k.toevoeging IS NULL GROUP BY k.nummer ORDER BY count(DISTINCT l.src_id) DESC, k.nummer LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    page = client.get(f"/kamerstukdossier/{nummer}")
    assert page.status_code == 200
    tree = html.fromstring(page.text)
    (svg,) = tree.xpath("//section[@id='tijdlijn']//svg")
    assert svg.get("role") == "group" and "documenten" in svg.get("aria-label")  # links inside
    dots = svg.xpath(".//a[starts-with(@href, '/document/')]/circle")
    diamonds = svg.xpath(".//a[starts-with(@href, '/zaak/')]/path")
    assert len(dots) == docs and diamonds
    assert all(d.xpath("string(title)") for d in dots + diamonds)
    rows = tree.xpath("//section[@id='tijdlijn']//details//tbody/tr")
    assert len(rows) == len(dots) + len(diamonds)
    twin = client.get(f"/kamerstukdossier/{nummer}.json").json()
    assert len(twin["besluiten"]) == len(diamonds)
    assert all(b["zaken"] for b in twin["besluiten"])
