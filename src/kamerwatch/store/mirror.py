"""Named queries of the mirror: raw log, cursors, entity rows and links."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

from kamerwatch.sync.parsers import CATEGORIES, spec_for

from . import changes as changes_log
from . import schema
from .db import (
    Connection,
    SqliteConnection,
    in_list,
    is_postgres_url,
    pg_url,
    sqlite_path,
)
from .migrations import Migrations

MIGRATIONS = Migrations("mirror", "kamerwatch.store", "sql/mirror")

RawRow = tuple[int, str, str, str | None, str | None, bytes]
"""(skiptoken, category, id, updated, enclosure, compressed entry XML)"""


class EntityChange(NamedTuple):
    """One entry's effect on the mirror: ``row`` is None for a tombstone."""

    skiptoken: int
    id: str
    row: tuple[Any, ...] | None
    links: list[tuple[Any, ...]]


Change = tuple[int, str, tuple[Any, ...] | None, list[tuple[Any, ...]]]
"""An :class:`EntityChange` or the plain tuple it travels as between processes (pickling
named tuples costs a Python call each; the writer reads the fields by position)."""


def plain_changes(changes: Sequence[Change]) -> list[Change]:
    """The changes as plain tuples: several times cheaper to pickle and unpickle."""
    return [tuple(change) for change in changes]  # type: ignore[misc]


@dataclass(slots=True)
class PageRows:
    """A parsed feed page, ready to write: built in a worker, written by the one writer."""

    category: str
    raw: list[RawRow]
    changes: Sequence[Change]  # EntityChange in the worker, plain tuples after pickling
    last_token: int | None
    unknown: dict[str, str] = field(default_factory=dict)  # element name → example entity id
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (token, id, reason)

    def __reduce__(self) -> tuple[Any, ...]:
        # crosses the process boundary with its changes as plain tuples (see ``Change``)
        changes = plain_changes(self.changes)
        return (
            PageRows,
            (self.category, self.raw, changes, self.last_token, self.unknown, self.refused),
        )


