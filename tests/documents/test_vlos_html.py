"""VLOS verslagen → readable HTML: real files in both dialects of generated ones."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kamerwatch.documents.convert import convert
from kamerwatch.sample.vlos import VlosItem, VlosSpeech, vlos_xml
from tests.sample.test_vlos import build_meeting

REAL = sorted((Path(__file__).resolve().parents[1] / "data" / "verslag-vlos").glob("*.xml"))


def test_real_commissiedebat() -> None:
    c = convert(REAL[0].read_bytes(), "text/xml")
    assert c.method == "vlos" and c.failure is None
    html, text = c.html or "", c.text or ""
    assert html.startswith("<h2>MIVD</h2><h3>Opening</h3>")
    assert '<div class="speech voorzitter"><p><strong>De voorzitter (Kahraman)</strong>' in html
    assert '<div class="speech spreker"><p><strong>Nordkamp (GroenLinks-PvdA)</strong>' in html
    assert '<blockquote class="voorzitter"><p><strong>De voorzitter (Kahraman)' in html
    assert "Brekelmans, minister van Defensie" in html
    assert '<blockquote class="interruptie"><p><em>Interruptie</em></p>' in html
    assert '<a href="/kamerstukdossier/36600-X">36600-X, nr. 81</a>' in html
    assert "Dank, voorzitter." in text


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name[-12:])
def test_real_files_convert(path: Path) -> None:
    c = convert(path.read_bytes(), None)
    assert c.failure is None and c.text and c.html


@pytest.mark.parametrize("dialect", ["feed", "xsd"])
def test_generated_meeting(dialect: str) -> None:
    meeting = build_meeting(1)
    c = convert(vlos_xml(meeting, dialect=dialect), "text/xml")  # type: ignore[arg-type]
    assert c.failure is None
    html = c.html or ""
    assert "<h3>Personeel en materieel Defensie</h3>" in html
    assert '<div class="speech spreker"><p><strong>Van Velzen (VVD)</strong>' in html
    assert html.count('<blockquote class="interruptie">') >= 7
    assert '<div class="motie"><p><strong>Motie</strong></p>' in html
    assert "verzoekt de regering het fregatvlootplan te herzien," in html
    assert '<div class="besluit">' in html and "Uitslag: Aangenomen" in html
    assert '<div class="speech voorzitter"><p><strong>De voorzitter (Hoogstraaten)' in html


def test_xss_in_a_speech_is_escaped() -> None:
    meeting = build_meeting(2)
    evil = VlosSpeech(meeting.voorzitter, ["<script>alert(1)</script> & <b>vet</b>"])
    meeting = replace(meeting, items=[VlosItem("<img src=x onerror=alert(1)>", [evil])])
    c = convert(vlos_xml(meeting), None)
    html = c.html or ""
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html


def test_broken_xml_is_corrupt() -> None:
    data = REAL[0].read_bytes()
    assert convert(data[:5000], None).failure == "beschadigd bestand"
