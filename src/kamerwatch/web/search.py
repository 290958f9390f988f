"""``/zoeken`` (+ ``.json`` twin and ``.xml`` RSS): the query string is the whole state of a
search (query, filters, sort, page), so every search is a shareable URL. The loader and the
RSS body; the responses are the one page endpoint's (``web/pages.py``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from lxml import etree
from markupsafe import Markup, escape
from starlette.datastructures import QueryParams
from starlette.requests import Request

from kamerwatch.kinds import KINDS, KindError
from kamerwatch.search.engine import KIND_LABELS, Hit, SearchQuery, SearchResults, search
from kamerwatch.search.index import KINDS as SEARCH_KINDS
from kamerwatch.store.db import Connection
from kamerwatch.store.documents import existing_targets

from . import urls
from .feeds import sub
from .loaders import Page


def parse_params(params: QueryParams) -> tuple[SearchQuery, list[str]]:
    """The query string → a :class:`SearchQuery`; what cannot be used is reported."""
    notices: list[str] = []

    def day(name: str) -> date | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            notices.append(f"Ongeldige datum voor '{name}' genegeerd: gebruik JJJJ-MM-DD.")
            return None

    kinds = tuple(k for k in params.getlist("categorie") if k in SEARCH_KINDS)
    page_raw = params.get("pagina") or "1"
    return (
        SearchQuery(
            q=(params.get("q") or "").strip()[:1000],
            kinds=kinds,
            soorten=tuple(s[:120] for s in params.getlist("soort") if s)[:20],
            van=day("van"),
            tot=day("tot"),
            dossier=(params.get("dossier") or "").strip()[:30] or None,
            fractie=(params.get("fractie") or "").strip()[:30] or None,
            sort="relevantie" if params.get("sort") == "relevantie" else "datum",
            page=int(page_raw) if page_raw.isdigit() and len(page_raw) < 6 else 1,
        ),
        notices,
    )


def _values(q: SearchQuery) -> dict[str, Any]:
    return {
        "q": q.q,
        "categorie": list(q.kinds),
        "soort": list(q.soorten),
        "van": q.van.isoformat() if q.van else None,
        "tot": q.tot.isoformat() if q.tot else None,
        "dossier": q.dossier,
        "fractie": q.fractie,
        "sort": q.sort if q.sort != "datum" else None,
        "pagina": q.page if q.page != 1 else None,
    }


def _encoded(key: str, value: Any) -> str:
    """One parameter as ``urlencode`` writes it ("" when it is left out)."""
    if isinstance(value, list):
        return "&".join(f"{key}={_quoted(str(v))}" for v in value)
    if value in (None, ""):
        return ""
    return f"{key}={_quoted(str(value))}"


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """``quote_plus``, kept: the facets' soorten, kinds and years recur on every page."""
    return quote_plus(value)


def to_params(q: SearchQuery, **changes: Any) -> str:
    """A query string for ``q`` with ``changes`` (for links: pages, facets, sort)."""
    values = _values(q)
    values.update(changes)
    return "&".join(part for key, value in values.items() if (part := _encoded(key, value)))


class Links:
    """``/zoeken`` links for variations of one search (a facet, a page, a sort): the
    parameters that stay the same are encoded once per page, not once per link."""

    def __init__(self, q: SearchQuery) -> None:
        self.parts = {key: _encoded(key, value) for key, value in _values(q).items()}

    def __call__(self, **changes: Any) -> str:
        parts = self.parts.copy()
        for key, value in changes.items():
            parts[key] = _encoded(key, value)
        return "/zoeken?" + "&".join(filter(None, parts.values()))


@lru_cache(maxsize=128)
def category_boxes(chosen: frozenset[str]) -> Markup:
    """The search form's checkbox per kind (``chosen`` ticked): the same row on nearly
    every search page, written once per choice of kinds."""
    return Markup(
        "".join(
            f'<label><input type="checkbox" name="categorie" value="{escape(kind)}"'
            f"{' checked' if kind in chosen else ''}> {escape(label)}</label>"
            for kind, label in KIND_LABELS.items()
        )
    )


