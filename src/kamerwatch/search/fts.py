"""Searching the index: a :class:`SearchQuery` (filters, sort, page) in, exact totals,
facets, one page of hits with safe highlighted snippets out."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy loads when a search first counts (a command that never searches
    import numpy as np  # — most of an `update` cycle — does not pay its ~0.1 s start-up)

from kamerwatch.dutch import getal
from kamerwatch.kinds import KINDS
from kamerwatch.store.db import Connection, SqliteConnection, in_list

from .analysis import fold, stem
from .index import (
    DAY_SHIFT,
    KIND_CODES,
    KIND_NAMES,
    KIND_SHIFT,
    SOORT_MASK,
    SOORT_SHIFT,
    index_version,
    soort_codes,
    token,
)
from .query import (
    HEAD_FREQUENT,
    Node,
    QueryError,
    head_candidates,
    highlight_terms,
    parse,
    to_fts,
    without_heads,
)

Marks = tuple[set[str], set[str], tuple[str, ...]]  # what highlight_terms() returns
KIND_BITS = KIND_SHIFT - SOORT_SHIFT
COMBO_MASK = (1 << (DAY_SHIFT - SOORT_SHIFT)) - 1  # kind and soort of a rowid

PAGE_SIZE = 20
KIND_LABELS = {
    "document": "document",
    "verslag": "verslag",
    "activiteit": "activiteit",
    "toezegging": "toezegging",
    "geschenk": "geschenk",
    "woo": "Woo-publicatie",
    "zaak": "zaak",
}
_NUMBER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a document, zaak or activity number: the registry's pattern, in any case
    *(
        (kind, re.compile(rf"\b({KINDS[kind].pattern})\b", re.I))
        for kind in ("document", "zaak", "activiteit")
    ),
    # a kamerstuk as users type it: kst-36200-XVI-5, 36 200 XVI, 36200-VII nr. 3
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
    bijgewerkt: str | None = None


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
    # the soorten per kind (document soorten apart from meeting kinds), kinds by their count
    facets_soort_per_kind: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    facets_year: list[tuple[str, int]] = field(default_factory=list)
    error: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    fts: str | None = None
    notice: str | None = None  # how the hits were ordered, when that is worth saying


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


def _match(fts: str, q: SearchQuery) -> str:
    """The FTS5 expression with the dossier and fractie filters (tokens of ``meta``)."""
    parts = [f"({fts})"]
    if q.dossier:
        parts.append(f"meta : {token('d', q.dossier)}")
    if q.fractie:
        parts.append(f"meta : {token('f', q.fractie)}")
    return " AND ".join(parts)


def _range(q: SearchQuery) -> tuple[str, list[int]]:
    """The date filter as a rowid range (the day is the top of the rowid)."""
    where, params = "", []
    if q.van:
        where += " AND rowid >= ?"
        params.append(q.van.toordinal() << DAY_SHIFT)
    elif q.tot:  # sources without a date (day 0) are not "before" a date
        where += " AND rowid >= ?"
        params.append(1 << DAY_SHIFT)
    if q.tot:
        where += " AND rowid < ?"
        params.append((q.tot.toordinal() + 1) << DAY_SHIFT)
    return where, params


TOO_SLOW = (
    "deze zoekvraag kost te veel tijd; maak haar specifieker (meer woorden, "
    "een filter op soort of datum)"
)
TIME_BUDGET = 5.0  # seconds per search; then the user gets a notice instead of waiting


def search(conn: SqliteConnection, q: SearchQuery, budget: float = TIME_BUDGET) -> SearchResults:
    """Run a search; a query the parser does not understand gives ``error``, a search that
    takes longer than ``budget`` seconds is stopped with a notice — it never raises."""
    deadline = time.monotonic() + budget
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
    try:
        return _search(conn, q)
    finally:
        conn.set_progress_handler(None, 0)


def _allowed(conn: Connection, q: SearchQuery) -> tuple[set[int] | None, set[int] | None]:
    """The kind and soort codes the filters let through (None: no filter)."""
    kinds = {KIND_CODES[k] for k in q.kinds if k in KIND_CODES} if q.kinds else None
    soorten = None
    if q.soorten:
        codes = soort_codes(conn)
        soorten = {codes[s] for s in q.soorten if s in codes}
    return kinds, soorten


@dataclass
class _Summary:
    """What a result set adds up to: exact total and facets (cached per index version), and
    once asked for, the first ``RANKED`` rowids by relevance."""

    total: int
    passing: frozenset[int] | None  # kind/soort combinations the filters let through
    facets_kind: list[tuple[str, int]]
    facets_soort: list[tuple[str, int]]
    facets_soort_per_kind: list[tuple[str, list[tuple[str, int]]]]
    facets_year: list[tuple[str, int]]
    ranked: list[int] | None = None
    newest: list[int] | None = None  # PostgreSQL: the first ``RANKED`` rowids, newest first
    # relevance is ranked among the newest ``pool`` hits (rowid >= ``pool_from``) when
    # there are more than RELEVANCE_POOL; None: among all of them
    pool_from: int | None = None
    pool: int = 0
    sample: np.ndarray | None = None  # every SAMPLE_STEP-th key, for _scan_is_cheap


RANKED = 10 * PAGE_SIZE  # relevance pages kept with a summary (bm25 scores every match)
# bm25 reads every match's length and positions (~3 µs each): beyond this many hits the
# newest this many are ranked, the older ones follow newest first (with a notice)
RELEVANCE_POOL = 10_000
KEY_SHIFT = SOORT_SHIFT  # rowid >> KEY_SHIFT: the day and kind/soort combination of a source
DAY_BITS = DAY_SHIFT - SOORT_SHIFT


_CACHE: OrderedDict[tuple[Any, ...], _Summary] = OrderedDict()
CACHE_SIZE = 512


def clear_cache() -> None:
    _CACHE.clear()
    _SOORT_NAMES.clear()


def _summary(
    conn: Connection,
    match: str,
    where: str,
    params: list[int],
    kinds: set[int] | None,
    soorten: set[int] | None,
) -> _Summary:
    """One pass over the matching rowids: FTS5 reads no row for this, SQLite joins their
    day-and-kind keys into one string and numpy counts them (no Python per hit)."""
    database = conn.execute("PRAGMA database_list").fetchone()[2]
    key = summary_key(conn, database, (match, where, tuple(params)), kinds, soorten)
    cached = _cached(key)
    if cached is not None:
        return cached
    joined = conn.execute(
        f"""SELECT group_concat(rowid >> {KEY_SHIFT}) FROM search_fts
            WHERE search_fts MATCH ?{where}""",
        (match, *params),
    ).fetchone()[0]
    import numpy as np

    keys = np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, np.int64)
    if len(keys) > 1 and bool((keys[1:] < keys[:-1]).any()):  # FTS5 gives rowid order
        keys = np.sort(keys)
    return _summarise(conn, key, keys, kinds, soorten)


def keys_of(rowids: Iterable[int]) -> np.ndarray:
    """The sorted day-and-kind keys of ``rowids`` (in any order), for :func:`_summarise`."""
    import numpy as np

    return np.sort(np.fromiter(rowids, dtype=np.int64) >> KEY_SHIFT)


def summary_key(
    conn: Any,
    database: str,
    query: tuple[Any, ...],
    kinds: set[int] | None,
    soorten: set[int] | None,
) -> tuple[Any, ...]:
    """What a summary is kept under (both engines): the database, the index version, the
    engine's own statement of the query, and the kind/soort filters."""
    return (
        database,
        index_version(conn),
        query,
        tuple(sorted(kinds)) if kinds is not None else None,
        tuple(sorted(soorten)) if soorten is not None else None,
    )


