"""Dutch compounds: a plain word also finds the compounds it heads or ends ("stikstof" →
"stikstofuitstoot"), ranked after the texts with the word itself; phrases stay exact. The
splitter (search/analysis.py) by hand cases and properties; the search on both engines."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kamerwatch.search.analysis import (
    MIN_PART,
    NOT_PARTS,
    Decompounder,
    edge_parts,
    split_compound,
)
from kamerwatch.search.engine import SearchQuery, search
from kamerwatch.search.index import run_index
from kamerwatch.search.query import HEAD_FREQUENT, parse, to_fts, without_heads
from kamerwatch.subsystems import open_migrated
from tests.search.conftest import Corpus

VOCABULARY = {
    "stikstof",
    "uitstoot",
    "woning",
    "bouw",
    "vereniging",
    "arbeid",
    "markt",
    "bel",
    "eid",
    "beleid",
    "kinderen",
    "opvang",
}


def test_hand_cases() -> None:
    assert split_compound("stikstofuitstoot", VOCABULARY) == ("stikstof", "uitstoot")
    assert split_compound("woningbouwvereniging", VOCABULARY) == ("woning", "bouw", "vereniging")
    assert split_compound("arbeidsmarkt", VOCABULARY) == ("arbeid", "markt")  # linking -s-
    assert split_compound("kinderenopvang", VOCABULARY) == ("kinderen", "opvang")
    # parts of fewer than four letters are never split off, known or not
    assert split_compound("beleid", VOCABULARY) == ()
    assert split_compound("beleidbel", VOCABULARY) == ()
    # a known word by itself is no compound; an unknown tail is no split
    assert split_compound("stikstof", VOCABULARY) == ()
    assert split_compound("stikstofdepositie", VOCABULARY) == ()
    assert split_compound("stikstof2030", VOCABULARY | {"2030"}) == ()
    # a preposition or particle in front makes a word of its own, not a compound
    assert split_compound("onderwijs", VOCABULARY | {"onder", "wijs"}) == ()
    assert split_compound("voorstel", VOCABULARY | {"voor", "stel"}) == ()
    assert split_compound("wetenschap", VOCABULARY | {"weten", "schap"}) == ()


def test_a_known_head_or_tail_of_six_letters_counts_when_the_other_part_is_unknown() -> None:
    """Before: "stikstofdepositie" stayed whole while "depositie" never stood alone."""
    assert edge_parts("stikstofdepositie", VOCABULARY) == ("stikstof",)
    assert edge_parts("uitstootnorm", VOCABULARY) == ("uitstoot",)
    assert edge_parts("emissiestikstofuitstoot", VOCABULARY) == ("uitstoot",)
    assert Decompounder(set(VOCABULARY)).parts("stikstofdepositie") == ("stikstof",)
    # a known part shorter than six letters, a rest under four letters or a derivation: whole
    assert edge_parts("bouwplannen", VOCABULARY) == ()
    assert edge_parts("stikstofs", VOCABULARY) == ()
    assert edge_parts("duurzaamheid", VOCABULARY | {"duurzaam"}) == ()
    assert edge_parts("verantwoordelijkheid", VOCABULARY | {"verantwoord"}) == ()
    assert edge_parts("onderwijsgeld", VOCABULARY) == ()


def test_the_parts_of_parts_are_found_too() -> None:
    splitter = Decompounder(VOCABULARY | {"woningbouw"})
    assert split_compound("woningbouwvereniging", splitter.vocabulary) == (
        "woningbouw",
        "vereniging",
    )
    assert splitter.parts("woningbouwvereniging") == ("woningbouw", "woning", "bouw", "vereniging")
    splitter.add({"depositie"})  # a new word splits what did not split before
    assert splitter.parts("stikstofdepositie") == ("stikstof", "depositie")
    # another form of a word counts: "woningen" makes "woning" known
    assert Decompounder({"woningen", "markt"}).parts("woningmarkt") == ("woning", "markt")
    assert Decompounder({"woningen", "markt"}).parts("woningenmarkt") == ("woningen", "markt")


WORD = st.text(alphabet="abcdeinorst", min_size=MIN_PART, max_size=12).filter(
    lambda w: w not in NOT_PARTS
)


def _rebuilt(word: str, parts: tuple[str, ...]) -> bool:
    return re.fullmatch("(?:|s|e|en)".join(map(re.escape, parts)), word) is not None


@given(st.lists(WORD, min_size=2, max_size=3), st.sampled_from(["", "s", "e", "en"]))
def test_a_compound_of_known_words_splits_into_known_words(parts: list[str], link: str) -> None:
    word = link.join(parts)
    found = split_compound(word, set(parts))
    assert found, word
    assert all(p in parts and len(p) >= MIN_PART for p in found)
    assert _rebuilt(word, found)
    assert len(found) <= len(parts)


@given(st.text(alphabet="abcdeinorst", max_size=20), st.sets(WORD | st.text("abe", max_size=3)))
def test_any_split_is_of_known_words_that_rebuild_the_word(word: str, vocabulary: set[str]) -> None:
    found = split_compound(word, vocabulary)
    if found:
        assert len(found) >= 2 and all(p in vocabulary and len(p) >= MIN_PART for p in found)
        assert _rebuilt(word, found)
    if len(word) < 2 * MIN_PART:
        assert found == ()


def _nummers(conn: object, q: SearchQuery) -> list[str | None]:
    return [h.nummer for h in search(conn, q).hits]  # type: ignore[arg-type]


def test_a_plain_word_finds_compounds_after_the_word_itself(corpus: Corpus) -> None:
    """Before: "kwelgras" found only the document with the word itself."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        (exact_id, exact), (compound_id, compound) = conn.execute(
            "SELECT id, document_nummer FROM document ORDER BY id LIMIT 2"
        ).fetchall()
        for doc, onderwerp in (
            (exact_id, "Over kwelgras en slibvang"),
            (compound_id, "De kwelgrasslibvang van dit jaar"),
        ):
            conn.execute(
                "UPDATE document SET onderwerp = ?, titel = ?, citeertitel = NULL,"
                " skiptoken = skiptoken + 1000000 WHERE id = ?",
                (onderwerp, onderwerp, doc),
            )
        run_index(conn)
        for rebuilt in (False, True):
            if rebuilt:
                run_index(conn, rebuild=True)
            for word in ("kwelgras", "slibvang"):
                by_relevance = _nummers(conn, SearchQuery(q=word, sort="relevantie"))
                assert by_relevance == [exact, compound], (word, rebuilt)
                assert sorted(_nummers(conn, SearchQuery(q=word))) == sorted([exact, compound])
            # phrases, prefixes of other words and the compound itself stay exact
            assert _nummers(conn, SearchQuery(q='"kwelgras"')) == [exact]
            assert _nummers(conn, SearchQuery(q='"kwelgras en slibvang"')) == [exact]
            assert _nummers(conn, SearchQuery(q="kwelgrasslibvang")) == [compound]
            assert _nummers(conn, SearchQuery(q="kwelgras slibvang", sort="relevantie")) == [
                exact,
                compound,
            ]


