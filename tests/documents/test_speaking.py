"""Speaking time per person from verslagen."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from kamerwatch.documents.speaking import speaking_times
from kamerwatch.sample.vlos import vlos_xml
from tests.sample.test_vlos import build_meeting

REAL = sorted((Path(__file__).resolve().parents[1] / "data" / "verslag-vlos").glob("*.xml"))


def test_real_commissiedebat() -> None:
    times = {t.name: t for t in speaking_times(REAL[0].read_bytes())}
    chair = times["Kahraman"]
    assert chair.voorzitter > 0 and chair.woordvoerder == 0
    nordkamp = times["Nordkamp"]
    assert nordkamp.fractie == "GroenLinks-PvdA"
    # 19:00:54 → 19:04:37 minus the chair's nested 9 s interruption
    assert nordkamp.woordvoerder >= 214 and nordkamp.interrumpant > 0


@pytest.mark.parametrize("dialect", ["feed", "xsd"])
def test_generated_meeting_has_all_kinds(dialect: str) -> None:
    times = speaking_times(vlos_xml(build_meeting(1), dialect=dialect))  # type: ignore[arg-type]
    assert sum(t.voorzitter for t in times) > 0
    assert sum(t.interrumpant for t in times) > 0
    assert {t.fractie for t in times if t.woordvoerder} >= {"VVD", "CDA"}


def test_bad_xml_raises() -> None:
    with pytest.raises(etree.XMLSyntaxError):
        speaking_times(b"<nope")