def _cached(key: tuple[Any, ...]) -> _Summary | None:
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
    return cached


def _summarise(
    conn: Any,
    key: tuple[Any, ...],
    keys: np.ndarray,
    kinds: set[int] | None,
    soorten: set[int] | None,
) -> _Summary:
    """Total and facets of the matching sources, given their keys (``rowid >> KEY_SHIFT``)
    in ascending order; kept in the cache under ``key``."""
    import numpy as np

    combos = keys & COMBO_MASK
    if len(keys) <= SMALL:  # numpy's fixed costs (a 4,096-slot count) outweigh the work
        found = sorted(Counter(combos.tolist()).items())
    else:
        counts = np.bincount(combos, minlength=COMBO_MASK + 1)
        found = [(combo, int(counts[combo])) for combo in np.flatnonzero(counts).tolist()]
    by_kind: Counter[int] = Counter()
    by_soort: Counter[int] = Counter()
    by_kind_soort: Counter[tuple[int, int]] = Counter()
    passing: set[int] = set()
    for combo, n in found:
        kind, soort = combo >> KIND_BITS, combo & SOORT_MASK
        kind_ok = kinds is None or kind in kinds
        soort_ok = soorten is None or soort in soorten
        if soort_ok:
            by_kind[kind] += n
        if kind_ok and soort:
            by_soort[soort] += n
            by_kind_soort[kind, soort] += n
        if kind_ok and soort_ok:
            passing.add(combo)
    filtered = kinds is not None or soorten is not None
    if filtered:
        allowed = np.zeros(COMBO_MASK + 1, dtype=bool)
        allowed[list(passing)] = True
        keys = keys[allowed[combos]]
    names = soort_names(conn, key[:2]) if by_soort else {}
    summary = _Summary(
        total=len(keys),
        passing=frozenset(passing) if filtered else None,
        facets_kind=[(KIND_NAMES[k], n) for k, n in by_kind.most_common() if k in KIND_NAMES],
        facets_soort=[(names.get(c, "overig"), n) for c, n in by_soort.most_common(40)],
        facets_soort_per_kind=_per_kind(by_kind_soort, names),
        facets_year=_years(keys >> DAY_BITS),
    )
    summary.sample = keys[::SAMPLE_STEP].copy()
    if len(keys) > RELEVANCE_POOL:
        first = int(keys[-RELEVANCE_POOL])  # all sources of that day and kind come along
        summary.pool_from = first << KEY_SHIFT
        summary.pool = len(keys) - int(np.searchsorted(keys, first))
    _CACHE[key] = summary
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return summary


