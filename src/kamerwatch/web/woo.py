"""The Woo pages besides ``/woo/{id}`` (a kind of the registry: ``kinds.py``,
``web/pages.KIND_PAGES``): ``/woo`` (the newest top-level publications with filters;
``.json``, ``.csv``, ``.xml`` RSS; through the one page pipeline), a publication's files
(``/woo/{id}/bestand/{n}``), the organisation autocomplete (``/woo/organisaties.json``) and
the reference system's ``/oods.html`` and ``/getrawoo/{id}`` (``/oo.html?nummer=`` is the
kind's legacy URL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.kinds import KINDS
from kamerwatch.store.db import Connection
from kamerwatch.store.pages import woo as q

from . import mijn, respond, urls
from .dashboards import Filters, Loaded, _page
from .feeds import _rfc822, sub
from .files import _file, sniff
from .loaders import NotFound, Page
from .pages import BASE, PageSpec, dashboard_csv, fixed_routes
from .respond import Rendered

RSS = "application/rss+xml; charset=utf-8"
KIND = KINDS["woo"]


def _flag(f: Filters, name: str) -> bool:
    return (f.text(name, 5) or "") not in ("", "0", "nee", "false")


def filters_of(f: Filters) -> q.WooFilters:
    van, tot = f.date("van"), f.date("tot")
    return q.WooFilters(
        organisatie=f.text("organisatie", 200),
        eerste_kamer=_flag(f, "eerste_kamer"),
        woo_besluiten=_flag(f, "woo_besluiten"),
        categorie=f.text("categorie", 200),
        van=van.isoformat() if van else None,
        tot=tot.isoformat() if tot else None,
    )


def woo_list(conn: Connection, f: Filters, today: date) -> Loaded:
    chosen = filters_of(f)
    items = q.publications(conn, chosen)
    title = "Woo-publicaties"
    if chosen.organisatie:
        title += f" van {chosen.organisatie}"
    page = _page(
        "woo_lijst.html",
        title,
        "Aanvullingen uit open.overheid.nl: Woo-besluiten, brieven en rapporten van de overheid",
        {"filters": chosen, "publicaties": items, "limiet": q.LIST_LIMIT},
        f,
        categorie_opties=q.categories(conn),
        organisatie_opties=[name for name, _n in q.organisations(conn, "", 50)],
    )
    header = ["datum", "organisatie", "titel", "documentsoort", "informatiecategorie", "id", "url"]
    rows = [
        [
            i.openbaarmakingsdatum,
            i.organisatie,
            i.titel,
            "; ".join(i.documentsoorten),
            "; ".join(i.informatiecategorieen),
            i.id,
            KIND.url(i.id),
        ]
        for i in items
    ]
    return page, (header, rows)


def _list_load(request: Request, conn: Connection, key: str, fmt: str) -> Page:
    page, table = woo_list(conn, Filters(request.query_params), respond.today_of(request))
    return dataclasses.replace(page, extra={**page.extra, "dashboard": "woo", "csv_table": table})


def _list_rss(request: Request, conn: Connection, page: Page) -> Rendered:
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", f"kamerwatch: {page.title}")
    query = request.url.query
    sub(channel, "link", urls.absolute(base, "/woo" + (f"?{query}" if query else "")))
    sub(channel, "description", page.description)
    sub(channel, "generator", "kamerwatch")
    items: list[q.WooItem] = page.data["publicaties"]
    newest = max((i.mutatiedatumtijd or "" for i in items), default="")
    sub(channel, "lastBuildDate", _rfc822(newest))
    for p in items[:200]:
        item = etree.SubElement(channel, "item")
        sub(item, "title", p.titel or p.id)
        sub(item, "link", urls.absolute(base, KIND.url(p.id)))
        sub(item, "description", " | ".join(x for x in (p.organisatie, *p.documentsoorten) if x))
        sub(item, "guid", f"kamerwatch_woo_{p.id}", isPermaLink="false")
        sub(item, "pubDate", _rfc822(p.mutatiedatumtijd))
    return Rendered(etree.tostring(root, xml_declaration=True, encoding="utf-8"), RSS)


def _list_bell(request: Request, page: Page, key: str) -> dict[str, Any] | None:
    """The 🔔 of a list of one organisation (or of the Eerste Kamer): all its publications."""
    chosen: q.WooFilters = page.data["filters"]
    organisatie = chosen.organisatie or (q.EERSTE_KAMER if chosen.eerste_kamer else None)
    return mijn.bell(request, "organisatie", organisatie) if organisatie else None


WOO_LIST = PageSpec(
    "woo", _list_load, {**BASE, "csv": dashboard_csv, "xml": _list_rss}, bell=_list_bell
)


def file_endpoint(
    conn_of: Callable[[Request], Connection],
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        ident, n = request.path_params["ident"], request.path_params["n"]
        if not KIND.matches(ident) or not n.isdigit() or len(n) > 4:
            raise NotFound(ident)
        found = q.stored_file(conn_of(request), ident, int(n))
        if found is None:
            raise NotFound(ident)
        path = str(found.file.location(request.app.state.files_dir))
        ctype, ext = sniff(path)
        return _file(path, found.bestandsnaam or f"{ident}{ext}", ctype)

    return handle


def organisaties(conn_of: Callable[[Request], Connection]) -> Callable[[Request], Response]:
    """The organisation autocomplete: ``?q=`` (part of the name) → ``{q, organisaties:
    [{naam, aantal}]}``, most publications first (at most 20)."""

    def handle(request: Request) -> Response:
        text = (request.query_params.get("q") or "").strip()[:100]
        found = q.organisations(conn_of(request), text, 20)
        return respond.json(
            request, {"q": text, "organisaties": [{"naam": n, "aantal": c} for n, c in found]}
        )

    return handle


def _getrawoo(request: Request) -> Response:
    ident = request.path_params["ident"]
    if not KIND.matches(ident):
        raise NotFound(ident)
    return RedirectResponse(urls.woo_bestand(ident, 1), status_code=301)


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    """Before the kinds' routes: ``/woo/organisaties.json`` is no publication."""
    return [
        *fixed_routes("/woo", WOO_LIST, conn_of),
        Route("/woo/organisaties.json", organisaties(conn_of)),
        Route("/woo/{ident}/bestand/{n}", file_endpoint(conn_of)),
        Route("/oods.html", lambda request: RedirectResponse("/woo", status_code=301)),
        Route("/getrawoo/{ident}", _getrawoo),
    ]
