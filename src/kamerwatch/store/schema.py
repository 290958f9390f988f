"""The relational model of the mirror, derived from the parser specs (pure: no connection).

One table per category (``id`` primary key) with one column per scalar field and per
0..1 relation (``<name>_id``, indexed); 0..n relations go to the shared ``link`` table,
indexed both ways. Every row carries the feed position (``skiptoken``) that produced it,
so the newest version wins by feed order, never by ``bijgewerkt``.

Migrations freeze what this module generates at the time they ran: a field added to a
parser later needs its own migration (``ALTER TABLE … ADD COLUMN``).
"""

from __future__ import annotations

import json
from typing import Any

from kamerwatch.sync.parsers import all_specs
from kamerwatch.sync.parsers.base import (
    KIND_BOOL,
    KIND_REF,
    KIND_REFS_BIJGEWERKT,
    SQL_TYPES,
    CategorySpec,
    Extracted,
)

BASE_COLUMNS = ("id", "skiptoken", "updated", "bijgewerkt")
DOWNLOAD_COLUMNS = ("enclosure", "content_type", "content_length")
INDEXED_SCALARS = frozenset({"nummer", "document_nummer", "datum", "soort"})


def columns(spec: CategorySpec) -> tuple[str, ...]:
    cols = list(BASE_COLUMNS)
    if spec.download:
        cols.extend(DOWNLOAD_COLUMNS)
    cols.extend(f.column for f in spec.columns)
    cols.append("extra")
    return tuple(cols)


def table_ddl(spec: CategorySpec) -> str:
    parts = [
        "id TEXT PRIMARY KEY",
        "skiptoken INTEGER NOT NULL",
        "updated TEXT",
        "bijgewerkt TEXT",
    ]
    if spec.download:
        parts += ["enclosure TEXT", "content_type TEXT", "content_length INTEGER"]
    parts += [f"{f.column} {SQL_TYPES[f.kind]}" for f in spec.columns]
    parts.append("extra TEXT")
    lines = [f"CREATE TABLE {spec.table} (\n    " + ",\n    ".join(parts) + "\n)"]
    for f in spec.columns:
        if f.kind == KIND_REF or f.column in INDEXED_SCALARS:
            lines.append(f"CREATE INDEX {spec.table}_{f.column} ON {spec.table} ({f.column})")
    return ";\n".join(lines)


LINK_DDL = """
CREATE TABLE link (
    src_id       TEXT NOT NULL,
    relation     TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    src_category TEXT NOT NULL,
    dst_id       TEXT NOT NULL,
    bijgewerkt   TEXT,
    PRIMARY KEY (src_id, relation, pos)
) WITHOUT ROWID;
CREATE INDEX link_dst ON link (dst_id, src_category, relation)
"""


def mirror_ddl() -> str:
    return ";\n".join([table_ddl(spec) for spec in all_specs()] + [LINK_DDL])


def upsert_sql(spec: CategorySpec) -> str:
    cols = columns(spec)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
    return (
        f"INSERT INTO {spec.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates} "
        f"WHERE excluded.skiptoken > {spec.table}.skiptoken"
    )


def entity_row(
    spec: CategorySpec, found: Extracted, skiptoken: int, updated: str | None, enclosure: str | None
) -> tuple[Any, ...]:
    """Extracted values as the tuple of :func:`columns` (pure)."""
    values = found.values
    head: tuple[Any, ...] = (found.id, skiptoken, updated, found.bijgewerkt)
    if spec.download:
        head += (enclosure, found.content_type, found.content_length)
    extra = json.dumps(found.extra, ensure_ascii=False) if found.extra else None
    return (*head, *[values[i] for i in spec.column_index], extra)


def link_rows(spec: CategorySpec, found: Extracted) -> list[tuple[Any, ...]]:
    """The 0..n relations as ``link`` rows (pure)."""
    rows: list[tuple[Any, ...]] = []
    for f, index in zip(spec.links, spec.link_index, strict=True):
        targets = found.values[index]
        if not targets:
            continue
        if f.kind == KIND_REFS_BIJGEWERKT:
            for pos, (target, stamp) in enumerate(targets):
                rows.append((found.id, f.xml, pos, spec.name, target, stamp))
        else:
            for pos, target in enumerate(targets):
                rows.append((found.id, f.xml, pos, spec.name, target, None))
    return rows


def source_fields(
    category: str, row: Any, links: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """A mirrored row under the XSD's names, for the JSON twins (pure): ``id``,
    ``bijgewerkt``, ``contentType``/``contentLength`` of a downloadable entity, every field
    by its XML name (a 0..1 relation: the target id), the 0..n relations from ``links``
    (relation → target ids in feed order), nested elements nested (``toegezegdAan:
    {persoon: […]}``), and what the feed sent beyond the XSD (``extra``: a list of
    ``{naam, waarde}`` — unknown elements, values that did not fit their type)."""
    from kamerwatch.sync.parsers import spec_for

    spec = spec_for(category)
    out: dict[str, Any] = {"id": row["id"], "bijgewerkt": row["bijgewerkt"]}
    if spec.download:
        out["contentType"] = row["content_type"]
        out["contentLength"] = row["content_length"]
    for f in spec.columns:
        value = row[f.column]
        if f.kind == KIND_BOOL and value is not None:
            value = bool(value)  # SQLite keeps 0/1: the twin says true/false on both engines
        _put(out, f.xml, value)
    for f in spec.links:
        _put(out, f.xml, list((links or {}).get(f.xml, ())))
    raw = row["extra"]
    kept = json.loads(raw) if raw else {}
    out["extra"] = [{"naam": k, "waarde": v} for k, v in sorted(kept.items())]
    return out


def _put(out: dict[str, Any], xml: str, value: Any) -> None:
    """``periode/van`` → ``{"periode": {"van": …}}``: nested as in the XML."""
    parent, _, child = xml.rpartition("/")
    if parent:
        out.setdefault(parent, {})[child] = value
    else:
        out[xml] = value