# result sets up to this many sources are counted in plain Python (cheaper below it)
SMALL = 256
_SOORT_NAMES: OrderedDict[tuple[Any, ...], dict[int, str]] = OrderedDict()


def soort_names(conn: Any, version: tuple[Any, ...]) -> dict[int, str]:
    """Code → soort of ``search_soort``, kept per database and index version (``version``:
    the first two parts of a summary key; the table only grows when the index changes)."""
    names = _SOORT_NAMES.get(version)
    if names is None:
        names = {code: soort for soort, code in soort_codes(conn).items()}
        _SOORT_NAMES[version] = names
        if len(_SOORT_NAMES) > 8:
            _SOORT_NAMES.popitem(last=False)
    return names


def _per_kind(
    counts: Counter[tuple[int, int]], names: dict[int, str]
) -> list[tuple[str, list[tuple[str, int]]]]:
    """Soort counts grouped by kind: kinds by their total (then name), soorten by their
    count (then name), at most 40 per kind."""
    grouped: dict[str, Counter[str]] = {}
    for (kind, code), n in counts.items():
        if kind in KIND_NAMES:
            grouped.setdefault(KIND_NAMES[kind], Counter())[names.get(code, "overig")] += n
    order = sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return [
        (kind, sorted(soorten.items(), key=lambda sn: (-sn[1], sn[0]))[:40])
        for kind, soorten in order
    ]


