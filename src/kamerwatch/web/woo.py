"""The Woo pages: ``/woo`` (the newest top-level publications with filters; ``.json``,
``.csv``, ``.xml`` RSS), ``/woo/{id}`` (one publication; ``.json``), its files
(``/woo/{id}/bestand/{n}``), the organisation autocomplete (``/woo/organisaties.json``) and
the legacy URLs of the reference system (``/oods.html``, ``/oo.html?nummer=``,
``/getrawoo/{id}``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from lxml import etree
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kamerwatch.store.pages import woo as q
from kamerwatch.woo.parse import valid_id

from . import dashboards, mijn, respond, urls
from .dashboards import Filters, Loaded, csv_response, today_of
from .feeds import _rfc822, sub
from .files import _file, sniff
from .loaders import NotFound, Page


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


def woo_list(conn: sqlite3.Connection, f: Filters, today: date) -> Loaded:
    chosen = filters_of(f)
    items = q.publications(conn, chosen)
    title = "Woo-publicaties"
    if chosen.organisatie:
        title += f" van {chosen.organisatie}"
    page = dashboards._page(
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
            urls.woo(i.id),
        ]
        for i in items
    ]
    return page, (header, rows)


def woo_rss(request: Request, page: Page) -> Response:
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", f"kamerwatch: {page.title}")
    query = request.url.query
    sub(channel, "link", urls.absolute(base, "/woo" + (f"?{query}" if query else "")))
    sub(channel, "description", page.description)
    sub(channel, "generator", "kamerwatch")
    items: list[q.WooItem] = page.data["publicaties"]
    sub(
        channel,
        "lastBuildDate",
        _rfc822(max((i.mutatiedatumtijd or "" for i in items), default="")),
    )
    for p in items[:200]:
        item = etree.SubElement(channel, "item")
        sub(item, "title", p.titel or p.id)
        sub(item, "link", urls.absolute(base, urls.woo(p.id)))
        sub(item, "description", " | ".join(x for x in (p.organisatie, *p.documentsoorten) if x))
        sub(item, "guid", f"kamerwatch_woo_{p.id}", isPermaLink="false")
        sub(item, "pubDate", _rfc822(p.mutatiedatumtijd))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def list_endpoint(
    conn_of: Callable[[Request], sqlite3.Connection],
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        path = request.url.path
        fmt = path.rsplit(".", 1)[1] if path.endswith((".json", ".csv", ".xml")) else "html"
        conn = conn_of(request)
        today = today_of(request)

        def load() -> Loaded:
            return woo_list(conn, Filters(request.query_params), today)

        if fmt == "csv":
            return csv_response("woo", load()[1])
        if fmt == "xml":
            return woo_rss(request, load()[0])

        def build() -> tuple[bytes, str]:
            page = load()[0]
            if fmt == "html":
                chosen: q.WooFilters = page.data["filters"]
                organisatie = chosen.organisatie or (
                    q.EERSTE_KAMER if chosen.eerste_kamer else None
                )
                if organisatie:
                    page.extra["bell"] = mijn.bell(request, "organisatie", organisatie)
            return respond.render_page(request, conn, page, fmt)

        return respond.cached(request, conn, today, build)

    return handle


def publication(conn: sqlite3.Connection, value: str) -> Page:
    if not valid_id(value):
        raise NotFound(value)
    data = q.publication(conn, value)
    if data is None:
        raise NotFound(value)
    if isinstance(data, q.Withdrawn):
        raise Gone(value)
    extra: dict[str, Any] = {
        "previews": {f.n: Markup(f.preview_html) for f in data.bestanden if f.preview_html},
    }
    description = " ".join(data.omschrijvingen)[:300] or (data.titel or "")
    return Page("woo.html", data.titel or data.id, description, data, extra)


class Gone(LookupError):
    """A withdrawn publication."""


def publication_endpoint(
    conn_of: Callable[[Request], sqlite3.Connection],
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        value, fmt = respond.split_format(request.path_params["ident"])
        conn = conn_of(request)
        try:
            page = publication(conn, value)
        except Gone:
            return respond.error(
                request, conn, 410, "Deze Woo-publicatie is ingetrokken op open.overheid.nl"
            )
        if fmt == "html" and page.data.verantwoordelijke:
            page.extra["bell"] = mijn.bell(request, "organisatie", page.data.verantwoordelijke)
        return respond.cached(
            request, conn, today_of(request), lambda: respond.render_page(request, conn, page, fmt)
        )

    return handle


def file_endpoint(
    conn_of: Callable[[Request], sqlite3.Connection],
) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        ident, n = request.path_params["ident"], request.path_params["n"]
        if not valid_id(ident) or not n.isdigit() or len(n) > 4:
            raise NotFound(ident)
        found = q.stored_file(conn_of(request), ident, int(n))
        if found is None:
            raise NotFound(ident)
        path = str(found.file.location(request.app.state.files_dir))
        ctype, ext = sniff(path)
        name = found.bestandsnaam or f"{ident}{ext}"
        return _file(path, name, ctype)

    return handle


def organisaties(conn_of: Callable[[Request], sqlite3.Connection]) -> Callable[[Request], Response]:
    """The organisation autocomplete: ``?q=`` (part of the name) → ``[{naam, aantal}]``."""

    def handle(request: Request) -> Response:
        text = (request.query_params.get("q") or "").strip()[:100]
        found = q.organisations(conn_of(request), text, 20)
        return respond.json(request, [{"naam": n, "aantal": c} for n, c in found])

    return handle


def _moved(target: str) -> Response:
    return RedirectResponse(target, status_code=301)


def _legacy_nummer(request: Request) -> str:
    value = (request.query_params.get("nummer") or "").strip()
    if not valid_id(value):
        raise NotFound(value)
    return value


def routes(conn_of: Callable[[Request], sqlite3.Connection]) -> list[Route]:
    listing = list_endpoint(conn_of)
    return [
        Route("/woo", listing),
        Route("/woo.json", listing),
        Route("/woo.csv", listing),
        Route("/woo.xml", listing),
        Route("/woo/organisaties.json", organisaties(conn_of)),
        Route("/woo/{ident}", publication_endpoint(conn_of)),
        Route("/woo/{ident}/bestand/{n}", file_endpoint(conn_of)),
        Route("/oods.html", lambda request: _moved("/woo")),
        Route("/oo.html", lambda request: _moved(urls.woo(_legacy_nummer(request)))),
        Route(
            "/getrawoo/{ident}",
            lambda request: (
                _moved(urls.woo_bestand(request.path_params["ident"], 1))
                if valid_id(request.path_params["ident"])
                else _not_found(request.path_params["ident"])
            ),
        ),
    ]


def _not_found(value: str) -> Response:
    raise NotFound(value)
