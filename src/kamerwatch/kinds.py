"""The kinds of page the site has — one declaration each, the one place that says what a kind's
identifier looks like and where its pages live.

A :class:`Kind` declares, for one kind of page (document, zaak, …):

- ``pattern``: the one regular expression of its identifier (no anchors), used by the page
  loader (a malformed identifier is not found), by the reference links in documents
  (``documents/links.py``), by the search suggestions (``search/engine.py``) and by the
  monitor values (``alerts/models.py``);
- ``path``: its URL, ``/<prefix>/{<param>}``; ``formats`` are its twins (``.json``, ``.ics``,
  ``.xml``), reached by appending the suffix to the last segment; :meth:`Kind.url` writes it
  (quoted), so nothing else builds these URLs;
- ``source``: where its pages are in the mirror (table, key column): the sitemap and the
  "does this page exist" look-up of the reference links are derived from it in ``store/``;
- ``sitemap``: the name of its sitemap files (``/sitemaps/<name>-<n>.xml``), or ``None``;
- ``summary`` and ``example``: its entry in the OpenAPI document (the example must match
  ``pattern``);
- ``search_kinds``: the search-hit kinds whose hits link to its page; ``alert_items``: the
  item kinds of alert digests that link to it; ``monitor``: the monitor kind of its 🔔;
- ``legacy``: the reference system's page for it (``("/zaak.html", "nummer")``), redirected.

This module is the bottom layer: it imports nothing of kamerwatch, and every layer may import
it. The website registers a loader and a template for each kind (``web/pages.py``); a kind
without them makes the app factory fail (:class:`KindError`), as does an incomplete entry here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

__all__ = [
    "KINDS",
    "Kind",
    "KindError",
    "Registry",
    "Source",
    "alert_url",
    "by_name",
    "url",
]


class KindError(ValueError):
    """A kind declared incompletely or twice (raised at import or app start, never later)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where the pages of a kind are: ``table``.``key`` holds the identifier. ``suffix`` is
    a second key column joined with ``-`` (a dossier's ``toevoeging``); ``exclude`` leaves
    out the rows whose column has the value (``("status", "Casco")``)."""

    table: str
    key: str
    suffix: str | None = None
    exclude: tuple[str, str] | None = None
    numeric_key: bool = False  # the key column is an integer (written as text in URLs)


_PATH = re.compile(r"^/([a-z][a-z0-9-]*)/\{([a-z_]+)\}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    path: str
    pattern: str
    summary: str
    example: str
    source: Source
    formats: tuple[str, ...] = ("json",)
    sitemap: str | None = None
    search_kinds: tuple[str, ...] = ()
    alert_items: tuple[str, ...] = ()
    monitor: str | None = None
    legacy: tuple[str, str] | None = None
    label: str = ""  # Dutch, for humans ("document", "kamerstukdossier")
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    prefix: str = field(init=False, repr=False, compare=False)
    param: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        missing = [
            name
            for name in ("name", "path", "pattern", "summary", "example")
            if not getattr(self, name)
        ]
        if missing:
            raise KindError(f"kind {self.name!r}: missing {', '.join(missing)}")
        if not _NAME.fullmatch(self.name):
            raise KindError(f"kind {self.name!r}: name must be lower-case letters, digits, '-'")
        m = _PATH.fullmatch(self.path)
        if m is None:
            raise KindError(f"kind {self.name!r}: path {self.path!r} is not /<prefix>/{{<param>}}")
        try:
            regex = re.compile(self.pattern)
        except re.error as exc:
            raise KindError(f"kind {self.name!r}: pattern does not compile: {exc}") from exc
        if regex.groups:
            raise KindError(f"kind {self.name!r}: pattern must not capture (use (?:…))")
        if not regex.fullmatch(self.example):
            raise KindError(f"kind {self.name!r}: example {self.example!r} does not match pattern")
        for fmt in self.formats:
            if not fmt.isalpha() or fmt == "html":
                raise KindError(f"kind {self.name!r}: format {fmt!r} is not a file suffix")
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "prefix", "/" + m.group(1))
        object.__setattr__(self, "param", m.group(2))

    def matches(self, value: str) -> bool:
        """Whether ``value`` is a well-formed identifier of this kind."""
        return self.regex.fullmatch(value) is not None

    def url(self, key: object, fmt: str | None = None) -> str:
        """The page of ``key`` (quoted), or its ``fmt`` twin (``json``, ``ics``, …)."""
        suffix = f".{fmt}" if fmt else ""
        text = str(key)
        if not (text.isascii() and text.isalnum()):  # letters and digits: quote keeps them
            text = quote(text, safe="")
        return f"{self.prefix}/{text}{suffix}"

    @property
    def openapi_path(self) -> str:
        return self.path + ".json"


class Registry:
    """The kinds by name, in declaration order. :meth:`add` checks an entry on its own and
    against the others (names, paths, sitemap names, search and alert kinds are unique)."""

    def __init__(self, kinds: tuple[Kind, ...] = ()) -> None:
        self._kinds: dict[str, Kind] = {}
        self._by_search_kind: dict[str, Kind] = {}  # unique (add checks): one lookup per hit
        for kind in kinds:
            self.add(kind)

    def add(self, kind: Kind) -> Kind:
        for other in self._kinds.values():
            clash = (
                ("name", kind.name == other.name),
                ("path", kind.prefix == other.prefix),
                ("sitemap", kind.sitemap is not None and kind.sitemap == other.sitemap),
                ("search kind", bool(set(kind.search_kinds) & set(other.search_kinds))),
                ("alert item", bool(set(kind.alert_items) & set(other.alert_items))),
                ("monitor", kind.monitor is not None and kind.monitor == other.monitor),
            )
            for what, same in clash:
                if same:
                    raise KindError(f"kind {kind.name!r}: {what} already used by {other.name!r}")
        self._kinds[kind.name] = kind
        for search_kind in kind.search_kinds:
            self._by_search_kind[search_kind] = kind
        return kind

    def __getitem__(self, name: str) -> Kind:
        try:
            return self._kinds[name]
        except KeyError:
            raise KindError(f"unknown kind {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[Kind]:
        return iter(self._kinds.values())

    def __len__(self) -> int:
        return len(self._kinds)

    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def with_sitemap(self) -> list[Kind]:
        return [k for k in self if k.sitemap]

    def by_sitemap(self, name: str) -> Kind | None:
        return next((k for k in self if k.sitemap == name), None)

    def by_search_kind(self, search_kind: str) -> Kind | None:
        return self._by_search_kind.get(search_kind)

    def by_alert_item(self, item_kind: str) -> Kind | None:
        return next((k for k in self if item_kind in k.alert_items), None)

    def by_monitor(self, monitor: str) -> Kind | None:
        return next((k for k in self if k.monitor == monitor), None)


# -- the identifiers --------------------------------------------------------------------------
# Document, zaak and activiteit numbers are the year, a letter and exactly five digits
# (`2023D03702`, `2023Z00142`, `2026A01315`): every number in the real feed samples and the
# OData records we have (tests/data), and the Tweede Kamer's own site
# software (`20\d{2}D\d{5}`), has five. The year starts with 19 or 20.
DOCUMENT_NUMMER = r"(?:19|20)[0-9]{2}D[0-9]{5}"
ZAAK_NUMMER = r"(?:19|20)[0-9]{2}Z[0-9]{5}"
ACTIVITEIT_NUMMER = r"(?:19|20)[0-9]{2}A[0-9]{5}"
# A dossier: its number, optionally "-" and its toevoeging (`36800-XVI`, `21501-02`,
# `36600-VII`; toevoegingen seen: roman numerals, digits, letters, `(R2084)`).
DOSSIER_NUMMER = r"[0-9]{1,7}(?:-[0-9A-Za-z.;()]{1,20})?"
PERSOON_NUMMER = r"[0-9]{1,10}"
GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Toezegging numbers have no documented format (`TZ202501-087` in the samples): any short
# run of letters, digits, dots and dashes.
TOEZEGGING_NUMMER = r"[0-9A-Za-z][0-9A-Za-z.-]{0,39}"
# A Woo publication on open.overheid.nl: a UUID (Aanleverloket) or `oep-<sha1>` (copies of
# officielebekendmakingen), `ronl-<sha1>` …: letters, digits, `-` and `_`, never `/` or `.`
# (the same rule as kamerwatch.woo.parse.valid_id).
WOO_ID = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"

# A fractie's afkorting as the feed writes it (`VVD`, `GroenLinks-PvdA`, `50PLUS`, `Lid Keijzer`):
# letters, digits, spaces, dots, dashes, `&` and `'`, starting with a letter or digit.
FRACTIE_AFKORTING = r"[0-9A-Za-z][0-9A-Za-z .&'-]{0,59}"

KINDS = Registry(
    (
        Kind(
            "document",
            "/document/{nummer}",
            DOCUMENT_NUMMER,
            "Eén document",
            "2023D03702",
            Source("document", "document_nummer"),
            sitemap="documenten",
            search_kinds=("document",),
            alert_items=("document", "termijn"),
            monitor="vraag",
            label="document",
        ),
        Kind(
            "zaak",
            "/zaak/{nummer}",
            ZAAK_NUMMER,
            "Eén zaak",
            "2023Z00142",
            Source("zaak", "nummer"),
            sitemap="zaken",
            search_kinds=("zaak",),
            monitor="zaak",
            legacy=("/zaak.html", "nummer"),
            label="zaak",
        ),
        Kind(
            "kamerstukdossier",
            "/kamerstukdossier/{nummer}",
            DOSSIER_NUMMER,
            "Eén kamerstukdossier (nummer of nummer-toevoeging)",
            "36800-XVI",
            Source("kamerstukdossier", "nummer", suffix="toevoeging", numeric_key=True),
            sitemap="kamerstukdossiers",
            monitor="kamerstukdossier",
            label="kamerstukdossier",
        ),
        Kind(
            "activiteit",
            "/activiteit/{nummer}",
            ACTIVITEIT_NUMMER,
            "Eén activiteit",
            "2023A01234",
            Source("activiteit", "nummer"),
            formats=("json", "ics"),
            sitemap="activiteiten",
            search_kinds=("activiteit",),
            alert_items=("activiteit",),
            monitor="activiteit",
            legacy=("/activiteit.html", "nummer"),
            label="activiteit",
        ),
        Kind(
            "persoon",
            "/persoon/{nummer}",
            PERSOON_NUMMER,
            "Eén persoon",
            "1234",
            Source("persoon", "nummer"),
            sitemap="personen",
            search_kinds=("geschenk",),  # a gift's hit is its receiver's page
            monitor="persoon",
            legacy=("/persoon.html", "nummer"),
            label="persoon",
        ),
        Kind(
            "commissie",
            "/commissie/{id}",
            GUID,
            "Eén commissie",
            "5a9ad7d5-9aab-4c8c-bd09-a4a3fb4b84c6",
            Source("commissie", "id"),
            formats=("json", "xml"),
            sitemap="commissies",
            monitor="commissie",
            legacy=("/commissie.html", "id"),
            label="commissie",
        ),
        Kind(
            "toezegging",
            "/toezegging/{nummer}",
            TOEZEGGING_NUMMER,
            "Eén toezegging",
            "TZ202602-001",
            Source("toezegging", "nummer"),
            sitemap="toezeggingen",
            search_kinds=("toezegging",),
            alert_items=("toezegging",),
            legacy=("/toezegging.html", "nummer"),
            label="toezegging",
        ),
        Kind(
            "verslag",
            "/verslag/{id}",
            GUID,
            "Het nieuwste verslag van een vergadering",
            "4a6e3a32-3e4b-4f0e-9d52-6f7f0f3a5a11",
            Source("verslag", "vergadering_id", exclude=("status", "Casco")),
            sitemap="verslagen",
            search_kinds=("verslag",),
            alert_items=("verslag",),
            legacy=("/verslag.html", "vergaderingid"),
            label="verslag",
        ),
        Kind(
            "woo",
            "/woo/{id}",
            WOO_ID,
            "Eén Woo-publicatie van open.overheid.nl",
            "eef2edec-019e-4085-8e2e-4d3f42686431",
            Source("woo_publication", "id", exclude=("state", "ingetrokken")),
            search_kinds=("woo",),
            alert_items=("woo",),
            legacy=("/oo.html", "nummer"),
            label="Woo-publicatie",
        ),
        Kind(
            "fractie",
            "/fractie/{afkorting}",
            FRACTIE_AFKORTING,
            "Eén fractie: zetels, stemgedrag, moties en leden",
            "VVD",
            Source("fractie", "afkorting"),
            formats=("json", "csv"),
            sitemap="fracties",
            label="fractie",
        ),
    )
)


def by_name(name: str) -> Kind:
    return KINDS[name]


def url(kind: str, key: object, fmt: str | None = None) -> str:
    """The page (or ``fmt`` twin) of ``key`` of the kind named ``kind``."""
    return KINDS[kind].url(key, fmt)


def alert_url(base_url: str, item_kind: str, nummer: str) -> str:
    """The absolute URL of an alert item (``document``, ``termijn``, ``verslag`` …)."""
    kind = KINDS.by_alert_item(item_kind) or KINDS[item_kind]
    return base_url.rstrip("/") + kind.url(nummer)
