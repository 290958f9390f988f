"""``kamerwatch db copy``: a whole installation from one database to another (SQLite ⇄
PostgreSQL), in one transaction on the target, verified by row counts before it commits.

Copied: every table both schemas have (mirror, raw log, documents metadata, speaking time,
accounts, monitors, alert bookkeeping, meta), column by column by name. Not copied: the
search index, whose tables differ per engine: ``kamerwatch index`` builds it on the target.
The document files stay where they are (``KAMERWATCH_FILES_DIR``): their paths are stored
relative to that directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from .db import POSTGRESQL, Connection, Database, DatabaseError, dialect

BATCH = 2000
SKIP_PREFIXES = ("search_", "sqlite_")
SKIP_TABLES = frozenset({"schema_migration"})


class CopyError(DatabaseError):
    """The copy cannot start or did not verify; the target was left as it was."""


class Progress(Protocol):
    def start(self, category: str, total: int | None = None) -> None: ...
    def advance(self, category: str, entries: int) -> None: ...
    def finish(self, category: str, status: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int


def tables(conn: Connection) -> list[str]:
    """The tables of the project's schema (not the engine's own, not the search index)."""
    if dialect(conn) == POSTGRESQL:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
    names = [str(r[0]) for r in conn.execute(sql)]
    return [n for n in names if n not in SKIP_TABLES and not n.startswith(SKIP_PREFIXES)]


def columns(conn: Connection, table: str) -> list[str]:
    if dialect(conn) == POSTGRESQL:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(r[0]) for r in rows]
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def count(conn: Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _batches(conn: Any, table: str, cols: list[str]) -> Iterator[list[Any]]:
    """The rows of a table in batches, without holding the table in memory (PostgreSQL: a
    server-side cursor)."""
    sql = f"SELECT {', '.join(cols)} FROM {table}"
    if dialect(conn) == POSTGRESQL:
        yield from conn.stream(sql, BATCH)
        return
    cur = conn.execute(sql)
    while rows := cur.fetchmany(BATCH):
        yield rows


def _reset_identities(conn: Connection) -> None:
    """PostgreSQL: identity columns continue after the copied ids."""
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in rows:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )


def copy_database(source: Database, target: Database, progress: Progress) -> list[Copied]:
    """Copy every shared table; raises :class:`CopyError` (target untouched) when the source
    holds no data (a mistyped URL), the target is not empty or a count does not match."""
    src = source.conn
    shared = [t for t in tables(src) if t in set(tables(target.conn))]
    if not any(count(src, t) for t in shared if t != "meta"):
        raise CopyError(
            f"bron {source.name} bevat geen gegevens (alle tabellen leeg); verkeerde bron-URL? "
            "Er is niets gekopieerd"
        )
    busy = [t for t in shared if t != "meta" and count(target.conn, t)]
    if busy:
        raise CopyError(
            f"doel {target.name} is niet leeg ({', '.join(busy[:5])}…); kopieer naar een "
            "lege database"
        )
    done: list[Copied] = []
    with target.transaction() as dst:
        dst.execute("DELETE FROM meta")  # made by the target's own first start, if at all
        for table in shared:
            wanted = set(columns(dst, table))
            cols = [c for c in columns(src, table) if c in wanted]
            total = count(src, table)
            progress.start(table, total)
            insert = (
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            )
            for rows in _batches(src, table, cols):
                dst.executemany(insert, [tuple(_plain(v) for v in row) for row in rows])
                progress.advance(table, len(rows))
            written = count(dst, table)
            if written != total:
                raise CopyError(f"{table}: {written} rijen in het doel, {total} in de bron")
            progress.finish(table, "gekopieerd")
            done.append(Copied(table, written))
        if dialect(dst) == POSTGRESQL:
            _reset_identities(dst)
    return done


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value
