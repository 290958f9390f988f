"""The index and search on a real synced sample parliament (with converted texts missing:
metadata only) and on crafted rows: stemming, phrases, diacritics, filters, facets,
totals, pagination, incremental updates and the page itself — on both database engines
(the ``corpus`` and ``db`` fixtures of conftest.py)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.search import engine, fts
from kamerwatch.search.engine import PAGE_SIZE, SearchQuery, search
from kamerwatch.search.index import run_index
from kamerwatch.store.db import Database, sqlite_path
from kamerwatch.subsystems import open_migrated
from kamerwatch.web.app import create_app
from tests.conftest import connect, kamerwatch
from tests.search.conftest import Corpus


def test_plain_words_find_inflections_and_phrases_stay_exact(db: Database) -> None:
    conn = db.conn
    word = conn.execute(
        "SELECT onderwerp FROM document WHERE onderwerp LIKE '%woningen%' LIMIT 1"
    ).fetchone()
    assert word, "the sample has housing documents"
    plural = search(conn, SearchQuery(q="huurwoningen"))
    singular = search(conn, SearchQuery(q="huurwoning"))
    assert plural.total == singular.total > 0
    exact = search(conn, SearchQuery(q='"betaalbare huurwoningen"'))
    assert exact.total > 0 and all("<mark>" in h.snippet_html for h in exact.hits)


def test_totals_are_exact_and_pages_cover_them(db: Database) -> None:
    conn = db.conn
    first = search(conn, SearchQuery(q="motie"))
    assert first.total > PAGE_SIZE
    seen = []
    for page in range(1, first.pages + 1):
        seen += [h.ref for h in search(conn, SearchQuery(q="motie", page=page)).hits]
    assert len(seen) == len(set(seen)) == first.total
    dates = [h.datum or "" for h in first.hits]
    assert dates == sorted(dates, reverse=True)
    # relevance: the kept first pages and the pages beyond them cover every hit once too
    ranked = []
    for page in range(1, first.pages + 1):
        q = SearchQuery(q="motie", sort="relevantie", page=page)
        ranked += [h.ref for h in search(conn, q).hits]
    assert sorted(ranked) == sorted(seen)


def test_filters_and_facets(db: Database) -> None:
    conn = db.conn
    everything = search(conn, SearchQuery(q="motie"))
    by_kind = dict(everything.facets_kind)
    assert sum(by_kind.values()) == everything.total
    assert sum(n for _, n in everything.facets_year) == everything.total
    only_docs = search(conn, SearchQuery(q="motie", kinds=("document",)))
    assert only_docs.total == by_kind["document"]
    soort = dict(only_docs.facets_soort)
    moties = search(conn, SearchQuery(q="motie", kinds=("document",), soorten=("Motie",)))
    assert moties.total == soort["Motie"] and all(h.soort == "Motie" for h in moties.hits)
    from datetime import date

    recent = search(conn, SearchQuery(q="motie", van=date(2026, 11, 1)))
    assert (
        all((h.datum or "") >= "2026-11-01" for h in recent.hits)
        and recent.total < everything.total
    )
    budget = search(conn, SearchQuery(q="motie", dossier="36800"))
    assert budget.total > 0 and all(
        h.dossier and h.dossier.startswith("36800") for h in budget.hits
    )


def test_soort_facets_per_kind(db: Database) -> None:
    """Before: one soort list mixed document soorten ("Motie") with meeting kinds
    ("Stemmingen"). Now per kind, each count the total of the search on that kind and soort."""
    conn = db.conn
    everything = search(conn, SearchQuery(q="motie"))
    per_kind = dict(everything.facets_soort_per_kind)
    assert {"document", "activiteit"} <= set(per_kind), per_kind.keys()
    assert "Stemmingen" not in dict(per_kind["document"])
    assert "Motie" not in dict(per_kind["activiteit"])
    kinds = [k for k, _ in everything.facets_soort_per_kind]
    totals = [sum(n for _, n in soorten) for _, soorten in everything.facets_soort_per_kind]
    assert totals == sorted(totals, reverse=True) and len(set(kinds)) == len(kinds)
    for kind, soorten in everything.facets_soort_per_kind:
        assert [n for _, n in soorten] == sorted((n for _, n in soorten), reverse=True)
        for soort, n in soorten[:3]:
            found = search(conn, SearchQuery(q="motie", kinds=(kind,), soorten=(soort,)))
            assert found.total == n, (kind, soort)
            assert all(h.kind == kind and h.soort == soort for h in found.hits)


def test_incremental_index_reflects_changes_and_equals_a_rebuild(corpus: Corpus) -> None:
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        doc = conn.execute("SELECT id, document_nummer FROM document LIMIT 1").fetchone()
        gone = conn.execute("SELECT id FROM activiteit LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE document SET onderwerp = 'Zeldzaamwoordtest over kwelders', skiptoken = skiptoken + 1000000 WHERE id = ?",
            (doc[0],),
        )
        conn.execute("DELETE FROM activiteit WHERE id = ?", (gone,))
        before_total = search(conn, SearchQuery(q="zeldzaamwoordtest")).total  # now cached
        assert before_total == 0
        version = conn.execute("SELECT value FROM search_state WHERE key = 'version'").fetchone()
        report = run_index(conn)
        assert (report.updated, report.removed, report.added) == (1, 1, 0)
        bumped = conn.execute("SELECT value FROM search_state WHERE key = 'version'").fetchone()
        assert bumped[0] > version[0]
        assert [h.nummer for h in search(conn, SearchQuery(q="zeldzaamwoordtest")).hits] == [doc[1]]
        assert search(conn, SearchQuery(q='"zeldzaamwoordtest over kwelders"')).total == 1
        assert (
            conn.execute("SELECT count(*) FROM search_doc WHERE ref = ?", (gone,)).fetchone()[0]
            == 0
        )
        rows = lambda: sorted(conn.execute("SELECT kind, ref, version FROM search_doc").fetchall())  # noqa: E731
        before = rows()
        again = run_index(conn)
        assert (again.added, again.updated, again.removed) == (0, 0, 0)
        run_index(conn, rebuild=True)
        assert rows() == before


def test_search_page(db: Database, corpus: Corpus) -> None:
    with TestClient(create_app(corpus.url), follow_redirects=False) as client:
        page = client.get(
            "/zoeken", params={"q": "motie", "categorie": "document", "sort": "relevantie"}
        )
        assert page.status_code == 200 and "resultaten" in page.text
        bad = client.get("/zoeken", params={"q": '"<script>alert(1)</script>'})
        assert (
            bad.status_code == 200
            and "begrijpen we niet" in bad.text
            and "<script>alert" not in bad.text
        )
        nummer = db.conn.execute("SELECT document_nummer FROM document LIMIT 1").fetchone()[0]
        jump = client.get("/zoeken", params={"q": nummer})
        assert jump.status_code == 302 and jump.headers["location"] == f"/document/{nummer}"
        twin = client.get("/zoeken.json", params={"q": "motie"}).json()
        assert twin["total"] > 0 and twin["hits"][0]["url"].startswith("/")
        rss = client.get("/zoeken.xml", params={"q": "motie"})
        assert rss.status_code == 200 and rss.text.startswith("<?xml")


def test_a_search_over_its_time_budget_stops_with_a_notice(db: Database) -> None:
    result = search(db.conn, SearchQuery(q="motie OR brief OR vragen OR woning*"), budget=0.0)
    assert result.error and "te veel tijd" in result.error and result.hits == []
    assert search(db.conn, SearchQuery(q="motie")).total > 0, "the next search is not affected"


def test_each_hit_carries_its_bijgewerkt(db: Database) -> None:
    result = search(db.conn, SearchQuery(q="motie"))
    assert result.hits and all(h.bijgewerkt for h in result.hits)
    expected = dict(
        db.conn.execute(
            "SELECT id, bijgewerkt FROM document WHERE id IN ({})".format(
                ",".join("?" * len(result.hits))
            ),
            [h.ref for h in result.hits],
        ).fetchall()
    )
    for hit in result.hits:
        if hit.kind == "document":
            assert hit.bijgewerkt == expected[hit.ref]


def _rename_a_document(conn: Any) -> str:
    """A new version of one document, now about "Kweldergrasmeting"; its nummer."""
    nummer: str = conn.execute("SELECT document_nummer FROM document LIMIT 1").fetchone()[0]
    conn.execute(
        "UPDATE document SET onderwerp = 'Kweldergrasmeting', skiptoken = skiptoken + 10000000"
        " WHERE document_nummer = ?",
        (nummer,),
    )
    conn.commit()
    return nummer


def test_the_index_command_is_incremental(corpus: Corpus, tmp_path: Path) -> None:
    url = corpus.fresh()
    data = sqlite_path(url).parent if url.startswith("sqlite:") else tmp_path / "data"
    first = kamerwatch("index", data_dir=data, database_url=url)
    assert first.returncode == 0, first.stderr
    conn = connect(url)
    nummer = _rename_a_document(conn)
    result = kamerwatch("index", data_dir=data, database_url=url)
    assert result.returncode == 0, result.stderr
    hits = search(conn, SearchQuery(q="kweldergrasmeting")).hits
    assert [h.nummer for h in hits] == [nummer]
    rebuilt = kamerwatch("index", "--rebuild", data_dir=data, database_url=url)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert [h.nummer for h in search(conn, SearchQuery(q="kweldergrasmeting")).hits] == [nummer]
    conn.close()


def test_search_page_kept_until_the_next_index_run(corpus: Corpus, tmp_path: Path) -> None:
    """An anonymous /zoeken is answered from memory the second time, and a new `kamerwatch
    index` run makes the next request search again (no stale result after a change)."""
    url = corpus.fresh()
    data = sqlite_path(url).parent if url.startswith("sqlite:") else tmp_path / "data"
    assert kamerwatch("index", data_dir=data, database_url=url).returncode == 0
    with TestClient(create_app(url)) as client:
        first = client.get("/zoeken?q=kweldergrasmeting")
        assert first.status_code == 200 and "<strong>0 resultaten</strong>" in first.text
        again = client.get("/zoeken?q=kweldergrasmeting")
        assert again.text == first.text and again.headers["etag"] == first.headers["etag"]
        conn = connect(url)
        nummer = _rename_a_document(conn)
        conn.close()
        result = kamerwatch("index", data_dir=data, database_url=url)
        assert result.returncode == 0, result.stderr
        after = client.get("/zoeken?q=kweldergrasmeting")
        assert nummer in after.text


def test_each_fractie_of_a_document_is_its_own_filter_token() -> None:
    from kamerwatch.search.index import meta_tokens, token

    tokens = meta_tokens("36200-XVI", " D66,GL-PvdA ").split()
    assert token("f", "D66") in tokens and token("f", "GL-PvdA") in tokens
    assert token("d", "36200") in tokens and token("d", "36200-XVI") in tokens
    assert meta_tokens(None, " VVD ").split() == [token("f", "VVD")]


def _all_pages(conn: object, q: SearchQuery) -> list[tuple[str, str]]:
    first = search(conn, q)  # type: ignore[arg-type]
    found = [(h.kind, h.ref) for h in first.hits]
    for page in range(2, first.pages + 1):
        hits = search(conn, replace(q, page=page)).hits  # type: ignore[arg-type]
        found += [(h.kind, h.ref) for h in hits]
    return found


def test_year_facets_count_the_hits_of_each_year(db: Database) -> None:
    conn = db.conn
    q = SearchQuery(q="motie", kinds=("document",))
    results = search(conn, q)
    years: Counter[str] = Counter()
    for page in range(1, results.pages + 1):
        years.update((h.datum or "")[:4] for h in search(conn, replace(q, page=page)).hits)
    years.pop("", None)
    assert results.facets_year == sorted(years.items(), reverse=True)


def test_relevance_beyond_the_pool_ranks_the_newest_then_follows_by_date(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over RELEVANCE_POOL hits, the newest of them are ranked and the older ones follow
    newest first: every hit once, with a notice that says so."""
    monkeypatch.setattr(fts, "RELEVANCE_POOL", 15)
    engine.clear_cache()
    conn = db.conn
    # without the zaken: their short texts ("Motie van het lid …") rank alike, so on
    # PostgreSQL (ts_rank_cd) the newest pool would be in date order anyway
    kinds = ("document", "verslag", "activiteit", "toezegging", "geschenk", "woo")
    by_date = _all_pages(conn, SearchQuery(q="motie", kinds=kinds))
    ranked_q = SearchQuery(q="motie", sort="relevantie", kinds=kinds)
    ranked = _all_pages(conn, ranked_q)
    notice = search(conn, ranked_q).notice
    engine.clear_cache()
    assert sorted(ranked) == sorted(by_date) and len(set(ranked)) == len(ranked)
    assert notice and "nieuwste op relevantie" in notice
    said = re.search(r"de ([\d.]+) nieuwste", notice)
    assert said, notice
    pool = int(said.group(1).replace(".", ""))
    assert 15 <= pool < len(ranked)  # a whole day and kind of the 15th newest comes along
    assert set(ranked[:pool]) == set(by_date[:pool]) and ranked[:pool] != by_date[:pool]
    assert ranked[pool:] == by_date[pool:]


