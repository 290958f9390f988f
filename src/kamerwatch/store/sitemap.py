"""The queries behind the sitemaps: per kind of page (``kamerwatch.kinds``), how many there
are and one chunk of their keys with the date of their last change.

The SQL is written here from each kind's :class:`~kamerwatch.kinds.Source` (table, key
column, optional second key and excluded rows). A chunk is a slice of the keys in a stable
order (the key itself, served by an index), so ``/sitemaps/<name>-<n>.xml`` always lists the
same pages until the mirror changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kamerwatch.kinds import KINDS, Kind

from .db import Connection


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # nummer, id, or the dossier's nummer (toevoeging apart)
    toevoeging: str | None
    bijgewerkt: str | None


@lru_cache(maxsize=64)
def _sql(kind: Kind) -> tuple[str, str]:
    """(SELECT key, suffix, bijgewerkt … ordered by key; count of the same keys)."""
    s = kind.source
    key = f"CAST({s.key} AS TEXT)" if s.numeric_key else s.key
    suffix = s.suffix or "NULL"
    where = f"{s.key} IS NOT NULL"
    if s.exclude:
        where += f" AND coalesce({s.exclude[0]}, '') <> '{s.exclude[1]}'"
    group = f"{s.key}, {s.suffix}" if s.suffix else s.key
    order = f"{s.key}, {s.suffix} NULLS FIRST" if s.suffix else s.key  # the key is never NULL
    select = (
        f"SELECT {key}, {suffix}, max(bijgewerkt) FROM {s.table} WHERE {where} "
        f"GROUP BY {group} ORDER BY {order}"
    )
    count = f"SELECT count(*) FROM (SELECT 1 FROM {s.table} WHERE {where} GROUP BY {group}) d"
    return select, count


def names() -> tuple[str, ...]:
    """The sitemap names of the kinds that have one, in declaration order."""
    return tuple(k.sitemap for k in KINDS.with_sitemap() if k.sitemap)


def count(conn: Connection, name: str) -> int:
    """How many pages the sitemap ``name`` lists."""
    kind = KINDS.by_sitemap(name)
    assert kind is not None, name
    return int(conn.execute(_sql(kind)[1]).fetchone()[0])


def entries(conn: Connection, name: str, offset: int, limit: int) -> list[Entry]:
    """The pages ``offset`` … ``offset + limit`` of sitemap ``name`` in key order."""
    kind = KINDS.by_sitemap(name)
    assert kind is not None, name
    sql = f"{_sql(kind)[0]} LIMIT ? OFFSET ?"
    return [Entry(str(r[0]), r[1], r[2]) for r in conn.execute(sql, (limit, offset))]