def _years(days: np.ndarray) -> list[tuple[str, int]]:
    """Hits per year, newest year first, from ascending day numbers (day 0: no date)."""
    import numpy as np

    if len(days) <= SMALL:
        years = Counter(date.fromordinal(day).year for day in days.tolist() if day >= 1)
        return [(str(year), n) for year, n in sorted(years.items(), reverse=True)]
    dated = days[int(np.searchsorted(days, 1)) :]
    if not len(dated):
        return []
    first = date.fromordinal(int(dated[0])).year
    last = date.fromordinal(int(dated[-1])).year
    starts = [date(y, 1, 1).toordinal() for y in range(first, last + 2)]
    counts = np.diff(np.searchsorted(dated, starts))
    return [(str(first + i), int(n)) for i, n in reversed(list(enumerate(counts.tolist()))) if n]


def _search(conn: Connection, q: SearchQuery) -> SearchResults:
    results = SearchResults(q, suggestions=suggestions(q.q))
    try:
        node = parse(q.q)
    except QueryError as exc:
        results.error = str(exc)
        return results
    try:
        node = without_heads(node, frequent_heads(conn, node))
        fts = to_fts(node)
        results.fts = fts
        match = _match(fts, q)
        where, params = _range(q)
        kinds, soorten = _allowed(conn, q)
        summary = _summary(conn, match, where, params, kinds, soorten)
        results.total = summary.total
        results.pages = max(1, -(-results.total // PAGE_SIZE))
        results.page = min(max(1, q.page), results.pages)
        page_ids, snippets = _page(conn, match, where, params, summary, q.sort, results.page)
        if q.sort == "relevantie" and summary.pool_from is not None:
            results.notice = pool_notice(summary.pool, summary.total)
        rows = _rows(conn, page_ids)
        missing = [r for r in page_ids if r not in snippets]
        snippets.update(_snippets(conn, fts, missing, summary))
        _in_context(conn, snippets, page_ids, highlight_terms(node))
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            results.error = TOO_SLOW
        else:  # should not happen: every word is quoted
            results.error = f"deze zoekvraag kan niet worden uitgevoerd ({exc})"
        return results
    return with_hits(results, summary, node, rows, snippets)


def frequent_heads(conn: Connection, node: Node, limit: int = HEAD_FREQUENT) -> set[str]:
    """The query's would-be heads of compounds that are found (stem or part) in at least
    ``limit`` sources: a count that stops there, one short doclist walk each."""
    frequent = set()
    for term in head_candidates(node):
        (n,) = conn.execute(
            f"""SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?
                LIMIT {int(limit)})""",
            (to_fts(replace(term, heads=False)),),
        ).fetchone()
        if n >= limit:
            frequent.add(term.text)
    return frequent


def with_hits(
    results: SearchResults,
    summary: Any,
    node: Any,
    rows: Sequence[Sequence[Any]],
    snippets: dict[int, str],
) -> SearchResults:
    """The facets of the summary and the hits of one page, with marked snippets (both
    engines)."""
    results.facets_kind = summary.facets_kind
    results.facets_soort = summary.facets_soort
    results.facets_soort_per_kind = summary.facets_soort_per_kind
    results.facets_year = summary.facets_year
    marks = highlight_terms(node)
    results.hits = hits_of(rows, snippets, marks)
    return results


def hits_of(rows: Sequence[Sequence[Any]], snippets: dict[int, str], marks: Marks) -> list[Hit]:
    """Hits from display rows (rowid, kind, ref, nummer, titel, soort, datum, dossier,
    bijgewerkt) and the page's snippets, marked together (both engines)."""
    marked = mark_snippets([snippets.get(r[0], "") for r in rows], marks)
    # the row's columns 1–7 are Hit's first fields, in order
    return [
        Hit(r[1], r[2], r[3], r[4], r[5], r[6], r[7], html, r[8])
        for r, html in zip(rows, marked, strict=True)
    ]


def pool_notice(pool: int, total: int) -> str:
    return (
        f"Van de {getal(total)} resultaten zijn de {getal(pool)} nieuwste op relevantie "
        f"gesorteerd; de {getal(total - pool)} oudere volgen daarna, nieuwste eerst. Maak de "
        "zoekvraag specifieker (meer woorden, een filter) voor één rangschikking van alles."
    )


def _page(
    conn: Connection,
    match: str,
    where: str,
    params: list[int],
    summary: _Summary,
    sort: str,
    page: int,
) -> tuple[list[int], dict[int, str]]:
    """The rowids of one page, and the snippets of those read in the same pass: newest
    first is FTS5's own descending rowid order (it stops after the page, and makes
    snippets for the page's rows only); relevance is bm25 (the ``meta`` column does not
    count), among the newest RELEVANCE_POOL hits when there are more, the older ones
    following newest first."""
    if not summary.total:
        return [], {}
    if summary.passing is not None:
        combos = ",".join(str(c) for c in sorted(summary.passing)) or "-1"
        where += f" AND (rowid >> {SOORT_SHIFT}) & {COMBO_MASK} IN ({combos})"
    start = (page - 1) * PAGE_SIZE
    if sort != "relevantie":
        return _newest(conn, match, where, params, PAGE_SIZE, start)
    return relevance_page(
        summary,
        start,
        where,
        "rowid",
        lambda sql, limit, offset: _ranked(conn, match, sql, params, limit, offset),
        lambda sql, limit, offset: _newest(conn, match, sql, params, limit, offset),
    )


Rowids = Callable[[str, int, int], list[int]]  # (extra WHERE, limit, offset) → rowids


def relevance_page(
    summary: _Summary,
    start: int,
    where: str,
    rowid: str,
    ranked: Rowids,
    newest: Callable[[str, int, int], tuple[list[int], dict[int, str]]],
) -> tuple[list[int], dict[int, str]]:
    """One page in relevance order from ``start`` (both engines): ranked among the newest
    RELEVANCE_POOL hits (``rowid >= summary.pool_from``) when there are more, the older ones
    following newest first; the first RANKED are kept with the summary. ``ranked`` and
    ``newest`` run a statement with ``where`` plus a rowid bound."""
    ranked_where, pool = where, summary.total
    if summary.pool_from is not None:
        ranked_where += f" AND {rowid} >= {summary.pool_from}"
        pool = summary.pool
    found: list[int] = []
    if start + PAGE_SIZE <= RANKED:
        if summary.ranked is None:
            summary.ranked = ranked(ranked_where, RANKED, 0)
        found = summary.ranked[start : start + PAGE_SIZE]
    elif start < pool:
        found = ranked(ranked_where, min(PAGE_SIZE, pool - start), start)
    if len(found) < PAGE_SIZE and summary.pool_from is not None and start + PAGE_SIZE > pool:
        older = where + f" AND {rowid} < {summary.pool_from}"
        more, snippets = newest(older, PAGE_SIZE - len(found), max(0, start - pool))
        return found + more, snippets
    return found, {}


def _newest(
    conn: Connection, match: str, where: str, params: list[int], limit: int, offset: int
) -> tuple[list[int], dict[int, str]]:
    """Newest first, with snippets (SQLite skips the offset's rows before it computes the
    columns, so only the page's rows get one)."""
    rows = conn.execute(
        f"""SELECT rowid, snippet(search_fts, 0, char(2), char(3), '…', 24) FROM search_fts
            WHERE search_fts MATCH ?{where} ORDER BY rowid DESC LIMIT ? OFFSET ?""",
        (match, *params, limit, offset),
    ).fetchall()
    return [r[0] for r in rows], {r[0]: r[1] or "" for r in rows}


def _ranked(
    conn: Connection, match: str, where: str, params: list[int], limit: int, offset: int
) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            f"""SELECT rowid FROM search_fts WHERE search_fts MATCH ?{where}
                ORDER BY bm25(search_fts, 1.0, 1.0, 0.0, 0.1), rowid DESC LIMIT ? OFFSET ?""",
            (match, *params, limit, offset),
        )
    ]


