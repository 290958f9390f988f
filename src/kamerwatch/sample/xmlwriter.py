"""Typed values → SyncFeed XML exactly as the live feed writes it (spec §2.3, §2.4, §3.1).

Three layers, each returning UTF-8 bytes:

* :func:`entity_xml` — the entity element that sits inside ``<content>``;
* :func:`entry_xml` — the Atom ``<entry>`` around it;
* :func:`feed_page` — a whole ``<feed>`` page file (and :func:`feed_head`, the part of a page
  before its entries, shared with :mod:`kamerwatch.sample.feedserver`).

Prefix conventions of the live feed: most categories put the entity element and its children
in the default namespace and prefix the attributes with ``tk:``, declaring both on the entity
element; Toezegging, Vergadering and Verslag prefix everything with ``ns1:``. Every entity is
self-contained with respect to namespace declarations, so its bytes can be moved between pages.

``values`` maps :class:`~kamerwatch.sync.parsers.base.FieldSpec` ``attr`` names to values:
a key that is absent is not written at all, ``None`` is written as ``xsi:nil="true"`` (a
``None`` relation is simply left out, as the live feed does). Relations hold a GUID (``ref``),
a sequence of GUIDs (``refs``) or a sequence of ``(guid, bijgewerkt)`` pairs
(``refs_bijgewerkt``). Booleans become ``true``/``false``; dates and datetimes ``isoformat()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from kamerwatch.sync.parsers.base import (
    AMSTERDAM,
    KIND_REF,
    KIND_REFS,
    KIND_REFS_BIJGEWERKT,
    TK_NS,
    XSI_NS,
    CategorySpec,
    FieldSpec,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
REAL_BASE = "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0"
NS1_CATEGORIES = frozenset({"Toezegging", "Vergadering", "Verslag"})
AUTHOR_NAME = "Tweede Kamer der Staten-Generaal"
RIGHTS = "Disclaimer: https://opendata.tweedekamer.nl/disclaimer"
FEED_TITLE = "Gegevensmagazijn SyncFeed"

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;"}
)
_ID_RE = re.compile(rb"""\sid\s*=\s*["']([^"']+)["']""")
_NEXT_TOKEN_RE = re.compile(rb"""<link\b[^>]*?\brel="next"[^>]*?skiptoken=(\d+)""")


def esc_text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        return value.translate(_TEXT_ESCAPES)
    return value


def esc_attr(value: str) -> str:
    if (
        "&" in value
        or "<" in value
        or ">" in value
        or '"' in value
        or "\n" in value
        or "\r" in value
    ):
        return value.translate(_ATTR_ESCAPES)
    return value


def format_value(value: Any) -> str:
    """One scalar value as XML text (not yet escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def format_updated(value: str | datetime) -> str:
    """Atom ``updated``: UTC, 7 fractional digits, ``Z`` (a string is taken as is)."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    stamp = value.astimezone(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def stamp_local(ts: float, *, offset: bool) -> str:
    local = datetime.fromtimestamp(ts, AMSTERDAM)
    frac = round((ts - int(ts)) * 10_000_000) % 10_000_000
    text = f"{local:%Y-%m-%dT%H:%M:%S}.{frac:07d}"
    if offset:
        text += local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    return text


def stamp_utc(ts: float, *, decimals: bool) -> str:
    stamp = datetime.fromtimestamp(ts, UTC)
    if not decimals:
        return f"{stamp:%Y-%m-%dT%H:%M:%S}Z"
    frac = round((ts - int(ts)) * 10_000_000) % 10_000_000
    return f"{stamp:%Y-%m-%dT%H:%M:%S}.{frac:07d}Z"


def bijgewerkt_style(category: str) -> str:
    if category in NS1_CATEGORIES:
        return "offset"
    if category.startswith(("Persoon", "Fractie", "Commissie")):
        return "utc"
    return "local"


def bijgewerkt_stamp(category: str, ts: float) -> str:
    """``bijgewerkt`` of an entity at epoch ``ts`` in its category's style (spec §2.7)."""
    style = bijgewerkt_style(category)
    if style == "offset":
        return stamp_local(ts, offset=True)
    if style == "utc":
        return stamp_utc(ts, decimals=False)
    return stamp_local(ts, offset=False)


def _conventions(spec: CategorySpec) -> tuple[str, str, str]:
    """(element prefix, attribute prefix, namespace declarations) of a category."""
    if spec.name in NS1_CATEGORIES:
        return "ns1:", "ns1:", f' xmlns:ns1="{TK_NS}" xmlns:xsi="{XSI_NS}"'
    return "", "tk:", f' xmlns="{TK_NS}" xmlns:tk="{TK_NS}" xmlns:xsi="{XSI_NS}"'


def _write_field(out: list[str], fs: FieldSpec, local: str, value: Any, ep: str, ap: str) -> None:
    kind = fs.kind
    if kind == KIND_REF:
        if value is not None:
            out.append(f'<{ep}{local} ref="{esc_attr(str(value))}" />')
    elif kind == KIND_REFS:
        for target in value or ():
            out.append(f'<{ep}{local} ref="{esc_attr(str(target))}" />')
    elif kind == KIND_REFS_BIJGEWERKT:
        for item in value or ():
            if isinstance(item, str):
                target, stamp = item, None
            else:
                target, stamp = item
            extra = f' {ap}bijgewerkt="{esc_attr(str(stamp))}"' if stamp else ""
            out.append(f'<{ep}{local} ref="{esc_attr(str(target))}"{extra} />')
    elif value is None:
        out.append(f'<{ep}{local} xsi:nil="true" />')
    else:
        out.append(f"<{ep}{local}>{esc_text(format_value(value))}</{ep}{local}>")


_Group = tuple[str, list[tuple[FieldSpec, str]]]


_LAYOUTS: dict[str, tuple[tuple[FieldSpec, ...], list[FieldSpec | _Group]]] = {}


def _layout(spec: CategorySpec) -> list[FieldSpec | _Group]:
    """Fields in spec order; ``parent/child`` fields gathered at their first member."""
    cached = _LAYOUTS.get(spec.name)
    if cached is not None and cached[0] is spec.fields:
        return cached[1]
    fields = spec.fields
    out: list[FieldSpec | _Group] = []
    groups: dict[str, list[tuple[FieldSpec, str]]] = {}
    for fs in fields:
        if "/" not in fs.xml:
            out.append(fs)
            continue
        parent, child = fs.xml.split("/", 1)
        if parent not in groups:
            groups[parent] = []
            out.append((parent, groups[parent]))
        groups[parent].append((fs, child))
    _LAYOUTS[spec.name] = (fields, out)
    return out


def entity_xml(
    spec: CategorySpec,
    values: Mapping[str, Any],
    *,
    id: str,
    bijgewerkt: str,
    verwijderd: bool = False,
    content_type: str | None = None,
    content_length: int | None = None,
) -> bytes:
    """The entity element of one category, live-feed style (tombstone when ``verwijderd``)."""
    ep, ap, decls = _conventions(spec)
    name = ep + spec.element
    attrs = (
        f'{decls} id="{esc_attr(id)}" {ap}bijgewerkt="{esc_attr(bijgewerkt)}"'
        f' {ap}verwijderd="{"true" if verwijderd else "false"}"'
    )
    if verwijderd:
        if spec.name in NS1_CATEGORIES:
            decls_short = f' xmlns:ns1="{TK_NS}"'
        else:
            decls_short = f' xmlns="{TK_NS}" xmlns:tk="{TK_NS}"'
        return (
            f'<{name}{decls_short} id="{esc_attr(id)}" {ap}bijgewerkt="{esc_attr(bijgewerkt)}"'
            f' {ap}verwijderd="true" />'
        ).encode()
    if content_type is not None:
        attrs += f' {ap}contentType="{esc_attr(content_type)}"'
    if content_length is not None:
        attrs += f' {ap}contentLength="{int(content_length)}"'
    out: list[str] = [f"<{name}{attrs}>"]
    for item in _layout(spec):
        if isinstance(item, FieldSpec):
            if item.attr in values:
                _write_field(out, item, item.xml, values[item.attr], ep, ap)
            continue
        parent, members = item
        present = [(fs, child) for fs, child in members if fs.attr in values]
        if present:
            out.append(f"<{ep}{parent}>")
            for fs, child in present:
                _write_field(out, fs, child, values[fs.attr], ep, ap)
            out.append(f"</{ep}{parent}>")
    out.append(f"</{name}>")
    return "".join(out).encode()


def entity_id(entity: bytes) -> str:
    m = _ID_RE.search(entity)
    if m is None:
        raise ValueError("entity element without id attribute")
    return m.group(1).decode()


def entry_xml(
    category_spec: CategorySpec,
    entity_bytes: bytes,
    *,
    token: int,
    updated: str | datetime,
    enclosure: bool,
    id: str | None = None,
    base: str = REAL_BASE,
) -> bytes:
    """The Atom ``<entry>`` around an entity; ``token`` is the entry's own skiptoken, i.e. the
    value in its ``rel="next"`` href."""
    ident = esc_text(id if id is not None else entity_id(entity_bytes))
    enc = f'<link rel="enclosure" href="{base}/Resources/{ident}" />' if enclosure else ""
    head = (
        f"<entry><title>{ident}</title><id>{base}/Entiteiten/{ident}</id>"
        f"<author><name>{AUTHOR_NAME}</name></author>"
        f"<updated>{esc_text(format_updated(updated))}</updated>"
        f'<category term="{category_spec.element}" />'
        f'<link rel="next" href="{base}/Feed?skiptoken={int(token)}'
        f'&amp;category={category_spec.name}" />{enc}<content type="application/xml">'
    )
    return head.encode() + entity_bytes + b"</content></entry>"


def feed_url(base: str, category: str | None, skiptoken: int | None) -> str:
    """A feed URL as the server writes it (already escaped for use in an attribute)."""
    params = []
    if skiptoken is not None:
        params.append(f"skiptoken={int(skiptoken)}")
    if category is not None:
        params.append(f"category={esc_attr(category)}")
    return f"{base}/Feed" + ("?" + "&amp;".join(params) if params else "")


def feed_head(
    category: str | None,
    *,
    self_token: int | None,
    next_token: int | None,
    resume_token: int | None,
    updated: str,
    base: str = REAL_BASE,
) -> bytes:
    """XML declaration + ``<feed>`` start tag + feed-level elements, up to the first entry."""
    title = FEED_TITLE if category is None else f"{FEED_TITLE} (category: {esc_text(category)})"
    self_url = feed_url(base, category, self_token)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM_NS}" xmlns:tk="{TK_NS}" xmlns:xsi="{XSI_NS}">',
        f"<title>{title}</title>",
        f'<link rel="self" href="{self_url}" />',
    ]
    if next_token is not None:
        parts.append(f'<link rel="next" href="{feed_url(base, category, next_token)}" />')
    if resume_token is not None:
        parts.append(f'<link rel="resume" href="{feed_url(base, category, resume_token)}" />')
    parts.append(
        f"<updated>{esc_text(updated)}</updated>"
        f"<author><name>{AUTHOR_NAME}</name><uri>https://opendata.tweedekamer.nl</uri>"
        "<email>opendata@tweedekamer.nl</email></author>"
        f"<rights>{RIGHTS}</rights><id>{self_url}</id>"
    )
    return "".join(parts).encode()


FEED_TAIL = b"</feed>"


def entry_token(entry: bytes) -> int:
    """The entry's own skiptoken (the one in its ``rel="next"`` href)."""
    m = _NEXT_TOKEN_RE.search(entry)
    if m is None:
        raise ValueError("entry without rel=next skiptoken")
    return int(m.group(1))


def feed_page(
    category: str | None,
    entries: Sequence[bytes] | Iterable[bytes],
    first_token: int | None,
    *,
    updated: str | None = None,
    base: str = REAL_BASE,
) -> bytes:
    """A whole page: ``first_token`` is the skiptoken of the request that yields this page
    (``None`` = from the beginning); ``rel=next`` carries the last entry's token, an empty page
    gets ``rel=resume`` with ``first_token`` instead. ``updated`` defaults to now (Amsterdam)."""
    items = list(entries)
    if updated is None:
        updated = datetime.now(AMSTERDAM).isoformat(timespec="microseconds")
    next_token = entry_token(items[-1]) if items else None
    resume = None if items else (first_token or 0)
    head = feed_head(
        category,
        self_token=first_token,
        next_token=next_token,
        resume_token=resume,
        updated=updated,
        base=base,
    )
    return b"".join([head, *items, FEED_TAIL])
