"""The database door: one place that opens connections and runs transactions.

SQLite is the embedded default (``sqlite:///path``). Every other module asks this one
for a connection; SQL itself lives in the named query modules of this package.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

log = logging.getLogger(__name__)

sqlite3.register_adapter(Decimal, str)


class DatabaseError(RuntimeError):
    """The database cannot be used (wrong URL, unreadable file, locked too long)."""


def sqlite_path(url: str) -> Path:
    """``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (SQLAlchemy convention)."""
    scheme = urlparse(url).scheme
    if scheme != "sqlite":
        if scheme.startswith("postgres"):
            raise DatabaseError(
                "PostgreSQL wordt nog niet ondersteund; gebruik sqlite:///pad/naar/bestand"
            )
        raise DatabaseError(f"onbekend database-URL-schema: {scheme or url!r}")
    if not url.startswith("sqlite:///") or len(url) <= len("sqlite:///"):
        raise DatabaseError(f"ongeldige SQLite-URL (verwacht sqlite:///pad): {url!r}")
    return Path(unquote(url[len("sqlite:///") :].split("?", 1)[0]))


class Database:
    """A SQLite database file with the project's pragmas and migrations applied."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"kan map {self.path.parent} niet maken: {exc}") from exc
        self._conn = self._connect()
        if migrate:
            from .migrations import migrate as run_migrations

            try:
                run_migrations(self)
            except sqlite3.Error as exc:
                self._conn.close()
                raise DatabaseError(f"database {self.path} is onbruikbaar: {exc}") from exc

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

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReadPool:
    """Read-only connections for the website, one per thread (WAL readers never block the
    sync's writer). Rows come back as :class:`sqlite3.Row`."""

    def __init__(self, url: str) -> None:
        self.path = sqlite_path(url)
        self._local = threading.local()

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
        return conn
