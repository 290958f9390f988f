"""The query language: parsing, FTS5 translation, hostile input never breaks FTS5."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerwatch.search.analysis import stem
from kamerwatch.search.engine import suggestions
from kamerwatch.search.index import MIGRATIONS
from kamerwatch.search.query import QueryError, parse, to_fts


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for migration in MIGRATIONS.migrations:  # the layout
        conn.executescript(migration.script("sqlite"))
    conn.execute(
        "INSERT INTO search_fts (rowid, body, stem, parts) VALUES (1, 'de belastingen', 'de belast', '')"
    )
    return conn


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a plain word of 6+ letters also heads compounds: its exact text as a prefix
        (
            "belasting toeslagen",
            '(({stem parts}:"belast" OR body:"belasting"*)'
            ' AND ({stem parts}:"toeslag" OR body:"toeslagen"*))',
        ),
        ('"hoge belasting"', 'body:"hoge belasting"'),
        ("“hoge belasting”", 'body:"hoge belasting"'),
        (
            "belasting OR accijns",
            '(({stem parts}:"belast" OR body:"belasting"*)'
            ' OR ({stem parts}:"accijn" OR body:"accijns"*))',
        ),
        (
            "belasting NOT auto",
            '(({stem parts}:"belast" OR body:"belasting"*) NOT {stem parts}:"auto")',
        ),
        ("NEAR(stikstof boeren 5)", 'body:NEAR("stikstof" "boeren", 5)'),
        ("bouw*", 'body:"bouw"*'),
        ("F-35", 'body:"f 35"'),
        ("'s-Gravenhage", 'body:"s gravenhage"'),
        ("Één", '{stem parts}:"een"'),
        ("onderwerp:motie", 'body:"onderwerp motie"'),
    ],
)
def test_translation(query: str, expected: str) -> None:
    # the stem differs between Snowball versions (PyStemmer 3: "toeslaag")
    assert to_fts(parse(query)) == expected.replace('"toeslag"', f'"{stem("toeslagen")}"')


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "geef een zoekterm"),
        ('"open', "aanhalingsteken"),
        ("(a", "haakje )"),
        ("a)", "haakje ) te veel"),
        ("NOT a", "NOT heeft iets nodig"),
        ("a OR", "na OR"),
        ("NEAR(a)", "minstens twee"),
        ("***", "geen letters"),
    ],
)
def test_friendly_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_input_parses_or_gives_a_dutch_error_and_never_breaks_fts(
    fts: sqlite3.Connection, text: str
) -> None:
    try:
        expression = to_fts(parse(text))
    except QueryError:
        return
    fts.execute(
        "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (expression,)
    ).fetchone()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "NEAR(",
                "^",
                ":",
                "(",
                ")",
                "OR",
                "NOT",
                "AND",
                "-",
                "a",
                "b1",
                "{",
                "}",
                "+",
            ]
        ),
        max_size=12,
    )
)
def test_fts_syntax_soup_never_breaks_fts(fts: sqlite3.Connection, parts: list[str]) -> None:
    try:
        expression = to_fts(parse(" ".join(parts)))
    except QueryError:
        return
    fts.execute(
        "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (expression,)
    ).fetchone()


def test_numbers_are_suggested() -> None:
    found = {
        (s.kind, s.value)
        for s in suggestions("zie 2023D03702 en 2023z00142, kst-36200-XVI-5 en 36200-XVI, nr. 5")
    }
    assert ("document", "2023D03702") in found and ("zaak", "2023Z00142") in found
    assert ("kamerstukdossier", "36200-XVI") in found
