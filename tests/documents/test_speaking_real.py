"""Speaking time on real verslagen (issue #20.3): a minister's uninterrupted answer of 16–24
minutes counts in full; plausibility comes from the vergadering's own times, and what does
not fit is reported, not silently dropped."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from kamerwatch.documents.speaking import read_speaking

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "verslag-vlos"


def _file(prefix: str) -> Path:
    return next(REAL.glob(f"sample_vlos_{prefix}*.xml"))


def _t(el: etree._Element, name: str) -> datetime:
    return datetime.fromisoformat(el.findtext("{*}" + name))


def own_seconds_as_read(path: Path, verslagnaam: str) -> tuple[int, int]:
    """What a careful reader adds up: every woordvoerder fragment of the person (begin → end
    minus the interruptions inside it), and the longest such fragment."""
    root = etree.parse(path).getroot()
    total = longest = 0
    for block in root.iter("{*}woordvoerder"):
        spreker = block.find("{*}spreker")
        if spreker is None or spreker.findtext("{*}verslagnaam") != verslagnaam:
            continue
        if block.findtext("{*}isvoorzitter") == "true":
            continue
        span = (_t(block, "markeertijdeind") - _t(block, "markeertijdbegin")).total_seconds()
        for inner in block.findall("{*}interrumpant"):
            span -= max(
                0, (_t(inner, "markeertijdeind") - _t(inner, "markeertijdbegin")).total_seconds()
            )
        total += int(max(span, 0))
        longest = max(longest, int(span))
    return total, longest


@pytest.mark.parametrize(
    ("prefix", "minister", "longest_at_least"),
    [("3ad601d2", "Jansen", 1400), ("8f376d4c", "Tieman", 1070), ("e714e7d8", "Veldkamp", 940)],
)
def test_a_ministers_long_answer_counts_in_full(
    prefix: str, minister: str, longest_at_least: int
) -> None:
    path = _file(prefix)
    expected, longest = own_seconds_as_read(path, minister)
    assert longest >= longest_at_least  # an uninterrupted answer of over 15 minutes
    result = read_speaking(path.read_bytes())
    (who,) = [t for t in result.times if t.name == minister]
    assert who.woordvoerder == expected
    assert not result.implausible


def test_every_real_verslag_is_plausible_by_its_own_times() -> None:
    for path in sorted(REAL.glob("*.xml")):
        assert read_speaking(path.read_bytes()).implausible == [], path.name


def test_fragments_that_do_not_fit_are_reported(tmp_path: Path) -> None:
    """The real MIRT debate with two fragments' times disturbed: one ending before it
    begins (reported, cannot be counted), one running past the closing (reported, counted)."""
    path = _file("8f376d4c")
    tree = etree.parse(path)
    blocks = [b for b in tree.getroot().iter("{*}interrumpant")]
    backwards, late = blocks[3], blocks[-1]
    begin = backwards.find("{*}markeertijdbegin")
    end = backwards.find("{*}markeertijdeind")
    begin.text, end.text = end.text, begin.text
    if begin.text == end.text:  # pragma: no cover - the chosen block has a duration
        pytest.skip("no duration")
    late.find("{*}markeertijdeind").text = "2025-07-02T23:59:00"
    result = read_speaking(etree.tostring(tree))
    reasons = {(o.reason, o.counted) for o in result.implausible}
    assert ("eindtijd vóór begintijd", False) in reasons
    assert ("eindigt na de sluiting van de vergadering", True) in reasons
