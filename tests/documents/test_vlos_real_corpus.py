"""Every paragraph of every real VLOS verslag reaches the reader's page and the text the
search indexes (issue #20.2): moties read out in the plenary sit under
``woordvoerder/draadboekfragment[@soort="Motie indiening"]/tekst/alineagroep``; lists are
lists, not run-together paragraphs."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from lxml import etree

from kamerwatch.documents.convert import convert

DATA = Path(__file__).resolve().parents[1] / "data"
REAL = sorted({p.name: p for p in (DATA / "real" / "verslag-vlos").glob("*.xml")}.values())


def flat(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def page_text(html: str) -> str:
    """What a reader sees: inline links keep their place in the sentence."""
    html = re.sub(r"</?(a|span|em|strong)\b[^>]*>", "", html)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def is_speaker_label(item: etree._Element) -> bool:
    """The first item of a speech naming its speaker ("De heer Soepboer (NSC):"): shown as
    the speech's heading instead."""
    alinea = item.getparent()
    tekst = alinea.getparent() if alinea is not None else None
    block = tekst.getparent() if tekst is not None else None
    if block is None or local(block) not in ("woordvoerder", "interrumpant"):
        return False
    first_alinea = next((c for c in tekst if local(c) == "alinea"), None)
    text = flat(item)
    return alinea is first_alinea and alinea[0] is item and text.endswith(":") and len(text) < 160


def test_the_corpus_holds_the_plenary_moties() -> None:
    moties = 0
    for path in REAL:
        root = etree.parse(path).getroot()
        moties += len(
            root.xpath('.//*[local-name()="draadboekfragment"][@soort="Motie indiening"]')
        )
    assert len(REAL) == 14 and moties == 52


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name[12:20])
def test_every_alinea_item_is_on_the_page_and_in_the_text(path: Path) -> None:
    root = etree.parse(path).getroot()
    c = convert(path.read_bytes(), "text/xml")
    assert c.failure is None
    text = " ".join((c.text or "").split())
    page = page_text(c.html or "")
    missing = []
    for item in root.iter("{*}alineaitem"):
        wanted = flat(item)
        if not wanted or is_speaker_label(item):
            continue
        if wanted not in text or wanted not in page:
            missing.append(wanted[:80])
    assert not missing, f"{len(missing)} missing, e.g. {missing[:3]}"


def test_a_motie_read_out_is_a_motie_block_with_its_text() -> None:
    path = next(p for p in REAL if p.name.startswith("sample_vlos_dc665b38"))
    c = convert(path.read_bytes(), "text/xml")
    html = c.html or ""
    assert html.count('<div class="fragment fragment-motie-indiening">') == 7
    assert html.count('<div class="motie"><p><strong>Motie</strong></p>') == 7
    assert (
        "verzoekt de regering niet verder te gaan met het streven naar inclusief onderwijs" in html
    )
    assert "Deze motie is voorgesteld door het lid Soepboer." in (c.text or "")


def test_a_lijst_is_a_list() -> None:
    path = next(p for p in REAL if p.name.startswith("sample_vlos_0c43e57f"))
    root = etree.parse(path).getroot()
    lijst = next(root.iter("{*}lijst"))
    items = [flat(i) for i in lijst]
    html = convert(path.read_bytes(), "text/xml").html or ""
    first = htmllib.escape(items[0], quote=False)
    assert re.search(r"<ul><li>[^<]*" + re.escape(first[:40]), html) or "<ul><li>" in html
    assert html.count("<li>") >= len(items)
