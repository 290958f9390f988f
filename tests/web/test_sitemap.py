"""robots.txt, the sitemap index and the per-kind sitemaps: valid XML in the sitemap
namespace, absolute URLs from the base URL, every listed page real, chunks bounded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from kamerwatch.web.sitemap import MAX_URLS
from tests.web.conftest import data_dir_of
from tests.web.world import COMMISSIE_ID

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://kamerwatch.example/site"
SITEMAP = "{" + NS["s"] + "}"


@pytest.fixture
def site(web_db_url: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(web_db_url, BASE + "/", data_dir=data_dir_of(web_db_url)), follow_redirects=False
    ) as client:
        yield client


def path_of(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return url[len(BASE) :]


def parse(client: TestClient, url: str) -> etree._Element:
    response = client.get(path_of(url))
    assert response.status_code == 200, url
    assert response.headers["content-type"].startswith("application/xml")
    return etree.fromstring(response.content)


def all_urls(client: TestClient) -> dict[str, str | None]:
    """Every page URL of every sitemap the index lists → its lastmod."""
    index = parse(client, BASE + "/sitemap.xml")
    assert index.tag == SITEMAP + "sitemapindex"
    found: dict[str, str | None] = {}
    for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS):
        urlset = parse(client, loc)
        assert urlset.tag == SITEMAP + "urlset"
        entries = urlset.xpath("s:url", namespaces=NS)
        assert 0 < len(entries) <= MAX_URLS
        for entry in entries:
            (page,) = entry.xpath("s:loc/text()", namespaces=NS)
            assert page not in found, f"{page} listed twice"
            found[page] = entry.findtext("s:lastmod", namespaces=NS)
    return found


def test_robots_points_at_the_index(site: TestClient) -> None:
    robots = site.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml" in robots.text.splitlines()
    assert "Disallow: /mijn" in robots.text


def test_every_kind_is_listed_with_real_pages(site: TestClient) -> None:
    found = all_urls(site)
    expected = [
        "/",
        "/verslagen",
        "/document/2023D03702",
        "/document/2023D04000",
        "/zaak/2023Z00142",
        "/activiteit/2023A00100",
        "/persoon/1234",
        "/kamerstukdossier/36228",
        "/kamerstukdossier/36300-R1234",
        f"/commissie/{COMMISSIE_ID}",
        "/toezegging/TZ202302-001",
    ]
    for path in expected:
        assert BASE + path in found, path
    for url in found:  # every listed page exists
        assert site.get(path_of(url)).status_code == 200, url
    day = found[BASE + "/document/2023D03702"]
    assert day is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)


def test_chunks_split_a_kind_and_cover_it_exactly(site: TestClient) -> None:
    whole = all_urls(site)
    site.app.state.sitemap_size = 2  # type: ignore[attr-defined]
    index = parse(site, BASE + "/sitemap.xml")
    names = [urlsplit(loc).path for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)]
    documents = [n for n in names if n.startswith("/site/sitemaps/documenten-")]
    assert len(documents) >= 2
    assert documents[0] == "/site/sitemaps/documenten-1.xml"
    chunked = all_urls(site)
    assert chunked == whole
    past = len(documents) + 1
    assert site.get(f"/sitemaps/documenten-{past}.xml").status_code == 404
    for bad in ("onbekend-1", "documenten-0", "documenten", "documenten-x"):
        assert site.get(f"/sitemaps/{bad}.xml").status_code == 404, bad


def test_conditional_request_gets_304(site: TestClient) -> None:
    first = site.get("/sitemaps/documenten-1.xml")
    again = site.get("/sitemaps/documenten-1.xml", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_sample_parliament_sitemaps(synced_sample: Path) -> None:
    """On a synced sample every kind has pages, verslagen included, and they resolve."""
    app = create_app(f"sqlite:///{synced_sample}", BASE)
    with TestClient(app) as client:
        found = all_urls(client)
        kinds = {urlsplit(u).path.split("/")[2] for u in found if urlsplit(u).path.count("/") >= 3}
        assert kinds >= {
            "document",
            "zaak",
            "activiteit",
            "persoon",
            "kamerstukdossier",
            "toezegging",
            "verslag",
            "commissie",
        }
        for kind in sorted(kinds):
            url = next(u for u in found if urlsplit(u).path.startswith(f"/site/{kind}/"))
            assert client.get(path_of(url)).status_code == 200, url