def _rows(conn: Connection, rowids: list[int]) -> list[tuple[Any, ...]]:
    """The display rows of ``rowids``, in that order."""
    if not rowids:
        return []
    found = {
        r[0]: tuple(r)
        for r in conn.execute(
            f"""SELECT rowid, kind, ref, nummer, titel, soort, datum, dossier, bijgewerkt
                FROM search_doc WHERE rowid IN ({in_list(rowids)})""",
            rowids,
        )
    }
    return [found[r] for r in rowids if r in found]


SAMPLE_STEP = 64  # every this many keys of a result set are kept to estimate its density
SCAN_LIMIT = 10_000  # matches a range scan may pass to find a page's snippets


def _snippets(
    conn: Connection, fts: str, rowids: list[int], summary: _Summary | None = None
) -> dict[int, str]:
    """The snippets of the page's rows only. ``rowid IN`` makes FTS5 look each row up on
    its own — a full merge of the doclists for each row, costly for a prefix; one scan of
    the page's rowid range (filtered, snippets only for the page) pays that once, and is
    chosen when the summary says the range holds few other matches (always for a newest
    first page without filters)."""
    if not rowids:
        return {}
    marks = in_list(rowids)
    if summary is not None and _scan_is_cheap(summary, fts, min(rowids), max(rowids)):
        sql = f"""SELECT rowid, snippet(search_fts, 0, char(2), char(3), '…', 24)
                  FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?
                  AND +rowid IN ({marks})"""
        found = conn.execute(sql, (fts, min(rowids), max(rowids), *rowids))
    else:
        found = conn.execute(
            f"""SELECT rowid, snippet(search_fts, 0, char(2), char(3), '…', 24)
                FROM search_fts WHERE search_fts MATCH ? AND rowid IN ({marks})""",
            (fts, *rowids),
        )
    return {r[0]: r[1] or "" for r in found}


