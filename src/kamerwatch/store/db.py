"""The database door: one place that opens connections and runs transactions.

SQLite is the embedded default (``sqlite:///path``); ``postgresql://user@host/db`` selects
PostgreSQL (``pg.py``) for everything. Every other module asks this one for a connection;
SQL itself lives in the named query modules of this package.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence, Sized
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

log = logging.getLogger(__name__)

sqlite3.register_adapter(Decimal, str)


class DatabaseError(RuntimeError):
    """The database cannot be used (wrong URL, unreadable file, locked too long, lost)."""


class Cursor(Protocol):
    """What the store reads from a cursor (sqlite3's and :class:`pg.PgCursor` alike)."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection of either engine: :class:`SqliteConnection` or :class:`pg.PgConnection`.
    ``backend`` holds what differs between the engines (see :class:`Backend`)."""

    @property
    def backend(self) -> Backend: ...
    @property
    def in_transaction(self) -> bool: ...
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class Backend:
    """What differs between the engines, side by side: each method is one piece of SQL or
    one operation that the engines spell differently. Everything else is written once."""

    name: str = ""

    def has_table(self, conn: Connection, table: str) -> bool:
        raise NotImplementedError

    def run_script(self, conn: Connection, script: str) -> None:
        """Run a migration file (several statements) inside the caller's transaction."""
        raise NotImplementedError

    def lock_migrations(self, conn: Connection) -> None:
        """Hold the migration lock until the end of the transaction."""
        raise NotImplementedError

    def distinct_list(self, expr: str) -> str:
        """The distinct values of ``expr`` in a group, joined by commas (order unspecified)."""
        raise NotImplementedError

    def contains(self, haystack: str, needle: str) -> str:
        """SQL that is true when the text ``needle`` occurs in ``haystack`` (both SQL
        expressions; no pattern characters, unlike LIKE)."""
        raise NotImplementedError

    def json_object(self, pairs: Sequence[tuple[str, str]]) -> str:
        """SQL for a JSON object (as text) of ``(key, SQL expression)`` pairs, built by the
        engine: a row becomes JSON without a Python object per value (keys are literals
        of our code, never input)."""
        raise NotImplementedError

    def tables(self, conn: Connection) -> list[str]:
        """The names of the tables in the database (the engine's catalogue), sorted."""
        raise NotImplementedError

    def columns(self, conn: Connection, table: str) -> list[str]:
        """The columns of ``table`` in their order."""
        raise NotImplementedError

    def secondary_indexes(self, conn: Connection, table: str) -> list[tuple[str, str]]:
        """(name, CREATE statement) of a table's own indexes (not those of its keys)."""
        raise NotImplementedError

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        """The rows of a query in batches, without holding them all in memory."""
        raise NotImplementedError

    def after_copy(self, conn: Connection) -> None:
        """After rows were copied in with their ids: let new ids continue after them."""

    def __repr__(self) -> str:
        return f"<{self.name} backend>"


def json_pairs(pairs: Sequence[tuple[str, str]]) -> str:
    """`'key', expr, …` of a JSON object call (keys are literals of our code)."""
    return ", ".join(f"'{key}', {expr}" for key, expr in pairs)


class SqliteBackend(Backend):
    name = SQLITE

    def has_table(self, conn: Connection, table: str) -> bool:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        return row is not None

    def run_script(self, conn: Connection, script: str) -> None:
        # one statement at a time (``executescript`` would COMMIT the transaction); a
        # statement ends where SQLite's own tokenizer says it is complete
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                conn.execute(statement)
                statement = ""
        if statement.strip() and sqlite3.complete_statement(statement + ";"):
            conn.execute(statement)

    def lock_migrations(self, conn: Connection) -> None:
        """Nothing to do: the transaction's ``BEGIN IMMEDIATE`` is the lock."""

    def distinct_list(self, expr: str) -> str:
        return f"group_concat(DISTINCT {expr})"

    def contains(self, haystack: str, needle: str) -> str:
        return f"instr({haystack}, {needle}) > 0"

    def json_object(self, pairs: Sequence[tuple[str, str]]) -> str:
        return f"json_object({json_pairs(pairs)})"

    def tables(self, conn: Connection) -> list[str]:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
        return [str(r[0]) for r in conn.execute(sql)]

    def columns(self, conn: Connection, table: str) -> list[str]:
        return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]

    def secondary_indexes(self, conn: Connection, table: str) -> list[tuple[str, str]]:
        sql = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY 1"
        )
        return [(str(name), str(ddl)) for name, ddl in conn.execute(sql, (table,))]

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        cur = conn.execute(sql)
        while rows := cur.fetchmany(size):
            yield rows


SQLITE_BACKEND = SqliteBackend()


class SqliteConnection(sqlite3.Connection):
    """``sqlite3.Connection`` that knows its :class:`Backend` (every SQLite connection of
    the package is one: ``sqlite3.connect(…, factory=SqliteConnection)``)."""

    backend: Backend = SQLITE_BACKEND


def is_postgres_url(url: str) -> bool:
    return urlparse(url).scheme in ("postgres", "postgresql", "postgresql+psycopg")


