"""The one page endpoint and its table of renderers, and the pages of the site declared as
data: a kind's page (loader + template per kind of ``kamerwatch.kinds``), the dashboards, the
search, the front page and the simple pages.

Every page goes the same way: the format comes from the suffix of the last path segment
(``.json``, ``.csv``, ``.ics``, ``.xml``) or ``?format=``; the loader returns one
:class:`~kamerwatch.web.loaders.Page`; the renderer of the format turns it into a body; the
🔔 (a monitor on this page) is added to the HTML; the body is kept in the response cache per
URL and data version (unless the page says otherwise) and served with an ETag.

Routes are named (``request.url_for("zaak", nummer=…)`` / ``app.url_path_for``): a kind's
route by the kind's name, a fixed page by its name, a twin of a fixed page by
``<name>.<format>``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread
import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.kinds import KINDS, KindError, Registry
from kamerwatch.search.index import KINDS as SEARCH_KINDS
from kamerwatch.store.dashboards import data_version
from kamerwatch.store.db import Connection

from . import analyse, dashboards, feeds, ical, loaders, mijn, render, respond, urls
from . import search as search_page
from .cache import ResultCache
from .loaders import Moved, Page
from .params import SITE_PARAMS
from .respond import Rendered

Conn = Connection
Renderer = Callable[[Request, Conn, Page], Rendered]
Load = Callable[[Request, Conn, str, str], Page]  # request, conn, key ("" if none), format
Bell = Callable[[Request, Page, str], dict[str, Any] | None]  # request, page, key
RSS = "application/rss+xml; charset=utf-8"


# -- renderers --------------------------------------------------------------------------------


def html(request: Request, conn: Conn, page: Page) -> Rendered:
    """The HTML page; a page that embeds another site's player names that origin in
    ``extra["frame_src"]`` and gets the site's policy plus that one origin in frames."""
    body, media_type = respond.render_page(request, conn, page, "html")
    frame = page.extra.get("frame_src")
    headers = (("Content-Security-Policy", respond.csp_with_frames(frame)),) if frame else ()
    return Rendered(body, media_type, headers, keep=page.keep)


def json_twin(request: Request, conn: Conn, page: Page) -> Rendered:
    body, media_type = respond.render_page(request, conn, page, "json")
    return Rendered(body, media_type, keep=page.keep)


def _from_response(response: Response, keep: bool = True) -> Rendered:
    """A body some library wrote as a response (iCalendar, RSS)."""
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() == "content-disposition"
    )
    return Rendered(bytes(response.body), response.media_type or "", headers, keep)


def activiteit_ics(request: Request, conn: Conn, page: Page) -> Rendered:
    return _from_response(feeds.activiteit_ics(page, request.app.state.base_url))


def commissie_rss(request: Request, conn: Conn, page: Page) -> Rendered:
    items = loaders.commissie_documenten(conn, page.data.id)
    return _from_response(feeds.commissie_rss(request, page, items))


def overzicht_rss(request: Request, conn: Conn, page: Page) -> Rendered:
    return _from_response(feeds.overzicht_rss(request, page))


def search_rss(request: Request, conn: Conn, page: Page) -> Rendered:
    return Rendered(search_page.rss(request, page.extra["results"]), RSS, keep=page.keep)


def dashboard_csv(request: Request, conn: Conn, page: Page) -> Rendered:
    name = page.extra["dashboard"].replace("/", "-")  # analyse/stemmingen
    disposition = f'attachment; filename="kamerwatch-{name}.csv"'
    return Rendered(
        dashboards.csv_body(page.extra["csv_table"], conn),
        dashboards.CSV,
        (("Content-Disposition", disposition),),
    )


def fractie_csv(request: Request, conn: Conn, page: Page) -> Rendered:
    """A fractie's tables as CSV (``?tabel=``: stemmingen — where it stood alone —, moties,
    zetels, leden)."""
    table = analyse.fractie_table(page.data, request.query_params.get("tabel"))
    disposition = f'attachment; filename="kamerwatch-fractie-{page.data.afkorting}.csv"'
    return Rendered(
        dashboards.csv_body(table, conn), dashboards.CSV, (("Content-Disposition", disposition),)
    )


