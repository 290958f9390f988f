"""A fast path for stored entries of the plain shape the live feed writes (pure).

The re-parse (``sync --reparse``) spends most of its time building an lxml tree of every
stored entry and walking it in Python. Almost every entry has one simple shape, though:
an ``<entry>`` whose last child is ``<content>`` holding the entity element, whose children
are leaf elements — ``<soort>Voor</soort>``, ``<besluit ref="…" />``,
``<nummer xsi:nil="true" />``. :func:`extract_plain` reads exactly that shape with regular
expressions and gives the very result of :func:`~.base.extract` on the lxml tree. Anything
else — entity references, CDATA, comments, carriage returns, nested or unknown elements,
namespace declarations below the entity, a child name or attribute prefix it cannot resolve,
an entity without an id or with an odd ``bijgewerkt`` — returns ``None``, and the caller
parses that entry with lxml as before (which also names any problem). The Atom metadata
before ``<content>`` is not read (the raw log has token, updated and enclosure in columns);
the raw log holds only entries that lxml parsed when their page arrived.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .base import (
    _A_BIJGEWERKT,
    _A_CONTENT_LENGTH,
    _A_CONTENT_TYPE,
    _A_ID,
    _A_VERWIJDERD,
    CODE_REF,
    CODE_REFS,
    CODE_REFS_BIJGEWERKT,
    CODE_SCALAR,
    CODE_TEXT,
    INVALID_PREFIX,
    TK_NS,
    XSI_NS,
    CategorySpec,
    Extracted,
    ParseError,
    Tombstone,
    _keep,
    to_int,
    to_utc_iso,
)

_WS = "[ \t\n\r]"
_NC = r"[A-Za-z_][\w.\-]*"
_NAME = rf"{_NC}(?::{_NC})?"
_VALUE = r'"[^"<&\t\n\r]*"'  # no entity references, no whitespace that XML would normalise
_ATTRS = rf"(?:{_WS}+{_NAME}{_WS}*={_WS}*{_VALUE})*+"
_ATTR_RE = re.compile(rf'{_WS}+({_NAME}){_WS}*={_WS}*"([^"]*)"', re.A)
_HEAD_RE = re.compile(rf"<entry({_ATTRS}){_WS}*>\Z", re.A)
# from <content> on: the entity, and nothing after it but the end tags
_DECLS = rf"(?:{_WS}+xmlns(?::{_NC})?{_WS}*={_WS}*{_VALUE})*+"
_CONTENT_RE = re.compile(
    rf"<content({_ATTRS}){_WS}*>{_WS}*<({_NAME})({_DECLS})({_ATTRS}){_WS}*"
    rf"(?:/>|>(.*)</\2{_WS}*>)"
    rf"{_WS}*</content{_WS}*>{_WS}*</entry{_WS}*>{_WS}*\Z",
    re.A | re.S,
)
# a leaf child of the entity as the live feed writes it: no attribute, ``ref`` or ``p:nil``;
# text without markup, entity references or carriage returns. Anything else matches the
# last group (not plain); whitespace between children is skipped.
_CHILD_RE = re.compile(
    rf"<({_NAME})(?:>([^<&\r]*)</\1>"
    rf'|(?: ref="([^"<&\t\n\r]*)"| ({_NC}):nil="([^"<&\t\n\r]*)")? ?/>)'
    r"|([^ \t\n])",
    re.A,
)
_XMLNS = "xmlns"
_NIL_TRUE = ("true", "1")
_ENTITY_ATTRS = {
    (TK_NS, "bijgewerkt"): _A_BIJGEWERKT,
    (TK_NS, "verwijderd"): _A_VERWIJDERD,
    (TK_NS, "contentType"): _A_CONTENT_TYPE,
    (TK_NS, "contentLength"): _A_CONTENT_LENGTH,
}


@lru_cache(maxsize=256)
def _bindings(head: bytes, content_attrs: str, entity_decls: str) -> dict[str, str] | None:
    """Namespace prefixes declared on ``<entry>``, ``<content>`` and (first of its
    attributes) the entity: the same on almost every entry of a feed, so cached (and never
    changed by the caller). None: not a plain start tag."""
    match = _HEAD_RE.match(head.decode("utf-8", "replace"))
    if match is None:
        return None
    bindings: dict[str, str] = {}
    found = [*_ATTR_RE.findall(match[1]), *_ATTR_RE.findall(content_attrs)]
    for name, value in [*found, *_ATTR_RE.findall(entity_decls)]:
        if name == _XMLNS:
            bindings[""] = value
        elif name.startswith("xmlns:"):
            bindings[name[6:]] = value
    return bindings


_Child = tuple[tuple[int, int, Any], str, str | None]
_child_names: dict[str, dict[str, _Child | None]] = {}


def _child_name(spec: CategorySpec, name: str) -> _Child | None:
    """(handler, local name, prefix) of a child element name as written; None: unknown.
    Remembered per category (the names a feed writes are few)."""
    prefix, _, local = name.rpartition(":")
    handler = spec.handlers.get(local)
    found = None if handler is None else (handler, local, prefix or None)
    names = _child_names[spec.name]
    if len(names) < 1000:
        names[name] = found
    return found


def extract_plain(spec: CategorySpec, entry: bytes) -> Extracted | Tombstone | None:
    """A stored ``<entry>`` of the plain shape → what :func:`~.base.extract` gives for its
    entity element; ``None`` for any other shape (parse it with lxml then)."""
    head_end = entry.find(b">") + 1
    start = entry.find(b"<content", head_end)
    # the first <content>: no comment, CDATA, processing instruction or other "content"
    # (a prefixed one, say) before it
    if (
        start < 0
        or entry.find(b"content", head_end, start) >= 0
        or entry.find(b"<!", head_end, start) >= 0
        or entry.find(b"<?", head_end, start) >= 0
        or b"\r" in entry
        or b"]]>" in entry
    ):
        return None
    try:
        text = entry[start:].decode()
    except UnicodeDecodeError:
        return None
    match = _CONTENT_RE.match(text)
    if match is None:
        return None
    bindings = _bindings(entry[:head_end], match[1], match[3])
    if bindings is None:
        return None
    attrs: list[tuple[str, str]] = _ATTR_RE.findall(match[4])
    body = match[5]
    if body:
        values = _children(spec, body, bindings)
        if values is None:
            return None
        vals, extra = values
    else:
        vals, extra = [() if f.is_link else None for f in spec.fields], {}
    return _finish(spec, attrs, bindings, vals, extra)


def _children(
    spec: CategorySpec, body: str, bindings: dict[str, str]
) -> tuple[list[Any], dict[str, str]] | None:
    """The entity's leaf children as :func:`~.base._fill` would read them; None: not plain."""
    fields = spec.fields
    names = _child_names.get(spec.name)
    if names is None:
        names = _child_names[spec.name] = {}
    vals: list[Any] = [None] * len(fields)
    seen = [False] * len(fields)
    extra: dict[str, str] = {}
    for qname, text, ref, nil_prefix, nil, other in _CHILD_RE.findall(body):
        if other:
            return None
        known = names[qname] if qname in names else _child_name(spec, qname)
        if known is None:  # unknown elements and groups: lxml keeps them as XML
            return None
        (index, code, convert), name, prefix = known
        if prefix is not None and prefix not in bindings:
            return None
        if code == CODE_REFS:
            if ref:
                if seen[index]:
                    vals[index].append(ref)
                else:
                    seen[index] = True
                    vals[index] = [ref]
            continue
        if seen[index]:  # a repeated 0..1 element: the first wins, the others are kept
            if code == CODE_REF:
                if ref:
                    _keep(extra, fields[index].xml, ref, repeat=True)
            elif code == CODE_REFS_BIJGEWERKT:
                if ref:
                    vals[index].append((ref, None))
            else:
                if ref or nil_prefix:  # lxml would serialise the element: leave it to lxml
                    return None
                _keep(extra, name, text, repeat=True)
            continue
        seen[index] = True
        if code == CODE_TEXT:
            if text:
                vals[index] = text
            elif not nil_prefix:
                vals[index] = ""
            else:
                uri = bindings.get(nil_prefix)
                if uri is None:
                    return None
                if not (nil in _NIL_TRUE and uri == XSI_NS):
                    vals[index] = ""
        elif code == CODE_SCALAR:
            if text:
                try:
                    vals[index] = convert(text)
                except ParseError:
                    extra[INVALID_PREFIX + name] = text
        elif code == CODE_REF:
            vals[index] = ref or None
        else:
            vals[index] = [(ref, None)] if ref else []
    for index in spec.link_index:
        value = vals[index]
        vals[index] = () if value is None else tuple(value)
    return vals, extra


