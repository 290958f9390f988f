"""Every URL the site writes comes from here (templates never build URLs themselves); the
pages of the kinds come from the registry (``kamerwatch.kinds``), which the routes are made
from too (``web/pages.py``), so a page's URL is written once."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from kamerwatch.kinds import KINDS

TK_SITE = "https://www.tweedekamer.nl/kamerstukken"
OFFICIELE_BEKENDMAKINGEN = "https://zoek.officielebekendmakingen.nl"


def _seg(value: object) -> str:
    return quote(str(value), safe="")


def home() -> str:
    return "/"


# The pages of the kinds: written by the registry (kamerwatch.kinds), quoted there.


def document(nummer: str | None) -> str:
    return KINDS["document"].url(nummer)


def document_wijzigingen(nummer: str) -> str:
    return KINDS["document"].url(nummer) + "/wijzigingen"


def document_bestand(nummer: str) -> str:
    return KINDS["document"].url(nummer) + "/bestand"


def zaak(nummer: str | None) -> str:
    return KINDS["zaak"].url(nummer)


def activiteit(nummer: str | None) -> str:
    return KINDS["activiteit"].url(nummer)


def activiteit_ics(nummer: str | None) -> str:
    return KINDS["activiteit"].url(nummer, "ics")


def persoon(nummer: str | None) -> str:
    return KINDS["persoon"].url(nummer)


def persoon_foto(nummer: str | None) -> str:
    return KINDS["persoon"].url(nummer) + "/foto"


def commissie(ident: str) -> str:
    return KINDS["commissie"].url(ident)


def commissie_rss(ident: str) -> str:
    return KINDS["commissie"].url(ident, "xml")


def toezegging(nummer: str | None) -> str:
    return KINDS["toezegging"].url(nummer)


def woo(ident: str | None) -> str:
    return KINDS["woo"].url(ident)


def woo_bestand(ident: str, n: int) -> str:
    return KINDS["woo"].url(ident) + f"/bestand/{int(n)}"


def woo_lijst(**filters: str | None) -> str:
    kept = {k: v for k, v in filters.items() if v}
    return "/woo" + ("?" + urlencode(kept) if kept else "")


def verslag(vergadering_id: str) -> str:
    return KINDS["verslag"].url(vergadering_id)


def kamerstukdossier(nummer: int | str | None, toevoeging: str | None = None) -> str:
    suffix = f"-{toevoeging}" if toevoeging else ""
    return KINDS["kamerstukdossier"].url(f"{nummer}{suffix}")


def page(kind: str, key: object, fmt: str | None = None) -> str:
    """The page of ``key`` of any kind in the registry (or its ``fmt`` twin)."""
    return KINDS[kind].url(key, fmt)


def dashboard(name: str, fmt: str | None = None) -> str:
    """A dashboard's page; a name may have several segments (``analyse/stemmingen``)."""
    return "/" + "/".join(_seg(part) for part in name.split("/")) + (f".{fmt}" if fmt else "")


def fractie(afkorting: str | None) -> str:
    return KINDS["fractie"].url(afkorting or "")


def uitleg() -> str:
    return "/uitleg"


def status() -> str:
    return "/status"


def zoeken(q: str | None = None, categorie: str | None = None) -> str:
    params = {k: v for k, v in (("q", q), ("categorie", categorie)) if v}
    return "/zoeken" + (f"?{urlencode(params)}" if params else "")


def sitemap(name: str) -> str:
    return f"/sitemaps/{_seg(name)}.xml"


def static(name: str) -> str:
    return f"/static/{name}"


def json_twin(path: str, query: str = "") -> str:
    """``/zaak/X`` → ``/zaak/X.json``; ``/`` → ``/index.json`` (query string kept)."""
    base = "/index" if path in ("", "/") else path.rstrip("/")
    return f"{base}.json" + (f"?{query}" if query else "")


def tweedekamer(nummer: str, soort: str | None) -> str:
    kind = "brieven_regering" if soort == "Brief regering" else "kamervragen"
    return f"{TK_SITE}/{kind}/detail?{urlencode({'id': nummer, 'did': nummer})}"


def officiele_bekendmaking(externeidentifier: str) -> str:
    return f"{OFFICIELE_BEKENDMAKINGEN}/{_seg(externeidentifier)}.html"


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path
