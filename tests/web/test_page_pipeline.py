"""The one page pipeline: every kind of the registry has its page (or the app refuses to
start), its URL is the named route's, and every page — each kind, the dashboards, the
search — goes through the same cache, ETag, bell and twins."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from kamerwatch.kinds import KINDS, KindError, Registry, Source
from kamerwatch.kinds import Kind as KindDecl
from kamerwatch.web import pages


def _video(**changes: object) -> KindDecl:
    fields: dict[str, object] = {
        "name": "video",
        "path": "/video/{nummer}",
        "pattern": r"V[0-9]{4}",
        "summary": "Eén video",
        "example": "V0001",
        "source": Source("video", "nummer"),
    }
    fields.update(changes)
    return KindDecl(**fields)  # type: ignore[arg-type]


def test_the_registry_and_the_pages_agree() -> None:
    pages.check()


def test_a_kind_without_a_page_stops_the_app() -> None:
    registry = Registry((*KINDS, _video()))
    with pytest.raises(KindError, match="'video' has no page"):
        pages.check(registry, pages.KIND_PAGES)


def test_a_page_without_its_template_or_renderer_stops_the_app() -> None:
    registry = Registry((*KINDS, _video(formats=("json", "ics"))))
    loader = pages.KIND_PAGES["zaak"].loader
    missing = {**pages.KIND_PAGES, "video": pages.KindPage(loader, "video.html")}
    with pytest.raises(KindError, match=r"template 'video\.html' missing"):
        pages.check(registry, missing)
    no_ics = {**pages.KIND_PAGES, "video": pages.KindPage(loader, "zaak.html")}
    with pytest.raises(KindError, match=r"twins \['ics'\] but renderers \[\]"):
        pages.check(registry, no_ics)
    ok = {**no_ics, "video": pages.KindPage(loader, "zaak.html", {"ics": pages.activiteit_ics})}
    pages.check(registry, ok)


def test_a_page_without_a_kind_or_a_search_kind_without_a_page_stops_the_app() -> None:
    loader = pages.KIND_PAGES["zaak"].loader
    extra = {**pages.KIND_PAGES, "video": pages.KindPage(loader, "zaak.html")}
    with pytest.raises(KindError, match=r"'video' in web/pages\.py is not a kind"):
        pages.check(KINDS, extra)
    without_gifts = Registry(tuple(k for k in KINDS if k.name != "persoon"))
    rest = {n: p for n, p in pages.KIND_PAGES.items() if n != "persoon"}
    with pytest.raises(KindError, match="search kind 'geschenk' has no page"):
        pages.check(without_gifts, rest)


def test_urls_are_the_named_routes(client: TestClient) -> None:
    app = client.app
    for kind in KINDS:
        route = app.url_path_for(kind.name, **{kind.param: kind.example})  # type: ignore[attr-defined]
        assert route == kind.url(kind.example)
    assert app.url_path_for("activiteiten.csv") == "/activiteiten.csv"  # type: ignore[attr-defined]
    assert app.url_path_for("index.json") == "/index.json"  # type: ignore[attr-defined]
    assert app.url_path_for("zoeken.xml") == "/zoeken.xml"  # type: ignore[attr-defined]


def _one_page_per_sitemap(client: TestClient) -> dict[str, str]:
    """A real page of every kind: the first URL of each kind's first sitemap file."""
    index = client.get("/sitemap.xml").text
    found = {}
    for loc in re.findall(r"<loc>([^<]+)</loc>", index):
        name = loc.rsplit("/", 1)[1].removesuffix(".xml")
        kind = KINDS.by_sitemap(name.rsplit("-", 1)[0])
        if kind is None or kind.name in found:
            continue
        body = client.get(loc.split("//", 1)[1].split("/", 1)[1].join(["/", ""])).text
        first = re.search(r"<loc>[a-z]+://[^/]+(/[^<]+)</loc>", body)
        if first:
            found[kind.name] = first.group(1)
    return found


def _kept(client: TestClient, path: str) -> bool:
    cache = client.app.state.response_cache  # type: ignore[attr-defined]
    return any(key[0] == path for key in list(cache._items))


def test_every_kind_every_twin_the_same_pipeline(client: TestClient) -> None:
    found = _one_page_per_sitemap(client)
    # the crafted world has no verslag (tests/web/test_files.py checks that page the same
    # way); Woo publications have no sitemap (tests/woo/test_pages_woo.py checks them)
    assert set(found) == {k.name for k in KINDS.with_sitemap()} - {"verslag"}, found
    for name, path in found.items():
        kind = KINDS[name]
        for fmt in ("html", *kind.formats):
            url = path if fmt == "html" else f"{path}.{fmt}"
            first = client.get(url)
            assert first.status_code == 200, url
            tag = first.headers["etag"]
            assert client.get(url, headers={"If-None-Match": tag}).status_code == 304, url
            assert _kept(client, url), f"{url} is not in the response cache"
        html = client.get(path).text
        if kind.monitor and name != "document":  # a document's bell: written questions only
            assert f'name="soort" value="{kind.monitor}"' in html, name


@pytest.mark.parametrize(
    "url",
    [
        "/activiteiten",
        "/activiteiten.json",
        "/activiteiten.csv",
        "/activiteiten.ics",
        "/open-vragen?format=csv",
        "/zoeken?q=motie",
        "/zoeken.json?q=motie",
        "/zoeken.xml?q=motie",
        "/",
        "/index.json",
        "/index.xml",
        "/uitleg",
    ],
)
def test_dashboards_search_and_simple_pages_the_same_pipeline(client: TestClient, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200, url
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert _kept(client, url.split("?")[0])


def test_status_is_never_kept_but_etagged(client: TestClient) -> None:
    first = client.get("/status")
    assert first.status_code == 200 and first.headers["etag"]
    assert not _kept(client, "/status")


def test_the_search_bell(client: TestClient) -> None:
    html = client.get("/zoeken?q=motie").text
    assert 'name="soort" value="zoek"' in html
