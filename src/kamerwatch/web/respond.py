"""Turning a :class:`Page` (or an error) into an HTTP response: HTML, JSON twin, ETag/304."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kamerwatch.store.pages.common import freshness

from . import render, urls
from .loaders import Page

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


def etagged(request: Request, body: bytes, media_type: str, status: int = 200) -> Response:
    if status != 200:
        return Response(body, status_code=status, media_type=media_type)
    tag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
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


def page(request: Request, conn: sqlite3.Connection, result: Page, fmt: str) -> Response:
    if fmt == "json":
        return json(request, result.data)
    return html(
        request,
        conn,
        result.template,
        title=result.title,
        description=result.description,
        data=result.data,
        **result.extra,
    )


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
