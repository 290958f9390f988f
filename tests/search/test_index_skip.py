"""The index costs what changed (issue #22.10): a run after which nothing that feeds a kind
changed reads none of its sources; a change after such a run is still found (both
engines). Changes are made as the writers make them: a new feed position with the row, a
new conversion, a new official publication's text."""

from __future__ import annotations

from kamerwatch.search.analysis import RULES
from kamerwatch.search.engine import SearchQuery, clear_cache, search
from kamerwatch.search.index import KINDS, compact, rules_of, run_index, segments
from kamerwatch.subsystems import open_migrated
from tests.search.conftest import Corpus


def test_a_run_with_nothing_changed_reads_no_source(corpus: Corpus) -> None:
    """Before: every run read all sources with their texts (8 s at benchmark size)."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        rows = sorted(conn.execute("SELECT kind, ref, version FROM search_doc").fetchall())
        report = run_index(conn)
        assert report.read == 0 and report.skipped == KINDS
        assert (report.added, report.updated, report.removed) == (0, 0, 0)
        assert report.unchanged == len(rows)
        assert sorted(conn.execute("SELECT kind, ref, version FROM search_doc").fetchall()) == rows


def test_changes_after_a_run_with_nothing_changed_are_found(corpus: Corpus) -> None:
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        assert run_index(conn).read == 0
        (changed, nummer), (converted, converted_nr) = conn.execute(
            "SELECT id, document_nummer FROM document ORDER BY id LIMIT 2"
        ).fetchall()
        top = conn.execute("SELECT max(skiptoken) FROM document").fetchone()[0]
        conn.execute(
            "UPDATE document SET onderwerp = 'Over de kwelderhaverzoektest', skiptoken = ?"
            " WHERE id = ?",
            (top + 1, changed),
        )
        conn.execute("DELETE FROM conversion WHERE entity_id = ?", (converted,))
        conn.execute(
            "INSERT INTO conversion (entity_id, category, version, method, text, converted_at)"
            " VALUES (?, 'Document', 1, 'test', 'de slibvangproef in de tekst',"
            " '2026-12-06T05:00:00+00:00')",
            (converted,),
        )
        gone = conn.execute("SELECT id FROM zaak ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM zaak WHERE id = ?", (gone,))
        report = run_index(conn)
        assert (report.updated, report.removed) == (2, 1)
        # toezeggingen, activiteiten and gifts did not change: not read
        assert {"activiteit", "toezegging", "geschenk"} <= set(report.skipped)
        assert "document" not in report.skipped and "zaak" not in report.skipped
        assert [h.nummer for h in search(conn, SearchQuery(q="kwelderhaverzoektest")).hits] == [
            nummer
        ]
        assert [h.nummer for h in search(conn, SearchQuery(q='"slibvangproef"')).hits] == [
            converted_nr
        ]
        assert not conn.execute("SELECT 1 FROM search_doc WHERE ref = ?", (gone,)).fetchone()
        again = run_index(conn)
        assert again.read == 0 and again.skipped == KINDS


def test_an_official_publication_after_a_quiet_run_is_found(corpus: Corpus) -> None:
    """A document's text from officielebekendmakingen.nl (docs/media.md) arrives without a
    new feed position: the index sees it by the publication's check time."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        assert run_index(conn).read == 0
        _doc, nummer, eid = conn.execute(
            "SELECT d.id, d.document_nummer, v.externeidentifier FROM document d"
            " JOIN documentversie v ON v.document_id = d.id"
            " WHERE v.externeidentifier IS NOT NULL ORDER BY d.id LIMIT 1"
        ).fetchone()
        conn.execute("DELETE FROM op_publication WHERE eid = ?", (eid,))
        conn.execute(
            "INSERT INTO op_publication (eid, state, tries, first_try, checked_at, text)"
            " VALUES (?, 'ok', 1, '2026-12-06T05:00:00+00:00', '2026-12-06T05:00:00+00:00',"
            " 'de staatscourantkwelder in de officiele tekst')",
            (eid,),
        )
        report = run_index(conn)
        assert report.updated == 1 and "document" not in report.skipped
        hits = search(conn, SearchQuery(q="staatscourantkwelder")).hits
        assert [h.nummer for h in hits] == [nummer]


def test_a_rebuild_reads_everything_again(corpus: Corpus) -> None:
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        before = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
        report = run_index(conn, rebuild=True)
        assert report.skipped == () and report.added == before and report.read == before
        assert run_index(conn).read == 0


def test_an_index_built_with_other_word_rules_is_rebuilt_once(corpus: Corpus) -> None:
    """An index built before the word rules changed (no rules version stored: "_" still
    joined words, fewer compound parts) is rebuilt by the next run by itself, once."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        rows = sorted(conn.execute("SELECT kind, ref, version FROM search_doc").fetchall())
        assert rules_of(conn) == RULES
        conn.execute("DELETE FROM search_state WHERE key = 'rules'")
        report = run_index(conn)
        assert report.new_rules and report.added == len(rows) and report.read == len(rows)
        assert rules_of(conn) == RULES
        assert sorted(conn.execute("SELECT kind, ref, version FROM search_doc").fetchall()) == rows
        again = run_index(conn)
        assert not again.new_rules and again.read == 0


def test_big_runs_and_never_merged_indexes_are_merged_with_the_same_answers(
    corpus: Corpus,
) -> None:
    """Every full-text statement looks its terms up in every FTS5 segment: a run that wrote
    at least ``merge_share`` of the index, or finds it never merged (built before this rule),
    merges it into one (SQLite; PostgreSQL has none); small runs leave the segments to FTS5.
    Every search answers as before. Failed on purpose once: with ``compact`` returning
    without merging, the segment count stayed above 1."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        queries = [SearchQuery(q=q) for q in ("motie", "stikstof", '"betaalbare huurwoningen"')]
        queries += [SearchQuery(q="minister", sort="relevantie", page=2)]
        before = [search(conn, q) for q in queries]
        # many small batches: many segments; a run that wrote less than merge_share leaves them
        assert not run_index(conn, rebuild=True, batch=7, merge_share=2.0).compacted
        many = segments(conn)
        if corpus.engine == "postgresql":
            assert many == 0 and not compact(conn) and not run_index(conn).compacted
            return
        assert many > 1
        assert not run_index(conn).compacted  # a quiet run: nothing written, already merged once
        assert segments(conn) == many
        # an index built before the rule (never merged) is merged by the next run, once
        conn.execute("DELETE FROM search_state WHERE key = 'merged'")
        assert run_index(conn).compacted
        assert segments(conn) == 1
        assert not run_index(conn).compacted and not compact(conn)
        run_index(conn, rebuild=True, batch=7)  # a rebuild writes everything: merged at its end
        assert segments(conn) == 1
        clear_cache()
        after = [search(conn, q) for q in queries]
        for old, new in zip(before, after, strict=True):
            assert new.total and new.total == old.total
            assert new.facets_kind == old.facets_kind and new.facets_year == old.facets_year
            assert [h.ref for h in new.hits] == [h.ref for h in old.hits]
            assert [h.snippet_html for h in new.hits] == [h.snippet_html for h in old.hits]
