"""Searching the index on PostgreSQL: :func:`engine.search` and its companions ask this
module when the connection is a PostgreSQL one. The flow, the cache, the facets (from the
rowids), the hits and the marks are those of engine.py; only the statements differ: the
query tree becomes tsquery tests (search/pg.py), relevance is ``ts_rank_cd``, snippets come
from ``ts_headline`` and the time budget is a ``statement_timeout``."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import psycopg

from kamerwatch.store.pg import PgConnection

from . import pg
from .fts import (
    COMBO_MASK,
    MENTIONS_BUDGET,
    PAGE_SIZE,
    RANKED,
    SOORT_SHIFT,
    TOO_SLOW,
    Hit,
    Mentions,
    SearchQuery,
    SearchResults,
    _allowed,
    _cached,
    _range,
    _rows,
    _summarise,
    _Summary,
    hits_of,
    keys_of,
    mark_snippet,
    pool_notice,
    relevance_page,
    suggestions,
    summary_key,
    with_hits,
)
from .index import token
from .query import (
    HEAD_FREQUENT,
    Node,
    QueryError,
    head_candidates,
    highlight_terms,
    parse,
    without_heads,
)


def _filters(q: SearchQuery) -> pg.Expr:
    sql = ""
    params: list[Any] = []
    for prefix, value in (("d", q.dossier), ("f", q.fractie)):
        if value:
            f = pg.meta_filter(token(prefix, value))
            sql += f" AND {f.sql}"
            params += f.params
    where, ranges = _range(q)
    return pg.Expr(sql + where.replace("rowid", "d.rowid"), (*params, *ranges))


def frequent_heads(conn: PgConnection, node: Node, limit: int = HEAD_FREQUENT) -> set[str]:
    """As ``fts.frequent_heads``: the would-be heads found (stem or part) in at least
    ``limit`` sources, counted up to there."""
    frequent = set()
    for term in head_candidates(node):
        cond = pg.where(replace(term, heads=False))
        (n,) = conn.execute(
            f"""SELECT count(*) FROM (SELECT 1 FROM search_doc d WHERE {cond.sql}
                LIMIT {int(limit)}) s""",
            cond.params,
        ).fetchone()
        if n >= limit:
            frequent.add(term.text)
    return frequent


def search(conn: PgConnection, q: SearchQuery, budget: float) -> SearchResults:
    results = SearchResults(q, suggestions=suggestions(q.q))
    try:
        node = parse(q.q)
    except QueryError as exc:
        results.error = str(exc)
        return results
    try:
        with pg.Budget(conn, budget) as clock:
            node = without_heads(node, frequent_heads(conn, node))
            match = pg.where(node)
            filters = _filters(q)
            cond = pg.Expr(f"({match.sql}){filters.sql}", match.params + filters.params)
            results.fts = match.sql
            kinds, soorten = _allowed(conn, q)
            summary = _summary(conn, cond, kinds, soorten)
            clock.check()
            results.total = summary.total
            results.pages = max(1, -(-results.total // PAGE_SIZE))
            results.page = min(max(1, q.page), results.pages)
            page_ids = _page(conn, node, cond, summary, q.sort, results.page)
            if q.sort == "relevantie" and summary.pool_from is not None:
                results.notice = pool_notice(summary.pool, summary.total)
            clock.check()
            rows = _rows(conn, page_ids)
            snippets = pg.snippets(conn, node, page_ids)
            clock.check()
    except (TimeoutError, psycopg.errors.QueryCanceled):
        results.error = TOO_SLOW
        return results
    except psycopg.Error as exc:
        if conn.closed:  # the database is away: the caller's business (the web: 503)
            raise
        results.error = f"deze zoekvraag kan niet worden uitgevoerd ({exc})"
        return results
    return with_hits(results, summary, node, rows, snippets)


def _summary(
    conn: PgConnection, cond: pg.Expr, kinds: set[int] | None, soorten: set[int] | None
) -> _Summary:
    params = tuple(tuple(p) if isinstance(p, list) else p for p in cond.params)
    key = summary_key(conn, conn.raw.info.dsn, (cond.sql, params), kinds, soorten)
    cached = _cached(key)
    if cached is not None:
        return cached
    found = conn.execute(
        f"SELECT array_agg(d.rowid) FROM search_doc d WHERE {cond.sql}", cond.params
    ).fetchone()[0]
    rowids = [int(r) for r in found or ()]
    summary = _summarise(conn, key, keys_of(rowids), kinds, soorten)
    if summary.passing is not None:
        rowids = [r for r in rowids if (r >> SOORT_SHIFT) & COMBO_MASK in summary.passing]
    # the first pages newest first, from the rowids at hand (PostgreSQL's planner would
    # often walk the primary key backwards, testing every row, for a rare word)
    summary.newest = heapq.nlargest(RANKED, rowids)
    return summary


def _page(
    conn: PgConnection, node: Node, cond: pg.Expr, summary: _Summary, sort: str, page: int
) -> list[int]:
    """The rowids of one page: newest first is ``rowid DESC``; relevance ``ts_rank_cd``."""
    if not summary.total:
        return []
    sql = cond.sql
    if summary.passing is not None:
        combos = ",".join(str(c) for c in sorted(summary.passing)) or "-1"
        sql += f" AND (d.rowid >> {SOORT_SHIFT}) & {COMBO_MASK} IN ({combos})"
    start = (page - 1) * PAGE_SIZE
    if sort == "relevantie":  # among the newest RELEVANCE_POOL hits, as on SQLite
        rank = pg.ranking(node)
        found, _ = relevance_page(
            summary,
            start,
            sql,
            "d.rowid",
            lambda where, limit, offset: _ranked(conn, where, cond.params, rank, limit, offset),
            lambda where, limit, offset: (_newest(conn, where, cond.params, limit, offset), {}),
        )
        return found
    if summary.newest is not None and start + PAGE_SIZE <= RANKED:
        return summary.newest[start : start + PAGE_SIZE]
    return _newest(conn, sql, cond.params, PAGE_SIZE, start)


def _newest(
    conn: PgConnection, sql: str, params: tuple[Any, ...], limit: int, offset: int
) -> list[int]:
    return [
        int(r[0])
        for r in conn.execute(
            f"SELECT d.rowid FROM search_doc d WHERE {sql} ORDER BY d.rowid DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
    ]


def _ranked(
    conn: PgConnection,
    sql: str,
    params: tuple[Any, ...],
    rank: pg.Expr,
    limit: int,
    offset: int,
) -> list[int]:
    return [
        int(r[0])
        for r in conn.execute(
            f"""SELECT d.rowid FROM search_doc d WHERE {sql}
                ORDER BY {rank.sql} DESC NULLS LAST, d.rowid DESC LIMIT ? OFFSET ?""",
            (*params, *rank.params, limit, offset),
        )
    ]


def documents_mentioning(
    conn: PgConnection,
    phrase: str,
    *,
    exclude_ids: Iterable[str] = (),
    exclude_nummers: Iterable[str] = (),
    limit: int = 20,
) -> Mentions:
    query = '"' + phrase.replace('"', " ") + '"'
    try:
        node = parse(query)
    except QueryError as exc:
        return Mentions(query, error=str(exc))
    match = pg.where(node)
    base = f"""FROM search_doc d WHERE {match.sql} AND d.kind = 'document'
               AND NOT (d.ref = ANY(CAST(? AS text[])))
               AND NOT (coalesce(d.nummer, '') = ANY(CAST(? AS text[])))"""
    params = (*match.params, sorted(set(exclude_ids)), sorted(set(exclude_nummers)))
    try:
        with pg.Budget(conn, MENTIONS_BUDGET) as clock:
            total = conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
            rows = conn.execute(  # rowid order = newest day first (see index.row_key)
                f"""SELECT d.rowid, d.kind, d.ref, d.nummer, d.titel, d.soort, d.datum,
                           d.dossier, d.bijgewerkt
                    {base} ORDER BY d.rowid DESC LIMIT ?""",
                (*params, limit),
            ).fetchall()
            snippets = pg.snippets(conn, node, [int(r[0]) for r in rows])
            clock.check()
    except (TimeoutError, psycopg.Error) as exc:  # interrupted, or no index tables at all
        reason = "te traag" if isinstance(exc, TimeoutError) else str(exc)
        return Mentions(query, error=f"de zoekmachine kon niet antwoorden ({reason})")
    marks = highlight_terms(node)
    hits: tuple[Hit, ...] = tuple(hits_of(rows, snippets, marks))
    return Mentions(query, int(total), hits)


def matching_documents(
    conn: PgConnection, node: Node, refs: list[str], kind: str = "document"
) -> tuple[dict[str, str], set[str]]:
    match = pg.where(node)
    marks = highlight_terms(node)
    found: dict[str, str] = {}
    indexed: set[str] = set()
    for start in range(0, len(refs), 500):
        part = refs[start : start + 500]
        indexed.update(
            r[0]
            for r in conn.execute(
                "SELECT ref FROM search_doc WHERE kind = ? AND ref = ANY(CAST(? AS text[]))",
                (kind, part),
            )
        )
        hits = {
            int(rowid): ref
            for rowid, ref in conn.execute(
                f"""SELECT d.rowid, d.ref FROM search_doc d
                    WHERE {match.sql} AND d.kind = ? AND d.ref = ANY(CAST(? AS text[]))""",
                (*match.params, kind, part),
            )
        }
        snippets = pg.snippets(conn, node, list(hits))
        for rowid, ref in hits.items():
            found[ref] = mark_snippet(snippets.get(rowid, ""), marks)
    return found, indexed
