"""Jinja environment, display filters (Dutch dates, "… geleden") and the JSON shape."""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
import nh3
from markupsafe import Markup, escape

from kamerwatch.dutch import DAGEN, MAANDEN, aantal

from . import charts, urls

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def datum(value: str | None) -> str:
    """``2023-02-01T00:00:00`` → ``2023-02-01``."""
    return (value or "")[:10]


def tijdstip(value: str | None) -> str:
    """UTC ``bijgewerkt`` → Dutch wall-clock ``YYYY-MM-DD HH:MM``; local times as they are."""
    stamp = _parse(value)
    if stamp is None:
        return value or ""
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(AMSTERDAM)
    return stamp.strftime("%Y-%m-%d %H:%M")


def lange_datum(value: str | None) -> str:
    """``2026-01-26T09:45:00`` → ``maandag 26 januari 2026 09:45``."""
    stamp = _parse(value)
    if stamp is None:
        return ""
    text = f"{DAGEN[stamp.weekday()]} {stamp.day} {MAANDEN[stamp.month - 1]} {stamp.year}"
    if (stamp.hour, stamp.minute) != (0, 0):
        text += f" {stamp:%H:%M}"
    return text


def tot(eind: str | None, begin: str | None) -> str:
    """The end of a time span after its begin: ``–15:45`` on the same day, else ``tot``
    and the whole day (``tot woensdag 13 november 2024 10:00``); empty without an end."""
    end = _parse(eind)
    if end is None:
        return ""
    start = _parse(begin)
    if start is not None and start.date() == end.date():
        return f"–{end:%H:%M}"
    return f" tot {lange_datum(eind)}"


def geleden(value: str | None, now: datetime | None = None) -> str:
    """``… geleden`` in words for a UTC timestamp."""
    stamp = _parse(value)
    if stamp is None:
        return "nog nooit"
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    seconds = max(0, int(((now or datetime.now(UTC)) - stamp).total_seconds()))
    for size, single, plural in (
        (86400, "dag", "dagen"),
        (3600, "uur", "uur"),
        (60, "minuut", "minuten"),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {single if n == 1 else plural} geleden"
    return "zojuist"


def duur(seconds: int | None) -> str:
    """Speaking time in Dutch: "45 s", "4 min 23 s", "1 u 05 min"."""
    if not seconds:
        return "–"
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} u {minutes:02d} min"


SAFE_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "sub", "sup", "span"}


def veilig_html(value: str | None) -> Markup:
    """Upstream HTML (noot fields) reduced to a few harmless tags; no styles, no scripts."""
    if not value:
        return Markup("")
    cleaned = nh3.clean(value, tags=SAFE_TAGS, attributes={"a": {"href"}}, link_rel="nofollow")
    return Markup(cleaned)


@lru_cache(maxsize=4096)
def _camel(name: str) -> str:
    """``json_properties`` → ``jsonProperties`` (the same few keys on every page: kept)."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


# the JSON values that stay as they are (exact types: a subclass takes the long way)
_PLAIN = frozenset({str, int, float, bool, type(None)})


Shape = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
_SHAPES: dict[type, Shape] = {}


def _shape(cls: type) -> Shape:
    """A dataclass's (attribute, key) pairs: its JSON fields, then its JSON_PROPERTIES
    (worked out once per class)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        fields = tuple(
            (f.name, _camel(f.name))
            for f in dataclasses.fields(cls)
            if f.metadata.get("json", True)
        )
        extra = tuple((name, _camel(name)) for name in getattr(cls, "JSON_PROPERTIES", ()))
        shape = _SHAPES[cls] = (fields, extra)
    return shape


