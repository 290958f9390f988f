"""Searching the index: a :class:`SearchQuery` (filters, sort, page) in, exact totals,
facets, one page of hits with safe highlighted snippets out."""

from __future__ import annotations

import html
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .analysis import fold, stem
from .query import Node, QueryError, highlight_terms, parse, to_fts

PAGE_SIZE = 20
KIND_LABELS = {
    "document": "document",
    "verslag": "verslag",
    "activiteit": "activiteit",
    "toezegging": "toezegging",
    "geschenk": "geschenk",
}
_NUMBER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("document", re.compile(r"\b(\d{4}D\d{4,6})\b", re.I)),
    ("zaak", re.compile(r"\b(\d{4}Z\d{4,6})\b", re.I)),
    ("activiteit", re.compile(r"\b(\d{4}A\d{4,6})\b", re.I)),
    ("kamerstukdossier", re.compile(r"\bkst-(\d{4,6})(?:-([A-Z]{1,5}[0-9]?))?-\d+\b", re.I)),
    (
        "kamerstukdossier",
        re.compile(
            r"\b(\d{2}\s?\d{3})(?:[- ]([IVXL]{1,6}[A-B]?|[A-Z]{1,4}-?\d?))?(?:,?\s*nr\.?\s*\d+)?\b"
        ),
    ),
)


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    kinds: tuple[str, ...] = ()
    soorten: tuple[str, ...] = ()
    van: date | None = None
    tot: date | None = None
    dossier: str | None = None
    fractie: str | None = None
    sort: str = "datum"  # datum | relevantie
    page: int = 1


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    nummer: str | None
    titel: str | None
    soort: str | None
    datum: str | None
    dossier: str | None
    snippet_html: str


@dataclass(frozen=True)
class Suggestion:
    kind: str  # document / zaak / activiteit / kamerstukdossier
    value: str


@dataclass
class SearchResults:
    query: SearchQuery
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    pages: int = 0
    facets_kind: list[tuple[str, int]] = field(default_factory=list)
    facets_soort: list[tuple[str, int]] = field(default_factory=list)
    facets_year: list[tuple[str, int]] = field(default_factory=list)
    error: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    fts: str | None = None


def suggestions(text: str) -> list[Suggestion]:
    """Numbers in the query that have their own page ("Bedoelt u …?")."""
    out: list[Suggestion] = []
    for kind, pattern in _NUMBER_PATTERNS:
        for m in pattern.finditer(text):
            if kind == "kamerstukdossier":
                number = m.group(1).replace(" ", "")
                value = f"{number}-{m.group(2).upper()}" if m.group(2) else number
            else:
                value = m.group(1).upper()
            s = Suggestion(kind, value)
            if s not in out:
                out.append(s)
    return out


def _filters(q: SearchQuery, *, with_kind: bool, with_soort: bool) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if with_kind and q.kinds:
        where.append(f"d.kind IN ({','.join('?' * len(q.kinds))})")
        params += list(q.kinds)
    if with_soort and q.soorten:
        where.append(f"d.soort IN ({','.join('?' * len(q.soorten))})")
        params += list(q.soorten)
    if q.van:
        where.append("d.datum >= ?")
        params.append(q.van.isoformat())
    if q.tot:
        where.append("d.datum < ?")
        params.append(q.tot.isoformat() + "T99")
    if q.dossier:
        where.append("(d.dossier = ? OR d.dossier LIKE ?)")
        params += [q.dossier, q.dossier + "-%"]
    if q.fractie:
        where.append("d.fracties LIKE ?")
        params.append(f"% {q.fractie} %")
    return (" AND " + " AND ".join(where)) if where else "", params


TIME_BUDGET = 5.0  # seconds per search; then the user gets a notice instead of waiting


def search(conn: sqlite3.Connection, q: SearchQuery, budget: float = TIME_BUDGET) -> SearchResults:
    """Run a search; a query the parser does not understand gives ``error``, a search that
    takes longer than ``budget`` seconds is stopped with a notice — it never raises."""
    deadline = time.monotonic() + budget
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        return _search(conn, q)
    finally:
        conn.set_progress_handler(None, 0)


