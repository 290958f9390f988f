"""Snippet marking: a page's snippets are marked together; the result must be what judging
every word of every snippet on its own gives, and always safe HTML."""

from __future__ import annotations

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st

from kamerwatch.search.analysis import fold, stem
from kamerwatch.search.engine import mark_snippet, mark_snippets
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