@dataclass(slots=True)
class WriteResult:
    new_entries: int
    applied: int
    deleted: int
    new_unknown: list[str]
    new_refused: list[tuple[int, str, str]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@cache
def _upsert_sql(category: str) -> str:
    return schema.upsert_sql(spec_for(category))


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_tokens(conn: Connection, tokens: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(tokens):
        marks = in_list(chunk)
        sql = f"SELECT skiptoken FROM raw_entry WHERE skiptoken IN ({marks})"
        found.update(row[0] for row in conn.execute(sql, tuple(chunk)))
    return found


def _current_tokens(conn: Connection, table: str, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        marks = in_list(chunk)
        sql = f"SELECT id, skiptoken FROM {table} WHERE id IN ({marks})"
        found.update(conn.execute(sql, tuple(chunk)))
    return found


def apply_changes(
    conn: Connection,
    category: str,
    changes: Sequence[Change],
    *,
    absent: bool = False,
    effects: list[tuple[str, str, str, str | None]] | None = None,
) -> tuple[int, int]:
    """Upsert/delete in feed order: per id the latest entry wins, an older one never
    overwrites a newer row. Returns (rows written, rows deleted). ``absent``: the caller
    knows that none of these ids has a row or links yet (a re-parse into an emptied table),
    which saves looking them up. ``effects`` (for the change feed) receives ``(category,
    id, nieuw|gewijzigd|verwijderd, JSON path)`` of every change that is applied."""
    if not changes:  # a page with nothing new: no need to load the category's parser
        return 0, 0
    spec = spec_for(category)
    latest: dict[str, Change] = {}
    for change in changes:  # (skiptoken, id, row, links): by position, see ``Change``
        seen = latest.get(change[1])
        if seen is None or change[0] > seen[0]:
            latest[change[1]] = change
    if absent or (not spec.links and effects is None):
        # nothing to look up: no links to replace, and the statements themselves keep a
        # newer stored row (the upsert's WHERE, the guarded DELETE)
        current: dict[str, int] = {}
    else:
        current = _current_tokens(conn, spec.table, list(latest))
    if current:
        todo = [c for c in latest.values() if c[0] > current.get(c[1], -1)]
    else:  # the common case of a first load: nothing to compare with
        todo = list(latest.values())
    existing = [(c[1],) for c in todo if c[1] in current]
    gone = [(c[1], c[0]) for c in todo if c[2] is None]
    live = [c[2] for c in todo if c[2] is not None]
    if effects is not None:
        for c in todo:
            if c[2] is None:
                effects.append((category, c[1], changes_log.DELETED, None))
            else:
                what = changes_log.CHANGED if c[1] in current else changes_log.NEW
                effects.append((category, c[1], what, changes_log.mirror_path(category, c[2])))
    if existing and spec.links:
        conn.executemany("DELETE FROM link WHERE src_id = ?", existing)
    if gone:
        conn.executemany(f"DELETE FROM {spec.table} WHERE id = ? AND skiptoken < ?", gone)
    if live:
        conn.executemany(_upsert_sql(category), live)
        links = [link for c in todo for link in c[3]]
        if links:
            conn.executemany(LINK_UPSERT, links)
    return len(live), len(gone)


LINK_UPSERT = (
    "INSERT INTO link (src_id, relation, pos, src_category, dst_id, bijgewerkt) "
    "VALUES (?,?,?,?,?,?) ON CONFLICT (src_id, relation, pos) DO UPDATE SET "
    "src_category = excluded.src_category, dst_id = excluded.dst_id, "
    "bijgewerkt = excluded.bijgewerkt"
)


def secondary_indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's own indexes (not those of its keys)."""
    return conn.backend.secondary_indexes(conn, table)


def drop_indexes(conn: Connection, indexes: list[tuple[str, str]]) -> None:
    """For bulk loads: building an index once at the end beats maintaining it per row."""
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(conn: Connection, indexes: list[tuple[str, str]]) -> None:
    for _name, sql in indexes:
        conn.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))


BULK_INDEXES = "bulk_load_indexes"


def is_empty_mirror(conn: Connection) -> bool:
    return conn.execute("SELECT 1 FROM sync_cursor LIMIT 1").fetchone() is None


def begin_bulk_load(conn: Connection) -> list[tuple[str, str]]:
    """Drop the secondary indexes of all mirror tables for a first, large load; they are
    remembered in ``meta`` and rebuilt by :func:`end_bulk_load` (also after a crash)."""
    pending = get_meta(conn, BULK_INDEXES)
    if pending:
        return [(str(name), str(sql)) for name, sql in json.loads(pending)]
    indexes = [ix for cat in CATEGORIES for ix in secondary_indexes(conn, spec_for(cat).table)]
    indexes += secondary_indexes(conn, "link")
    set_meta(conn, BULK_INDEXES, json.dumps(indexes))
    drop_indexes(conn, indexes)
    return indexes


def end_bulk_load(conn: Connection) -> None:
    pending = get_meta(conn, BULK_INDEXES)
    if pending:
        create_indexes(conn, [(str(name), str(sql)) for name, sql in json.loads(pending)])
        set_meta(conn, BULK_INDEXES, None)


def write_page(conn: Connection, page: PageRows) -> WriteResult:
    """Raw log + mirror + cursor of one page; call inside one transaction."""
    tokens = [raw[0] for raw in page.raw]
    known = _existing_tokens(conn, tokens) if tokens else set()
    fresh_raw = []
    for raw in page.raw:  # a server may repeat an entry, even within one page
        if raw[0] not in known:
            known.add(raw[0])
            fresh_raw.append(raw)
    fresh_tokens = {raw[0] for raw in fresh_raw}
    if fresh_raw:
        conn.executemany(
            "INSERT INTO raw_entry (skiptoken, category, id, updated, enclosure, xml) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            fresh_raw,
        )
    if len(fresh_tokens) == len(page.changes):
        fresh: Sequence[Change] = page.changes
    else:
        fresh = [c for c in page.changes if c[0] in fresh_tokens]
    effects: list[tuple[str, str, str, str | None]] = []
    applied, deleted = apply_changes(conn, page.category, fresh, effects=effects)
    if page.last_token is not None:
        conn.execute(
            "INSERT INTO sync_cursor (category, skiptoken, entries, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (category) DO UPDATE SET "
            "skiptoken = CASE WHEN excluded.skiptoken > sync_cursor.skiptoken "
            "THEN excluded.skiptoken ELSE sync_cursor.skiptoken END, "
            "entries = sync_cursor.entries + excluded.entries, updated_at = excluded.updated_at",
            (page.category, page.last_token, len(fresh_raw), _now()),
        )
    new_unknown = record_unknown(conn, page.category, page.unknown)
    refused = [r for r in page.refused if r[0] in fresh_tokens]
    if refused:
        record_refused(conn, page.category, refused)
    changes_log.log(conn, effects)  # last: holds the change counter until the commit
    return WriteResult(len(fresh_raw), applied, deleted, new_unknown, refused)


def record_refused(
    conn: Connection, category: str, refused: Sequence[tuple[int, str, str]]
) -> None:
    """Entries whose entity was refused (id not a GUID); their raw entry is in the raw log."""
    now = _now()
    conn.executemany(
        "INSERT INTO refused_entry (skiptoken, category, entity_id, reason, seen_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(token, category, ident[:500], reason[:500], now) for token, ident, reason in refused],
    )


def refused_entries(conn: Connection, limit: int = 20) -> tuple[int, list[tuple[Any, ...]]]:
    """(how many, the newest ``limit`` as (category, skiptoken, id, reason, seen_at))."""
    total = int(conn.execute("SELECT count(*) FROM refused_entry").fetchone()[0])
    rows = conn.execute(
        "SELECT category, skiptoken, entity_id, reason, seen_at FROM refused_entry "
        "ORDER BY skiptoken DESC LIMIT ?",
        (limit,),
    )
    return total, list(rows)


def record_unknown(conn: Connection, category: str, names: dict[str, str]) -> list[str]:
    """Remember unknown elements; returns those never seen before (to report once)."""
    new: list[str] = []
    for name, example in names.items():
        cur = conn.execute(
            "INSERT INTO unknown_element (category, name, first_seen, example_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (category, name, _now(), example),
        )
        if cur.rowcount:
            new.append(name)
    return new


def get_cursor(conn: Connection, category: str) -> int | None:
    row = conn.execute(
        "SELECT skiptoken FROM sync_cursor WHERE category = ?", (category,)
    ).fetchone()
    return None if row is None else int(row[0])


def cursors(conn: Connection) -> dict[str, tuple[int, int, str]]:
    """category → (skiptoken, entries received, last write)."""
    rows = conn.execute("SELECT category, skiptoken, entries, updated_at FROM sync_cursor")
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def count_rows(conn: Connection, category: str) -> int:
    table = spec_for(category).table
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def count_raw(conn: Connection, category: str | None = None) -> int:
    if category is None:
        return int(conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0])
    row = conn.execute("SELECT count(*) FROM raw_entry WHERE category = ?", (category,))
    return int(row.fetchone()[0])


