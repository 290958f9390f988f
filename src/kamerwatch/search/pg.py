"""The search index on PostgreSQL: tsvector columns with GIN indexes, the same behaviour as
the SQLite index (search/index.py, search/engine.py).

The rows of ``search_doc`` are those of the SQLite index (the same rowid layout, so sort
order, date ranges and facets are computed alike); instead of the FTS5 table each row
carries its text and three tsvectors:

* ``stem``  — the Dutch Snowball stem of every word (the ``stem`` column of FTS5);
* ``exact`` — every word folded (lower case, no accents: the FTS5 ``body`` column);
* ``meta``  — dossier and fractie tokens of the filters.

The words and stems are made in Python by search/analysis.py, exactly as for SQLite, and
handed to PostgreSQL as tsvectors (:func:`tsvector`), as are the query's words:
PostgreSQL's own parser splits "F-35" into "f" and "-35" and
"3.5" stays one token, and its ``dutch`` stemmer is an older Snowball version than the
one of the SQLite index (woning → woning there, woon here), so letting PostgreSQL analyse
would give other results than SQLite. ``body`` keeps the text for the snippets
(``ts_headline`` with ``kamerwatch_nl``: unaccent and the Dutch stemmer).

Positions in a tsvector stop at 16383; phrases and NEAR in longer texts are found in
``search_part``: the exact words of such a text again, in overlapping parts of ``PART``
words (``words`` in ``search_doc`` says how long a text is).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kamerwatch.store.db import Connection
from kamerwatch.store.pg import PgConnection

from .analysis import stem, words

INDEX_LOCK = 0x6B77_0006  # advisory lock: one index writer at a time (SQLite: BEGIN IMMEDIATE)
PART = 16000  # words per part of a long text (tsvector positions stop at 16383)
OVERLAP = 200  # words two parts share, so a phrase or NEAR group is whole in one of them
MAX_LEXEME_BYTES = 2046  # longer words are not indexed (PostgreSQL: "word is too long")

# ------------------------------------------------------------------------------ writing


def _lex(word: str) -> str:
    """A lexeme in tsvector/tsquery input syntax."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def begin(conn: Connection) -> None:
    """An index write transaction; writers queue on the advisory lock as SQLite's do on
    ``BEGIN IMMEDIATE``."""
    conn.execute("BEGIN")
    conn.execute("SELECT pg_advisory_xact_lock(?)", (INDEX_LOCK,))


