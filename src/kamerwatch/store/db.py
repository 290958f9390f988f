"""The database door: one place that opens connections and runs transactions.

SQLite is the embedded default (``sqlite:///path``); ``postgresql://user@host/db`` selects
PostgreSQL (``pg.py``) for everything. Every other module asks this one for a connection;
SQL itself lives in the named query modules of this package.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
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
    """A connection of either engine: ``sqlite3.Connection`` or :class:`pg.PgConnection`."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def dialect(conn: Connection) -> str:
    """``"sqlite"`` or ``"postgresql"``: for the few statements that differ."""
    return str(getattr(conn, "dialect", SQLITE))


def is_postgres_url(url: str) -> bool:
    return urlparse(url).scheme in ("postgres", "postgresql", "postgresql+psycopg")


def errors() -> tuple[type[BaseException], ...]:
    """The driver errors of both engines (to catch where the engine does not matter)."""
    from . import pg

    return (sqlite3.Error, pg.Error, DatabaseError)


def distinct_list(conn: Connection, expr: str) -> str:
    """The distinct values of ``expr`` in a group, joined by commas (order unspecified)."""
    if dialect(conn) == POSTGRESQL:
        return f"string_agg(DISTINCT CAST({expr} AS TEXT), ',')"
    return f"group_concat(DISTINCT {expr})"


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
    (``postgresql://…``) with the project's settings and migrations applied."""

    url: str
    dialect: str

    def __new__(cls, url: str, *, migrate: bool = True) -> Database:
        if cls is Database:
            if is_postgres_url(url):
                from .pg import PgDatabase

                return super().__new__(PgDatabase)
            return super().__new__(SqliteDatabase)
        return super().__new__(cls)

    def _migrate(self) -> None:
        from .migrations import migrate as run_migrations

        try:
            run_migrations(self)
        except errors() as exc:
            self.close()
            raise DatabaseError(f"database {self.name} is onbruikbaar: {exc}") from exc

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
    """A SQLite database file with the project's pragmas and migrations applied."""

    dialect = SQLITE

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"kan map {self.path.parent} niet maken: {exc}") from exc
        self._conn = self._connect()
        if migrate:
            self._migrate()

    @property
    def name(self) -> str:
        return str(self.path)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("PRAGMA cache_size=-32768")
        except sqlite3.Error as exc:
            raise DatabaseError(f"database {self.path} is onbruikbaar: {exc}") from exc
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def reader(self) -> sqlite3.Connection:
        """An extra connection for long reads beside the writer (WAL snapshot isolation)."""
        return self._connect()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
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

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, timeout=10, check_same_thread=False
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
