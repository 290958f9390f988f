"""Turning a :class:`Page` (or an error) into an HTTP response: HTML, JSON twin, ETag/304."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from kamerwatch.store.dashboards import data_version
from kamerwatch.store.pages.common import freshness

from . import render, urls
from .loaders import Page

if TYPE_CHECKING:
    from .dashboards import ResultCache

MENU = (
    ("overzicht", "/"),
    ("activiteiten", "/activiteiten"),
    ("ongeplande activiteiten", "/ongeplande-activiteiten"),
    ("besluiten", "/besluiten"),
    ("commissies", "/commissies"),
    ("geschenken", "/geschenken"),
    ("kamerleden", "/kamerleden"),
    ("kamerstukdossiers", "/kamerstukdossiers"),
    ("open vragen", "/open-vragen"),
    ("toezeggingen", "/toezeggingen"),
    ("stemmingen", "/stemmingen"),
    ("verslagen", "/verslagen"),
    ("🔍 uitgebreid zoeken", "/zoeken"),
    ("wat is dit?", "/uitleg"),
)
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


def split_format(value: str, allowed: tuple[str, ...] = ("json",)) -> tuple[str, str]:
    """``2023D03702.json`` → (``2023D03702``, ``json``); no known suffix → ``html``."""
    for fmt in allowed:
        if value.endswith("." + fmt):
            return value[: -len(fmt) - 1], fmt
    return value, "html"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etagged(
    request: Request, body: bytes, media_type: str, status: int = 200, tag: str | None = None
) -> Response:
    if status != 200:
        return Response(body, status_code=status, media_type=media_type)
    tag = tag or etag_of(body)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def page_context(request: Request, conn: sqlite3.Connection | None, **more: Any) -> dict[str, Any]:
    fresh = freshness(conn) if conn is not None else None
    path = request.url.path
    return {
        "menu": MENU,
        "path": path,
        "json_url": urls.json_twin(path, request.url.query),
        "canonical": urls.absolute(request.app.state.base_url, path),
        "synced_at": fresh.synced_at if fresh else None,
        **more,
    }


def html(
    request: Request,
    conn: sqlite3.Connection | None,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response:
    body = render.render(template, page_context(request, conn, **context)).encode()
    return etagged(request, body, HTML, status)


def json(request: Request, value: Any, status: int = 200) -> Response:
    return etagged(request, render.json_bytes(value), JSON, status)


def render_page(
    request: Request, conn: sqlite3.Connection, result: Page, fmt: str
) -> tuple[bytes, str]:
    """The body and media type of a page: its JSON twin or its HTML."""
    if fmt == "json":
        return render.json_bytes(result.data), JSON
    context = page_context(
        request,
        conn,
        title=result.title,
        description=result.description,
        data=result.data,
        **result.extra,
    )
    return render.render(result.template, context).encode(), HTML


def page(request: Request, conn: sqlite3.Connection, result: Page, fmt: str) -> Response:
    return etagged(request, *render_page(request, conn, result, fmt))


Cached = tuple[bytes, str, str]  # body, media type, ETag


def cached(
    request: Request,
    conn: sqlite3.Connection,
    today: date,
    build: Callable[[], tuple[bytes, str]],
) -> Response:
    """A whole 200 response from memory, per (path, query, data version, day, the footer's
    "bijgewerkt … geleden"): rendered once after each change of the mirror, so a page never
    outlives a sync. Requests with cookies (a signed-in visitor's bell carries a form
    token) are always rendered; a 404 raises from ``build`` and is never kept."""
    if request.cookies:
        return etagged(request, *build())
    fresh = freshness(conn)
    key = (
        request.url.path,
        request.url.query,
        data_version(conn),
        today,
        date.today(),
        render.geleden(fresh.synced_at),
    )
    store: ResultCache[Cached] = request.app.state.response_cache
    hit = store.get(key)
    if hit is None:
        body, media_type = build()
        hit = (body, media_type, etag_of(body))
        store.put(key, hit)
    return etagged(request, hit[0], hit[1], tag=hit[2])


def error(request: Request, conn: sqlite3.Connection | None, status: int, message: str) -> Response:
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
