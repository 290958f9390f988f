"""Stored files on the site: the original with a readable name, photos, verslagen, versions."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS, kamerwatch
from tests.documents.test_fetch import PDF, gid, write_feed


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("files-web")
    feed, data = root / "feed", root / "data"
    url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("files")
    write_feed(
        feed,
        {
            "Brief over <script>": ("Document", PDF),
            "verslag": ("Verslag", b"<?xml version='1.0'?><verslag/>"),
            "Fotograaf": ("Persoon", b"\xff\xd8\xff\xe0" + b"jpeg" * 100),
        },
    )
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            result = kamerwatch(command, "--feed-url", server.url, data_dir=data, database_url=url)
            assert result.returncode == 0, result.stderr
    with TestClient(create_app(url, data_dir=data)) as c:
        yield c


def test_original_file_with_a_readable_name(client: TestClient) -> None:
    r = client.get("/document/2026D70000/bestand")
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    disposition = r.headers["content-disposition"]
    assert "2026D70000 Brief over script.pdf" in unquote(disposition) and "<" not in disposition
    page = client.get("/document/2026D70000").text
    assert 'href="/document/2026D70000/bestand"' in page


def test_photo_and_unknowns(client: TestClient) -> None:
    r = client.get("/persoon/502/foto")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    for path in (
        "/persoon/999/foto",
        "/persoon/abc/foto",
        "/document/2026D99999/bestand",
        "/document/..%2f..%2fetc%2fpasswd/bestand",
    ):
        assert client.get(path).status_code == 404, path


def test_verslag_page_before_conversion(client: TestClient) -> None:
    page = client.get(f"/verslag/{gid('vergadering')}")
    assert page.status_code == 200 and "nog niet omgezet" in page.text
    assert client.get(f"/verslag/{gid('vergadering')}.json").json()["stored"] is True
    assert client.get("/verslag/niet-een-guid").status_code == 404


def test_verslag_page_goes_through_the_one_pipeline(client: TestClient) -> None:
    """Kept per data version with an ETag like every page (it used to be neither)."""
    for url in (f"/verslag/{gid('vergadering')}", f"/verslag/{gid('vergadering')}.json"):
        first = client.get(url)
        assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        cache = client.app.state.response_cache  # type: ignore[attr-defined]
        assert any(key[0] == url for key in list(cache._items)), url


def test_links_to_pages_that_do_not_exist_become_text(client: TestClient) -> None:
    from kamerwatch.web.files import prune_links

    conn = client.app.state.pool.connection()  # type: ignore[attr-defined]
    html = '<p><a href="/document/2026D70000">2026D70000</a> en <a href="/zaak/2099Z99999">2099Z99999</a></p>'
    assert (
        prune_links(conn, html)
        == '<p><a href="/document/2026D70000">2026D70000</a> en 2099Z99999</p>'
    )