def test_snippets_from_one_scan_equal_those_looked_up_row_by_row(
    sqlite_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_migrated(sqlite_corpus.url) as database:
        conn = database.conn
        results = {}
        for limit in (-1, 10**9):  # never / always the one scan of the page's rowid range
            monkeypatch.setattr(fts, "SCAN_LIMIT", limit)
            for q in ("woning*", "motie", '"betaalbare huurwoningen"'):
                for sort in ("datum", "relevantie"):
                    engine.clear_cache()
                    found = search(conn, SearchQuery(q=q, sort=sort))
                    results[limit, q, sort] = [h.snippet_html for h in found.hits]
    for (_limit, q, sort), snippets in results.items():
        assert snippets == results[-1, q, sort] and any("<mark>" in s for s in snippets)


def test_documents_mentioning_starts_from_the_full_text_match(sqlite_corpus: Corpus) -> None:
    """The zaak page's "volgens de zoekmachine" must cost what the phrase matches, not what
    the index holds: SQLite's plan must walk the FTS5 matches and look each document up by
    rowid, never walk every document and ask FTS5 about each (0.7–0.9 s per uncached zaak
    page at benchmark size)."""
    with open_migrated(sqlite_corpus.url) as database:
        conn = database.conn
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            mentions = engine.documents_mentioning(conn, "stand van zaken")
        finally:
            conn.set_trace_callback(None)
        assert mentions.total > 0
        joined = [s for s in statements if "search_doc d" in s and "MATCH" in s]
        assert len(joined) == 2, statements  # the count and the page
        for sql in joined:
            plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            assert plan[0].startswith("SCAN search_fts"), plan
            assert any("d USING INTEGER PRIMARY KEY" in step for step in plan), plan