def _scan_is_cheap(summary: _Summary, fts: str, low: int, high: int) -> bool:
    if summary.sample is None:
        return False
    import numpy as np

    sample = summary.sample
    inside = int(np.searchsorted(sample, high >> KEY_SHIFT, "right")) - int(
        np.searchsorted(sample, low >> KEY_SHIFT, "left")
    )
    limit = SCAN_LIMIT * (20 if '"*' in fts else 1)  # a prefix costs ~3 ms per lookup
    return (inside - 1) * SAMPLE_STEP <= limit


_WORDS = re.compile(r"\w+", re.UNICODE)
_SPLIT = re.compile(r"(\w+)", re.UNICODE)
_ENTITY_WORDS = frozenset({"amp", "lt", "gt", "quot", "x27"})  # the words html.escape adds


def mark_snippet(raw: str, marks: Marks) -> str:
    """One snippet escaped and marked: see :func:`mark_snippets`."""
    return mark_snippets([raw], marks)[0]


@lru_cache(maxsize=65_536)
def _analysed(word: str) -> tuple[str, str]:
    """A word of a snippet folded, and the stem of that (words recur across searches)."""
    folded = fold(word)
    return folded, stem(folded)


def word_judge(marks: Marks) -> Callable[[str], bool]:
    """Whether a word of a text is one the query asks for: by stem, exact word or prefix."""
    stems, exact, prefixes = marks
    starts = prefixes or ("\x00",)

    def judge(word: str) -> bool:
        folded, stemmed_word = _analysed(word)
        return folded in exact or stemmed_word in stems or folded.startswith(starts)

    return judge


CONTEXT = (8, 16)  # words before and from the first word of the query in a snippet cut here
CONTEXT_CHARS = 200_000  # of a text read to cut a snippet from


