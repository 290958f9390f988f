"""SQLite and PostgreSQL give the same answers: every element of the query language, the
filters, the facets and both sort orders, on the same indexed sample; and the parts of a
long text on PostgreSQL (phrases beyond tsvector's 16383 positions)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import psycopg
import pytest

from kamerwatch.search import pg
from kamerwatch.search.engine import (
    SearchQuery,
    SearchResults,
    documents_mentioning,
    matching_documents,
    search,
)
from kamerwatch.search.index import run_index
from kamerwatch.search.query import parse
from kamerwatch.subsystems import open_migrated
from tests.search.conftest import Corpus

QUERIES = [
    "motie",  # a plain word: its stem
    "moties",  # an inflection finds the same
    "huurwoningen",
    "Oekraine",  # diacritics folded (the text has "Oekraïne")
    "OEKRAÏNE",
    "motie stikstof",  # AND, implicit
    "brief AND regering",
    "motie OR brief",
    "motie NOT stemmingen",
    "(motie OR brief) defensie",
    "(motie OR vragen) NOT (brief OR stemmingen)",
    '"betaalbare huurwoningen"',  # a phrase: exact words in this order
    '"huurwoningen betaalbare"',
    '"brief regering"',
    '"Brief regering" OR "stand van zaken"',
    '"stand van zaken" NOT defensie',
    "woning*",  # prefix
    "begrotings*",
    "woning* NOT betaalbare",
    "GL-PvdA",  # auto-quoted: a phrase of its words
    "stemmingen over moties",
    "NEAR(stemmingen moties 1)",  # within 1 word, either order
    "NEAR(moties stemmingen 1)",
    "NEAR(moties stemmingen 0)",
    "NEAR(brief stand 3)",
    "NEAR(brief stand 4)",
    "NEAR(minister informeren 14)",  # "minister" and "informeren": 14 words apart
    "NEAR(informeren minister 13)",
    "NEAR(minister kamer informeren 14)",  # the middle word counts as one in between
    "NEAR(minister kamer informeren 13)",
    "NEAR(minister kamer informeren)",  # default distance 10
    "NEAR(minister informeren kamer 14) huurprijzen",
    "zzzonbekendwoord",
    "motie OR zzzonbekendwoord",
]

FILTERS: list[dict[str, Any]] = [
    {},
    {"kinds": ("document",)},
    {"kinds": ("activiteit", "toezegging")},
    {"soorten": ("Motie",)},
    {"kinds": ("document",), "soorten": ("Motie", "Brief regering")},
    {"van": date(2026, 11, 1)},
    {"tot": date(2026, 10, 15)},
    {"van": date(2026, 10, 1), "tot": date(2026, 10, 31)},
    {"dossier": "36800"},
    {"fractie": "NSC"},
    {"sort": "relevantie"},
]


def _everything(conn: Any, q: SearchQuery) -> tuple[SearchResults, list[str]]:
    first = search(conn, q)
    refs = [h.ref for h in first.hits]
    for page in range(2, first.pages + 1):
        refs += [h.ref for h in search(conn, SearchQuery(**{**q.__dict__, "page": page})).hits]
    return first, refs


@pytest.fixture(scope="module")
def engines(sqlite_corpus: Corpus, pg_corpus: Corpus) -> Any:
    with open_migrated(sqlite_corpus.url) as lite, open_migrated(pg_corpus.url) as post:
        yield lite.conn, post.conn


def _same(lite: Any, post: Any, q: SearchQuery) -> tuple[SearchResults, SearchResults]:
    a, refs_a = _everything(lite, q)
    b, refs_b = _everything(post, q)
    assert (a.error, b.error) == (None, None), q
    assert a.total == b.total == len(refs_a) == len(refs_b), q
    assert sorted(refs_a) == sorted(refs_b), q
    assert dict(a.facets_kind) == dict(b.facets_kind), q
    assert dict(a.facets_soort) == dict(b.facets_soort), q
    assert a.facets_year == b.facets_year, q
    if q.sort == "datum":  # newest first on both (ties: any order)
        days = lambda hits: [h.datum[:10] if h.datum else "" for h in hits]  # noqa: E731
        assert days(a.hits) == days(b.hits), q
    return a, b


@pytest.mark.parametrize("text", QUERIES)
def test_every_query_element_gives_the_same_hits(engines: Any, text: str) -> None:
    lite, post = engines
    a, b = _same(lite, post, SearchQuery(q=text))
    # the snippets mark the query's words on both (the cut may differ: ts_headline finds a
    # plain word's inflections in the text, FTS5's snippet only the words of phrases and
    # prefixes, and SQLite cuts the others itself)
    marked = lambda r: {h.ref for h in r.hits if "<mark>" in h.snippet_html}  # noqa: E731
    assert marked(a) == marked(b), text


def test_the_sample_has_hits_for_the_queries(engines: Any) -> None:
    """The comparisons above are not vacuous."""
    lite, _ = engines
    empty = [t for t in QUERIES if not search(lite, SearchQuery(q=t)).total]
    assert set(empty) == {
        "zzzonbekendwoord",
        "NEAR(moties stemmingen 0)",
        '"huurwoningen betaalbare"',
        "NEAR(minister kamer informeren)",
    }


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_filters_facets_and_sorting_are_the_same(engines: Any, filters: dict[str, Any]) -> None:
    lite, post = engines
    for text in ("motie", "brief OR vragen", '"stand van zaken"', "begrotings*"):
        _same(lite, post, SearchQuery(q=text, **filters))


def test_syntax_errors_read_the_same(engines: Any) -> None:
    lite, post = engines
    for text in ('"open', "a OR", "NOT a", "(a b", "a)", "NEAR(a)", "***"):
        a, b = search(lite, SearchQuery(q=text)), search(post, SearchQuery(q=text))
        assert a.error and a.error == b.error and b.total == 0, text


def test_mentions_and_alert_matching_are_the_same(engines: Any) -> None:
    lite, post = engines
    for phrase in ("stand van zaken", "Oekraïne", "GL-PvdA"):
        a, b = documents_mentioning(lite, phrase), documents_mentioning(post, phrase)
        assert (a.error, b.error) == (None, None)
        assert a.total == b.total > 0 and [h.datum for h in a.hits] == [h.datum for h in b.hits]
        refs = [h.ref for h in a.hits]
        less = documents_mentioning(post, phrase, exclude_ids=refs[:1])
        assert less.total == b.total - 1
    refs = [r[0] for r in lite.execute("SELECT ref FROM search_doc WHERE kind = 'document'")]
    for text in ("motie", '"stand van zaken"', "woning* NOT betaalbare", "NEAR(zaken stand 1)"):
        node = parse(text)
        found_a, known_a = matching_documents(lite, node, [*refs, "onbekend"])
        found_b, known_b = matching_documents(post, node, [*refs, "onbekend"])
        assert known_a == known_b == set(refs)
        assert set(found_a) == set(found_b) and found_a, text
        if "NOT" not in text:
            assert all("<mark>" in html for html in found_b.values()), text


def test_near_counts_like_fts5(pg_corpus: Corpus) -> None:
    """``kamerwatch_near`` (PostgreSQL) against FTS5's NEAR on the same little texts: at
    most N words between the first and the last of the group, the others included."""
    texts = [
        "a b c",
        "a x b c",
        "a x x b c",
        "a x x x b c",
        "c x b x a",
        "a x x b x x c",
        "a x b x c",
        "a x x x x c",
        "a x x x x x c",
        "a a",
        "a x a",
        "b",
        "a c x x x x x b",
    ]
    groups = [("a", "b", "c"), ("a", "c"), ("c", "a"), ("a", "a"), ("a", "b")]
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    lite.executemany("INSERT INTO t (body) VALUES (?)", [(t,) for t in texts])
    with open_migrated(pg_corpus.url) as database:
        post = database.conn
        for group in groups:
            for n in range(6):
                fts = f"NEAR({' '.join(group)}, {n})"
                expected = {
                    r[0] for r in lite.execute("SELECT body FROM t WHERE t MATCH ?", (fts,))
                }
                found = {
                    t
                    for t in texts
                    if post.execute(
                        "SELECT kamerwatch_near(to_tsvector('simple', ?), CAST(? AS text[]), ?)",
                        (t, list(group), n),
                    ).fetchone()[0]
                }
                assert found == expected, fts


def test_phrases_beyond_the_positions_of_a_tsvector(
    pg_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long text is also stored in overlapping parts, so a phrase or NEAR group at its
    end is found (tsvector positions stop at 16383; here parts of 50 words)."""
    monkeypatch.setattr(pg, "PART", 50)
    monkeypatch.setattr(pg, "OVERLAP", 10)
    monkeypatch.setattr(pg, "WINDOW", 600)  # the snippet of a long text: around a hit
    with open_migrated(pg_corpus.fresh()) as database:
        conn = database.conn
        doc = conn.execute("SELECT id FROM document ORDER BY id LIMIT 1").fetchone()[0]
        filler = " ".join(f"vulwoord{i}" for i in range(400))
        text = f"{filler} gouden kwelderhaver staat hier {filler} einde"
        conn.execute(
            "INSERT INTO conversion (entity_id, category, version, method, text, converted_at)"
            " VALUES (?, 'Document', 1, 'test', ?, '2026-11-28T00:00:00')",
            (doc, text),
        )
        conn.execute("UPDATE document SET skiptoken = skiptoken + 1 WHERE id = ?", (doc,))
        run_index(conn)
        parts = conn.execute("SELECT count(*) FROM search_part").fetchone()[0]
        assert parts >= 18
        for q, hits in (
            ('"gouden kwelderhaver"', 1),
            ('"vulwoord399 gouden kwelderhaver staat hier vulwoord0"', 1),
            ("NEAR(kwelderhaver gouden 0)", 1),
            ("NEAR(hier gouden 2)", 1),
            ("NEAR(hier gouden 1)", 0),
            ('"kwelderhaver gouden"', 0),
            ('"vulwoord0 vulwoord1" "einde"', 1),
        ):
            assert search(conn, SearchQuery(q=q)).total == hits, q
        for q in ("kwelderhaver", '"gouden kwelderhaver"', "NEAR(kwelderhaver gouden 0)"):
            (hit,) = search(conn, SearchQuery(q=q)).hits
            assert "<mark>kwelderhaver</mark>" in hit.snippet_html, q
            assert hit.snippet_html.startswith("…") and hit.snippet_html.endswith("…"), q
        (hit,) = search(conn, SearchQuery(q="einde vulwoord0")).hits
        assert "<mark>" in hit.snippet_html