def hit_url(h: Hit) -> str:
    """The page a hit links to: the kind whose ``search_kinds`` has the hit's kind."""
    kind = KINDS.by_search_kind(h.kind)
    if kind is None:  # every search kind has a page: web/pages.check says so at start
        raise KindError(f"search kind {h.kind!r} has no page")
    return kind.url(h.nummer or "")


# the facet headings: "Soorten documenten", "Soorten activiteiten"
KIND_PLURALS = {
    "document": "documenten",
    "verslag": "verslagen",
    "activiteit": "activiteiten",
    "toezegging": "toezeggingen",
    "geschenk": "geschenken",
    "woo": "Woo-publicaties",
    "zaak": "zaken",
}

# An exact number as the whole query goes to its page (the kinds with a page per number).
JUMP_KINDS = ("document", "zaak", "activiteit")


def jump(conn: Connection, results: SearchResults) -> str | None:
    """The page of an exact document, zaak or activity number that is the whole query."""
    text = results.query.q.strip().upper()
    for s in results.suggestions:
        found = s.kind in JUMP_KINDS and s.value == text
        if found and existing_targets(conn, {s.kind: {s.value}}):
            return KINDS[s.kind].url(s.value)
    return None


def load(conn: Connection, params: QueryParams) -> tuple[Page, SearchResults]:
    q, notices = parse_params(params)
    results = search(conn, q) if q.q else SearchResults(q)
    hit_urls = [hit_url(h) for h in results.hits]
    data = {
        "q": q.q,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "sort": q.sort,
        "error": results.error,
        "melding": results.notice,
        "suggestions": results.suggestions,
        "facetsCategorie": results.facets_kind,
        "facetsSoort": results.facets_soort,
        "facetsSoortPerCategorie": {
            kind: [[soort, n] for soort, n in soorten]
            for kind, soorten in results.facets_soort_per_kind
        },
        "facetsJaar": results.facets_year,
        "hits": [
            {
                **{
                    k: getattr(h, k)
                    for k in ("kind", "nummer", "titel", "soort", "datum", "dossier")
                },
                "url": href,
                "snippet": h.snippet_html,
            }
            for h, href in zip(results.hits, hit_urls, strict=True)
        ],
    }
    extra = {
        "zoek": q,
        "notices": notices,
        "categorie_boxes": category_boxes(frozenset(q.kinds)),
        "soort_facets": results.facets_soort_per_kind,
        "kind_plurals": KIND_PLURALS,
        "hits": [
            (h, href, Markup(h.snippet_html))
            for h, href in zip(results.hits, hit_urls, strict=True)
        ],
        "link": Links(q),
        "json_link": "/zoeken.json?" + to_params(q),
        "rss_link": "/zoeken.xml?" + to_params(q, pagina=None, sort=None),
        "suggestion_url": {kind.name: kind.url for kind in KINDS},
        "results": results,
    }
    title = f"Zoeken: {q.q}" if q.q else "Uitgebreid zoeken"
    return Page(
        "zoeken.html",
        title,
        "Doorzoek documenten, zaken, verslagen, activiteiten, toezeggingen en geschenken",
        data,
        extra,
        keep=not results.error,  # e.g. over the time budget: worth another try, so never kept
    ), results


def rss(request: Request, results: SearchResults) -> bytes:
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", f"kamerwatch: {results.query.q}")
    sub(channel, "link", urls.absolute(base, "/zoeken?" + to_params(results.query)))
    sub(channel, "description", f"Zoekresultaten voor {results.query.q}")
    for h in results.hits:
        item = etree.SubElement(channel, "item")
        sub(item, "title", h.titel or h.nummer or h.kind)
        sub(item, "link", urls.absolute(base, hit_url(h)))
        sub(item, "guid", f"kamerwatch_{h.kind}_{h.ref}", isPermaLink="false")
        sub(item, "description", Markup(h.snippet_html).striptags())
        if h.datum:
            sub(item, "category", h.soort or h.kind)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
