"""convert(): real samples, generated files and bad input — never a crash."""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerwatch.documents.convert import Conversion, convert, sniff
from kamerwatch.documents.convert.doc import MISSING
from kamerwatch.sample.files import docx_bytes, pdf_bytes, rtf_bytes
from kamerwatch.sample.texts import DocText, document_text, subject
from tests.conftest import require_tool

DATA = Path(__file__).resolve().parents[1] / "data" / "resources"
PDF = sorted(DATA.glob("*.pdf"))
DOCX = sorted(DATA.glob("*.docx"))
DOC = sorted(DATA.glob("*.doc"))
XSS = "<script>alert(1)</script>"


def _doc(seed: int = 1, soort: str = "Brief regering") -> tuple[DocText, list[str]]:
    rng = random.Random(seed)
    onderwerp, distinctive = subject(rng, soort)
    doc = document_text(
        rng,
        soort=soort,
        nummer="36600-X-12",
        datum=date(2026, 11, 3),
        onderwerp=onderwerp,
        titel=None,
        afzender="Mr. Ö. de Wit",
        geadresseerde="de Voorzitter van de Tweede Kamer der Staten-Generaal",
        distinctive=distinctive,
    )
    return doc, distinctive


def _ok(c: Conversion, method: str) -> str:
    assert c.failure is None, c
    assert c.method == method
    assert c.text and c.html
    assert "<script" not in c.html
    return " ".join(c.text.split())


def test_real_pdf() -> None:
    c = convert(PDF[0].read_bytes(), "application/pdf")
    text = _ok(c, "pypdfium2")
    assert c.pages == 1
    assert "MOTIE VAN HET LID CEDER" in text
    assert '<div class="page"><p>' in (c.html or "")
    assert '<a href="/kamerstukdossier/21501-02">' in (c.html or "")


@pytest.mark.parametrize("path", DOCX, ids=lambda p: p.name)
def test_real_docx(path: Path) -> None:
    text = _ok(convert(path.read_bytes(), None), "python-docx")
    assert "TWEEDE KAMER DER STATEN-GENERAAL" in text


def test_real_doc() -> None:
    require_tool(
        bool(shutil.which("antiword") or shutil.which("catdoc")),
        "antiword niet geïnstalleerd (apt-get install antiword): .doc-test overgeslagen",
    )
    c = convert(DOC[0].read_bytes(), "application/msword")
    assert c.method in ("antiword", "catdoc")
    assert "Vergaderjaar 2008-2009" in _ok(c, c.method)


def test_doc_without_tool_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kamerwatch.documents.convert.doc.shutil.which", lambda _: None)
    c = convert(DOC[0].read_bytes(), None)
    assert c.failure == MISSING and "apt-get install antiword" in c.failure


@pytest.mark.parametrize(
    ("writer", "method"),
    [(pdf_bytes, "pypdfium2"), (docx_bytes, "python-docx"), (rtf_bytes, "striprtf")],
)
def test_generated_files_keep_distinctive_words(writer: object, method: str) -> None:
    doc, distinctive = _doc()
    data = writer(doc)  # type: ignore[operator]
    text = _ok(convert(data, "application/octet-stream"), method)
    for word in distinctive:
        assert word in text


def test_mislabelled_pdf_is_sniffed() -> None:
    doc, _ = _doc(2)
    c = convert(pdf_bytes(doc), "application/vnd.openxmlformats-officedocument")
    assert c.method == "pypdfium2" and c.failure is None


def test_docx_headings_lists_and_escaping() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Kop een", level=1)
    d.add_paragraph(f"Gevaarlijk {XSS} zie 2023D03702")
    d.add_paragraph("punt een", style="List Bullet")
    d.add_paragraph("punt twee", style="List Bullet")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "cel a", "cel b"
    buf = io.BytesIO()
    d.save(buf)
    c = convert(buf.getvalue(), None)
    html = c.html or ""
    assert "<h2>Kop een</h2>" in html
    assert "<ul><li>punt een</li><li>punt twee</li></ul>" in html
    assert "<td>cel a</td>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert '<a href="/document/2023D03702">' in html


def _odt(body: str) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    content = f"<office:document-content {ns}><office:body><office:text>{body}"
    content += "</office:text></office:body></office:document-content>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
    return buf.getvalue()


def test_odt() -> None:
    body = (
        '<text:h text:outline-level="1">Titel</text:h><text:p>Een<text:s text:c="2"/>zin '
        "&lt;script&gt;</text:p><text:list><text:list-item><text:p>item</text:p>"
        "</text:list-item></text:list><table:table><table:table-row><table:table-cell>"
        "<text:p>cel</text:p></table:table-cell></table:table-row></table:table>"
    )
    c = convert(_odt(body), None)
    assert c.method == "odt" and c.failure is None
    assert "Een  zin" in (c.text or "")
    html = c.html or ""
    assert "<h2>Titel</h2>" in html and "<li>item</li>" in html and "<td>cel</td>" in html
    assert "&lt;script&gt;" in html


def test_truncated_pdf_is_corrupt() -> None:
    data = PDF[0].read_bytes()
    c = convert(data[: len(data) // 3], "application/pdf")
    assert c.failure is not None and c.failure.startswith("beschadigd")
    assert c.text is None and c.html is None


def test_encrypted_pdf() -> None:
    """A standard security handler whose empty user password does not validate."""
    doc, _ = _doc(3)
    data = pdf_bytes(doc)
    at = data.rindex(b"trailer")
    at = data.index(b"<<", at) + 2
    encrypt = (
        b" /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4"
        b" /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
        b" /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] "
    )
    c = convert(data[:at] + encrypt + data[at:], "application/pdf")
    assert c.failure == "versleuteld"


def test_pdf_without_text_needs_ocr() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    c = convert(buf.getvalue(), None, ocr_max_pages=0)  # OCR: see test_ocr.py
    assert c.failure is not None and c.failure.startswith("gescand zonder tekst (OCR nodig")
    assert c.pages == 1


def test_corrupt_docx_and_zip() -> None:
    doc, _ = _doc(4)
    data = docx_bytes(doc)
    assert convert(data[:200], None).failure == "beschadigd bestand"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<not-xml")
    assert convert(buf.getvalue(), None).failure == "beschadigd bestand"


def test_random_empty_html_and_text() -> None:
    assert convert(random.Random(1).randbytes(5000), None).failure == "onbekend bestandstype"
    empty = convert(b"", "application/pdf")
    assert empty.failure == "leeg bestand" and empty.text is None
    page = b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>"
    assert convert(page, "application/pdf").failure == "HTML-pagina in plaats van een document"
    plain = convert(f"Regel een {XSS}\n\nRegel twee".encode(), "text/plain; charset=utf-8")
    assert plain.text == f"Regel een {XSS}\n\nRegel twee"
    assert "<script" not in (plain.html or "")


def test_sniff_ignores_content_type() -> None:
    assert sniff(b"%PDF-1.7\n", "text/html") == "pdf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "application/pdf") == "doc"
    assert sniff(b"\xef\xbb\xbf{\\rtf1 x}", None) == "rtf"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from([None, "application/pdf", "text/plain"]))
def test_never_raises(data: bytes, content_type: str | None) -> None:
    c = convert(data, content_type)
    assert isinstance(c, Conversion)
    assert (c.failure is None) == (c.text is not None)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"{\\rtf1 ", b"<?xml version='1.0'?>"]),
       st.binary(max_size=2048))  # fmt: skip
def test_never_raises_behind_magic_bytes(magic: bytes, rest: bytes) -> None:
    assert isinstance(convert(magic + rest, None), Conversion)