def context_snippet(text: str, marks: Marks) -> str | None:
    """A snippet of ``text`` around the first word of the query (None: no such word), cut
    like FTS5 cuts them. Candidates are found by a pattern of the first letters of the
    query's stems, words and prefixes (a Dutch stem is its words' beginning), so a long text
    is not walked word by word in Python."""
    stems, exact, prefixes = marks
    heads = sorted({w[:3] for w in (*stems, *exact, *prefixes) if w}, key=len, reverse=True)
    if not heads:
        return None
    judge = word_judge(marks)
    alternatives = "|".join(re.escape(h) for h in heads)
    for found in re.finditer(rf"(?<!\w)(?:{alternatives})\w*", text, re.IGNORECASE):
        if not judge(found.group()):
            continue
        before, after = CONTEXT
        lead = max(0, found.start() - 16 * before)  # room for words of 15 letters
        starts = [w.start() for w in _WORDS.finditer(text, lead, found.start())]
        if lead:  # the first may be the tail of a longer word
            starts = starts[1:]
        if len(starts) >= before:
            begin = starts[-before]
        else:  # near the start of the text: from its start
            begin = 0 if not lead else (starts or [found.start()])[0]
        end, limit = found.end(), min(len(text), found.end() + 40 * after)
        for word in itertools.islice(_WORDS.finditer(text, end, limit), after - 1):
            if word.end() == limit < len(text):
                break  # may be the head of a longer word
            end = word.end()
        if not _WORDS.search(text, end):  # only punctuation or space left
            end = len(text)
        return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
    return None


def _in_context(
    conn: Connection, snippets: dict[int, str], rowids: list[int], marks: Marks
) -> None:
    """FTS5 cuts a snippet around the ``body`` matches of phrases and prefixes; a plain word
    matches its stem in the ``stem`` column, so its snippet is the start of the text, which
    often lacks the word. Rows whose snippet shows no word of the query get one cut around
    the first word that does (in place)."""
    judge = word_judge(marks)
    words = {r: set(_WORDS.findall(snippets.get(r, ""))) for r in rowids}
    wanted = {w for w in set().union(*words.values()) if judge(w)}
    lacking = [r for r in rowids if wanted.isdisjoint(words[r])]
    if not lacking:
        return
    texts = conn.execute(
        f"""SELECT rowid, substr(body, 1, {CONTEXT_CHARS}) FROM search_fts
            WHERE rowid IN ({in_list(lacking)})""",
        lacking,
    )
    for rowid, text in texts:
        cut = context_snippet(text or "", marks)
        if cut is not None:
            snippets[rowid] = cut


def mark_snippets(raws: Sequence[str], marks: Marks) -> list[str]:
    """Escape the snippets and wrap the query's words in <mark> (by stem, exact word or
    prefix), whatever FTS5 marked. Each distinct word (``\\w+``) of the page is judged once.
    Escaping first leaves every word as it was (``<``, ``&``, quotes are no word characters)
    and only adds the entity names: unless one of those is a marked word, the escaped text
    is split and marked at once; else each gap is escaped on its own."""
    texts = [raw.replace("\x02", "").replace("\x03", "") for raw in raws]
    judge = word_judge(marks)
    marked = {word for word in set(_WORDS.findall("\n".join(texts))) if judge(word)}
    if not marked:
        return [escape(text) for text in texts]
    whole = marked.isdisjoint(_ENTITY_WORDS)
    out = []
    for text in texts:
        if whole:
            parts = _SPLIT.split(escape(text))  # gaps at even, words at odd positions
        else:
            parts = _SPLIT.split(text)
            parts[0::2] = [escape(gap) for gap in parts[0::2]]
        for i in range(1, len(parts), 2):
            if parts[i] in marked:
                parts[i] = f"<mark>{parts[i]}</mark>"
        out.append("".join(parts))
    return out


__all__ = [
    "Hit",
    "Mentions",
    "Node",
    "SearchQuery",
    "SearchResults",
    "documents_mentioning",
    "search",
    "suggestions",
]


@dataclass(frozen=True)
class Mentions:
    """Documents whose indexed text contains a phrase, apart from the excluded ones:
    ``total`` of them, the newest ``hits`` (bounded); ``query`` is the search that lists
    them all; ``error`` when the index could not answer."""

    query: str
    total: int = 0
    hits: tuple[Hit, ...] = ()
    error: str | None = None


