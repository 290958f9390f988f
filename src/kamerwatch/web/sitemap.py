"""``/robots.txt``, the sitemap index ``/sitemap.xml`` and the sitemaps it lists:
``/sitemaps/algemeen.xml`` (the front page and the dashboards) and
``/sitemaps/<soort>-<n>.xml`` per kind of page, in chunks of at most 50,000 URLs
(the protocol's limit), with absolute URLs from the base URL setting and ``lastmod``
(the date of the newest ``bijgewerkt``) where the mirror knows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kamerwatch.kinds import KINDS
from kamerwatch.store import sitemap as q
from kamerwatch.store.dashboards import data_version
from kamerwatch.store.db import Connection

from . import respond, urls
from .cache import ResultCache
from .dashboards import DASHBOARDS
from .loaders import NotFound

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
T = "{" + NS + "}"  # Clark notation prefix of the tags
XML = "application/xml; charset=utf-8"
MAX_URLS = 50_000  # per sitemap file (sitemaps.org)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"^([a-z]+)-([1-9][0-9]{0,5})$")


def lastmod(bijgewerkt: str | None) -> str | None:
    """The W3C date of a ``bijgewerkt`` value (``2024-02-19T10:56:00`` → ``2024-02-19``)."""
    m = _DAY.match(bijgewerkt or "")
    return m.group(0) if m else None


def chunk_size(request: Request) -> int:
    """URLs per sitemap file; tests may lower it with ``app.state.sitemap_size``."""
    size = getattr(request.app.state, "sitemap_size", MAX_URLS)
    return max(1, min(int(size), MAX_URLS))


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def index_names(conn: Connection, size: int) -> list[str]:
    """The names of every sitemap file: ``algemeen`` and ``<kind>-<n>`` per chunk."""
    names = ["algemeen"]
    for name in q.names():
        chunks = -(-q.count(conn, name) // size)
        names += [f"{name}-{n}" for n in range(1, chunks + 1)]
    return names


def index_body(request: Request, conn: Connection) -> bytes:
    base = request.app.state.base_url
    root = etree.Element(T + "sitemapindex", nsmap={None: NS})  # type: ignore[dict-item]
    for name in index_names(conn, chunk_size(request)):
        item = etree.SubElement(root, T + "sitemap")
        etree.SubElement(item, T + "loc").text = urls.absolute(base, urls.sitemap(name))
    return _xml(root)


def urlset(base: str, pages: list[tuple[str, str | None]]) -> bytes:
    """A ``<urlset>``; written as text (the URLs are quoted by ``urls``, still escaped
    here): three times faster than building 150,000 lxml elements for a full file."""
    root = base.rstrip("/")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="', NS, '">\n']
    for path, day in pages:
        parts.append(f"<url><loc>{escape(root + path)}</loc>")
        if day:
            parts.append(f"<lastmod>{day}</lastmod>")
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def sitemap_body(request: Request, conn: Connection, name: str) -> bytes:
    """One sitemap file; :class:`NotFound` for a name the index does not list."""
    base = request.app.state.base_url
    if name == "algemeen":
        paths = [
            urls.home(),
            *(urls.dashboard(d) for d in DASHBOARDS),
            urls.uitleg(),
            urls.status(),
        ]
        return urlset(base, [(p, None) for p in paths])
    m = _NAME.fullmatch(name)
    kind = KINDS.by_sitemap(m.group(1)) if m else None
    if m is None or kind is None:
        raise NotFound(name)
    number = int(m.group(2))
    size = chunk_size(request)
    entries = q.entries(conn, m.group(1), (number - 1) * size, size)
    if not entries and number > 1:
        raise NotFound(name)
    return urlset(
        base,
        [
            (kind.url(f"{e.key}-{e.toevoeging}" if e.toevoeging else e.key), lastmod(e.bijgewerkt))
            for e in entries
        ],
    )


def _cached_index(request: Request, conn: Connection) -> bytes:
    """The index per data version: its counts are computed once after each change of the
    mirror. (The files themselves, up to ~5 MB each, are not kept: crawlers fetch each
    once, and their ETag still answers a conditional request with 304.)"""
    cache: ResultCache[bytes] = request.app.state.response_cache
    key = ("sitemap", chunk_size(request), data_version(conn))
    body = cache.get(key)
    if body is None:
        body = index_body(request, conn)
        cache.put(key, body)
    return body


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    def robots(request: Request) -> Response:
        base = request.app.state.base_url
        text = (
            "User-agent: *\n"
            "Disallow: /mijn\n"
            "Disallow: /zoeken\n"
            "Disallow: /zoeken.json\n"
            "Disallow: /zoeken.xml\n"
            f"\nSitemap: {urls.absolute(base, '/sitemap.xml')}\n"
        )
        return PlainTextResponse(text)

    def index(request: Request) -> Response:
        conn = conn_of(request)
        return respond.etagged(request, _cached_index(request, conn), XML)

    def one(request: Request) -> Response:
        conn = conn_of(request)
        name = request.path_params["name"]
        return respond.etagged(request, sitemap_body(request, conn, name), XML)

    return [
        Route("/robots.txt", robots, name="robots"),
        Route("/sitemap.xml", index, name="sitemap"),
        Route("/sitemaps/{name}.xml", one, name="sitemaps"),
    ]