def overdue_rss(request: Request, conn: Conn, page: Page) -> Rendered:
    return _from_response(feeds.overdue_rss(request, page.extra["te_laat_rss"]))


def agenda_ics(request: Request, conn: Conn, page: Page) -> Rendered:
    return _from_response(ical.agenda(page.data["activiteiten"], request.app.state.base_url))


BASE: dict[str, Renderer] = {"html": html, "json": json_twin}


# -- the one endpoint -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page of the site: its name (route name), loader, renderers per format (``html``
    and ``json`` always), its bell and whether its responses are kept (a page that shows
    times relative to now is not)."""

    name: str
    load: Load
    renderers: Mapping[str, Renderer] = field(default_factory=lambda: BASE)
    bell: Bell | None = None
    cache: bool = True

    def formats(self) -> tuple[str, ...]:
        """The suffix formats (everything but ``html``)."""
        return tuple(f for f in self.renderers if f != "html")


def page_format(request: Request, spec: PageSpec, fmt: str) -> str:
    """``?format=`` wins over the path (``/open-vragen?format=csv``) when the page has it."""
    wanted = request.query_params.get("format") or ""
    return wanted if wanted in spec.renderers else fmt


def respond_page(request: Request, conn: Conn, spec: PageSpec, key: str, fmt: str) -> Response:
    """The response of one page: load, bell, render, cache, ETag — the same for every page."""
    fmt = page_format(request, spec, fmt)

    def build() -> Rendered:
        page = spec.load(request, conn, key, fmt)
        if fmt == "html" and spec.bell is not None:
            page.extra["bell"] = spec.bell(request, page, key)
        return spec.renderers[fmt](request, conn, page)

    try:
        if spec.cache:
            return respond.cached(request, conn, build)
        return respond.send(request, conn, build())
    except Moved as moved:
        return RedirectResponse(moved.target, status_code=302)


ConnOf = Callable[[Request], Conn]
Endpoint = Callable[[Request], Response]


def page_limiter(app: Any) -> anyio.CapacityLimiter:
    """The turns of this server process's event loop for building pages:
    ``app.state.page_threads`` at a time (one limiter per loop: a test client runs its own)."""
    loop = asyncio.get_running_loop()
    limiters = getattr(app.state, "page_limiters", None)
    if limiters is None:
        limiters = app.state.page_limiters = weakref.WeakKeyDictionary()
    limiter: anyio.CapacityLimiter | None = limiters.get(loop)
    if limiter is None:
        limiter = limiters[loop] = anyio.CapacityLimiter(getattr(app.state, "page_threads", 2))
    return limiter


def threaded(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """``endpoint`` on a worker thread, at most :func:`page_limiter`'s number at a time; the
    other requests wait their turn in order (kept pages are answered on the event loop
    meanwhile). Building a page is Python and SQLite: threads beyond a couple only take
    turns on the interpreter lock, and every turn costs CPU (a never-asked search cost a
    fifth more with eight threads at a time than with one or two)."""

    async def run(request: Request) -> Response:
        limiter = page_limiter(request.app)
        return await anyio.to_thread.run_sync(endpoint, request, limiter=limiter)

    return run


def keyed_route(path: str, param: str, spec: PageSpec, conn_of: ConnOf) -> Route:
    """``/<prefix>/{param}``: the twins are the value's suffix (``/zaak/X.json``)."""

    def endpoint(request: Request) -> Response:
        key, fmt = respond.split_format(request.path_params[param], spec.formats())
        return respond_page(request, conn_of(request), spec, key, fmt)

    return Route(path, threaded(endpoint), name=spec.name)


def fixed_routes(path: str, spec: PageSpec, conn_of: ConnOf) -> list[Route]:
    """``/<name>`` and a route per twin (``/<name>.json``; for ``/``: ``/index.json``)."""

    def endpoint_for(fmt: str) -> Callable[[Request], Awaitable[Response]]:
        def endpoint(request: Request) -> Response:
            return respond_page(request, conn_of(request), spec, "", fmt)

        return threaded(endpoint)

    base = "/index" if path == "/" else path
    return [Route(path, endpoint_for("html"), name=spec.name)] + [
        Route(f"{base}.{fmt}", endpoint_for(fmt), name=f"{spec.name}.{fmt}")
        for fmt in spec.formats()
    ]


