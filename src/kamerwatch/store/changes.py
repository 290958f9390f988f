"""SQL of the change feed (``/api/wijzigingen``): a log of every change, in commit order.

Writers (the sync writer per feed page, the conversion stage, the Woo harvest) call
:func:`log` inside their own transaction. :func:`log` takes its numbers from the one row of
``change_counter`` (``UPDATE … RETURNING``): on PostgreSQL the row lock is held until the
writer commits, so a second writer waits there and numbers after it — the numbers are in
commit order, and a reader that has seen number *n* never finds a smaller one committed
later (identity/sequence values would not do: they are handed out at insert, and
transactions commit in any order). On SQLite writers are serialised anyway. Call
:func:`log` as the last statement before the commit, so the lock is held briefly.

A reader's cursor is the last number it saw: it survives restarts and is the same on every
web server, because it is the database's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from kamerwatch.kinds import KINDS, Kind
from kamerwatch.sync.parsers import CATEGORIES, spec_for

from .db import Connection, in_list
from .migrations import Migrations

MIGRATIONS = Migrations("changes", "kamerwatch.store", "sql/changes")

NEW, CHANGED, DELETED = "nieuw", "gewijzigd", "verwijderd"
WHATS = (NEW, CHANGED, DELETED)
CONVERSION = "Conversie"  # a document's (or verslag's) converted text
WOO = "WooPublicatie"
PAGE_MAX = 1000


@dataclass(frozen=True, slots=True)
class ChangeRow:
    seq: int
    kind: str  # the feed category (Document, Zaak, …), Conversie or WooPublicatie
    id: str
    what: str  # nieuw | gewijzigd | verwijderd
    at: str  # ISO 8601 UTC, when the change was committed here
    url: str | None  # the JSON twin of its page (relative), None: no page (any more)


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: list[ChangeRow]
    last: int  # the cursor after this page (= the ``sinds`` given when it is empty)
    newest: int  # the newest number in the log now


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def log(conn: Connection, changes: Sequence[tuple[str, str, str]], at: str | None = None) -> None:
    """Append ``(kind, id, what)`` changes; call last in the writing transaction."""
    if not changes:
        return
    row = conn.execute(
        "INSERT INTO change_counter (id, n) VALUES (1, ?) ON CONFLICT (id)"
        " DO UPDATE SET n = change_counter.n + excluded.n RETURNING n",
        (len(changes),),
    ).fetchone()
    first = int(row[0]) - len(changes) + 1
    when = at or _now()
    conn.executemany(
        "INSERT INTO change_log (seq, kind, entity_id, what, at) VALUES (?, ?, ?, ?, ?)",
        [(first + i, k, ident, what, when) for i, (k, ident, what) in enumerate(changes)],
    )


def newest(conn: Connection) -> int:
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
    return int(row[0])


@cache
def _targets() -> dict[str, tuple[Kind, ...]]:
    """kind of change → the page kinds whose table may hold its id."""
    by_table = {k.source.table: k for k in KINDS}
    out: dict[str, tuple[Kind, ...]] = {}
    for category in CATEGORIES:
        kind = by_table.get(spec_for(category).table)
        if kind is not None:
            out[category] = (kind,)
    out[CONVERSION] = tuple(k for k in (by_table.get("document"), by_table.get("verslag")) if k)
    if "woo_publication" in by_table:
        out[WOO] = (by_table["woo_publication"],)
    return out


def _urls(
    conn: Connection, rows: list[tuple[int, str, str, str, str]]
) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for _seq, kind, ident, _what, _at in rows:
        wanted[kind].add(ident)
    found: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        for page in _targets().get(kind, ()):
            src = page.source
            cols = f"id, {src.key}" + (f", {src.suffix}" if src.suffix else "")
            todo = sorted(i for i in ids if (kind, i) not in found)
            for start in range(0, len(todo), 500):
                chunk = todo[start : start + 500]
                sql = f"SELECT {cols} FROM {src.table} WHERE id IN ({in_list(chunk)})"
                if src.exclude:
                    sql += f" AND coalesce({src.exclude[0]}, '') <> ?"
                    args: tuple[object, ...] = (*chunk, src.exclude[1])
                else:
                    args = tuple(chunk)
                for r in conn.execute(sql, args):
                    if r[1] is None:
                        continue
                    key = str(r[1]) + (f"-{r[2]}" if src.suffix and r[2] else "")
                    found[(kind, str(r[0]))] = page.url(key, "json")
    return found


def page(conn: Connection, after: int, limit: int = PAGE_MAX) -> ChangePage:
    """The changes numbered after ``after``, oldest first, at most ``limit``."""
    limit = max(1, min(limit, PAGE_MAX))
    rows = [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
        for r in conn.execute(
            "SELECT seq, kind, entity_id, what, at FROM change_log WHERE seq > ?"
            " ORDER BY seq LIMIT ?",
            (after, limit),
        )
    ]
    urls = _urls(conn, rows)
    changes = [
        ChangeRow(seq, kind, ident, what, at, None if what == DELETED else urls.get((kind, ident)))
        for seq, kind, ident, what, at in rows
    ]
    last = changes[-1].seq if changes else after
    return ChangePage(changes, last, max(last, newest(conn)))
