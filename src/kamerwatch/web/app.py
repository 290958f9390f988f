"""The app factory: routes (thin), one exception handler, security headers, static files."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import weakref
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kamerwatch.alerts import LogTransport
from kamerwatch.alerts.mailqueue import MailQueue
from kamerwatch.store.db import (
    Connection,
    Database,
    errors,
    is_postgres_url,
    read_pool,
    sqlite_path,
    unreachable_errors,
)
from kamerwatch.subsystems import check as check_schema

from . import files as stored_files
from . import (
    health,
    legacy,
    loaders,
    metrics,
    mijn,
    pages,
    respond,
    sitemap,
    static_files,
    urls,
    wijzigingen,
    wijzigingen_document,
)
from . import woo as woo_pages
from .accesslog import AccessLog
from .cache import ResultCache

log = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"content-security-policy", respond.CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


class SecurityHeaders:
    """Adds the security headers to every response (also errors and static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # a page with its own policy (the activity page's video player) keeps it
                own = any(name.lower() == b"content-security-policy" for name, _ in headers)
                message["headers"] = headers + [
                    h for h in SECURITY_HEADERS if not (own and h[0] == b"content-security-policy")
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


MAX_URL = 8192  # bytes of path + query string, as common front-end servers allow


class UrlLimit:
    """A URL longer than MAX_URL gets a 414 (the one error shape) before any routing: the
    server in front may let megabytes through, which no page needs. A NUL character in a
    parameter gets a 400: no filter or search has one, and PostgreSQL refuses it in any
    text (it would be a 500 there; in a path it finds nothing: 404)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
            query = scope.get("query_string", b"")
            problem = None
            if len(path) + len(query) > MAX_URL:
                problem = 414, "Het adres (URL) is te lang."
            elif b"%00" in query:
                problem = 400, "Het adres (URL) bevat een ongeldig teken (NUL)."
            if problem:
                response = respond.error(Request(scope, receive), None, *problem)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def conn_of(request: Request) -> Connection:
    return request.app.state.pool.connection()


def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico on pages without HTML (a PDF): the site's icon, no 404."""
    body, media_type, _tag = static_files.contents()["favicon.svg"]
    return Response(
        body,
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400"},
    )


def routes() -> list[Route]:
    return [
        Route("/favicon.ico", favicon),
        *woo_pages.routes(conn_of),  # before the kinds: /woo/organisaties.json
        *pages.routes(conn_of),
        *stored_files.routes(conn_of),
        *mijn.routes(conn_of),
        *metrics.routes(conn_of),
        *health.routes(conn_of),
        *wijzigingen.routes(conn_of),
        *wijzigingen_document.routes(conn_of),
        *sitemap.routes(conn_of),
        *legacy.routes(conn_of),  # last: its /{name} (kst-N-V) would shadow nothing else
        *static_files.routes(),
    ]


async def not_found(request: Request, exc: Exception) -> Response:
    return respond.error(request, _safe_conn(request), 404, "Pagina niet gevonden")


def _slash_redirect(request: Request) -> Response | None:
    """``/zaak/X/`` → ``/zaak/X`` on the configured base URL (Starlette's own redirect took
    the host from the request's ``Host`` header, an open redirect), for GET and HEAD."""
    path = request.url.path
    if request.method not in ("GET", "HEAD") or len(path) < 2 or not path.endswith("/"):
        return None
    scope = {**request.scope, "path": path.rstrip("/") or "/"}
    if not any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return None
    query = request.url.query
    target = urls.absolute(
        request.app.state.base_url, scope["path"] + ("?" + query if query else "")
    )
    return RedirectResponse(target, status_code=307)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and (moved := _slash_redirect(request)) is not None:
        return moved
    message = "Pagina niet gevonden" if exc.status_code == 404 else str(exc.detail)
    return respond.error(request, _safe_conn(request), exc.status_code, message)


async def database_away(request: Request, exc: Exception) -> Response:
    log.warning("database onbereikbaar bij %s: %s", request.url.path, exc)
    return respond.error(
        request, None, 503, "De database is even niet bereikbaar; probeer het zo opnieuw"
    )


async def server_error(request: Request, exc: Exception) -> Response:
    """Only if an exception gets past :class:`AccessLog` (it answers and logs them)."""
    log.exception("fout bij %s", request.url.path, exc_info=exc)
    return respond.error(request, None, 500, "Interne fout; probeer het later opnieuw")


async def answer_500(scope: Scope, receive: Receive, send: Send) -> None:
    """The one error page for an exception (logged by :class:`AccessLog`)."""
    response = respond.error(
        Request(scope, receive), None, 500, "Interne fout; probeer het later opnieuw"
    )
    await response(scope, receive, send)


def _safe_conn(request: Request) -> Connection | None:
    try:
        return conn_of(request)
    except errors():
        return None


def _default_dir(database_url: str) -> Path:
    """The data directory when none is given: the SQLite file's, else ./data."""
    return Path("data") if is_postgres_url(database_url) else sqlite_path(database_url).parent


# A page built anew allocates tens of thousands of small objects (rows, page dataclasses,
# template frames). With CPython's default first threshold (700 allocations) the cyclic
# collector ran about twice per uncached dashboard and took ~2 ms of its 6-13 ms of CPU,
# mostly re-scanning the ~87,000 objects every server holds from its start.
GC_THRESHOLDS = (10_000, 20, 20)


def tune_collector() -> None:
    """For a server process once its app is built: the objects made at start-up (modules,
    templates, routes) leave the collector's view (``gc.freeze``), and the young
    generation is collected every 10,000 allocations instead of every 700. Garbage cycles
    are still collected, later; the memory they hold meanwhile is small."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(
    database_url: str,
    base_url: str = "http://127.0.0.1:8000",
    *,
    transport: Any = None,
    mail_from: str = "kamerwatch <noreply@localhost>",
    files_dir: Path | None = None,
    data_dir: Path | None = None,
    mail_wait: float = 2.0,
    metrics_allow: str = "",
    page_cache_mb: int = 32,
    today: date | None = None,
    page_threads: int = 2,
) -> Starlette:
    """The website over the mirror at ``database_url`` (read-only; its schema must be the
    one of this code, else :class:`kamerwatch.subsystems.SchemaError`, it never migrates).
    ``data_dir`` (default: the SQLite file's directory, else ./data) holds the mails of the
    log transport and, unless ``files_dir`` says otherwise, the files. Mail goes through a
    worker thread (:class:`MailQueue`); a request waits at most ``mail_wait`` seconds for it.
    ``today``: the day the pages take as today (setting ``today``; default the real date).
    At most ``page_threads`` pages are built at the same time (see :mod:`.pages`)."""
    with Database(database_url) as db:
        check_schema(db)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        left = await asyncio.to_thread(app.state.mail_queue.stop, 5.0)
        if left:
            log.warning("%d mail(s) niet verstuurd bij het stoppen van de server", left)

    app = Starlette(
        lifespan=lifespan,
        routes=routes(),
        exception_handlers={
            loaders.NotFound: not_found,
            HTTPException: http_error,
            **{kind: database_away for kind in unreachable_errors()},
            Exception: server_error,
        },
    )
    app.router.redirect_slashes = False  # see _slash_redirect
    app.state.pool = read_pool(database_url)
    data_dir = data_dir or _default_dir(database_url)
    app.state.files_dir = files_dir or data_dir / "files"
    app.state.dashboard_cache = ResultCache()
    app.state.response_cache = ResultCache(
        size=4096,
        max_bytes=page_cache_mb * 1024 * 1024,
        weigh=respond.rendered_weight,
        head=respond.KEY_HEAD,
    )
    app.state.base_url = base_url
    if today is not None:
        app.state.today = today
    app.state.page_threads = max(1, page_threads)
    app.state.page_limiters = weakref.WeakKeyDictionary()  # per event loop (see pages.py)
    app.state.metrics_allow = metrics.allowed_networks(metrics_allow)
    app.state.database_url = database_url
    app.state.mail_from = mail_from
    if transport is None:
        transport = LogTransport(data_dir / "mail")
    app.state.transport = transport
    app.state.mail_queue = MailQueue(transport)
    app.state.mail_wait = mail_wait
    app.add_middleware(respond.CachedResponses, conn_of=conn_of)  # innermost
    app.add_middleware(UrlLimit)
    app.state.request_metrics = metrics.RequestMetrics(
        metrics.route_kinds([getattr(r, "path", "") for r in app.routes])
    )
    app.add_middleware(  # every request, cached ones too
        AccessLog, answer_500=answer_500, observers=(app.state.request_metrics.observe,)
    )
    app.add_middleware(SecurityHeaders)  # added last = outermost: also on cached responses
    return app
