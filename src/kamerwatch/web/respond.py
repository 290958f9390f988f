"""Turning a :class:`Page` (or an error) into an HTTP response: HTML, JSON twin, ETag/304."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kamerwatch.store.dashboards import data_version
from kamerwatch.store.db import Connection, errors
from kamerwatch.store.pages.common import Freshness, freshness

from . import render, urls
from .cache import ResultCache
from .dashboards import DASHBOARDS
from .loaders import Page
from .params import SITE_PARAMS
from .render import AMSTERDAM

MENU = (
    ("overzicht", urls.home()),
    *((d.menu, urls.dashboard(d.name)) for d in DASHBOARDS.values() if d.menu),
    ("Woo-publicaties", "/woo"),
    ("🔍 uitgebreid zoeken", urls.zoeken()),
    ("wat is dit?", urls.uitleg()),
)
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


def csp_with_frames(origin: str) -> str:
    """The site's policy plus one origin whose pages may be shown in a frame (a player)."""
    return CSP + f"; frame-src 'self' {origin}"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response body as kept in the cache: the footer's "… geleden" is a marker (see
    :func:`fill_in`); ``keep`` is off for a body worth computing again (a search over its
    time budget)."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    keep: bool = True


def today_of(request: Request) -> date:
    """The site's "today" (Amsterdam); tests may pin it with ``app.state.today``."""
    pinned = getattr(request.app.state, "today", None)
    return pinned if isinstance(pinned, date) else datetime.now(AMSTERDAM).date()


def split_format(value: str, allowed: tuple[str, ...] = ("json",)) -> tuple[str, str]:
    """``2023D03702.json`` → (``2023D03702``, ``json``); no known suffix → ``html``."""
    for fmt in allowed:
        if value.endswith("." + fmt):
            return value[: -len(fmt) - 1], fmt
    return value, "html"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etagged(
    request: Request,
    body: bytes,
    media_type: str,
    status: int = 200,
    tag: str | None = None,
    extra: tuple[tuple[str, str], ...] = (),
) -> Response:
    if status != 200:
        return Response(body, status_code=status, media_type=media_type)
    tag = tag or etag_of(body)
    headers = {"ETag": tag, "Cache-Control": "no-cache", **dict(extra)}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@lru_cache(maxsize=64)
def menu_items(current: str) -> Markup:
    """The menu's items, the one of ``current`` (a path) marked as the page shown: the
    same few lines on every page, written once per menu page (and once for all others)."""
    items = []
    for label, href in MENU:
        mark = ' aria-current="page"' if href == current else ""
        items.append(f'<li><a href="{escape(href)}"{mark}>{escape(label)}</a></li>\n')
    return Markup("".join(items))


_MENU_PATHS = frozenset(href for _, href in MENU)


def freshness_of(request: Request, conn: Connection) -> Freshness:
    """The mirror's freshness, read once per request (a page's footer and the "… geleden"
    filled into it)."""
    state = request.scope.setdefault("state", {})
    fresh: Freshness | None = state.get("freshness")
    if fresh is None:
        fresh = state["freshness"] = freshness(conn)
    return fresh


def page_context(request: Request, conn: Connection | None, **more: Any) -> dict[str, Any]:
    fresh = freshness_of(request, conn) if conn is not None else None
    path = request.url.path
    return {
        "menu": menu_items(path if path in _MENU_PATHS else ""),
        "path": path,
        "json_url": urls.json_twin(path, request.url.query),
        "canonical": urls.absolute(request.app.state.base_url, path),
        "synced_at": fresh.synced_at if fresh else None,
        **more,
    }


