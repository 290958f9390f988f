"""Atom feed pages → rows ready for the store (pure: bytes in, typed result or PageError out)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from kamerwatch.store.mirror import Change, EntityChange, PageRows
from kamerwatch.store.rawlog import decompress_entry, entry_compressor
from kamerwatch.store.schema import entity_row, link_rows

from .parsers import spec_for
from .parsers.base import (
    ATOM_NS,
    SAFE_PARSER,
    CategorySpec,
    Extracted,
    ParseError,
    RefusedEntity,
    Tombstone,
    extract,
    find_entity_element,
    to_utc_iso,
)

_FEED = f"{{{ATOM_NS}}}feed"
_ENTRY = f"{{{ATOM_NS}}}entry"
_LINK = f"{{{ATOM_NS}}}link"
_TITLE = f"{{{ATOM_NS}}}title"
_UPDATED = f"{{{ATOM_NS}}}updated"
_CONTENT = f"{{{ATOM_NS}}}content"
_NS_DECL = re.compile(rb"""\s(xmlns(?::[\w.-]+)?)\s*=\s*("[^"]*"|'[^']*')""")
_TOKEN_RE = re.compile(rb"skiptoken=(\d+)")
_HAS_ENTRY = re.compile(rb"<(?:[\w.-]+:)?entry[\s>/]")
_TAIL_RE = re.compile(rb"</(?:\w+:)?feed>\s*$")

RawRow = tuple[int, str | None, str | None, bytes]
"""A stored raw entry: (skiptoken, updated, enclosure, compressed entry XML)."""


class PageError(ValueError):
    """A page or entry that cannot be used: the run stops, nothing of the page is written."""

    def __init__(self, category: str, skiptoken: int | None, problem: str) -> None:
        where = f"skiptoken {skiptoken}" if skiptoken is not None else "begin van de feed"
        super().__init__(f"{category}, {where}: {problem}")
        self.category = category
        self.skiptoken = skiptoken
        self.problem = problem

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries intact
        return (PageError, (self.category, self.skiptoken, self.problem))


def looks_complete(body: bytes) -> bool:
    """A cheap check before parsing: a transfer cut short does not end in ``</feed>``."""
    return _TAIL_RE.search(body[-64:]) is not None


def last_entry_token(body: bytes) -> int | None:
    """The skiptoken to continue after this page, found without parsing (None: no entries):
    the highest skiptoken in the entries' links.

    Lets the fetcher request the next page while this one is still being parsed; the
    parsed result stays authoritative for what is stored (the writer checks they agree)."""
    first = _HAS_ENTRY.search(body)
    if first is None:
        return None
    tokens = [int(m.group(1)) for m in _TOKEN_RE.finditer(body, first.start())]
    return max(tokens) if tokens else None


def _root_start(body: bytes) -> int:
    """Where the root element's start tag begins: after the XML declaration, comments,
    processing instructions and a DOCTYPE (any of which may mention "feed")."""
    pos = 0
    while (pos := body.find(b"<", pos)) >= 0:
        if body.startswith(b"<?", pos):
            end, pos = body.find(b"?>", pos), pos + 2
        elif body.startswith(b"<!--", pos):
            end, pos = body.find(b"-->", pos), pos + 3
        elif body.startswith(b"<!", pos):  # DOCTYPE, perhaps with an internal subset
            bracket, end = body.find(b"[", pos), body.find(b">", pos)
            if 0 <= bracket < end:
                end = body.find(b">", body.find(b"]", bracket))
        else:
            return pos
        if end < 0:
            return 0
        pos = max(pos, end + 1)
    return 0


def entry_slices(body: bytes) -> list[bytes]:
    """The entries exactly as received, each made standalone: the namespace declarations
    of the ``<feed>`` start tag are copied onto the entry's start tag where it lacks them.
    Cheaper than re-serialising with lxml, and byte-faithful to what the server sent.
    Only for unprefixed ``<entry>`` elements (as the real feed writes them); the caller
    falls back to lxml when the count does not match the parsed entries."""
    feed_start = _root_start(body)
    head_end = body.find(b">", feed_start)
    decls = {m.group(1): m.group(2) for m in _NS_DECL.finditer(body, feed_start, head_end)}
    all_decls = b"<entry" + b"".join(b" " + k + b"=" + v for k, v in decls.items())
    out: list[bytes] = []
    pos = 0
    while True:
        start = body.find(b"<entry", pos)
        if start < 0:
            return out
        pos = start + 6
        follow = body[pos : pos + 1]
        if follow == b">":  # the common case: a bare start tag takes every declaration
            end = body.find(b"</entry>", pos)
            if end < 0:
                return out
            out.append(all_decls + body[pos : end + 8])
            pos = end + 8
            continue
        if follow not in (b" ", b"\n", b"\r", b"\t"):
            continue
        end = body.find(b"</entry>", pos)
        if end < 0:
            return out
        cut = body.find(b">", pos)
        own = {m.group(1) for m in _NS_DECL.finditer(body, start, cut)}
        missing = b"".join(b" " + k + b"=" + v for k, v in decls.items() if k not in own)
        out.append(body[start:cut] + missing + body[cut : end + 8])
        pos = end + 8