def errors() -> tuple[type[BaseException], ...]:
    """The driver errors of both engines (to catch where the engine does not matter)."""
    from . import pg

    return (sqlite3.Error, pg.Error, DatabaseError)


def in_list(values: Sized) -> str:
    """The placeholders of ``x IN (…)`` for ``values``: ``?,?,?``, or ``NULL`` for none —
    ``IN ()`` is a syntax error on PostgreSQL, ``IN (NULL)`` matches nothing on both
    engines. (Not for ``NOT IN``: ``NOT IN (NULL)`` matches nothing either.)"""
    return ",".join("?" * len(values)) or "NULL"


def upsert_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    """``INSERT … ON CONFLICT (key) DO UPDATE`` of every other column: what SQLite calls
    ``INSERT OR REPLACE``, written so that both engines take it."""
    marks = ", ".join("?" * len(columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(key)}) {action}"
    )


def unreachable_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean "the database is not there right now" (not a bug): a lost or
    refused PostgreSQL connection, or the door's own report of it."""
    import psycopg
    import psycopg_pool

    return (psycopg.OperationalError, psycopg_pool.PoolTimeout, DatabaseError)


def sqlite_path(url: str) -> Path:
    """``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (SQLAlchemy convention)."""
    scheme = urlparse(url).scheme
    if scheme != "sqlite":
        raise DatabaseError(
            f"onbekend database-URL-schema: {scheme or url!r} "
            "(verwacht sqlite:///pad of postgresql://gebruiker@host/database)"
        )
    if not url.startswith("sqlite:///") or len(url) <= len("sqlite:///"):
        raise DatabaseError(f"ongeldige SQLite-URL (verwacht sqlite:///pad): {url!r}")
    return Path(unquote(url[len("sqlite:///") :].split("?", 1)[0]))


def pg_url(url: str) -> str:
    """A libpq URL (``postgresql+psycopg://`` of SQLAlchemy style is accepted too)."""
    if url.startswith("postgresql+psycopg://"):
        return "postgresql://" + url[len("postgresql+psycopg://") :]
    return url


def redact(url: str) -> str:
    """The URL without a password, for messages and logs."""
    parts = urlparse(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


class Database:
    """The door: ``Database(url)`` opens SQLite (``sqlite:///…``) or PostgreSQL
    (``postgresql://…``) with the project's settings. It changes no schema: migrations run
    only through ``kamerwatch.subsystems.migrate`` (``kamerwatch db migrate``)."""

    url: str
    backend: Backend

    def __new__(cls, url: str) -> Database:
        if cls is Database:
            if is_postgres_url(url):
                from .pg import PgDatabase

                return super().__new__(PgDatabase)
            return super().__new__(SqliteDatabase)
        return super().__new__(cls)

    @property
    def name(self) -> str:
        return redact(self.url)

    @property
    def conn(self) -> Any:
        raise NotImplementedError

    def reader(self) -> Any:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteDatabase(Database):
    """A SQLite database file with the project's pragmas."""

    backend = SQLITE_BACKEND

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"kan map {self.path.parent} niet maken: {exc}") from exc
        self._conn = self._connect()

    @property
    def name(self) -> str:
        return str(self.path)

    def _connect(self) -> SqliteConnection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, factory=SqliteConnection
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("PRAGMA cache_size=-32768")
        except sqlite3.Error as exc:
            raise DatabaseError(f"database {self.path} is onbruikbaar: {exc}") from exc
        return conn

    @property
    def conn(self) -> SqliteConnection:
        return self._conn

    def reader(self) -> SqliteConnection:
        """An extra connection for long reads beside the writer (WAL snapshot isolation)."""
        return self._connect()

    @contextmanager
    def transaction(self) -> Iterator[SqliteConnection]:
        """BEGIN IMMEDIATE … COMMIT; ROLLBACK on any exception (nothing half-written)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


class ReadPool:
    """Read-only connections for the website, one per thread (WAL readers never block the
    sync's writer). Rows come back as :class:`sqlite3.Row`."""

    def __init__(self, url: str) -> None:
        self.path = sqlite_path(url)
        self._local = threading.local()
        self.opened = 0  # connections made (one per server thread that asked)

    def stats(self) -> dict[str, int]:
        """For /metrics: open connections (SQLite needs no more than one per thread)."""
        return {"open": self.opened}

    def connection(self) -> SqliteConnection:
        conn: SqliteConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro",
                    uri=True,
                    timeout=10,
                    check_same_thread=False,
                    factory=SqliteConnection,
                )
                conn.execute("PRAGMA cache_size=-16384")
                conn.execute("PRAGMA query_only=ON")
            except sqlite3.Error as exc:
                raise DatabaseError(f"database {self.path} is onbruikbaar: {exc}") from exc
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            self.opened += 1
        return conn


def read_pool(url: str) -> Any:
    """Connections for the website: :class:`ReadPool` or, for PostgreSQL, ``PgReadPool``."""
    if is_postgres_url(url):
        from .pg import PgReadPool

        return PgReadPool(pg_url(url))
    return ReadPool(url)