def unknown_elements(conn: Connection) -> list[tuple[str, str, str, str | None]]:
    rows = conn.execute(
        "SELECT category, name, first_seen, example_id FROM unknown_element ORDER BY 1 NULLS FIRST, 2 NULLS FIRST"
    )
    return list(rows)


def clear_mirror(conn: Connection, category: str) -> None:
    """Empty one category's table and its outgoing links (before a re-parse)."""
    spec = spec_for(category)
    conn.execute(f"DELETE FROM {spec.table}")
    if spec.links:
        conn.execute("DELETE FROM link WHERE src_category = ?", (category,))


def clear_links(conn: Connection) -> None:
    conn.execute("DELETE FROM link")


def iter_raw(
    conn: Connection, category: str, batch: int = 2000
) -> Iterator[list[tuple[int, str | None, str | None, bytes]]]:
    """The raw log of one category in feed order, in batches of (token, updated, enclosure, xml)."""
    after = -1
    while True:
        rows = conn.execute(
            "SELECT skiptoken, updated, enclosure, xml FROM raw_entry "
            "WHERE category = ? AND skiptoken > ? ORDER BY skiptoken LIMIT ?",
            (category, after, batch),
        ).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def newest_raw_tokens(conn: Connection, category: str) -> list[int]:
    """The skiptoken of the newest raw entry of every id of a category, in feed order: what
    decides the mirror's state (older versions would be overwritten or deleted anyway)."""
    rows = conn.execute(
        "SELECT max(skiptoken) FROM raw_entry WHERE category = ? GROUP BY id", (category,)
    )
    return sorted(row[0] for row in rows)


def open_raw_reader(url: str) -> Any:
    """A read-only connection for reading the raw log beside the writer (SQLite: a WAL
    snapshot; PostgreSQL: a connection of its own); the re-parse workers read their batches
    through one each."""
    if is_postgres_url(url):
        from .pg import PgConnection

        return PgConnection.connect(pg_url(url))
    conn = sqlite3.connect(
        f"file:{sqlite_path(url)}?mode=ro", uri=True, timeout=60, factory=SqliteConnection
    )
    conn.execute("PRAGMA query_only=ON")
    return conn