def parse_feed(body: bytes, category: str, cursor: int | None) -> etree._Element:
    try:
        root = etree.fromstring(body, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise PageError(category, cursor, f"pagina is geen geldige XML ({exc})") from exc
    if root.tag != _FEED:
        raise PageError(category, cursor, f"geen Atom-feed maar <{root.tag}>")
    return root


def _href_token(href: str) -> int:
    pos = href.find("skiptoken=")
    if pos >= 0:
        end = href.find("&", pos)
        digits = href[pos + 10 : end if end >= 0 else len(href)]
        if digits.isascii() and digits.isdigit() and int(digits) < 1 << 63:  # SQLite INTEGER
            return int(digits)
    raise ParseError(f"next-link zonder bruikbare skiptoken: {href}")


def _entry_parts(
    entry: etree._Element,
) -> tuple[str | None, str | None, int | None, str | None, etree._Element | None]:
    """(title, updated, next token, enclosure, entity element) in one pass over the entry."""
    title = updated = enclosure = None
    token: int | None = None
    entity = None
    # only the four wanted kinds of children get a Python proxy (C-level tag matching)
    for child in entry.iterchildren(_LINK, _CONTENT, _TITLE, _UPDATED):
        tag = child.tag
        if tag == _LINK:
            rel = child.get("rel")
            if rel == "next":
                token = _href_token(child.get("href") or "")
            elif rel == "enclosure":
                enclosure = child.get("href")
        elif tag == _CONTENT:
            inner = next(child.iterchildren("*"), None)  # elements only
            if inner is not None:
                entity = inner
        elif tag == _TITLE:
            title = child.text
        elif tag == _UPDATED:
            updated = child.text
    return title, updated, token, enclosure, entity


class _RefusedEntry(Exception):
    """An entry whose entity was refused (:class:`RefusedEntity`), with its feed metadata."""

    def __init__(
        self, token: int, updated: str | None, enclosure: str | None, ident: str, reason: str
    ) -> None:
        super().__init__(reason)
        self.token, self.updated, self.enclosure = token, updated, enclosure
        self.ident, self.reason = ident, reason


def _change(
    spec: CategorySpec, entry: etree._Element, token: int | None
) -> tuple[EntityChange, str | None, str | None, list[str]]:
    title, updated_raw, entry_token, enclosure, entity = _entry_parts(entry)
    if token is None:
        if entry_token is None:
            raise ParseError("entry zonder rel=next-link")
        token = entry_token
    if entity is None:
        raise ParseError("entry zonder entiteit in <content>")
    tag = entity.tag
    local = tag[tag.find("}") + 1 :] if isinstance(tag, str) else ""
    if local != spec.element:
        raise ParseError(f"entiteit <{local}> in feed van categorie {spec.name}")
    updated = to_utc_iso(updated_raw) if updated_raw else None
    try:
        found = extract(spec, entity)
    except RefusedEntity as exc:
        raise _RefusedEntry(token, updated, enclosure, exc.ident, str(exc)) from exc
    if title and title.strip() != found.id:
        raise ParseError(f"entry-titel {title.strip()} verschilt van entiteit-id {found.id}")
    if isinstance(found, Tombstone):
        return EntityChange(token, found.id, None, []), updated, enclosure, []
    row = entity_row(spec, found, token, updated, enclosure)
    change = EntityChange(token, found.id, row, link_rows(spec, found))
    return change, updated, enclosure, list(found.extra)


def _note_unknown(unknown: dict[str, str], names: list[str], ident: str) -> None:
    for name in names:
        unknown.setdefault(name.split("#", 1)[0], ident)


def build_page_rows(body: bytes, category: str, cursor: int | None) -> PageRows:
    """Parse one page of ``category`` into raw-log rows and mirror changes."""
    spec = spec_for(category)
    root = parse_feed(body, category, cursor)
    entries = list(root.iterchildren(_ENTRY))
    slices = entry_slices(body)
    if len(slices) != len(entries):  # unusual markup: let lxml serialise instead
        slices = [etree.tostring(entry) for entry in entries]
    raw: list[tuple[int, str, str, str | None, str | None, bytes]] = []
    changes: list[EntityChange] = []
    unknown: dict[str, str] = {}
    refused: list[tuple[int, str, str]] = []
    last = cursor
    compress = entry_compressor()
    for entry, xml in zip(entries, slices, strict=True):
        try:
            change, updated, enclosure, extra = _change(spec, entry, None)
        except _RefusedEntry as no:  # kept in the raw log, recorded, not mirrored
            raw.append((no.token, category, no.ident, no.updated, no.enclosure, compress(xml)))
            refused.append((no.token, no.ident, no.reason))
            last = no.token if last is None or no.token > last else last
            continue
        except ParseError as exc:
            raise PageError(category, last, str(exc)) from exc
        token = change.skiptoken
        raw.append((token, category, change.id, updated, enclosure, compress(xml)))
        changes.append(change)
        if extra:
            _note_unknown(unknown, extra, change.id)
        last = token if last is None or token > last else last
    return PageRows(category, raw, changes, last if raw else None, unknown, refused)


def content_only(entry: bytes) -> bytes:
    """A stored ``<entry>`` without its Atom metadata (title, id, author, links …), which a
    re-parse does not read (it takes token, updated and enclosure from the raw log's
    columns): the entry's start tag (with its namespace declarations) and its ``<content>``
    element. Half the bytes and a third of the nodes for lxml. Only for the plain shape
    written by :func:`entry_slices`; anything else comes back whole, and a slice that does
    not parse sends the caller back to the whole entries."""
    head_end = entry.find(b">")
    start = entry.find(b"<content", head_end)
    end = entry.rfind(b"</content>")
    if (
        not entry.startswith(b"<entry")
        or head_end < 0
        or entry[head_end - 1 : head_end] == b"/"
        or start < 0
        or end < start
        or entry[start + 8 : start + 9] not in (b" ", b">", b"\n", b"\t", b"\r")
    ):
        return entry
    return entry[: head_end + 1] + entry[start : end + 10] + b"</entry>"


def _parse_batch(blobs: list[bytes]) -> list[etree._Element]:
    """Many stored entries in one lxml parse (cheaper than one parse per entry)."""
    xml = b"<batch>" + b"".join(blobs) + b"</batch>"
    root = etree.fromstring(xml, parser=SAFE_PARSER)
    return list(root)


def stored_change(
    spec: CategorySpec, found: Extracted | Tombstone, row: RawRow
) -> tuple[Change, list[str]]:
    """The change of one stored entry (and its unknown elements): the entity as
    :func:`extract` found it, token, updated and enclosure from its raw-log ``row``. A
    plain tuple, as it crosses to the writer (see ``Change``)."""
    token, updated, enclosure, _ = row
    if isinstance(found, Tombstone):
        return (token, found.id, None, []), []
    row_ = entity_row(spec, found, token, updated, enclosure)
    return (token, found.id, row_, link_rows(spec, found)), list(found.extra)


def parse_stored(category: str, rows: list[RawRow], blobs: list[bytes]) -> list[etree._Element]:
    """Stored entries (decompressed ``blobs`` of ``rows``) → lxml trees of (at least) their
    start tag and ``<content>``, in one parse; a :class:`PageError` names the first entry
    that is not well-formed."""
    try:
        entries = _parse_batch([content_only(blob) for blob in blobs])
    except etree.XMLSyntaxError:
        entries = []
    if len(entries) != len(rows):  # the whole entries, then one by one to name the culprit
        try:
            entries = _parse_batch(blobs)
        except etree.XMLSyntaxError:
            entries = []
    if len(entries) != len(rows):
        entries = []
        for row, blob in zip(rows, blobs, strict=True):  # find the culprit
            try:
                entries.append(etree.fromstring(blob, parser=SAFE_PARSER))
            except etree.XMLSyntaxError as exc:
                raise PageError(category, row[0], f"opgeslagen entry: {exc}") from exc
    return entries


def changes_from_raw(category: str, rows: list[RawRow]) -> tuple[list[Change], dict[str, str]]:
    """Re-parse stored raw entries (for ``sync --reparse``): pure, runs in worker processes;
    the entries are parsed with lxml in one batch."""
    spec = spec_for(category)
    blobs: list[bytes] = []
    for row in rows:
        try:
            blobs.append(decompress_entry(row[3]))
        except ValueError as exc:
            raise PageError(category, row[0], str(exc)) from exc
    out: list[Change] = []
    unknown: dict[str, str] = {}
    for row, entry in zip(rows, parse_stored(category, rows, blobs), strict=True):
        try:
            entity = find_entity_element(entry)
            if entity is None:
                raise ParseError("entry zonder entiteit in <content>")
            item = extract(spec, entity)
        except RefusedEntity:
            continue  # refused when it arrived (``refused_entry``); still not mirrored
        except ParseError as exc:
            raise PageError(category, row[0], f"opgeslagen entry: {exc}") from exc
        change, extra = stored_change(spec, item, row)
        _note_unknown(unknown, extra, change[1])
        out.append(change)
    return out, unknown


def reparse_task(task: tuple[str, list[RawRow]]) -> Any:
    """Process-pool entry point for the re-parse (changes as plain tuples: cheaper pickles)."""
    return changes_from_raw(*task)
