"""The shared engine of the per-category parsers.

Each category module declares a dataclass whose fields carry their XML name and kind in
``dataclasses.field`` metadata (made by the helpers :func:`text`, :func:`integer`, ...).
:func:`make_spec` turns that into a lookup table once; :func:`parse_element` fills a record
from an entity element in one pass over its children.

Rules (spec §3.1): namespace-aware by local name (``tk:``, ``ns1:`` and default
namespaces parse alike), element order is never assumed, ``xsi:nil`` is null, repeated
0..1 relations are kept, unknown elements are kept in ``extra`` and never fatal.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from lxml import etree

from kamerwatch.safepaths import is_guid

TK_NS = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ATOM_NS = "http://www.w3.org/2005/Atom"
XSI_NIL = f"{{{XSI_NS}}}nil"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_A_ID = "id"
_A_VERWIJDERD = f"{{{TK_NS}}}verwijderd"
_A_BIJGEWERKT = f"{{{TK_NS}}}bijgewerkt"
_A_CONTENT_TYPE = f"{{{TK_NS}}}contentType"
_A_CONTENT_LENGTH = f"{{{TK_NS}}}contentLength"
_KNOWN_ENTITY_ATTRS = {_A_ID, _A_VERWIJDERD, _A_BIJGEWERKT, _A_CONTENT_TYPE, _A_CONTENT_LENGTH}


class ParseError(ValueError):
    """An entity cannot be parsed at all (not a value-level problem)."""


class RefusedEntity(ParseError):
    """An entity whose id is not a GUID: never stored in the mirror (an id ends up in file
    paths and URLs), its raw entry kept and the refusal recorded."""

    def __init__(self, ident: str, reason: str) -> None:
        super().__init__(reason)
        self.ident = ident


# ---------------------------------------------------------------- value converters


def to_text(raw: str) -> str:
    return raw


def to_int(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise ParseError(f"geen geheel getal: {raw!r}") from exc
    # int() also takes "1_000" and non-ASCII digits; SQLite takes at most 64 bits
    if "_" in raw or not raw.isascii() or not -(1 << 63) <= value < 1 << 63:
        raise ParseError(f"geen geheel getal (64 bits): {raw!r}")
    return value


def to_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ParseError(f"geen boolean: {raw!r}")


def to_decimal(raw: str) -> Decimal:
    try:
        return Decimal(raw.strip())
    except InvalidOperation as exc:
        raise ParseError(f"geen decimaal getal: {raw!r}") from exc


_DT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_timestamp(raw: str) -> datetime:
    """Any of the feed's timestamp styles → aware datetime (no offset = Europe/Amsterdam)."""
    m = _DT_RE.match(raw.strip())
    if m is None:
        raise ParseError(f"geen tijdstip: {raw!r}")
    y, mo, d, h, mi, s, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        naive = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro)
    except ValueError as exc:
        raise ParseError(f"ongeldig tijdstip: {raw!r}") from exc
    if tz is None:
        return naive.replace(tzinfo=AMSTERDAM)
    if tz == "Z":
        return naive.replace(tzinfo=UTC)
    sign = 1 if tz[0] == "+" else -1
    digits = tz[1:].replace(":", "")
    offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
    return (naive - timedelta(minutes=offset)).replace(tzinfo=UTC)


@lru_cache(maxsize=4096)
def _amsterdam_offset(hour: str) -> timedelta:
    """UTC offset of Dutch wall-clock time in the hour ``YYYY-MM-DDTHH``."""
    stamp = datetime(int(hour[:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]))
    offset = stamp.replace(tzinfo=AMSTERDAM).utcoffset()
    return offset if offset is not None else timedelta(0)


def _frac6(raw: str, start: int, end: int) -> str:
    if start < end and raw[start] == ".":
        return raw[start + 1 : end][:6].ljust(6, "0")
    return "000000"