def raw_entries_at(
    conn: Connection, tokens: Sequence[int]
) -> list[tuple[int, str | None, str | None, bytes]]:
    """(token, updated, enclosure, xml) of these raw entries, in feed order."""
    rows: list[tuple[int, str | None, str | None, bytes]] = []
    for chunk in _chunks(tokens):
        marks = in_list(chunk)
        rows.extend(
            conn.execute(
                "SELECT skiptoken, updated, enclosure, xml FROM raw_entry "
                f"WHERE skiptoken IN ({marks})",
                tuple(chunk),
            )
        )
    rows.sort(key=lambda row: row[0])
    return rows


def count_newest_raw(conn: Connection, category: str) -> int:
    row = conn.execute(
        "SELECT count(DISTINCT id) FROM raw_entry WHERE category = ?", (category,)
    ).fetchone()
    return int(row[0])


def set_meta(conn: Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def get_meta(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def start_run(conn: Connection, stage: str) -> int:
    cur = conn.execute(
        "INSERT INTO sync_run (stage, started_at, status) VALUES (?, ?, 'bezig') RETURNING id",
        (stage, _now()),
    )
    return int(cur.fetchone()[0])


def finish_run(
    conn: Connection, run_id: int, status: str, entries: int, message: str | None
) -> None:
    conn.execute(
        "UPDATE sync_run SET finished_at = ?, status = ?, entries = ?, message = ? WHERE id = ?",
        (_now(), status, entries, message, run_id),
    )


def abandon_runs(conn: Connection, stages: tuple[str, ...]) -> int:
    """Runs of ``stages`` still "bezig": their process died (the caller holds the stages'
    lock, so nobody else runs them). Marked "afgebroken"; returns how many."""
    marks = in_list(stages)
    cur = conn.execute(
        f"UPDATE sync_run SET status = 'afgebroken', finished_at = ?, message = ? "
        f"WHERE status = 'bezig' AND stage IN ({marks})",
        (_now(), "het proces stopte zonder af te ronden (gedood of gecrasht)", *stages),
    )
    return int(cur.rowcount or 0)


def stage_runs(conn: Connection) -> list[tuple[Any, ...]]:
    """Per stage: (stage, started_at, finished_at, status, entries, message) of its newest
    run and the end of its newest successful run, by stage name."""
    return list(
        conn.execute(
            "SELECT r.stage, r.started_at, r.finished_at, r.status, r.entries, r.message, "
            "(SELECT max(o.finished_at) FROM sync_run o WHERE o.stage = r.stage "
            "AND o.status = 'ok') "
            "FROM sync_run r WHERE r.id IN (SELECT max(id) FROM sync_run GROUP BY stage) "
            "ORDER BY r.stage NULLS FIRST"
        )
    )


def run_counts(conn: Any) -> list[tuple[str, str, int]]:
    """(stage, status, number of runs) of every stage, for /metrics."""
    rows = conn.execute(
        "SELECT stage, status, count(*) FROM sync_run GROUP BY stage, status ORDER BY stage NULLS FIRST, status NULLS FIRST"
    )
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def last_finished_runs(conn: Any) -> list[tuple[str, str, str, str]]:
    """(stage, started_at, finished_at, status) of the newest finished run of each stage."""
    rows = conn.execute(
        "SELECT r.stage, r.started_at, r.finished_at, r.status FROM sync_run r "
        "WHERE r.id IN (SELECT max(id) FROM sync_run WHERE finished_at IS NOT NULL "
        "GROUP BY stage) ORDER BY r.stage NULLS FIRST"
    )
    return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def last_runs(conn: Connection, limit: int = 10) -> list[tuple[Any, ...]]:
    rows = conn.execute(
        "SELECT stage, started_at, finished_at, status, entries, message FROM sync_run "
        "ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return list(rows)


def all_categories() -> tuple[str, ...]:
    return CATEGORIES


def log_reparsed(conn: Connection, category: str) -> None:
    """The change feed's one change for a re-parsed category (see ``changes.REPARSE``);
    in the re-parse's transaction, last."""
    changes_log.log(conn, [(changes_log.REPARSE, category, changes_log.CHANGED, None)])
