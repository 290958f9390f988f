"""Snippet marking: a page's snippets are marked together; the result must be what judging
every word of every snippet on its own gives, and always safe HTML."""

from __future__ import annotations

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st

from kamerwatch.search.analysis import fold, stem
from kamerwatch.search.engine import context_snippet, mark_snippet, mark_snippets
from kamerwatch.search.query import highlight_terms, parse

WORDS = ["wet", "wetten", "Wet", "belasting", "belastingen", "Één", "een", "amp", "lt", "x27"]
_SPLIT = re.compile(r"(\w+)")


def reference(raw: str, marks: tuple[set[str], set[str], tuple[str, ...]]) -> str:
    """Word by word, the plain way."""
    stems, exact, prefixes = marks
    parts = _SPLIT.split(raw.replace("\x02", "").replace("\x03", ""))
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(html.escape(part))
        else:
            folded = fold(part)
            hit = (
                folded in exact or stem(folded) in stems or folded.startswith(prefixes or ("\x00",))
            )
            out.append(f"<mark>{part}</mark>" if hit else part)
    return "".join(out)


snippet = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(max_size=6),
        st.sampled_from([" ", "&", "<b>", "'", "…", "\x02", "\x03"]),
    ),
    max_size=30,
).map("".join)


@given(
    st.lists(snippet, max_size=5),
    st.sampled_from(["wet", "belasting*", '"een wet"', "amp OR lt", "één NOT x27", "Wet wetten"]),
)
@example(["de wet&amp;wetten <wet>"], "wet")
@example(["amp &amp; lt"], "amp OR lt")
def test_marking_a_page_equals_marking_each_word_alone(raws: list[str], query: str) -> None:
    marks = highlight_terms(parse(query))
    marked = mark_snippets(raws, marks)
    assert marked == [reference(raw, marks) for raw in raws]
    assert [mark_snippet(raw, marks) for raw in raws] == marked
    for text in marked:  # safe: no tag but <mark>, every & starts an entity
        assert not re.search(r"<(?!/?mark>)", text)
        assert not re.search(r"&(?!(amp|lt|gt|quot|#x27);)", text)


# ------------------------------------------------------------- snippets cut around a word


def test_a_plain_word_late_in_a_long_text_gets_a_snippet_around_it() -> None:
    marks = highlight_terms(parse("belasting"))
    text = (
        "Aanhef van de brief. " * 2000
        + "Het kabinet verlaagt de Belastingen op arbeid. "
        + "Slot. " * 50
    )
    cut = context_snippet(text, marks)
    assert cut is not None and cut.startswith("…") and cut.endswith("…")
    assert "verlaagt de Belastingen op arbeid" in cut
    assert len(re.findall(r"\w+", cut)) <= 24
    assert "<mark>Belastingen</mark>" in mark_snippet(cut, marks)


def test_no_word_of_the_query_gives_no_snippet_and_short_texts_stay_whole() -> None:
    marks = highlight_terms(parse("stikstof OR wet*"))
    assert context_snippet("Over pensioenen en de zorg.", marks) is None
    assert context_snippet("", marks) is None
    assert context_snippet("Stikstof!", marks) == "Stikstof!"
    assert context_snippet("De wetgeving.", marks) == "De wetgeving."
    assert (
        context_snippet("De Wetgeving van " + "x " * 40, marks)
        == "De Wetgeving van" + " x" * 14 + "…"  # 16 words from the match
    )


@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=80).map(" ".join),
    st.sampled_from(["wet", "belasting*", "een", "Wet wetten", '"de wet"']),
)
def test_a_cut_snippet_is_a_piece_of_the_text_with_a_word_of_the_query(
    text: str, query: str
) -> None:
    marks = highlight_terms(parse(query))
    cut = context_snippet(text, marks)
    words = _SPLIT.split(text)[1::2]
    if cut is None:  # a word found by its first three letters, case folded (not accents)
        assert not any(reference(w, marks) != w for w in words if w[:3].isascii()), text
        return
    assert cut.removeprefix("…").removesuffix("…") in text
    assert "<mark>" in mark_snippet(cut, marks)
    assert len(_SPLIT.split(cut)[1::2]) <= 8 + 16 + 2  # the words at the cut's ends may be parts


def test_a_word_near_the_start_gets_the_text_from_its_start() -> None:
    marks = highlight_terms(parse("motie"))
    assert context_snippet("(Gewijzigde) moties over " + "y " * 30, marks) == (
        "(Gewijzigde) moties over" + " y" * 14 + "…"
    )
