"""PostgreSQL behind the database door: psycopg 3 connections that speak like sqlite3's.

The named queries of this package are written once, in SQL that both engines understand,
with ``?`` placeholders (the DB-API's "qmark" style, which sqlite3 takes; psycopg takes
"format", ``%s``). :class:`PgConnection` changes only that spelling — :func:`to_format`, a
scanner that leaves string literals, quoted names and comments alone — and hands back
cursors and rows that behave like sqlite3's (index and name access; new ids come from
``RETURNING``). Nothing else is rewritten: where the engines differ (DDL, NULL order,
catalogue queries, string functions), the SQL is written out for each engine side by side,
in :class:`PgBackend` here and :class:`kamerwatch.store.db.SqliteBackend`, or in the
frozen migration files; every connection carries its ``backend``. ``ORDER BY`` clauses say
where NULLs go (``NULLS FIRST``/``NULLS LAST``, SQLite's places), so both engines list
alike.

Errors of the driver surface as :class:`psycopg.Error`; a connection that was lost (server
restart, network) is reported as :class:`kamerwatch.store.db.DatabaseError` by the callers
that can retry (the web's read pool, the stages' transaction).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import adapt
from psycopg.types.numeric import Int8Dumper
from psycopg_pool import ConnectionPool

from .db import Backend, Connection, Database, DatabaseError, json_pairs, pg_url

DIALECT = "postgresql"
WAIT_FOR_CONNECTION = 5.0  # seconds a web request waits for a connection (then: 503)
Error = psycopg.Error


@lru_cache(maxsize=4096)
def to_format(sql: str) -> str:
    """``?`` placeholders → psycopg's ``%s``, and a literal ``%`` → ``%%`` (psycopg reads
    ``%`` everywhere, also inside string literals); a ``?`` inside a string literal, a quoted
    name or a comment stays as it is."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        j = n  # the next literal, quoted name or comment
        for opening in ("'", '"', "--"):
            k = sql.find(opening, i, j)
            if k != -1:
                j = k
        out.append(sql[i:j].replace("%", "%%").replace("?", "%s"))
        if j == n:
            break
        if sql.startswith("--", j):
            end = sql.find("\n", j)
        else:  # up to the closing quote ('' and "" are the quote itself)
            quote = sql[j]
            end = sql.find(quote, j + 1)
            while end != -1 and sql.startswith(quote, end + 1):
                end = sql.find(quote, end + 2)
            end = end + 1 if end != -1 else n
        end = n if end == -1 else end
        out.append(sql[j:end].replace("%", "%%"))
        i = end
    return "".join(out)


def _params(parameters: Any) -> Any:
    """Always a sequence (also empty): psycopg then reads ``%%`` as ``%`` in every query."""
    return parameters or []


class _BoolAsInt(Int8Dumper):
    """Booleans are stored as 0/1 integers, as in SQLite."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericAsNumber(adapt.Loader):
    """``numeric`` results (``sum`` of integers, ``avg``) as int or float, as SQLite gives them."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


def _adapters() -> adapt.AdaptersMap:
    adapters = adapt.AdaptersMap(psycopg.adapters)
    adapters.register_dumper(bool, _BoolAsInt)
    adapters.register_loader("numeric", _NumericAsNumber)
    return adapters


_ADAPTERS = _adapters()


class Row(tuple[Any, ...]):
    """A result row: ``row[0]`` and ``row["name"]`` alike, ``keys()`` (as ``sqlite3.Row``)."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    desc = cursor.description
    if desc is None:
        return lambda values: values
    names = {col.name: i for i, col in enumerate(desc)}

    def make(values: Sequence[Any]) -> Row:
        return Row(values, names)

    return make


class PgCursor:
    """The part of ``sqlite3.Cursor`` the store uses."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._cursor.fetchmany(size)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()


MIGRATION_LOCK = 0x6B77_0001  # advisory lock key: one migrating process at a time


class PgBackend(Backend):
    name = DIALECT

    def has_table(self, conn: Connection, table: str) -> bool:
        row = conn.execute("SELECT to_regclass(?) IS NOT NULL", (table,)).fetchone()
        return bool(row[0])

    def run_script(self, conn: Connection, script: str) -> None:
        # the whole file at once, without parameters (so ``%`` is plain text and a
        # ``DO $$ … $$`` block stays whole); psycopg sends it as one simple query
        assert isinstance(conn, PgConnection)
        conn.raw.execute(script.encode())

    def lock_migrations(self, conn: Connection) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def distinct_list(self, expr: str) -> str:
        return f"string_agg(DISTINCT CAST({expr} AS TEXT), ',')"

    def contains(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle}) > 0"

    def json_object(self, pairs: Sequence[tuple[str, str]]) -> str:
        return f"CAST(json_build_object({json_pairs(pairs)}) AS TEXT)"

    def tables(self, conn: Connection) -> list[str]:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        return [str(r[0]) for r in conn.execute(sql)]

    def columns(self, conn: Connection, table: str) -> list[str]:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(r[0]) for r in rows]

    def secondary_indexes(self, conn: Connection, table: str) -> list[tuple[str, str]]:
        sql = (
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ? AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY 1"
        )
        return [(str(name), str(ddl)) for name, ddl in conn.execute(sql, (table,))]

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        assert isinstance(conn, PgConnection)
        yield from conn.stream(sql, size)

    def after_copy(self, conn: Connection) -> None:
        """Identity columns continue after the copied ids."""
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ).fetchall()
        for table, column in rows:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
            )


PG_BACKEND = PgBackend()


