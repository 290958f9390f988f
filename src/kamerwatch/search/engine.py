"""The search, whichever engine holds the index: the one entry point of the website and the
alerts. The SQLite index is searched by :mod:`.fts` (FTS5), the PostgreSQL one by
:mod:`.pgengine` (tsvector); both return the same records (defined in :mod:`.fts`), and
neither imports this module. The PostgreSQL side (and psycopg) is imported when it is
first used: a SQLite installation's commands start without it."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING

from kamerwatch.store.db import Connection, SqliteConnection

from . import fts
from .fts import (
    KIND_LABELS,
    PAGE_SIZE,
    TIME_BUDGET,
    Hit,
    Mentions,
    SearchQuery,
    SearchResults,
    Suggestion,
    clear_cache,
    context_snippet,
    mark_snippet,
    mark_snippets,
    suggestions,
)
from .query import Node

if TYPE_CHECKING:
    from kamerwatch.store.pg import PgConnection

__all__ = [
    "KIND_LABELS",
    "PAGE_SIZE",
    "Hit",
    "Mentions",
    "SearchQuery",
    "SearchResults",
    "Suggestion",
    "clear_cache",
    "context_snippet",
    "documents_mentioning",
    "mark_snippet",
    "mark_snippets",
    "matching_documents",
    "search",
    "suggestions",
]


def search(conn: Connection, q: SearchQuery, budget: float = TIME_BUDGET) -> SearchResults:
    """Run a search; a query the parser does not understand gives ``error``, a search that
    takes longer than ``budget`` seconds is stopped with a notice — it never raises."""
    if isinstance(conn, SqliteConnection):
        return fts.search(conn, q, budget)
    return _pgengine().search(_pg(conn), q, budget)


def documents_mentioning(
    conn: Connection,
    phrase: str,
    *,
    exclude_ids: Iterable[str] = (),
    exclude_nummers: Iterable[str] = (),
    limit: int = 20,
) -> Mentions:
    """The documents that mention ``phrase`` (an exact phrase, e.g. a zaak number) in their
    indexed text, newest first, without the excluded ones (e.g. those the data already
    links). An index that was never built simply has no hits; it never raises."""
    if isinstance(conn, SqliteConnection):
        return fts.documents_mentioning(
            conn, phrase, exclude_ids=exclude_ids, exclude_nummers=exclude_nummers, limit=limit
        )
    return _pgengine().documents_mentioning(
        _pg(conn), phrase, exclude_ids=exclude_ids, exclude_nummers=exclude_nummers, limit=limit
    )


def matching_documents(
    conn: Connection, node: Node, refs: list[str], kind: str = "document"
) -> tuple[dict[str, str], set[str]]:
    """Of the sources ``refs`` of ``kind``: those the query matches (ref → marked snippet
    HTML), and the set of refs the index knows at all (the others cannot be judged by it)."""
    if isinstance(conn, SqliteConnection):
        return fts.matching_documents(conn, node, refs, kind)
    return _pgengine().matching_documents(_pg(conn), node, refs, kind)


def _pgengine() -> ModuleType:
    from . import pgengine

    return pgengine


def _pg(conn: Connection) -> PgConnection:
    from kamerwatch.store.pg import PgConnection

    if not isinstance(conn, PgConnection):
        raise TypeError(f"geen verbinding van een bekende database: {conn!r}")
    return conn