# -- the pages of the kinds -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindPage:
    """What the website adds to a kind of the registry: its loader (``conn, key → Page``;
    the Page's template ``""`` = ``template``), its template, the renderers of its twins
    beyond ``.json`` and, for a bell that depends on the page, ``bell_if(data)``."""

    loader: Callable[..., Page]  # (conn, key, **{name: value of each of ``params``})
    template: str
    renderers: Mapping[str, Renderer] = field(default_factory=dict)
    bell_if: Callable[[Any], bool] | None = None
    # a kind without a monitor of its own may offer another one: data → (monitor, value)
    bell_of: Callable[[Any], tuple[str, str] | None] | None = None
    # query parameters the loader reads (each in web.params.SITE_PARAMS: the cache keys on them)
    params: tuple[str, ...] = ()


def _schriftelijke_vragen(data: Any) -> bool:
    return (getattr(data, "soort", "") or "").startswith("Schriftelijke vragen")


KIND_PAGES: dict[str, KindPage] = {
    "document": KindPage(loaders.document, "document.html", bell_if=_schriftelijke_vragen),
    "zaak": KindPage(loaders.zaak, "zaak.html"),
    "kamerstukdossier": KindPage(loaders.kamerstukdossier, "kamerstukdossier.html"),
    "activiteit": KindPage(loaders.activiteit, "activiteit.html", {"ics": activiteit_ics}),
    "persoon": KindPage(loaders.persoon, "persoon.html", params=("lijst",)),
    "commissie": KindPage(loaders.commissie, "commissie.html", {"xml": commissie_rss}),
    "toezegging": KindPage(
        loaders.toezegging,
        "toezegging.html",
        bell_of=lambda data: ("toezeggingen", f"nummer:{data.nummer}"),
    ),
    "verslag": KindPage(loaders.verslag, "verslag.html"),
    "woo": KindPage(loaders.woo, "woo.html", bell_of=loaders.woo_bell),
    "fractie": KindPage(analyse.fractie, "fractie.html", {"csv": fractie_csv}),
}


def check(registry: Registry = KINDS, pages: Mapping[str, KindPage] = KIND_PAGES) -> None:
    """Every kind has its page (a loader, a template that exists, a renderer for each twin
    it declares), every page a kind, and every search kind a page to link to; else
    :class:`KindError` naming what is missing. Run by the app factory."""
    env = render.environment()
    for kind in registry:
        page = pages.get(kind.name)
        if page is None:
            raise KindError(f"kind {kind.name!r} has no page in web/pages.py (loader + template)")
        if not callable(page.loader):
            raise KindError(f"kind {kind.name!r}: its loader is not callable")
        try:
            env.get_template(page.template)
        except jinja2.TemplateNotFound:
            raise KindError(f"kind {kind.name!r}: template {page.template!r} missing") from None
        unkeyed = set(page.params) - SITE_PARAMS
        if unkeyed:  # the page cache would not tell the pages apart
            raise KindError(f"kind {kind.name!r}: {sorted(unkeyed)} not in web.params.SITE_PARAMS")
        twins = set(kind.formats) - {"json"}
        if twins != set(page.renderers):
            raise KindError(
                f"kind {kind.name!r}: twins {sorted(twins)} but renderers {sorted(page.renderers)}"
            )
    for name in pages:
        if name not in registry:
            raise KindError(f"page {name!r} in web/pages.py is not a kind of the registry")
    for search_kind in SEARCH_KINDS:
        if registry.by_search_kind(search_kind) is None:
            raise KindError(f"search kind {search_kind!r} has no page (search_kinds of a kind)")