SOURCES: dict[str, str] = {  # the source queries of search/index.py in PostgreSQL's words
    "document": """
        SELECT d.id, d.skiptoken || '/' || coalesce(c.converted_at, '') || coalesce('/op' || (
                   SELECT max(p.checked_at) FROM documentversie v
                   JOIN op_publication p ON p.eid = v.externeidentifier
                   WHERE v.document_id = d.id AND p.text IS NOT NULL AND p.text <> ''), ''),
               d.document_nummer,
               coalesce(d.onderwerp, d.titel), d.soort, d.datum,
               CASE WHEN k.nummer IS NULL THEN NULL
                    WHEN k.toevoeging IS NULL THEN CAST(k.nummer AS TEXT)
                    ELSE k.nummer || '-' || k.toevoeging END,
               (SELECT ' ' || string_agg(DISTINCT actor_fractie, ',') || ' ' FROM documentactor
                WHERE document_id = d.id AND actor_fractie IS NOT NULL),
               coalesce(d.onderwerp, '') || chr(10) || coalesce(d.titel, '') || chr(10) || coalesce(d.citeertitel, '') || chr(10) || coalesce((
                   -- the official publication's text (docs/media.md) in place of the converted file's
                   SELECT max(p.text) FROM documentversie v
                   JOIN op_publication p ON p.eid = v.externeidentifier
                   WHERE v.document_id = d.id AND p.text IS NOT NULL AND p.text <> ''), c.text, ''),
               d.bijgewerkt
        FROM document d
        LEFT JOIN kamerstukdossier k ON k.id = d.kamerstukdossier_id
        LEFT JOIN conversion c ON c.entity_id = d.id AND c.text IS NOT NULL""",
    "verslag": """
        SELECT s.id, s.skiptoken || '/' || c.converted_at, s.vergadering_id, v.titel, v.soort,
               v.datum, NULL, NULL, c.text, s.bijgewerkt
        FROM (SELECT DISTINCT ON (vergadering_id) id, vergadering_id, bijgewerkt, skiptoken
              FROM verslag WHERE coalesce(status, '') <> 'Casco'
              ORDER BY vergadering_id NULLS FIRST, skiptoken DESC) s
        JOIN conversion c ON c.entity_id = s.id AND c.text IS NOT NULL
        LEFT JOIN vergadering v ON v.id = s.vergadering_id""",
    "activiteit": """
        SELECT a.id, a.skiptoken || '/' || coalesce((SELECT CAST(max(skiptoken) AS TEXT) FROM agendapunt
                                                      WHERE activiteit_id = a.id), ''),
               a.nummer, a.onderwerp, a.soort, a.datum, NULL, NULL,
               coalesce(a.onderwerp, '') || chr(10) || coalesce(a.soort, '') || chr(10) || coalesce(a.noot, '') || chr(10) || coalesce(a.voortouwnaam, '') || chr(10) || coalesce((SELECT string_agg(onderwerp, chr(10)) FROM agendapunt
                          WHERE activiteit_id = a.id), ''),
               a.bijgewerkt
        FROM activiteit a""",
    "toezegging": """
        SELECT t.id, t.skiptoken, t.nummer, t.tekst, t.status, t.aanmaakdatum, NULL,
               (SELECT ' ' || afkorting || ' ' FROM fractie WHERE id = t.toegezegd_aan_fractie_id),
               coalesce(t.tekst, '') || chr(10) || coalesce(t.naam, '') || chr(10) || coalesce(t.functie, '') || chr(10) || coalesce(t.ministerie, ''),
               t.bijgewerkt
        FROM toezegging t""",
    "geschenk": """
        SELECT g.id, g.skiptoken, p.nummer, g.omschrijving, NULL, g.datum, NULL,
               ' ' || p.fractielabel || ' ',
               coalesce(g.omschrijving, '') || chr(10) || coalesce(p.roepnaam, '') || chr(10) || coalesce(p.tussenvoegsel, '') || chr(10) || coalesce(p.achternaam, ''),
               g.bijgewerkt
        FROM persoongeschenk g LEFT JOIN persoon p ON p.id = g.persoon_id""",
    "woo": """
        SELECT p.id, coalesce(p.mutatiedatumtijd, '') || '/' || coalesce((SELECT max(c.converted_at)
                 FROM woo_file f JOIN conversion c ON c.entity_id = f.entity_id
                 WHERE f.id = p.id), ''),
               p.id, p.titel, (CAST(p.documentsoorten AS json) ->> 0), p.openbaarmakingsdatum,
               NULL, NULL,
               coalesce(p.titel, '') || chr(10) || coalesce(p.omschrijvingen, '') || chr(10) || coalesce(p.verantwoordelijke, '') || chr(10) || coalesce((SELECT string_agg(c.text, chr(10)) FROM woo_file f
                          JOIN conversion c ON c.entity_id = f.entity_id AND c.text IS NOT NULL
                          WHERE f.id = p.id), ''),
               p.mutatiedatumtijd
        FROM woo_publication p WHERE p.state = 'ok' AND p.tk_copy = 0""",
    "zaak": """
        SELECT z.id, z.skiptoken || '/' || coalesce((SELECT CAST(max(skiptoken) AS TEXT) FROM zaakactor
                                                      WHERE zaak_id = z.id), ''),
               z.nummer, coalesce(z.onderwerp, z.titel), z.soort, z.gestart_op,
               CASE WHEN k.nummer IS NULL THEN NULL
                    WHEN k.toevoeging IS NULL THEN CAST(k.nummer AS TEXT)
                    ELSE k.nummer || '-' || k.toevoeging END,
               (SELECT ' ' || string_agg(DISTINCT actor_fractie, ',') || ' ' FROM zaakactor
                WHERE zaak_id = z.id AND actor_fractie IS NOT NULL),
               coalesce(z.nummer, '') || chr(10) || coalesce(z.onderwerp, '') || chr(10) || coalesce(z.titel, '') || chr(10) || coalesce(z.citeertitel, '') || chr(10) || coalesce(z.alias, '') || chr(10) || coalesce((SELECT string_agg(actor_naam, chr(10)) FROM zaakactor
                          WHERE zaak_id = z.id AND relatie IN ('Indiener', 'Medeindiener')), ''),
               z.bijgewerkt
        FROM zaak z
        LEFT JOIN kamerstukdossier k ON k.id = z.kamerstukdossier_id""",
}


