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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from kamerwatch.kinds import KINDS, Kind
from kamerwatch.sync.parsers import spec_for

from . import schema
from .db import Connection, in_list
from .migrations import Migrations

MIGRATIONS = Migrations("changes", "kamerwatch.store", "sql/changes")

NEW, CHANGED, DELETED = "nieuw", "gewijzigd", "verwijderd"
WHATS = (NEW, CHANGED, DELETED)
CONVERSION = "Conversie"  # a document's (or verslag's) converted text
WOO = "WooPublicatie"
# ``sync --reparse`` of a category: one change (id = the category, what = gewijzigd): the
# rows were rebuilt from the raw log by a possibly newer parser, so any of them may read
# differently now — a reader refetches what it keeps of that category. Not one change per
# row: a re-parse writes every row again without comparing (that is what makes it fast),
# and the source itself did not change.
REPARSE = "Herinlezing"
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


def log(
    conn: Connection, changes: Sequence[tuple[str, str, str, str | None]], at: str | None = None
) -> None:
    """Append ``(kind, id, what, path)`` changes; call last in the writing transaction."""
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
        "INSERT INTO change_log (seq, kind, entity_id, what, at, path) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (first + i, k, ident, what, when, path)
            for i, (k, ident, what, path) in enumerate(changes)
        ],
    )


def newest(conn: Connection) -> int:
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
    return int(row[0])


@cache
def _page_kinds() -> dict[str, Kind]:
    return {k.source.table: k for k in KINDS}


@cache
def _mirror_key(category: str) -> tuple[Kind, int, int | None, tuple[int, str] | None] | None:
    """The page kind of a mirror category and where its key is in a mirror row tuple."""
    spec = spec_for(category)
    kind = _page_kinds().get(spec.table)
    if kind is None:
        return None
    cols = schema.columns(spec)
    src = kind.source
    suffix = cols.index(src.suffix) if src.suffix else None
    exclude = (cols.index(src.exclude[0]), src.exclude[1]) if src.exclude else None
    return kind, cols.index(src.key), suffix, exclude


def mirror_path(category: str, row: tuple[object, ...] | None) -> str | None:
    """The JSON twin of the page of a mirror row (None: deleted, or no page of its own)."""
    if row is None:
        return None
    found = _mirror_key(category)
    if found is None:
        return None
    kind, key, suffix, exclude = found
    if row[key] is None or (exclude is not None and row[exclude[0]] == exclude[1]):
        return None
    value = str(row[key])
    if suffix is not None and row[suffix]:
        value += f"-{row[suffix]}"
    return kind.url(value, "json")


def conversion_paths(conn: Connection, ids_by_category: dict[str, list[str]]) -> dict[str, str]:
    """entity id → the JSON twin of the page of a converted document or verslag."""
    out: dict[str, str] = {}
    for category, ids in ids_by_category.items():
        table = {"Document": "document", "Verslag": "verslag"}.get(category)
        kind = _page_kinds().get(table or "")
        if kind is None:
            continue
        src = kind.source
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = f"SELECT id, {src.key} FROM {src.table} WHERE id IN ({in_list(chunk)})"
            args: tuple[object, ...] = tuple(chunk)
            if src.exclude:
                sql += f" AND coalesce({src.exclude[0]}, '') <> ?"
                args = (*chunk, src.exclude[1])
            for r in conn.execute(sql, args):
                if r[1] is not None:
                    out[str(r[0])] = kind.url(str(r[1]), "json")
    return out


def woo_path(pub_id: str) -> str | None:
    kind = _page_kinds().get("woo_publication")
    return None if kind is None else kind.url(pub_id, "json")


@dataclass(frozen=True, slots=True)
class JsonPage:
    """A page of the feed with its changes already JSON (``/api/wijzigingen``): the engine
    writes each change as a JSON object, so a page of 1,000 costs no Python object per value."""

    items: str  # a JSON array, oldest first
    count: int
    last: int  # the cursor after this page (= ``after`` when it is empty)
    newest: int  # the newest number in the log now


# The change as the API shows it: key → SQL over change_log (``?``: the base URL of the site)
_API_FIELDS = (
    ("volgnummer", "seq"),
    ("soort", "kind"),
    ("id", "entity_id"),
    ("wat", "what"),
    ("tijd", "at"),
    ("url", "CASE WHEN path IS NULL THEN NULL ELSE CAST(? AS TEXT) || path END"),
)


def page_json(conn: Connection, after: int, base_url: str, limit: int = PAGE_MAX) -> JsonPage:
    """The changes numbered after ``after`` (at most ``limit``), as the JSON array of the API;
    ``url`` is ``base_url`` + the path of the JSON twin (null: no page)."""
    limit = max(1, min(limit, PAGE_MAX))
    rows = conn.execute(
        f"SELECT seq, {conn.backend.json_object(_API_FIELDS)} FROM change_log WHERE seq > ?"
        " ORDER BY seq LIMIT ?",
        (base_url, after, limit),
    ).fetchall()
    last = int(rows[-1][0]) if rows else after
    items = "[" + ",".join([str(r[1]) for r in rows]) + "]"
    return JsonPage(items, len(rows), last, max(last, newest(conn)))


def page(conn: Connection, after: int, limit: int = PAGE_MAX) -> ChangePage:
    """The changes numbered after ``after``, oldest first, at most ``limit``."""
    limit = max(1, min(limit, PAGE_MAX))
    changes = [
        ChangeRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), r[5])
        for r in conn.execute(
            "SELECT seq, kind, entity_id, what, at, path FROM change_log WHERE seq > ?"
            " ORDER BY seq LIMIT ?",
            (after, limit),
        )
    ]
    last = changes[-1].seq if changes else after
    return ChangePage(changes, last, max(last, newest(conn)))
