"""The floor of a search over HTTP (bench/search.py): the raw FTS5 statements of a search
(exact count and one page of rowids, newest first or by bm25) behind the same HTTP stack as
``kamerwatch serve`` (uvicorn, Starlette, a synchronous route on the thread pool), answered
with two bytes: no facets, snippets, display rows or page.

    KAMERWATCH_BENCH_DB=path.sqlite3 uvicorn --app-dir bench rawsearch:make --factory
"""

from __future__ import annotations

import os
import sqlite3
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kamerwatch.search.engine import PAGE_SIZE, SearchQuery
from kamerwatch.search.query import parse, to_fts

_local = threading.local()


def _conn() -> sqlite3.Connection:
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(os.environ["KAMERWATCH_BENCH_DB"])
    return conn


def raw_fts5(conn: sqlite3.Connection, q: SearchQuery) -> None:
    """The same MATCH as two bare FTS5 statements: the exact count and the rowids of one
    page in the requested order (also bench/search.py's in-process ceiling)."""
    fts = to_fts(parse(q.q))
    conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (fts,)).fetchone()
    order = "rank" if q.sort == "relevantie" else "rowid DESC"
    conn.execute(
        f"SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY {order} LIMIT ? OFFSET ?",
        (fts, PAGE_SIZE, (q.page - 1) * PAGE_SIZE),
    ).fetchall()


def _search(request: Request) -> PlainTextResponse:
    params = request.query_params
    page = params.get("pagina", "1")
    query = SearchQuery(
        q=params.get("q", ""),
        sort=params.get("sort") or "datum",
        page=int(page) if page.isdigit() else 1,
    )
    raw_fts5(_conn(), query)
    return PlainTextResponse("ok")


def _css(request: Request) -> PlainTextResponse:  # what bench/web.py's wait_ready asks for
    return PlainTextResponse("")


def make() -> Starlette:
    return Starlette(routes=[Route("/zoeken", _search), Route("/static/site.css", _css)])
