"""The reference system's URLs (``/document.html?nummer=X`` …) as permanent redirects."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.kinds import KINDS
from kamerwatch.store.db import Connection
from kamerwatch.store.pages.document import document_by_dossier

from . import urls
from .dashboards import DASHBOARDS
from .loaders import NotFound

KST_RE = re.compile(r"^kst-([0-9]{1,7})-([0-9]{1,5})$")
LONG_ID_RE = re.compile(r"^[0-9A-Za-z-]{14,}$")


def _param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value or len(value) > 100:
        raise NotFound(name)
    return value


def _moved(target: str) -> Response:
    return RedirectResponse(target, status_code=301)


def document_html(request: Request) -> Response:
    nummer = _param(request, "nummer")
    if LONG_ID_RE.fullmatch(nummer):  # legacy vergadering links
        return _moved(urls.verslag(nummer))
    return _moved(urls.document(nummer))


def get(request: Request) -> Response:
    return _moved(urls.document(request.path_params["nummer"]))


def by_param(param: str, make: Callable[[str], str]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        return _moved(make(_param(request, param)))

    return endpoint


def ksd(request: Request) -> Response:
    return _moved(
        urls.kamerstukdossier(_param(request, "ksd"), request.query_params.get("toevoeging"))
    )


def search(request: Request) -> Response:
    return _moved(urls.zoeken(request.query_params.get("q")))


def dashboard(name: str) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        query = request.url.query
        return _moved(urls.dashboard(name) + (f"?{query}" if query else ""))

    return endpoint


def kst(conn_of: Callable[[Request], Connection]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        m = KST_RE.fullmatch(request.path_params["name"])
        if m is None:
            raise NotFound(request.path_params["name"])
        nummer = document_by_dossier(conn_of(request), int(m.group(1)), int(m.group(2)))
        if nummer is None:
            raise NotFound(request.path_params["name"])
        return _moved(urls.document(nummer))

    return endpoint


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    """The reference system's pages: one per kind that declares ``legacy`` (page, query
    parameter), plus the few with their own rules (documents, dossiers, search, dashboards)."""
    return [
        Route("/index.html", lambda request: _moved(urls.home())),
        Route("/document.html", document_html),
        Route("/get/{nummer}", get),
        *(
            Route(kind.legacy[0], by_param(kind.legacy[1], kind.url))
            for kind in KINDS
            if kind.legacy
        ),
        Route("/ksd.html", ksd),
        Route("/search.html", search),
        Route("/uitleg.html", lambda request: _moved(urls.uitleg())),
        *[Route(f"/{name}.html", dashboard(name)) for name in DASHBOARDS],
        Route("/{name:str}", kst(conn_of)),
    ]
