"""Atom feed pages → rows ready for the store (pure: bytes in, typed result or PageError out)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from lxml import etree

from kamerwatch.store.mirror import EntityChange, PageRows
from kamerwatch.store.schema import entity_row, link_rows

from .parsers import spec_for
from .parsers.base import (
    ATOM_NS,
    SAFE_PARSER,
    ParseError,
    Tombstone,
    find_entity_element,
    parse_element,
    to_utc_iso,
)

_ENTRY = f"{{{ATOM_NS}}}entry"
_LINK = f"{{{ATOM_NS}}}link"
_TITLE = f"{{{ATOM_NS}}}title"
_UPDATED = f"{{{ATOM_NS}}}updated"
_CATEGORY = f"{{{ATOM_NS}}}category"
COMPRESSION_LEVEL = 1


class PageError(ValueError):
    """A page or entry that cannot be used: the run stops, nothing of the page is written."""

    def __init__(self, category: str, skiptoken: int | None, problem: str) -> None:
        where = f"skiptoken {skiptoken}" if skiptoken is not None else "begin van de feed"
        super().__init__(f"{category}, {where}: {problem}")
        self.category = category
        self.skiptoken = skiptoken
        self.problem = problem


@dataclass(frozen=True, slots=True)
class PageLinks:
    next_token: int | None  # feed-level rel=next
    resume_token: int | None  # feed-level rel=resume (caught up)


def skiptoken_of(href: str) -> int:
    values = parse_qs(urlparse(href).query).get("skiptoken")
    if not values:
        raise ValueError(f"link zonder skiptoken: {href}")
    return int(values[0])


def _feed_links(root: etree._Element) -> PageLinks:
    found: dict[str, int | None] = {"next": None, "resume": None}
    for link in root.iterchildren(_LINK):
        rel = link.get("rel")
        if rel in found and link.get("href"):
            try:
                found[rel] = skiptoken_of(link.get("href", ""))
            except ValueError:
                found[rel] = None
    return PageLinks(found["next"], found["resume"])


def parse_feed(body: bytes, category: str, cursor: int | None) -> etree._Element:
    try:
        root = etree.fromstring(body, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise PageError(category, cursor, f"pagina is geen geldige XML ({exc})") from exc
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise PageError(category, cursor, f"geen Atom-feed maar <{root.tag}>")
    return root


def _entry_token(entry: etree._Element, category: str, cursor: int | None) -> int:
    for link in entry.iterchildren(_LINK):
        if link.get("rel") == "next":
            try:
                return skiptoken_of(link.get("href", ""))
            except ValueError as exc:
                raise PageError(
                    category, cursor, f"entry met onbruikbare next-link: {exc}"
                ) from exc
    raise PageError(category, cursor, "entry zonder rel=next-link")


def _enclosure(entry: etree._Element) -> str | None:
    for link in entry.iterchildren(_LINK):
        if link.get("rel") == "enclosure":
            return link.get("href")
    return None


def build_page_rows(body: bytes, category: str, cursor: int | None) -> tuple[PageRows, PageLinks]:
    """Parse one page of ``category`` into raw-log rows and mirror changes."""
    spec = spec_for(category)
    root = parse_feed(body, category, cursor)
    raw: list[tuple[int, str, str, str | None, str | None, bytes]] = []
    changes: list[EntityChange] = []
    unknown: dict[str, str] = {}
    last = cursor
    for entry in root.iterchildren(_ENTRY):
        token = _entry_token(entry, category, last)
        try:
            change, updated, enclosure, extra = _entry_change(spec.element, entry, category, token)
        except ParseError as exc:
            raise PageError(category, token, str(exc)) from exc
        raw.append(
            (
                token,
                category,
                change.id,
                updated,
                enclosure,
                zlib.compress(etree.tostring(entry), COMPRESSION_LEVEL),
            )
        )
        changes.append(change)
        for name in extra:
            unknown.setdefault(name.split("#", 1)[0], change.id)
        last = token
    page = PageRows(category, raw, changes, last if raw else None, unknown)
    return page, _feed_links(root)


def _entry_change(
    element: str, entry: etree._Element, category: str, token: int
) -> tuple[EntityChange, str | None, str | None, list[str]]:
    spec = spec_for(category)
    entity = find_entity_element(entry)
    if entity is None:
        raise ParseError("entry zonder entiteit in <content>")
    local = etree.QName(entity).localname
    if local != element:
        raise ParseError(f"entiteit <{local}> in feed van categorie {category}")
    updated_raw = entry.findtext(_UPDATED)
    updated = to_utc_iso(updated_raw) if updated_raw else None
    record = parse_element(spec, entity)
    title = (entry.findtext(_TITLE) or "").strip()
    if title and title != record.id:
        raise ParseError(f"entry-titel {title} verschilt van entiteit-id {record.id}")
    enclosure = _enclosure(entry)
    if isinstance(record, Tombstone):
        return EntityChange(token, record.id, None, []), updated, enclosure, []
    row = entity_row(spec, record, token, updated, enclosure)
    change = EntityChange(token, record.id, row, link_rows(spec, record))
    return change, updated, enclosure, list(record.extra)


def changes_from_raw(
    category: str, rows: list[tuple[int, str | None, str | None, bytes]]
) -> tuple[list[EntityChange], dict[str, str]]:
    """Re-parse stored raw entries (for ``sync --reparse``): pure, runs in worker processes."""
    spec = spec_for(category)
    out: list[EntityChange] = []
    unknown: dict[str, str] = {}
    for token, _updated, _enclosure, blob in rows:
        try:
            entry = etree.fromstring(zlib.decompress(blob), parser=SAFE_PARSER)
            change, _, _, extra = _entry_change(spec.element, entry, category, token)
        except (ParseError, etree.XMLSyntaxError, zlib.error) as exc:
            raise PageError(category, token, f"opgeslagen entry: {exc}") from exc
        for name in extra:
            unknown.setdefault(name.split("#", 1)[0], change.id)
        out.append(change)
    return out, unknown