def to_jsonable(value: Any) -> Any:
    """Dataclasses → dicts with lowerCamelCase keys (plus the derived values a dataclass
    names in ``JSON_PROPERTIES``; without fields marked ``metadata={"json": False}``);
    tuples → lists. (The common exact types first: a JSON twin walks thousands of values.)"""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {_camel(str(k)): to_jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [to_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields, extra = _shape(kind)
        out = {key: to_jsonable(getattr(value, name)) for name, key in fields}
        for name, key in extra:
            out[key] = to_jsonable(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {_camel(str(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def json_bytes(value: Any) -> bytes:
    return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")).encode()


def getal(value: int | float | None) -> str:
    """A number the Dutch way: 207.504 (thousands with a dot); nothing for None."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


# the stages of `kamerwatch update` as the public pages name them
STAPPEN = {
    "sync": "synchronisatie",
    "reparse": "opnieuw inlezen",
    "fetch-documents": "documenten ophalen",
    "convert": "omzetten",
    "index": "zoekindex",
    "alerts": "meldingen",
    "speaking": "spreektijd",
    "woo": "open.overheid.nl",
    "debatdirect": "Debat Direct",
    "officiele-publicaties": "officiële publicaties",
}


def stap(stage: str | None) -> str:
    return STAPPEN.get(stage or "", stage or "")


def vergadering_soort(soort: str | None) -> str:
    """ "Plenair" → "Plenaire vergadering", "Commissie" → "Commissievergadering"."""
    return {"Plenair": "Plenaire vergadering", "Commissie": "Commissievergadering"}.get(
        soort or "", f"{soort} vergadering" if soort else "Vergadering"
    )


def zetelbalk(verdeling: Any, label: str, table: bool = False) -> Markup:
    """The seat bar of one vote (objects with fractie/zetels/soort); with its table behind
    it when ``table`` (where the page does not list the parties in words already)."""
    return _zetelbalk(tuple([(v.fractie, v.zetels, v.soort) for v in verdeling]), label, table)


@lru_cache(maxsize=2048)
def _zetelbalk(verdeling: tuple[tuple[str, int, str], ...], label: str, table: bool) -> Markup:
    # a pure function of the votes: the same vote's bar is drawn once per process, also
    # after a data change (a page of votes shows dozens of them; a sync changes a few)
    parts = [charts.Seats(*v) for v in verdeling]
    svg = charts.seat_bar(parts, label=label)
    return charts.figure(svg, charts.seat_table(parts, label=label)) if table else svg


def fractiestemmen(fracties: Iterable[Any], soort: str, zetels: bool = True) -> Markup:
    """The fracties (objects with fractie/zetels/soort/vergissing) that voted ``soort``,
    comma-separated: "VVD (24), D66 (9) <em>(vergissing)</em>"; only the names when not
    ``zetels``. Built here, not in a template loop: a page lists hundreds of them."""
    if zetels:
        return Markup(
            ", ".join(
                [
                    _fractiestem(f.fractie, f.zetels, f.vergissing)
                    for f in fracties
                    if f.soort == soort
                ]
            )
        )
    return Markup(", ".join([_naam(f.fractie) for f in fracties if f.soort == soort]))


@lru_cache(maxsize=4096)
def _fractiestem(fractie: str, zetels: int, vergissing: bool) -> str:
    text = f"{escape(fractie)} ({escape(zetels)})"
    return f"{text} <em>(vergissing)</em>" if vergissing else text


@lru_cache(maxsize=4096)
def _naam(text: str) -> str:
    return str(escape(text))


def ledenstemmen(personen: Iterable[Any]) -> Markup:
    """A roll call's votes, one ``<li>`` per member (objects with soort/naam/fractie/
    vergissing): "Voor: Jan Jansen (VVD)"; the same member's same vote recurs on every
    roll call, so each line is made once."""
    return Markup("".join([_ledenstem(p.soort, p.naam, p.fractie, p.vergissing) for p in personen]))


@lru_cache(maxsize=16384)
def _ledenstem(soort: str, naam: str, fractie: str | None, vergissing: bool) -> str:
    text = f"<li>{escape(soort)}: {escape(naam)}"
    if fractie:
        text += f" ({escape(fractie)})"
    if vergissing:
        text += " <em>(vergissing)</em>"
    return text + "</li>"


ROWS = "dash_rijen.html"  # the row macros of the long dashboard lists
ROW_CACHE_SIZE = 20000  # rows kept per process (a few MB); all are dropped when full
_ROW_END = "\x1e"  # what the row macros write after each row (record separator)
_row_cache: dict[tuple[str, Hashable], str] = {}


def rijen(macro: str, items: Iterable[Any]) -> Markup:
    """The rows of a long list, each followed by a newline, made by the macro ``macro`` of
    ``dash_rijen.html`` (which writes ``rij_einde`` after each row). A row is a pure function
    of its value (those macros read nothing but their rows: no filters of the request, no
    clock), so each row's HTML is kept by its value (:func:`row_key`): after a data change a
    page makes only its new and changed rows again, all in one call of the macro."""
    keyed = [(row_key(item), item) for item in items]
    found = {key: _row_cache.get((macro, key)) for key, _item in keyed}
    missing = {key: item for key, item in keyed if found[key] is None}
    if missing:
        if len(_row_cache) + len(missing) > ROW_CACHE_SIZE:
            _row_cache.clear()
        made = _make_rows(macro, list(missing.values()))
        for key, row in zip(missing, made, strict=True):
            found[key] = _row_cache[(macro, key)] = row
    return Markup("".join([found[key] or "" for key, _item in keyed]))


# per row class: None when its values hash as they are, else a getter of its compared fields
_unhashable: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def row_key(item: Any) -> Hashable:
    """A row's value as a dictionary key: the row itself (a frozen dataclass), or for a row
    with lists in it its class and compared fields with the lists as tuples."""
    kind = type(item)
    try:
        fields = _unhashable[kind]
    except KeyError:
        fields = _fields_getter(item)
        _unhashable[kind] = fields
    if fields is None:
        return cast(Hashable, item)
    return (kind, *[tuple(v) if type(v) is list else v for v in fields(item)])


def _fields_getter(item: Any) -> Callable[[Any], tuple[Any, ...]] | None:
    try:
        hash(item)
        return None
    except TypeError:
        names = [f.name for f in dataclasses.fields(item) if f.compare]
        get = operator.attrgetter(*names)
        return (lambda row: (get(row),)) if len(names) == 1 else get


def _make_rows(macro: str, items: list[Any]) -> list[str]:
    write = getattr(environment().get_template(ROWS).module, macro)
    parts = str(write(items)).split(_ROW_END)
    if len(parts) == len(items) + 1:  # no row holds the separator itself
        return [f"{part}\n" for part in parts[:-1]]
    return [f"{str(write([item])).removesuffix(_ROW_END)}\n" for item in items]


def spreektijd_grafiek(bars: Any, title: str) -> Markup:
    """A bar chart of speaking time from (label, seconds, link) triples; the page's own
    speaking-time table right after it holds the same figures."""
    return charts.bar_chart(
        [charts.Bar(str(label), int(value or 0), href) for label, value, href in bars],
        title=title,
        unit=duur,
        limit=15,
    )


def tijdlijn(documenten: Any, besluiten: Any, title: str) -> Markup:
    """A dossier's documents and decisions on one time axis, with a table behind it."""
    events = [
        charts.Event(
            d.datum or "",
            f"{d.soort or 'document'}: {d.onderwerp or d.titel or d.nummer or ''}",
            "document",
            urls.document(d.nummer) if d.nummer else None,
        )
        for d in documenten
    ]
    for b in besluiten:
        z = b.zaken[0] if b.zaken else None
        what = f"{z.soort or 'zaak'} {z.nummer}" if z else "besluit"
        events.append(
            charts.Event(
                b.datum or "",
                f"{what}: {b.uitslag or b.tekst or b.soort or ''}",
                b.uitslag_soort or "besluit",
                urls.zaak(z.nummer) if z and z.nummer else None,
            )
        )
    svg = charts.timeline(events, title=title)
    return charts.figure(svg, charts.timeline_table(events, title=title))


@lru_cache(maxsize=8192)
def _quoted(text: str, safe: str) -> str:
    """``text`` percent-encoded as UTF-8 (``safe`` kept); in a query (no safe characters)
    a space is ``+``. The same few names and values recur on every page: kept."""
    quoted = quote(text, safe)
    return quoted if safe else quoted.replace("%20", "+")


def urlencode(value: str | Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str:
    """Jinja's ``urlencode`` filter, the same text (a string quoted with "/" kept; a mapping
    or pairs as a query string), without re-quoting the recurring names and values on
    every link (the dashboards' sort and download links: hundreds per page)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return _quoted(str(value), "/")
    items = value.items() if isinstance(value, Mapping) else value
    return "&".join(f"{_quoted(str(k), '')}={_quoted(str(v), '')}" for k, v in items)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(files("kamerwatch.web") / "templates"))
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        auto_reload=False,  # the templates ship with the package: no stat() per page
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.globals["url"] = urls
    env.filters.update(
        datum=datum,
        tijdstip=tijdstip,
        lange_datum=lange_datum,
        tot=tot,
        geleden=geleden,
        veilig_html=veilig_html,
        duur=duur,
        getal=getal,
        stap=stap,
        vergadering_soort=vergadering_soort,
        urlencode=urlencode,
    )
    env.globals["aantal"] = aantal
    env.globals["zetelbalk"] = zetelbalk
    env.globals["fractiestemmen"] = fractiestemmen
    env.globals["ledenstemmen"] = ledenstemmen
    env.globals["rijen"] = rijen
    env.globals["rij_einde"] = Markup(_ROW_END)
    env.globals["spreektijd_grafiek"] = spreektijd_grafiek
    env.globals["tijdlijn"] = tijdlijn
    return env


def render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(context)