def kind_spec(name: str, page: KindPage) -> PageSpec:
    kind = KINDS[name]

    def load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
        wanted = {name: request.query_params.get(name) or "" for name in page.params}
        result = page.loader(conn, key, **wanted)
        if not result.template:
            result = dataclasses.replace(result, template=page.template)
        return result

    bell: Bell | None = None
    if kind.monitor is not None:
        monitor = kind.monitor

        def bell(request: Request, result: Page, key: str) -> dict[str, Any] | None:
            if page.bell_if is not None and not page.bell_if(result.data):
                return None
            return mijn.bell(request, monitor, key)

    elif page.bell_of is not None:
        bell_of = page.bell_of

        def bell(request: Request, result: Page, key: str) -> dict[str, Any] | None:
            chosen = bell_of(result.data)
            return mijn.bell(request, *chosen) if chosen else None

    return PageSpec(name, load, {**BASE, **page.renderers}, bell)


# -- the other pages --------------------------------------------------------------------------


def dashboard_spec(board: dashboards.Dashboard) -> PageSpec:
    extra = {"csv": dashboard_csv, "ics": agenda_ics, "xml": overdue_rss}

    def load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
        today = respond.today_of(request)
        params = tuple(kv for kv in respond.known_params(request) if kv[0] != "format")
        cache_key = (board.name, params, today, data_version(conn))
        cache: ResultCache[dashboards.Loaded] = request.app.state.dashboard_cache
        loaded = cache.get(cache_key)
        if loaded is None:
            loaded = board.load(conn, dashboards.Filters(request.query_params), today)
            cache.put(cache_key, loaded)
        page, table = loaded
        more = {"dashboard": board.name, "csv_table": table}
        return dataclasses.replace(page, extra={**page.extra, **more})

    renderers = {**BASE, **{f: extra[f] for f in board.formats if f in extra}}
    bell: Bell | None = None
    if board.bell_of is not None:
        bell_of = board.bell_of

        def bell(request: Request, result: Page, key: str) -> dict[str, Any] | None:
            chosen = bell_of(request.query_params)
            return mijn.bell(request, *chosen) if chosen else None

    return PageSpec(board.name, load, renderers, bell)


def _search_load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
    page, results = search_page.load(conn, request.query_params)
    if fmt == "html" and "pagina" not in request.query_params:
        target = search_page.jump(conn, results)
        if target:
            raise Moved(target)
    return page


def _search_bell(request: Request, page: Page, key: str) -> dict[str, Any] | None:
    q = page.extra["zoek"].q
    if not q or page.data["error"]:
        return None
    return mijn.bell(request, "zoek", q)


def _index_load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
    regering = request.query_params.get("regering", "") not in ("", "0", "false")
    return loaders.overzicht(conn, respond.today_of(request), regering)


def _simple(loader: Callable[[Conn], Page]) -> Load:
    def load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
        return loader(conn)

    return load


SEARCH = PageSpec(
    "zoeken", _search_load, {**BASE, "xml": search_rss}, bell=_search_bell, cache=True
)
INDEX = PageSpec("index", _index_load, {**BASE, "xml": overzicht_rss})
# /status shows "… geleden" for every category: never kept (the clock moves on)
STATUS = PageSpec("status", _simple(loaders.status), cache=False)
UITLEG = PageSpec("uitleg", _simple(loaders.uitleg))


def _op_load(request: Request, conn: Conn, key: str, fmt: str) -> Page:
    raise Moved(loaders.op_target(conn, key))


# /op/{externe_identifier}: a redirect to the document with that official publication
OP = PageSpec("op", _op_load, cache=False)


def routes(conn_of: ConnOf) -> list[Route]:
    """Every page of the site: the kinds (from the registry), the front page, the simple
    pages, the search and the dashboards."""
    check()
    # the search first: its exact paths shadow nothing, and routes are tried in order (a
    # never-asked search is the commonest request that no cache answers)
    out = fixed_routes(urls.zoeken(), SEARCH, conn_of)
    out += [
        keyed_route(KINDS[name].path, KINDS[name].param, kind_spec(name, page), conn_of)
        for name, page in KIND_PAGES.items()
    ]
    out += fixed_routes(urls.home(), INDEX, conn_of)
    out += fixed_routes(urls.status(), STATUS, conn_of)
    out += fixed_routes(urls.uitleg(), UITLEG, conn_of)
    out.append(keyed_route("/op/{eid}", "eid", OP, conn_of))
    for board in dashboards.DASHBOARDS.values():
        out += fixed_routes(urls.dashboard(board.name), dashboard_spec(board), conn_of)
    return out