def stream(conn: Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of a source query a few hundred at a time (a server-side cursor that
    outlives the index transactions in between), not all texts at once in memory."""
    if not isinstance(conn, PgConnection):
        raise TypeError("stream: een PostgreSQL-verbinding nodig")
    name = f"kamerwatch_index_{uuid.uuid4().hex[:8]}"
    with conn.raw.cursor(name=name, withhold=True) as cursor:
        cursor.itersize = 200
        cursor.execute(sql)
        yield from cursor


def delete(conn: Connection, rowids: list[int]) -> None:
    for rowid in rowids:
        conn.execute("DELETE FROM search_part WHERE rowid = ?", (rowid,))
        conn.execute("DELETE FROM search_doc WHERE rowid = ?", (rowid,))


def clear(conn: Connection) -> None:
    for table in ("search_part", "search_doc", "search_soort", "search_word"):
        conn.execute(f"DELETE FROM {table}")


TSVECTOR_BUDGET = 1_000_000 - 2 * 16383 - 16384  # bytes: a tsvector holds at most 1 MB


def _indexable(ws: list[str]) -> list[str]:
    """The words PostgreSQL can file: cut at "_" (as FTS5 does), none longer than it
    indexes, and no more distinct ones than fit in one tsvector (a text of >50,000
    distinct words, e.g. a table of codes, loses its last new words)."""
    ws = [p for w in ws for p in _pieces(w) if len(p.encode()) <= MAX_LEXEME_BYTES]
    seen: set[str] = set()
    size = 0
    for i, w in enumerate(ws):
        if w not in seen:
            seen.add(w)
            size += len(w.encode()) + 6  # lexeme, its entry and its clamped position
            if size > TSVECTOR_BUDGET:
                return ws[:i]
    return ws


MAX_POSITION, MAX_POSITIONS = 16383, 256  # what a tsvector records of a lexeme


def tsvector(ws: list[str]) -> str:
    """The tsvector (input syntax) of a list of words: each with its positions, as
    ``to_tsvector`` records them, but of exactly these words (PostgreSQL's parser would cut
    some words otherwise than search/analysis.py, and the query's words are made there)."""
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(ws, 1):
        found = positions.get(w)
        if found is None:
            positions[w] = [min(i, MAX_POSITION)]
        elif len(found) < MAX_POSITIONS and found[-1] < MAX_POSITION:
            found.append(min(i, MAX_POSITION))
    return " ".join(f"{_lex(w)}:{','.join(map(str, ps))}" for w, ps in positions.items())


def stem_tsvector(ws: list[str], parts: Callable[[str], tuple[str, ...]]) -> str:
    """The ``stem`` tsvector: the stem of every word at its position (weight D, the
    default), and the stems of the known words inside a compound at the compound's position
    with weight C, which :func:`ranking` counts far less (see search/analysis.py)."""
    positions: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for i, w in enumerate(ws, 1):
        p = min(i, MAX_POSITION)
        for lexeme, weight in ((stem(w), ""), *((stem(x), "C") for x in parts(w))):
            found = positions.setdefault(lexeme, [])
            if len(found) < MAX_POSITIONS and last.get(lexeme, 0) < p:
                found.append(f"{p}{weight}")
                last[lexeme] = p
    return " ".join(f"{_lex(w)}:{','.join(ps)}" for w, ps in positions.items())


def insert(
    conn: Connection,
    rowid: int,
    row: tuple[Any, ...],
    text: str,
    meta: str,
    parts: Callable[[str], tuple[str, ...]] = lambda w: (),
) -> None:
    """One source: its display ``row`` (kind … bijgewerkt), its words and stems (made in
    Python, as for SQLite) with the parts of its compounds, its ``meta`` tokens, and parts
    for a text beyond ``PART``."""
    text = text.replace("\x00", "")
    ws = _indexable(words(text))
    conn.execute(
        """INSERT INTO search_doc
           (rowid, kind, ref, version, nummer, titel, soort, datum, dossier, fracties,
            bijgewerkt, body, words, stem, exact, meta)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector),
                   CAST(? AS tsvector), array_to_tsvector(string_to_array(?, ' ')))""",
        (rowid, *row, text, len(ws), stem_tsvector(ws, parts), tsvector(ws), meta),
    )
    if len(ws) > PART:
        step = PART - OVERLAP
        for part, start in enumerate(range(0, len(ws) - OVERLAP, step)):
            conn.execute(
                "INSERT INTO search_part (rowid, part, exact) VALUES (?, ?, CAST(? AS tsvector))",
                (rowid, part, tsvector(ws[start : start + PART])),
            )


# ----------------------------------------------------------------------------- querying


def _pieces(word: str) -> list[str]:
    """A query word as the lexemes PostgreSQL files it under (FTS5 and PostgreSQL both
    split at "_", which Python's ``\\w`` keeps)."""
    return [p for p in word.split("_") if p]


def _phrase(ws: Iterable[str]) -> str:
    return " <-> ".join(_lex(p) for w in ws for p in _pieces(w))


@dataclass(frozen=True)
class Leaf:
    """A test of one tsvector column: ``stem`` or ``exact``; ``positional``: a phrase or
    NEAR group (in a long text: looked up in its parts)."""

    column: str
    tsquery: str
    positional: bool = False
    words: str = ""  # positional: all its words (what the GIN index can find)
    near: tuple[tuple[str, ...], int] | None = None  # NEAR: its words and distance


@dataclass(frozen=True)
class Expr:
    """A WHERE expression over ``search_doc d`` with its parameters."""

    sql: str
    params: tuple[Any, ...]


def _all(lexemes: Iterable[str]) -> str:
    return "(" + " & ".join(lexemes) + ")"


def _leaf(node: Any) -> Leaf:
    from .query import Near, Phrase, Term

    if isinstance(node, Term):
        pieces = _pieces(node.text)
        if node.prefix:
            if len(pieces) == 1:
                return Leaf("exact", _lex(pieces[0]) + ":*")
            last = _lex(pieces[-1]) + ":*"
            return Leaf(
                "exact",
                f"{_phrase(pieces[:-1])} <-> {last}",
                True,
                _all([*map(_lex, pieces[:-1]), last]),
            )
        if len(pieces) == 1:
            return Leaf("stem", _lex(stem(node.text)))
        # foo_bar: a phrase, as in FTS5
        return Leaf("exact", _phrase(pieces), True, _all(map(_lex, pieces)))
    if isinstance(node, Phrase):
        lexemes = [p for w in node.words for p in _pieces(w)]
        if len(lexemes) == 1:
            return Leaf("exact", _lex(lexemes[0]))
        return Leaf("exact", _phrase(lexemes), True, _all(map(_lex, sorted(set(lexemes)))))
    assert isinstance(node, Near)
    every = _all(map(_lex, sorted(set(node.words))))
    return Leaf("exact", every, True, every, (node.words, node.distance))


def _sql(leaf: Leaf) -> Expr:
    """The test of one leaf. A phrase or NEAR group first asks the GIN index for the texts
    with all its words, then checks the positions: in ``exact`` for a text of up to
    ``PART`` words, in the parts of a longer one."""
    if not leaf.positional:
        return Expr(f"d.{leaf.column} @@ CAST(? AS tsquery)", (leaf.tsquery,))
    if leaf.near is not None:
        ws, distance = leaf.near
        check = "kamerwatch_near({}, CAST(? AS text[]), CAST(? AS integer))"
        args: tuple[Any, ...] = (list(ws), distance)
        in_doc, in_part = check.format("d.exact"), check.format("exact")
        part_args: tuple[Any, ...] = (leaf.words, *args)
    else:
        in_doc, in_part = "d.exact @@ CAST(? AS tsquery)", ""
        args = (leaf.tsquery,)
        part_args = (leaf.tsquery,)
    part_sql = "exact @@ CAST(? AS tsquery)" + (f" AND {in_part}" if in_part else "")
    return Expr(
        f"(d.exact @@ CAST(? AS tsquery) AND ((d.words <= {PART} AND {in_doc}) OR d.rowid IN "
        f"(SELECT rowid FROM search_part WHERE {part_sql})))",
        (leaf.words, *args, *part_args),
    )


def _combine(parts: list[Leaf | Expr], op: str) -> Leaf | Expr:
    """``op``: ``&`` or ``|``; tests of one column without positions become one tsquery."""
    leaves = [p for p in parts if isinstance(p, Leaf) and not p.positional]
    columns = {leaf.column for leaf in leaves}
    if len(leaves) == len(parts) and len(columns) == 1:
        return Leaf(columns.pop(), "(" + f" {op} ".join(leaf.tsquery for leaf in leaves) + ")")
    exprs = [p if isinstance(p, Expr) else _sql(p) for p in parts]
    word = " AND " if op == "&" else " OR "
    return Expr(
        "(" + word.join(e.sql for e in exprs) + ")", tuple(x for e in exprs for x in e.params)
    )


def translate(node: Any) -> Leaf | Expr:
    """The query tree (search/query.py) as tsquery tests of ``stem`` and ``exact``:
    plain words → stems, phrases, prefixes (``:*``) and NEAR (``<k>``) → exact words."""
    from .query import And, Not, Or

    if isinstance(node, And):
        return _combine([translate(p) for p in node.parts], "&")
    if isinstance(node, Or):
        return _combine([translate(p) for p in node.parts], "|")
    if isinstance(node, Not):
        keep, drop = translate(node.keep), translate(node.drop)
        if (
            isinstance(keep, Leaf)
            and isinstance(drop, Leaf)
            and keep.column == drop.column
            and not keep.positional
            and not drop.positional
        ):
            return Leaf(keep.column, f"({keep.tsquery} & !{drop.tsquery})")
        k = keep if isinstance(keep, Expr) else _sql(keep)
        d = drop if isinstance(drop, Expr) else _sql(drop)
        return Expr(f"({k.sql} AND NOT {d.sql})", k.params + d.params)
    from .query import Term, heads_compounds

    if isinstance(node, Term) and heads_compounds(node):  # as to_fts: the head of compounds
        return _combine([_leaf(node), Leaf("exact", _lex(node.text) + ":*")], "|")
    return _leaf(node)


def where(node: Any) -> Expr:
    t = translate(node)
    return t if isinstance(t, Expr) else _sql(t)


def ranking(node: Any) -> Expr:
    """``ts_rank_cd`` over the positive words of the query in both columns (relevance
    order; FTS5 uses bm25, so the order of equal-looking hits may differ)."""
    from .query import Term, heads_compounds, positive_leaves

    by_column: dict[str, list[str]] = {"stem": [], "exact": []}
    for n in positive_leaves(node):
        leaf = _leaf(n)
        by_column[leaf.column].append(leaf.tsquery)
        if isinstance(n, Term) and heads_compounds(n):
            by_column["exact"].append(_lex(n.text) + ":*")
    terms, params = [], []
    for column, qs in by_column.items():
        if qs:
            # weights {D, C, B, A}: a compound's part (C) counts a tenth of a word (D)
            terms.append(f"ts_rank_cd('{{0.1, 0.01, 0.4, 1.0}}', d.{column}, CAST(? AS tsquery))")
            params.append(" | ".join(qs))
    return Expr(" + ".join(terms) or "0", tuple(params))


def headline_query(node: Any) -> str:
    """A tsquery (for ``to_tsquery('kamerwatch_nl', …)``) of the query's positive words:
    where ``ts_headline`` cuts the snippet (the marks are set by ``engine.mark_snippet``)."""
    from .query import Term, highlight_terms, positive_leaves

    _stems, exact, prefixes = highlight_terms(node)
    parts = [
        _lex(p)
        for n in positive_leaves(node)
        if isinstance(n, Term) and not n.prefix
        for p in _pieces(n.text)
    ]
    parts += [_lex(p) for w in sorted(exact) for p in _pieces(w)]
    parts += [_lex(p) + ":*" for w in prefixes for p in _pieces(w)[:1]]
    return " | ".join(parts) or "''"


HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1"
WINDOW = 20_000  # characters of a long text that ts_headline reads (it parses all it gets)


def _seek_words(node: Any) -> list[str]:
    """Words whose first occurrence in a long text places the snippet window: the query's
    positive words as typed (folded) and their stems."""
    from .query import Term, highlight_terms, positive_leaves

    stems, exact, prefixes = highlight_terms(node)
    found = {n.text for n in positive_leaves(node) if isinstance(n, Term)}
    return sorted(found | stems | exact | set(prefixes))


def snippets(conn: Connection, node: Any, rowids: list[int]) -> dict[int, str]:
    """FTS5-style snippets (``\\x02``/``\\x03`` around hits, "…" where the text goes on)
    of the rows ``rowids``. ``ts_headline`` reads a text of up to ``WINDOW`` characters
    whole; of a longer one the ``WINDOW`` characters around the first occurrence of one of
    the query's words (``strpos``: cheap), else its beginning."""
    if not rowids:
        return {}
    out: dict[int, str] = {}
    for rowid, text, before, after in conn.execute(
        f"""SELECT rowid, h, strpos(body, s) <> 1,
                  s = '' OR substr(body, strpos(body, s) + length(s)) ~ '\\w'
           FROM (SELECT rowid, body, h, replace(replace(h, chr(2), ''), chr(3), '') AS s
                 FROM (SELECT rowid, body, ts_headline('kamerwatch_nl',
                          CASE WHEN length(body) <= {WINDOW} THEN body
                               ELSE substr(body, greatest(1, coalesce(
                                   (SELECT min(p) FROM unnest(CAST(? AS text[])) AS w,
                                           strpos(lower(body), w) AS p WHERE p > 0), 1)
                                   - {WINDOW // 20}), {WINDOW}) END,
                          to_tsquery('kamerwatch_nl', ?), ?) AS h
                       FROM search_doc WHERE rowid = ANY(?)) x) y""",
        (_seek_words(node), headline_query(node), HEADLINE, list(rowids)),
    ):
        text = text or ""
        if text and before:
            text = "…" + text
        if text and after:
            text += "…"
        out[int(rowid)] = text
    return out


def meta_filter(prefix_token: str) -> Expr:
    return Expr("d.meta @@ CAST(? AS tsquery)", (_lex(prefix_token),))


# ------------------------------------------------------------------------ time budgets


class Budget:
    """A time budget on PostgreSQL: ``statement_timeout`` for the statements of one
    read-only transaction, and a check between them (a tiny budget stops a search whose
    statements were each quick enough, as the SQLite progress handler does)."""

    def __init__(self, conn: PgConnection, seconds: float) -> None:
        self.conn = conn
        self.deadline = time.monotonic() + seconds
        self.own = not conn.in_transaction

    def __enter__(self) -> Budget:
        if self.own:
            self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            ms = max(1, int((self.deadline - time.monotonic()) * 1000))
            self.conn.execute(f"SET LOCAL statement_timeout = {ms}")
        return self

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise TimeoutError

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.own and not self.conn.closed:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