def to_utc_iso(raw: str) -> str:
    """Normalise ``bijgewerkt``/``updated`` to UTC ISO 8601 with microseconds and ``Z``."""
    n = len(raw)
    if n >= 19 and raw[10] == "T" and raw[4] == "-" and raw[:19].isascii():
        if raw[-1] == "Z":  # UTC already: 2019-07-19T11:50:56.1999488Z / 2023-08-29T11:09:59Z
            return f"{raw[:19]}.{_frac6(raw, 19, n - 1)}Z"
        if raw.find("+", 19) < 0 and raw.find("-", 19) < 0:  # Dutch local, no offset
            try:
                local = datetime.fromisoformat(raw[:19])
            except ValueError as exc:
                raise ParseError(f"ongeldig tijdstip: {raw!r}") from exc
            utc = local - _amsterdam_offset(raw[:13])
            return f"{utc.isoformat()}.{_frac6(raw, 19, n)}Z"
    stamp = parse_timestamp(raw).astimezone(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_local_datetime(raw: str) -> str:
    """Business times (datum, aanvangstijd …) → Dutch wall-clock ``YYYY-MM-DDTHH:MM:SS``."""
    value = raw.strip()
    if len(value) == 19 and value[10] == "T":  # the common case: already local, no offset
        return value
    stamp = parse_timestamp(value)
    if stamp.tzinfo is not AMSTERDAM:
        stamp = stamp.astimezone(AMSTERDAM)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


def to_date(raw: str) -> str:
    value = raw.strip()
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise ParseError(f"geen datum: {raw!r}") from exc


# ---------------------------------------------------------------- field declarations

KIND_TEXT = "text"
KIND_INT = "int"
KIND_BOOL = "bool"
KIND_DECIMAL = "decimal"
KIND_DATETIME = "datetime"
KIND_DATE = "date"
KIND_DATUM = "datum"  # flexible: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www …: kept as text
KIND_REF = "ref"
KIND_REFS = "refs"
KIND_REFS_BIJGEWERKT = "refs_bijgewerkt"

CONVERTERS: dict[str, Callable[[str], Any]] = {
    KIND_TEXT: to_text,
    KIND_INT: to_int,
    KIND_BOOL: to_bool,
    KIND_DECIMAL: to_decimal,
    KIND_DATETIME: to_local_datetime,
    KIND_DATE: to_date,
    KIND_DATUM: to_text,
}
SCALAR_KINDS = frozenset(CONVERTERS)
SQL_TYPES = {
    KIND_TEXT: "TEXT",
    KIND_INT: "INTEGER",
    KIND_BOOL: "INTEGER",
    KIND_DECIMAL: "TEXT",
    KIND_DATETIME: "TEXT",
    KIND_DATE: "TEXT",
    KIND_DATUM: "TEXT",
    KIND_REF: "TEXT",
}


def _declare(kind: str, xml: str | None, default: Any = None) -> Any:
    if kind in (KIND_REFS, KIND_REFS_BIJGEWERKT):
        return field(default=(), metadata={"kind": kind, "xml": xml})
    return field(default=default, metadata={"kind": kind, "xml": xml})


def text(xml: str | None = None) -> Any:
    return _declare(KIND_TEXT, xml)


def integer(xml: str | None = None) -> Any:
    return _declare(KIND_INT, xml)


def boolean(xml: str | None = None) -> Any:
    return _declare(KIND_BOOL, xml)


def decimal(xml: str | None = None) -> Any:
    return _declare(KIND_DECIMAL, xml)


def datetime_(xml: str | None = None) -> Any:
    return _declare(KIND_DATETIME, xml)


def date_(xml: str | None = None) -> Any:
    return _declare(KIND_DATE, xml)


def datum(xml: str | None = None) -> Any:
    return _declare(KIND_DATUM, xml)


def ref(xml: str | None = None) -> Any:
    """A 0..1 relation: the field holds the target GUID."""
    return _declare(KIND_REF, xml)


def refs(xml: str | None = None) -> Any:
    """A 0..n relation: the field holds a tuple of target GUIDs, in document order."""
    return _declare(KIND_REFS, xml)


def refs_bijgewerkt(xml: str | None = None) -> Any:
    """A 0..n relation whose elements also carry ``bijgewerkt``: tuple of (guid, bijgewerkt)."""
    return _declare(KIND_REFS_BIJGEWERKT, xml)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def default_xml_name(attr: str, kind: str) -> str:
    if kind == KIND_REF and attr.endswith("_id"):
        attr = attr[: -len("_id")]
    elif kind in (KIND_REFS, KIND_REFS_BIJGEWERKT) and attr.endswith("_ids"):
        attr = attr[: -len("_ids")]
    return _camel(attr)


# ---------------------------------------------------------------- records


@dataclass(slots=True, kw_only=True)
class Entity:
    """Fields every entity has. ``bijgewerkt`` is normalised to UTC ISO 8601."""

    id: str
    bijgewerkt: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    CATEGORY: ClassVar[str] = ""
    ELEMENT: ClassVar[str] = ""


@dataclass(slots=True, kw_only=True)
class DownloadEntity(Entity):
    """Entities with a file behind ``/Resources/<id>`` (XSD ``downloadEntiteitType``)."""

    content_type: str | None = None
    content_length: int | None = None


@dataclass(frozen=True, slots=True)
class Tombstone:
    """``verwijderd="true"``: the entity and its own relations are to be removed."""

    category: str
    id: str
    bijgewerkt: str | None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    attr: str
    xml: str  # local name, or "parent/child" for the nested groups of a few categories
    kind: str

    @property
    def column(self) -> str:
        return self.attr

    @property
    def is_link(self) -> bool:
        return self.kind in (KIND_REFS, KIND_REFS_BIJGEWERKT)


CODE_TEXT, CODE_SCALAR, CODE_REF, CODE_REFS, CODE_REFS_BIJGEWERKT = range(5)
_CODES = {KIND_TEXT: CODE_TEXT, KIND_REF: CODE_REF, KIND_REFS: CODE_REFS}
_CODES[KIND_REFS_BIJGEWERKT] = CODE_REFS_BIJGEWERKT

Handler = tuple[int, int, Callable[[str], Any] | None]
"""(field index, kind code, converter) — the per-element dispatch entry."""


@dataclass(frozen=True, slots=True)
class CategorySpec:
    name: str  # feed category, PascalCase: "PersoonGeschenk"
    element: str  # entity element local name: "persoonGeschenk"
    record: type[Entity]
    fields: tuple[FieldSpec, ...]
    download: bool
    columns: tuple[FieldSpec, ...]  # scalars and 0..1 relations: one table column each
    links: tuple[FieldSpec, ...]  # 0..n relations: rows of the link table
    column_index: tuple[int, ...]  # positions of ``columns`` in ``fields``
    link_index: tuple[int, ...]
    # element dispatch tables, keyed by Clark name ``{ns}local`` and by bare local name
    handlers: dict[str, Handler]
    groups: dict[str, dict[str, Handler]]

    @property
    def table(self) -> str:
        return self.name.lower()


def _handler(index: int, spec: FieldSpec) -> Handler:
    code = _CODES.get(spec.kind, CODE_SCALAR)
    return (index, code, CONVERTERS[spec.kind] if code == CODE_SCALAR else None)


def make_spec(record: type[Entity]) -> CategorySpec:
    specs: list[FieldSpec] = []
    base_names = {f.name for f in dataclasses.fields(DownloadEntity)}
    for f in dataclasses.fields(record):
        if f.name in base_names:
            continue
        kind = f.metadata.get("kind")
        if kind is None:
            raise TypeError(f"{record.__name__}.{f.name} has no field kind")
        xml = f.metadata.get("xml") or default_xml_name(f.name, kind)
        specs.append(FieldSpec(f.name, xml, kind))
    handlers: dict[str, Handler] = {}
    groups: dict[str, dict[str, Handler]] = {}
    for index, spec in enumerate(specs):
        if "/" in spec.xml:
            parent, child = spec.xml.split("/", 1)
            table = groups.setdefault(parent, {})
            groups[f"{{{TK_NS}}}{parent}"] = table
        else:
            table, child = handlers, spec.xml
        table[child] = table[f"{{{TK_NS}}}{child}"] = _handler(index, spec)
    return CategorySpec(
        name=record.CATEGORY,
        element=record.ELEMENT,
        record=record,
        fields=tuple(specs),
        download=issubclass(record, DownloadEntity),
        columns=tuple(f for f in specs if not f.is_link),
        links=tuple(f for f in specs if f.is_link),
        column_index=tuple(i for i, f in enumerate(specs) if not f.is_link),
        link_index=tuple(i for i, f in enumerate(specs) if f.is_link),
        handlers=handlers,
        groups=groups,
    )


# ---------------------------------------------------------------- the engine

_UNSET: Any = object()
INVALID_PREFIX = "!"
"""``extra`` key prefix for a value that does not fit its declared type (kept raw)."""


def _local(tag: str) -> str:
    return tag[tag.find("}") + 1 :] if tag[:1] == "{" else tag


def _flatten_unknown(elem: etree._Element) -> str:
    if len(elem) == 0 and not elem.attrib:
        return elem.text or ""
    return etree.tostring(elem, encoding="unicode", with_tail=False)


def _is_nil(elem: etree._Element) -> bool:
    return elem.get(XSI_NIL) in ("true", "1")


def _keep(extra: dict[str, str], key: str, value: str, repeat: bool = False) -> None:
    """Store in ``extra`` under ``key``, or ``key#2``, ``key#3`` … when taken (or a repeat)."""
    if repeat or key in extra:
        n = 2
        while f"{key}#{n}" in extra:
            n += 1
        key = f"{key}#{n}"
    extra[key] = value


def _fill(
    spec: CategorySpec,
    elem: etree._Element,
    vals: list[Any],
    extra: dict[str, str],
    handlers: dict[str, Handler],
    prefix: str,
) -> None:
    for child in elem:
        tag = child.tag
        handler = handlers.get(tag)
        if handler is None:
            if not isinstance(tag, str):  # comments, processing instructions
                continue
            local = _local(tag)
            handler = handlers.get(local)  # same name in another namespace or prefix
            if handler is None:
                group = spec.groups.get(local) if not prefix else None
                if group is not None:
                    if not _is_nil(child):
                        _fill(spec, child, vals, extra, group, local + "/")
                else:
                    _keep(extra, prefix + local, _flatten_unknown(child))
                continue
        index, code, convert = handler
        if code == CODE_REFS:
            target = child.get("ref")
            if target:
                if vals[index] is _UNSET:
                    vals[index] = [target]
                else:
                    vals[index].append(target)
            continue
        if vals[index] is not _UNSET:
            # a repeated 0..1 element: the first wins, the others are kept, never dropped
            if code == CODE_REF:
                target = child.get("ref")
                if target:
                    _keep(extra, spec.fields[index].xml, target, repeat=True)
            elif code == CODE_REFS_BIJGEWERKT:
                _add_ref_bijgewerkt(vals, index, child)
            else:
                _keep(extra, prefix + _local(str(tag)), _flatten_unknown(child), repeat=True)
            continue
        if code == CODE_TEXT:
            text = child.text
            vals[index] = text if text is not None else (None if _is_nil(child) else "")
        elif code == CODE_SCALAR:
            text = child.text
            if text is None:
                vals[index] = None
            else:
                try:
                    vals[index] = convert(text)  # type: ignore[misc]
                except ParseError:
                    vals[index] = None
                    extra[INVALID_PREFIX + prefix + _local(str(tag))] = text
        elif code == CODE_REF:
            vals[index] = child.get("ref") or None
        else:
            vals[index] = []
            _add_ref_bijgewerkt(vals, index, child)


def _add_ref_bijgewerkt(vals: list[Any], index: int, child: etree._Element) -> None:
    target = child.get("ref")
    if target:
        stamp = child.get(_A_BIJGEWERKT) or child.get("bijgewerkt")
        vals[index].append((target, to_utc_iso(stamp) if stamp else None))


@dataclass(slots=True)
class Extracted:
    """The raw result of the engine, before it becomes a record or a database row."""

    id: str
    bijgewerkt: str | None
    values: list[Any]  # in ``spec.fields`` order; links as tuples
    extra: dict[str, str]
    content_type: str | None = None
    content_length: int | None = None


def extract(spec: CategorySpec, elem: etree._Element) -> Extracted | Tombstone:
    """Entity element (any prefix) → values in field order, or :class:`Tombstone`."""
    ident: str | None = None
    raw_stamp = content_type = length = ident
    verwijderd = "false"
    others: list[tuple[str, str]] | None = None
    attributes: list[tuple[str, str]] = elem.items()  # type: ignore[assignment]
    for key, value in attributes:  # one C call instead of a lookup per attribute
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
            if others is None:
                others = []
            others.append((key, value))
    if not ident:
        raise ParseError(f"{spec.element} zonder id-attribuut")
    if not is_guid(ident):
        raise RefusedEntity(ident, f"{spec.element}: id {ident[:80]!r} is geen GUID; geweigerd")
    try:
        bijgewerkt = to_utc_iso(raw_stamp) if raw_stamp else None
    except ParseError as exc:
        raise ParseError(f"{spec.element} {ident}: bijgewerkt: {exc}") from exc
    if verwijderd != "false" and verwijderd.strip().lower() in ("true", "1"):
        return Tombstone(spec.name, ident, bijgewerkt)
    vals: list[Any] = [_UNSET] * len(spec.fields)
    extra: dict[str, str] = {}
    try:
        _fill(spec, elem, vals, extra, spec.handlers, "")
    except ParseError as exc:
        raise ParseError(f"{spec.element} {ident}: {exc}") from exc
    for index, value in enumerate(vals):
        if value is _UNSET:
            vals[index] = None
    for index in spec.link_index:
        value = vals[index]
        vals[index] = () if value is None else tuple(value)
    if others is not None:
        for key, value in others:
            extra["@" + _local(key)] = value
    result = Extracted(ident, bijgewerkt, vals, extra)
    if spec.download:
        result.content_type = content_type
        if length:
            try:
                result.content_length = to_int(length)
            except ParseError:
                extra[INVALID_PREFIX + "@contentLength"] = length
    return result


def parse_element(spec: CategorySpec, elem: etree._Element) -> Entity | Tombstone:
    """Entity element (any prefix) → typed record or :class:`Tombstone`."""
    found = extract(spec, elem)
    if isinstance(found, Tombstone):
        return found
    kwargs = {f.attr: value for f, value in zip(spec.fields, found.values, strict=True)}
    if spec.download:
        kwargs["content_type"] = found.content_type
        kwargs["content_length"] = found.content_length
    return spec.record(id=found.id, bijgewerkt=found.bijgewerkt, extra=found.extra, **kwargs)


def parse_entity_bytes(spec: CategorySpec, xml: bytes) -> Entity | Tombstone:
    """Pure: the XML of an entity element, or of a whole Atom ``<entry>``, → record."""
    try:
        root = etree.fromstring(xml, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"geen geldige XML: {exc}") from exc
    if _local(root.tag) == "entry":
        content = find_entity_element(root)
        if content is None:
            raise ParseError("entry zonder entiteit in <content>")
        root = content
    return parse_element(spec, root)


def find_entity_element(entry: etree._Element) -> etree._Element | None:
    """The first element inside the entry's first ``content`` child (any namespace)."""
    content = next(entry.iterchildren("{*}content"), None)  # C-level tag matching
    return None if content is None else next(content.iterchildren("*"), None)


SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False
)