def _finish(
    spec: CategorySpec,
    attrs: list[tuple[str, str]],
    bindings: dict[str, str],
    vals: list[Any],
    extra: dict[str, str],
) -> Extracted | Tombstone | None:
    """The entity's attributes, as :func:`~.base.extract` reads them."""
    ident = raw_stamp = content_type = length = None
    verwijderd = "false"
    seen: set[str] = set()
    for name, value in attrs:
        prefix, _, local = name.rpartition(":")
        if name[:5] == _XMLNS:  # a declaration after other attributes: rare, lxml's
            return None
        if prefix:
            uri = bindings.get(prefix)
            if not uri:
                return None
            key = _ENTITY_ATTRS.get((uri, local)) or f"{{{uri}}}{local}"
        else:
            key = local
        if key in seen:
            return None
        seen.add(key)
        if key == _A_ID:
            ident = value
        elif key == _A_BIJGEWERKT:
            raw_stamp = value
        elif key == _A_VERWIJDERD:
            verwijderd = value
        elif key == _A_CONTENT_TYPE:
            content_type = value
        elif key == _A_CONTENT_LENGTH:
            length = value
        else:
            extra["@" + local] = value
    if not ident:
        return None
    try:
        bijgewerkt = to_utc_iso(raw_stamp) if raw_stamp else None
    except ParseError:
        return None
    if verwijderd != "false" and verwijderd.strip().lower() in ("true", "1"):
        return Tombstone(spec.name, ident, bijgewerkt)
    result = Extracted(ident, bijgewerkt, vals, extra)
    if spec.download:
        result.content_type = content_type
        if length:
            try:
                result.content_length = to_int(length)
            except ParseError:
                extra[INVALID_PREFIX + "@contentLength"] = length
    return result
