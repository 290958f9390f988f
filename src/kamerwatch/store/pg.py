"""PostgreSQL behind the database door: psycopg 3 connections that speak like sqlite3's.

The named queries of this package are written once, with ``?`` placeholders, in SQL that
both engines understand; :class:`PgConnection` turns the placeholders into psycopg's
``%s`` and hands back cursors and rows that behave like sqlite3's (index and name
access; new ids come from ``RETURNING``). The few statements that must differ ask
:func:`kamerwatch.store.db.dialect` which engine they talk to.

Errors of the driver surface as :class:`psycopg.Error`; a connection that was lost (server
restart, network) is reported as :class:`kamerwatch.store.db.DatabaseError` by the callers
that can retry (the web's read pool, the stages' transaction).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import adapt
from psycopg.types.numeric import Int8Dumper
from psycopg_pool import ConnectionPool

from .db import Database, DatabaseError, pg_url

DIALECT = "postgresql"
WAIT_FOR_CONNECTION = 5.0  # seconds a web request waits for a connection (then: 503)
Error = psycopg.Error

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\?\d*|%|\binstr\(", re.IGNORECASE)


@lru_cache(maxsize=4096)
def translate(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """SQLite-flavoured SQL of this package → psycopg: ``?`` → ``%s``, numbered ``?N`` →
    ``%s`` with the parameters put in order (the returned positions), ``%`` → ``%%``,
    ``instr(`` → ``strpos(`` (same arguments, same result); in string literals, quoted
    names and comments only ``%`` is doubled; NULLs sort where SQLite puts them."""
    order: list[int] = []
    numbered = False

    def swap(m: re.Match[str]) -> str:
        nonlocal numbered
        token = m.group(0)
        if token[0] == "?":
            if len(token) > 1:
                numbered = True
                order.append(int(token[1:]) - 1)
            else:
                order.append(len(order))
            return "%s"
        if token == "%":
            return "%%"
        if token.lower() == "instr(":
            return "strpos("
        return token.replace("%", "%%")  # a literal, quoted name or comment: psycopg reads % there

    text = _TOKENS.sub(swap, nulls_like_sqlite(sql))
    return text, tuple(order) if numbered else None


_LITERAL = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*")
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"(LIMIT|OFFSET|FETCH|FOR|UNION|EXCEPT|INTERSECT|WINDOW|RETURNING)\b", re.IGNORECASE
)
_HAS_NULLS = re.compile(r"\bNULLS\s+(FIRST|LAST)\s*$", re.IGNORECASE)
_DESC = re.compile(r"\bDESC\s*$", re.IGNORECASE)


def _mask(sql: str) -> str:
    """``sql`` with the inside of literals, quoted names and comments blanked (same length)."""
    return _LITERAL.sub(lambda m: "_" * len(m.group(0)), sql)


_NOT_NULL_KEY = re.compile(r"^\s*(?:\w+\.)?(?:rowid|id|skiptoken|seq)(?:\s+(?:ASC|DESC))?$", re.I)


def _term_nulls(masked: str, start: int, end: int) -> tuple[int, str] | None:
    term = masked[start:end].rstrip()
    if not term.strip() or _HAS_NULLS.search(term) or _NOT_NULL_KEY.match(term):
        return None  # a key column is never NULL: leave the order as the index has it
    return start + len(term), " NULLS LAST" if _DESC.search(term) else " NULLS FIRST"


def nulls_like_sqlite(sql: str) -> str:
    """Every ``ORDER BY`` term gets SQLite's place for NULL (first when ascending, last when
    descending; PostgreSQL does the opposite), so that lists come out in the same order."""
    masked = _mask(sql)
    inserts: list[tuple[int, str] | None] = []
    for m in _ORDER_BY.finditer(masked):
        i = start = m.end()
        depth = 0
        while i < len(masked):
            c = masked[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and c == ",":
                inserts.append(_term_nulls(masked, start, i))
                start = i + 1
            elif (depth == 0 and c == ";") or (
                depth == 0
                and c.isalpha()
                and not (masked[i - 1].isalnum() or masked[i - 1] == "_")
                and _CLAUSE_END.match(masked, i)
            ):
                break
            i += 1
        inserts.append(_term_nulls(masked, start, i))
    for pos, text in sorted((x for x in inserts if x), reverse=True):
        sql = sql[:pos] + text + sql[pos:]
    return sql


def _params(order: tuple[int, ...] | None, parameters: Any) -> Any:
    """Always a sequence (also empty): psycopg then reads ``%%`` as ``%`` in every query."""
    if not parameters:
        return []
    if order is None:
        return parameters
    return [parameters[i] for i in order]


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


class PgConnection:
    """One psycopg connection in autocommit mode: transactions are explicit (``BEGIN`` …
    ``COMMIT`` through the door), as with the SQLite connections."""

    dialect = DIALECT

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
        text, order = translate(sql)
        try:
            cursor = self._cursor()
            cursor.execute(text, _params(order, parameters))
        except psycopg.OperationalError:
            if self.renew is None or not self.closed:
                raise
            self.raw = self.renew(self.raw)  # the server restarted: once more, anew
            cursor = self._cursor()
            cursor.execute(text, _params(order, parameters))
        return PgCursor(cursor)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self._cursor()
        text, order = translate(sql)
        cursor.executemany(text, [_params(order, p) for p in seq])
        return PgCursor(cursor)

    def stream(self, sql: str, size: int) -> Iterator[list[Any]]:
        """Rows in batches through a server-side cursor (in a read-only transaction of its
        own): a table of any size without holding it in memory."""
        with self.raw.transaction(), self.raw.cursor(name="kamerwatch_stream") as cursor:
            cursor.execute(translate(sql)[0], [])
            while rows := cursor.fetchmany(size):
                yield rows

    def commit(self) -> None:
        """As ``sqlite3.Connection.commit``: ends an open transaction (autocommit otherwise)."""
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
    """A PostgreSQL database with the project's migrations applied: the writer's
    connection, extra reader connections, transactions through the door."""

    dialect = DIALECT

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self._libpq = pg_url(url)
        self._conn = self._connect()
        if migrate:
            self._migrate()

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


_DDL_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(id|seq)\s+INTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", re.I),
        r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.I), ")"),
    (re.compile(r"\s+COLLATE\s+NOCASE", re.I), ""),
)


_INDEX = re.compile(
    r"(CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+\w+\s*)\(([^()]*)\)",
    re.IGNORECASE,
)


def _nulls_first(m: re.Match[str]) -> str:
    columns = [c.strip() for c in m.group(2).split(",")]
    return m.group(1) + "(" + ", ".join(f"{c} NULLS FIRST" for c in columns) + ")"


def ddl(sql: str) -> str:
    """SQLite DDL of this package → PostgreSQL: 64-bit integers, identity ids, bytea, and
    indexes ordered as SQLite orders NULLs (first), so that ``ORDER BY x DESC NULLS LAST``
    (see :func:`nulls_like_sqlite`) is a backward index scan, not a sort."""
    for pattern, replacement in _DDL_RULES:
        sql = pattern.sub(replacement, sql)
    return _INDEX.sub(_nulls_first, sql)
