"""``kamerwatch db copy``: a whole installation from one database to another (SQLite ⇄
PostgreSQL), in one transaction on the target, verified by row counts before it commits.

Copied: every table both schemas have (mirror, raw log, documents metadata, speaking time,
accounts, monitors, alert bookkeeping, meta), column by column by name. Not copied: the
search index, whose tables differ per engine: ``kamerwatch index`` builds it on the target.
The document files stay where they are (``KAMERWATCH_FILES_DIR``): their paths are stored
relative to that directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .db import Connection, Database, DatabaseError

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
    names = conn.backend.tables(conn)
    return [n for n in names if n not in SKIP_TABLES and not n.startswith(SKIP_PREFIXES)]


def columns(conn: Connection, table: str) -> list[str]:
    return conn.backend.columns(conn, table)


def count(conn: Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


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
            select = f"SELECT {', '.join(cols)} FROM {table}"
            for rows in src.backend.batches(src, select, BATCH):
                dst.executemany(insert, [tuple(_plain(v) for v in row) for row in rows])
                progress.advance(table, len(rows))
            written = count(dst, table)
            if written != total:
                raise CopyError(f"{table}: {written} rijen in het doel, {total} in de bron")
            progress.finish(table, "gekopieerd")
            done.append(Copied(table, written))
        dst.backend.after_copy(dst)
    return done


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value
