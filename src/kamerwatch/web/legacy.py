"""The reference system's URLs (``/document.html?nummer=X`` …) as permanent redirects."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.store.pages.document import document_by_dossier

from . import urls
from .loaders import NotFound

DASHBOARDS = (
    "activiteiten",
    "ongeplande-activiteiten",
    "besluiten",
    "commissies",
    "geschenken",
    "kamerleden",
    "personen",
    "kamerstukdossiers",
    "open-vragen",
    "toezeggingen",
    "stemmingen",
    "verslagen",
)
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
        return _moved(f"/{name}" + (f"?{query}" if query else ""))

    return endpoint


def kst(conn_of: Callable[[Request], sqlite3.Connection]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        m = KST_RE.fullmatch(request.path_params["name"])
        if m is None:
            raise NotFound(request.path_params["name"])
        nummer = document_by_dossier(conn_of(request), int(m.group(1)), int(m.group(2)))
        if nummer is None:
            raise NotFound(request.path_params["name"])
        return _moved(urls.document(nummer))

    return endpoint


def routes(conn_of: Callable[[Request], sqlite3.Connection]) -> list[Route]:
    return [
        Route("/index.html", lambda request: _moved("/")),
        Route("/document.html", document_html),
        Route("/get/{nummer}", get),
        Route("/zaak.html", by_param("nummer", urls.zaak)),
        Route("/activiteit.html", by_param("nummer", urls.activiteit)),
        Route("/persoon.html", by_param("nummer", urls.persoon)),
        Route("/toezegging.html", by_param("nummer", urls.toezegging)),
        Route("/verslag.html", by_param("vergaderingid", urls.verslag)),
        Route("/commissie.html", by_param("id", urls.commissie)),
        Route("/ksd.html", ksd),
        Route("/search.html", search),
        Route("/uitleg.html", lambda request: _moved("/uitleg")),
        *[Route(f"/{name}.html", dashboard(name)) for name in DASHBOARDS],
        Route("/{name:str}", kst(conn_of)),
    ]
