"""Every URL the site writes comes from here (templates never build URLs themselves)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

TK_SITE = "https://www.tweedekamer.nl/kamerstukken"
OFFICIELE_BEKENDMAKINGEN = "https://zoek.officielebekendmakingen.nl"


def _seg(value: object) -> str:
    return quote(str(value), safe="")


def home() -> str:
    return "/"


def document(nummer: str | None) -> str:
    return f"/document/{_seg(nummer)}"


def document_bestand(nummer: str) -> str:
    return f"/document/{_seg(nummer)}/bestand"


def zaak(nummer: str | None) -> str:
    return f"/zaak/{_seg(nummer)}"


def activiteit(nummer: str | None) -> str:
    return f"/activiteit/{_seg(nummer)}"


def activiteit_ics(nummer: str | None) -> str:
    return f"/activiteit/{_seg(nummer)}.ics"


def persoon(nummer: str | None) -> str:
    return f"/persoon/{_seg(nummer)}"


def persoon_foto(nummer: str | None) -> str:
    return f"/persoon/{_seg(nummer)}/foto"


def commissie(ident: str) -> str:
    return f"/commissie/{_seg(ident)}"


def commissie_rss(ident: str) -> str:
    return f"/commissie/{_seg(ident)}.xml"


def toezegging(nummer: str | None) -> str:
    return f"/toezegging/{_seg(nummer)}"


def verslag(vergadering_id: str) -> str:
    return f"/verslag/{_seg(vergadering_id)}"


def kamerstukdossier(nummer: int | str | None, toevoeging: str | None = None) -> str:
    suffix = f"-{toevoeging}" if toevoeging else ""
    return f"/kamerstukdossier/{_seg(f'{nummer}{suffix}')}"


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