def _search(conn: sqlite3.Connection, q: SearchQuery) -> SearchResults:
    results = SearchResults(q, suggestions=suggestions(q.q))
    try:
        node = parse(q.q)
    except QueryError as exc:
        results.error = str(exc)
        return results
    fts = to_fts(node)
    results.fts = fts
    base = (
        "FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?"
    )
    where, params = _filters(q, with_kind=True, with_soort=True)
    try:
        if where:
            total_sql = f"SELECT count(*) {base}{where}"
        else:  # every indexed row has its search_doc row: no join needed to count
            total_sql = "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?"
        results.total = conn.execute(total_sql, (fts, *params)).fetchone()[0]
        results.pages = max(1, -(-results.total // PAGE_SIZE))
        results.page = min(max(1, q.page), results.pages)
        order = (
            "bm25(search_fts, 1.0, 1.0)" if q.sort == "relevantie" else "d.datum DESC, d.rowid DESC"
        )
        # First the page (no snippets: FTS5 would make one for every hit before sorting),
        # then the snippets of just those rows.
        rows = conn.execute(
            f"""SELECT d.rowid, d.kind, d.ref, d.nummer, d.titel, d.soort, d.datum, d.dossier
                {base}{where} ORDER BY {order} LIMIT ? OFFSET ?""",
            (fts, *params, PAGE_SIZE, (results.page - 1) * PAGE_SIZE),
        ).fetchall()
        snippets = _snippets(conn, fts, [r[0] for r in rows])
        fk_where, fk_params = _filters(q, with_kind=False, with_soort=True)
        results.facets_kind = [
            (r[0], r[1])
            for r in conn.execute(
                f"SELECT d.kind, count(*) {base}{fk_where} GROUP BY d.kind ORDER BY 2 DESC",
                (fts, *fk_params),
            )
        ]
        fs_where, fs_params = _filters(q, with_kind=True, with_soort=False)
        results.facets_year = [
            (r[0], r[1])
            for r in conn.execute(
                f"""SELECT substr(d.datum, 1, 4), count(*) {base}{where} AND d.datum IS NOT NULL
                    GROUP BY 1 ORDER BY 1 DESC""",
                (fts, *params),
            )
        ]
        results.facets_soort = [
            (r[0], r[1])
            for r in conn.execute(
                f"""SELECT d.soort, count(*) {base}{fs_where} AND d.soort IS NOT NULL
                    GROUP BY d.soort ORDER BY 2 DESC LIMIT 40""",
                (fts, *fs_params),
            )
        ]
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            results.error = (
                "deze zoekvraag kost te veel tijd; maak haar specifieker (meer woorden, "
                "een filter op soort of datum)"
            )
        else:  # should not happen: every word is quoted
            results.error = f"deze zoekvraag kan niet worden uitgevoerd ({exc})"
        return results
    marks = highlight_terms(node)
    results.hits = [Hit(*(*r[1:8], mark_snippet(snippets.get(r[0], ""), marks))) for r in rows]
    return results


def _snippets(conn: sqlite3.Connection, fts: str, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    found = conn.execute(
        f"""SELECT rowid, snippet(search_fts, 0, char(2), char(3), '…', 24) FROM search_fts
            WHERE search_fts MATCH ? AND rowid IN ({",".join("?" * len(rowids))})""",
        (fts, *rowids),
    )
    return {r[0]: r[1] or "" for r in found}


_WORD = re.compile(r"\w+", re.UNICODE)


def mark_snippet(raw: str, marks: tuple[set[str], set[str], tuple[str, ...]]) -> str:
    """Escape the snippet and wrap the query's words in <mark> (by stem, exact word or
    prefix), whatever FTS5 marked."""
    stems, exact, prefixes = marks
    text = raw.replace("\x02", "").replace("\x03", "")

    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        folded = fold(word)
        if folded in exact or stem(folded) in stems or folded.startswith(prefixes or ("\x00",)):
            return f"<mark>{html.escape(word)}</mark>"
        return html.escape(word)

    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append(one(m))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


__all__ = ["Hit", "Node", "SearchQuery", "SearchResults", "search", "suggestions"]


def matching_documents(
    conn: sqlite3.Connection, node: Node, refs: list[str]
) -> tuple[dict[str, str], set[str]]:
    """Of the documents ``refs``: those the query matches (ref → marked snippet HTML), and
    the set of refs the index knows at all (the others cannot be judged by it)."""
    if not refs:
        return {}, set()
    fts = to_fts(node)
    marks = highlight_terms(node)
    found: dict[str, str] = {}
    indexed: set[str] = set()
    for start in range(0, len(refs), 500):
        part = refs[start : start + 500]
        marks_sql = ",".join("?" * len(part))
        indexed.update(
            r[0]
            for r in conn.execute(
                f"SELECT ref FROM search_doc WHERE kind = 'document' AND ref IN ({marks_sql})", part
            )
        )
        for ref, raw in conn.execute(
            f"""SELECT d.ref, snippet(search_fts, 0, char(2), char(3), '…', 24)
                FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid
                WHERE search_fts MATCH ? AND d.kind = 'document' AND d.ref IN ({marks_sql})""",
            (fts, *part),
        ):
            found[ref] = mark_snippet(raw or "", marks)
    return found, indexed