def test_a_plain_word_finds_the_compounds_it_heads_like_its_prefix(corpus: Corpus) -> None:
    """Before: "zwelgrond" found nothing when no text had it alone, and "kwelgras" missed
    "kwelgrasmonitoring" ("monitoring" never stands alone): only "kwelgr*" found them."""
    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        rows = conn.execute(
            "SELECT id, document_nummer FROM document ORDER BY id LIMIT 3"
        ).fetchall()
        texts = (
            "Over kwelgras en zo",
            "De kwelgrasxqmonitoring",
            "De zwelgrondvisie en de zwelgrondkaart",
        )
        for (doc, _), onderwerp in zip(rows, texts, strict=True):
            conn.execute(
                "UPDATE document SET onderwerp = ?, titel = ?, citeertitel = NULL,"
                " skiptoken = skiptoken + 1000000 WHERE id = ?",
                (onderwerp, onderwerp, doc),
            )
        run_index(conn)
        exact, compound, only_compounds = (nummer for _, nummer in rows)
        assert _nummers(conn, SearchQuery(q="kwelgras", sort="relevantie")) == [exact, compound]
        assert sorted(_nummers(conn, SearchQuery(q="kwelgras"))) == sorted(
            _nummers(conn, SearchQuery(q="kwelgr*"))
        )
        assert _nummers(conn, SearchQuery(q="zwelgrond")) == [only_compounds]
        # the compound is marked in the snippet
        hit = search(conn, SearchQuery(q="zwelgrond")).hits[0]
        assert "<mark>zwelgrondvisie</mark>" in hit.snippet_html, hit.snippet_html
        # exact stays exact; a word under six letters is not widened
        assert _nummers(conn, SearchQuery(q='"zwelgrond"')) == []
        assert _nummers(conn, SearchQuery(q="zwelg")) == []
        assert _nummers(conn, SearchQuery(q="zwelgrond NOT zwelgrondkaart")) == []


def test_a_frequent_word_is_looked_up_by_its_stem_only(corpus: Corpus) -> None:
    """A word found in ``HEAD_FREQUENT`` sources or more gets no prefix (the index has it as
    a part of the compounds it heads; the prefix cost 3–5× at benchmark size): counted on
    the engine up to the limit, the same on both engines."""
    from kamerwatch.search import fts, pg, pgengine

    with open_migrated(corpus.fresh()) as copy:
        conn = copy.conn
        rows = conn.execute(
            "SELECT id, document_nummer FROM document ORDER BY id LIMIT 3"
        ).fetchall()
        texts = ("Over kwelgras en zo", "Weer kwelgras", "De kwelgrasloos")  # -loos: no part
        for (doc, _), onderwerp in zip(rows, texts, strict=True):
            conn.execute(
                "UPDATE document SET onderwerp = ?, titel = ?, citeertitel = NULL,"
                " skiptoken = skiptoken + 1000000 WHERE id = ?",
                (onderwerp, onderwerp, doc),
            )
        run_index(conn)
        heads = fts.frequent_heads if corpus.engine == "sqlite" else pgengine.frequent_heads
        node = parse("kwelgras zwelgrond")
        assert heads(conn, node, limit=2) == {"kwelgras"}  # two sources with the word
        assert heads(conn, node, limit=3) == set()  # the third has it only as a head
        # below HEAD_FREQUENT (1000) the prefix stays: the derivation is found too
        assert sorted(_nummers(conn, SearchQuery(q="kwelgras"))) == sorted(n for _, n in rows)
        assert HEAD_FREQUENT > 3
    narrowed = without_heads(node, {"kwelgras"})
    assert (
        to_fts(narrowed)
        == '({stem parts}:"kwelgras" AND ({stem parts}:"zwelgrond" OR body:"zwelgrond"*))'
    )
    assert pg.where(without_heads(parse("kwelgras"), {"kwelgras"})).params == ("'kwelgras'",)
    assert "'kwelgras':*" in pg.where(parse("kwelgras")).params