class PgConnection:
    """One psycopg connection in autocommit mode: transactions are explicit (``BEGIN`` …
    ``COMMIT`` through the door), as with the SQLite connections."""

    backend: Backend = PG_BACKEND

    def __init__(
        self,
        raw: psycopg.Connection[Any],
        *,
        rows: bool = False,
        renew: Callable[[psycopg.Connection[Any]], psycopg.Connection[Any]] | None = None,
    ) -> None:
        self.raw = raw
        self.rows = rows
        self.renew = renew  # read-only use: a lost connection is replaced and the read retried

    @classmethod
    def connect(cls, url: str, *, rows: bool = False) -> PgConnection:
        raw = psycopg.connect(url, autocommit=True, context=_ADAPTERS, connect_timeout=10)
        return cls(raw, rows=rows)

    def _cursor(self) -> psycopg.Cursor[Any]:
        if self.rows:
            return self.raw.cursor(row_factory=_row_factory)
        return self.raw.cursor()

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        text = to_format(sql)
        try:
            cursor = self._cursor()
            cursor.execute(text, _params(parameters))
        except psycopg.OperationalError:
            if self.renew is None or not self.closed:
                raise
            self.raw = self.renew(self.raw)  # the server restarted: once more, anew
            cursor = self._cursor()
            cursor.execute(text, _params(parameters))
        return PgCursor(cursor)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self._cursor()
        cursor.executemany(to_format(sql), [_params(p) for p in seq])
        return PgCursor(cursor)

    def stream(self, sql: str, size: int) -> Iterator[list[Any]]:
        """Rows in batches through a server-side cursor (in a read-only transaction of its
        own): a table of any size without holding it in memory."""
        with self.raw.transaction(), self.raw.cursor(name="kamerwatch_stream") as cursor:
            cursor.execute(to_format(sql), [])
            while rows := cursor.fetchmany(size):
                yield rows

    def commit(self) -> None:
        """As ``Connection.commit``: ends an open transaction (autocommit otherwise)."""
        if self.in_transaction:
            self.raw.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return self.raw.closed or self.raw.broken

    def close(self) -> None:
        self.raw.close()


class PgReadPool:
    """Connections for the website, one per thread, taken from a psycopg pool. A connection
    that broke (server restart) is handed back and replaced on the next request."""

    def __init__(self, url: str, max_size: int = 64) -> None:
        self.url = url
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            kwargs={"autocommit": True, "context": _ADAPTERS, "connect_timeout": 10},
            open=True,
            check=ConnectionPool.check_connection,
            name="kamerwatch-web",
        )
        self._local = threading.local()

    def connection(self) -> PgConnection:
        conn: PgConnection | None = getattr(self._local, "conn", None)
        if conn is not None and conn.closed:
            self._pool.putconn(conn.raw)  # the pool drops a broken connection
            conn = None
        if conn is None:
            raw = self._pool.getconn(timeout=WAIT_FOR_CONNECTION)
            conn = PgConnection(raw, rows=True, renew=self._renew)
            self._local.conn = conn
        return conn

    def _renew(self, broken: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
        self._pool.putconn(broken)  # the pool drops it
        return self._pool.getconn(timeout=WAIT_FOR_CONNECTION)

    def stats(self) -> dict[str, int]:
        """For /metrics: the pool's connections (open, idle, in use), its limit and the
        requests waiting for one."""
        raw = self._pool.get_stats()
        size, idle = int(raw.get("pool_size", 0)), int(raw.get("pool_available", 0))
        return {
            "open": size,
            "idle": idle,
            "in_use": size - idle,
            "max": self._pool.max_size,
            "waiting": int(raw.get("requests_waiting", 0)),
        }

    def discard(self) -> None:
        """Give this thread's connection back (after an error that may have broken it)."""
        conn: PgConnection | None = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            self._pool.putconn(conn.raw)

    def close(self) -> None:
        self._pool.close()


class PgDatabase(Database):
    """A PostgreSQL database: the writer's connection, extra reader connections,
    transactions through the door."""

    backend = PG_BACKEND

    def __init__(self, url: str) -> None:
        self.url = url
        self._libpq = pg_url(url)
        self._conn = self._connect()

    def _connect(self) -> PgConnection:
        try:
            return PgConnection.connect(self._libpq)
        except psycopg.Error as exc:
            raise DatabaseError(f"database {self.name} is onbereikbaar: {_short(exc)}") from exc

    @property
    def conn(self) -> PgConnection:
        if self._conn.closed:  # lost (server restart): one new connection, then carry on
            self._conn = self._connect()
        return self._conn

    def reader(self) -> PgConnection:
        return self._connect()

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """BEGIN … COMMIT; ROLLBACK on any exception. A lost connection becomes a
        :class:`DatabaseError` with a clear message: nothing of the transaction is kept."""
        conn = self.conn
        try:
            conn.execute("BEGIN")
        except psycopg.OperationalError as exc:
            raise DatabaseError(f"verbinding met {self.name} verbroken: {_short(exc)}") from exc
        try:
            yield conn
        except BaseException as exc:
            if not conn.closed:
                with suppress(psycopg.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, psycopg.OperationalError) and conn.closed:
                raise DatabaseError(f"verbinding met {self.name} verbroken: {_short(exc)}") from exc
            raise
        try:
            conn.execute("COMMIT")
        except psycopg.OperationalError as exc:
            raise DatabaseError(f"verbinding met {self.name} verbroken: {_short(exc)}") from exc

    def close(self) -> None:
        self._conn.close()


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]
