"""Sample document files: real PDF, DOCX, RTF and JPEG that readers open and search."""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date

import docx
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from striprtf.striprtf import rtf_to_text

from kamerwatch.sample import pdfwriter
from kamerwatch.sample.files import docx_bytes, pdf_bytes, photo_jpeg, rtf_bytes, rtf_escape
from kamerwatch.sample.texts import SOORTEN, DocText, document_text, subject

DUTCH = "Café ‘één’ “coöperatie” naïef € 12,50 – reünie"


def _doc(seed: int, soort: str, onderwerp: str | None = None, titel: str | None = None) -> DocText:
    rng = random.Random(seed)
    ond, distinctive = subject(rng, soort)
    return document_text(
        rng,
        soort=soort,
        nummer="36600-X-12",
        datum=date(2026, 11, 3),
        onderwerp=ond if onderwerp is None else onderwerp,
        titel=titel,
        afzender="Mr. Ö. de Wit",
        geadresseerde="de Voorzitter van de Tweede Kamer der Staten-Generaal",
        distinctive=distinctive,
        personen=["Bakker", "Van Velzen"],
    )


def pdf_text(data: bytes) -> tuple[int, str]:
    pdf = pdfium.PdfDocument(data)
    try:
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        return len(pdf), text
    finally:
        pdf.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("soort", [*SOORTEN, "Brief commissie"])
def test_pdf_opens_and_its_text_is_searchable(soort: str) -> None:
    doc = _doc(1, soort, titel="Vaststelling van de begrotingsstaten" if soort == "Motie" else None)
    pages, text = pdf_text(pdf_bytes(doc))
    assert pages >= 1
    flat = _flat(text)
    assert _flat(doc.onderwerp) in flat
    distinctive = subject(random.Random(1), soort)[1]
    assert all(w in text for w in distinctive)
    assert f"pagina {pages} van {pages}" in flat


def test_pdf_dutch_characters_survive() -> None:
    doc = _doc(2, "Brief regering", onderwerp=DUTCH)
    _, text = pdf_text(pdf_bytes(doc))
    assert DUTCH in _flat(text)


def test_pdf_long_document_has_several_pages_within_the_margins() -> None:
    base = _doc(3, "Brief regering")
    long = DocText(**{**base.__dict__, "paragraphs": base.paragraphs * 8 + ["x" * 400]})
    data = pdf_bytes(long)
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 3
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage()
        for c in range(tp.count_chars()):
            left, _, right, _ = tp.get_charbox(c)
            assert (
                left >= pdfwriter.MARGIN_L - 1
                and right <= pdfwriter.PAGE_W - pdfwriter.MARGIN_R + 1
            )
    pdf.close()


def test_wrap_respects_the_width() -> None:
    text = " ".join(["Wijkverpleging", "en", "W" * 90, "grondwaterboekhouding"] * 20)
    for line in pdfwriter.wrap(text, 10):
        assert pdfwriter.text_width(line, 10) <= pdfwriter.TEXT_W
    assert len(pdfwriter._WIDTHS) >= 95


def test_docx_round_trips_through_python_docx() -> None:
    doc = _doc(4, "Memorie van toelichting", onderwerp=DUTCH + " <&>")
    d = docx.Document(io.BytesIO(docx_bytes(doc)))
    texts = [p.text for p in d.paragraphs]
    assert texts[: len(texts) - len(doc.paragraphs)][-1] == DUTCH + " <&>"
    assert texts[-len(doc.paragraphs) :] == doc.paragraphs
    styles = {p.style.name for p in d.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Normal"} <= styles
    assert d.core_properties.title == DUTCH + " <&>"
    assert d.core_properties.author == "Mr. Ö. de Wit"


def test_rtf_round_trips_through_striprtf() -> None:
    doc = _doc(5, "Schriftelijke vragen", onderwerp=DUTCH + " {a} \\b ł")
    data = rtf_bytes(doc)
    data.decode("ascii")
    text = rtf_to_text(data.decode("ascii"))
    assert DUTCH + " {a} \\b ł" in text
    for p in doc.paragraphs:
        assert p in text


def test_rtf_escaping() -> None:
    assert (
        rtf_escape("{a}\\é€ł😀\x07\tz") == "\\{a\\}\\\\\\'e9\\'80\\u322?\\u-10179?\\u-8704?\\tab z"
    )


def test_jpeg_portrait() -> None:
    data = photo_jpeg(7, "JdV")
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (120, 160) and img.mode == "RGB"
    assert 1_000 < len(data) < 12_000
    assert photo_jpeg(7, "JdV") == data and photo_jpeg(8, "JdV") != data
    Image.open(io.BytesIO(photo_jpeg(9, "Ö中\x00"))).verify()


@pytest.mark.parametrize("writer", [pdf_bytes, docx_bytes, rtf_bytes])
def test_deterministic(writer: object) -> None:
    assert callable(writer)
    assert writer(_doc(6, "Motie")) == writer(_doc(6, "Motie"))
    assert writer(_doc(6, "Motie")) != writer(_doc(7, "Motie"))


def test_docx_zip_is_stable() -> None:
    names = zipfile.ZipFile(io.BytesIO(docx_bytes(_doc(6, "Motie")))).namelist()
    assert names[0] == "[Content_Types].xml" and "word/document.xml" in names


@settings(max_examples=30, deadline=None)
@given(onderwerp=st.text(max_size=120), afzender=st.text(max_size=40))
def test_any_unicode_gives_valid_files(onderwerp: str, afzender: str) -> None:
    base = _doc(8, "Brief regering")
    doc = DocText(**{**base.__dict__, "onderwerp": onderwerp + "<&>\"'", "afzender": afzender})
    pages, _ = pdf_text(pdf_bytes(doc))
    assert pages >= 1
    d = docx.Document(io.BytesIO(docx_bytes(doc)))
    assert d.paragraphs
    rtf = rtf_bytes(doc).decode("ascii")
    assert rtf_to_text(rtf)
    unescaped = re.sub(r"\\[\\{}]", "", rtf)
    assert unescaped.count("{") == unescaped.count("}")


def test_pdf_cross_reference_table_is_exact() -> None:
    """pdfium repairs a broken xref silently; check it ourselves."""
    data = pdf_bytes(_doc(9, "Verslag"))
    assert data.startswith(b"%PDF-1.4\n") and data.endswith(b"%%EOF\n")
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    table = data[startxref:].split(b"trailer", 1)[0].splitlines()
    assert table[0] == b"xref"
    count = int(table[1].split()[1])
    entries = table[3 : 2 + count]
    assert len(entries) == count - 1
    for number, entry in enumerate(entries, 1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"/Size %d " % count in data


def test_scanned_pdf_has_pages_but_no_text() -> None:
    from kamerwatch.documents.convert.pdf import page_texts
    from kamerwatch.sample.files import scanned_pdf_bytes
    from kamerwatch.sample.parliament.content import is_scan

    doc = _doc(5, "Brief regering")
    scan = scanned_pdf_bytes(doc)
    assert scan == scanned_pdf_bytes(doc)  # deterministic
    texts = page_texts(scan)
    assert len(texts) == len(page_texts(pdf_bytes(doc))) and not any(t.strip() for t in texts)
    # one scanned document number per year
    assert [n for n in range(1000, 3000) if is_scan(f"2026D{n:05d}")] == [1000 + 37 * 6 + 49]
    assert not is_scan("36600-X-12")