def test_a_text_with_too_many_distinct_words_is_cut_to_fit_a_tsvector() -> None:
    ws = [f"code{i:07d}" for i in range(120_000)]
    kept = pg._indexable([*ws[:10], "x" * 3000, *ws[10:]])
    assert "x" * 3000 not in kept and 50_000 < len(kept) < 120_000
    assert kept == ws[: len(kept)]


def test_a_statement_over_the_budget_is_cancelled_and_the_connection_goes_on(
    pg_corpus: Corpus,
) -> None:
    with open_migrated(pg_corpus.url) as database:
        conn = database.conn
        with pytest.raises(psycopg.errors.QueryCanceled), pg.Budget(conn, 0.05):
            conn.execute("SELECT pg_sleep(2)")
        assert not conn.in_transaction
        assert search(conn, SearchQuery(q="motie")).total > 0
        mentions = documents_mentioning(conn, "stand van zaken")
        fewer = documents_mentioning(
            conn, "stand van zaken", exclude_nummers=[h.nummer for h in mentions.hits[:2]]
        )
        assert fewer.total == mentions.total - 2


def test_every_source_query_gives_the_same_rows(sqlite_corpus: Corpus, pg_corpus: Corpus) -> None:
    """The source queries of the index in both dialects (verslagen: the newest non-Casco
    one of each vergadering, with a converted text). The fracties of a document come in
    another order (SQLite: as met, PostgreSQL: sorted)."""
    found = []
    for url in (sqlite_corpus.fresh(), pg_corpus.fresh()):
        with open_migrated(url) as database:
            conn = database.conn
            ids = [r[0] for r in conn.execute("SELECT id FROM verslag ORDER BY id")]
            assert ids, "the sample has verslagen"
            conn.executemany(
                "INSERT INTO conversion (entity_id, category, version, method, text, converted_at)"
                " VALUES (?, 'Verslag', 1, 'test', ?, '2026-11-28T00:00:00')",
                [(i, f"verslagtekst {i}") for i in ids],
            )
            run_index(conn)
            found.append(
                sorted(
                    (*r[:8], sorted((r[8] or "").replace(",", " ").split()), r[9])
                    for r in conn.execute(
                        "SELECT kind, ref, version, nummer, titel, soort, datum, dossier,"
                        " fracties, bijgewerkt FROM search_doc"
                    )
                )
            )
            assert search(conn, SearchQuery(q="verslagtekst", kinds=("verslag",))).total
    assert found[0] == found[1]