def html(
    request: Request,
    conn: Connection | None,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response:
    body = render.render(template, page_context(request, conn, **context)).encode()
    return etagged(request, body, HTML, status)


def json(request: Request, value: Any, status: int = 200) -> Response:
    return etagged(request, render.json_bytes(value), JSON, status)


# The footer's "bijgewerkt … geleden" changes with the clock, not with the data: a kept page
# has this marker there instead, filled in each time it is served.
GELEDEN_MARKER = "@@kamerwatch-bijgewerkt-geleden@@"
_MARKER = GELEDEN_MARKER.encode()


def render_page(request: Request, conn: Connection, result: Page, fmt: str) -> tuple[bytes, str]:
    """The body and media type of a page: its JSON twin or its HTML (with the
    :data:`GELEDEN_MARKER` in the footer: see :func:`fill_in`)."""
    if fmt == "json":
        return render.json_bytes(result.data), JSON
    context = page_context(
        request,
        conn,
        title=result.title,
        description=result.description,
        data=result.data,
        geleden_tekst=GELEDEN_MARKER,
        **result.extra,
    )
    return render.render(result.template, context).encode(), HTML


def fill_in(body: bytes, request: Request, conn: Connection) -> bytes:
    """``body`` with the footer's "… geleden" of this moment."""
    if _MARKER not in body:
        return body
    text = render.geleden(freshness_of(request, conn).synced_at)
    return body.replace(_MARKER, str(escape(text)).encode())


def send(request: Request, conn: Connection, rendered: Rendered) -> Response:
    """The 200 response of a rendered body (marker filled in, ETag, 304)."""
    body = fill_in(rendered.body, request, conn)
    return etagged(request, body, rendered.media_type, extra=rendered.headers)


def known_params(request: Request) -> tuple[tuple[str, str], ...]:
    """The query's known parameters, by name (the values of one name in their order)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k in SITE_PARAMS]
    return tuple(sorted(items, key=lambda item: item[0]))


def cache_key(
    request: Request, conn: Connection, today: date, head: tuple[Any, ...] | None = None
) -> tuple[Any, ...]:
    """What a kept response depends on: the path, the known query parameters
    (:data:`SITE_PARAMS`) — its :func:`key_head`, made here unless given —, the data
    version and the day (site and system clock)."""
    return (*(head or key_head(request)), data_version(conn), today, date.today())


KEY_HEAD = 2  # the parts of a cache key that need no query: path and parameters


def key_head(request: Request) -> tuple[Any, ...]:
    return (request.scope["path"], known_params(request))


def rendered_weight(rendered: Rendered | bytes) -> int:
    """The bytes a kept response (or kept body) costs, with headers and bookkeeping."""
    if isinstance(rendered, bytes):
        return len(rendered) + 256
    return len(rendered.body) + 64 * (len(rendered.headers) + 4)


def cached(request: Request, conn: Connection, build: Callable[[], Rendered]) -> Response:
    """A whole 200 response from memory, per :func:`cache_key`: rendered once after each
    change of the mirror, so a page never outlives a sync. Requests with cookies (a
    signed-in visitor's bell carries a form token) are always rendered; a 404 raises from
    ``build`` and is never kept, nor is a body that says ``keep=False``."""
    if request.cookies:
        request.state.cache = "bypass"  # for the access log and /metrics
        return send(request, conn, build())
    # the key CachedResponses looked up just before (and missed), else made here
    key = request.scope.get("state", {}).get("cache_key") or cache_key(
        request, conn, today_of(request)
    )
    store: ResultCache[Rendered] = request.app.state.response_cache
    hit = store.get(key)
    request.state.cache = "miss" if hit is None else "hit"
    if hit is None:
        hit = build()
        if hit.keep:
            store.put(key, hit)
    return send(request, conn, hit)


def error(request: Request, conn: Connection | None, status: int, message: str) -> Response:
    """The one error shape: a JSON object for ``.json`` URLs, else the one error page."""
    if request.url.path.endswith(".json"):
        return json(request, {"ok": False, "status": status, "error": message}, status)
    return html(
        request,
        conn,
        "error.html",
        status=status,
        title=f"Fout {status}",
        description=message,
        code=status,
        message=message,
    )


class CachedResponses:
    """ASGI middleware: a GET without cookies whose response is in the cache (put there by
    :func:`cached`) is answered here, on the event loop, without routing or a worker
    thread; everything else goes on to the app. The key is looked up the same way, so a
    sync makes every kept response unreachable at once."""

    def __init__(self, app: ASGIApp, conn_of: Callable[[Request], Connection]) -> None:
        self.app = app
        self.conn_of = conn_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            response = self.lookup(Request(scope))
            if response is not None:
                scope.setdefault("state", {})["cache"] = "hit"  # for the access log
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def lookup(self, request: Request) -> Response | None:
        if any(name == b"cookie" for name, _ in request.scope["headers"]):
            return None
        store: ResultCache[Rendered] | None = getattr(request.app.state, "response_cache", None)
        if store is None or not len(store):
            return None
        head = key_head(request)
        if not store.holds_head(head):  # never kept (a never-asked search): no query here
            return None
        try:
            conn = self.conn_of(request)
            key = cache_key(request, conn, today_of(request), head)
        except errors():
            return None  # the app answers (with its error page)
        hit = store.get(key)
        if hit is None:
            request.scope.setdefault("state", {})["cache_key"] = key  # for cached(): once
            return None
        return send(request, conn, hit)