MENTIONS_BUDGET = 1.0  # seconds: a page must not wait on the index


def documents_mentioning(
    conn: SqliteConnection,
    phrase: str,
    *,
    exclude_ids: Iterable[str] = (),
    exclude_nummers: Iterable[str] = (),
    limit: int = 20,
) -> Mentions:
    """The documents that mention ``phrase`` (an exact phrase, e.g. a zaak number) in their
    indexed text, newest first, without the excluded ones (e.g. those the data already
    links). An index that was never built simply has no hits; it never raises."""
    query = '"' + phrase.replace('"', " ") + '"'
    try:
        node = parse(query)
    except QueryError as exc:
        return Mentions(query, error=str(exc))
    fts = to_fts(node)
    excluded = (json.dumps(sorted(set(exclude_ids))), json.dumps(sorted(set(exclude_nummers))))
    # CROSS JOIN keeps the full-text match as the outer loop: with a plain JOIN SQLite
    # walked every document (index on kind) and asked FTS5 about each one (~0.8 s at
    # 50,000 documents for every zaak page nobody had asked for yet)
    base = """FROM search_fts CROSS JOIN search_doc d ON d.rowid = search_fts.rowid
              WHERE search_fts MATCH ? AND d.kind = 'document'
                AND d.ref NOT IN (SELECT value FROM json_each(?))
                AND coalesce(d.nummer, '') NOT IN (SELECT value FROM json_each(?))"""
    deadline = time.monotonic() + MENTIONS_BUDGET
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        total = conn.execute(f"SELECT count(*) {base}", (fts, *excluded)).fetchone()[0]
        rows = conn.execute(  # rowid order = newest day first (see index.row_key)
            f"""SELECT d.rowid, d.kind, d.ref, d.nummer, d.titel, d.soort, d.datum, d.dossier,
                       d.bijgewerkt
                {base} ORDER BY search_fts.rowid DESC LIMIT ?""",
            (fts, *excluded, limit),
        ).fetchall()
        snippets = _snippets(conn, fts, [r[0] for r in rows])
    except sqlite3.OperationalError as exc:  # interrupted, or no index tables at all
        return Mentions(query, error=f"de zoekmachine kon niet antwoorden ({exc})")
    finally:
        conn.set_progress_handler(None, 0)
    marks = highlight_terms(node)
    hits = tuple(hits_of(rows, snippets, marks))
    return Mentions(query, total, hits)


def matching_documents(
    conn: Connection, node: Node, refs: list[str], kind: str = "document"
) -> tuple[dict[str, str], set[str]]:
    """Of the sources ``refs`` of ``kind``: those the query matches (ref → marked snippet
    HTML), and the set of refs the index knows at all (the others cannot be judged by it)."""
    if not refs:
        return {}, set()
    fts = to_fts(node)
    marks = highlight_terms(node)
    found: dict[str, str] = {}
    indexed: set[str] = set()
    for start in range(0, len(refs), 500):
        part = refs[start : start + 500]
        marks_sql = in_list(part)
        indexed.update(
            r[0]
            for r in conn.execute(
                f"SELECT ref FROM search_doc WHERE kind = ? AND ref IN ({marks_sql})",
                (kind, *part),
            )
        )
        rows = conn.execute(
            f"""SELECT d.rowid, d.ref, snippet(search_fts, 0, char(2), char(3), '…', 24)
                FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid
                WHERE search_fts MATCH ? AND d.kind = ? AND d.ref IN ({marks_sql})""",
            (fts, kind, *part),
        ).fetchall()
        snippets = {rowid: raw or "" for rowid, _, raw in rows}
        _in_context(conn, snippets, list(snippets), marks)
        for rowid, ref, _ in rows:
            found[ref] = mark_snippet(snippets[rowid], marks)
    return found, indexed
