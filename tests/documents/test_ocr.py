"""OCR of scanned PDFs: a real image-only PDF (a page of our own PDF writer, rendered to a
bitmap and saved as a picture) read by the real tesseract, directly and through the convert
stage; without tesseract the file is listed as needing OCR and is read once it is there."""

from __future__ import annotations

import io
import os
import random
import shutil
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from starlette.testclient import TestClient

from kamerwatch.documents.convert import convert, ocr
from kamerwatch.documents.convert.pdf import page_texts
from kamerwatch.documents.convert.result import OCR_NOTHING, SCANNED
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.files import pdf_bytes
from kamerwatch.sample.texts import DocText, document_text
from kamerwatch.web.app import create_app
from tests.conftest import kamerwatch, require_tool
from tests.documents.test_fetch import gid, rows, write_feed


@pytest.fixture
def tesseract() -> None:
    require_tool(
        ocr.available(),
        "tesseract met Nederlandse taaldata niet geïnstalleerd "
        "(apt-get install tesseract-ocr tesseract-ocr-nld): OCR-test overgeslagen",
    )


needs_tesseract = pytest.mark.usefixtures("tesseract")
ONDERWERP = "Verduurzaming van de binnenvaart"
WORDS = ("Tweede", "Kamer", "Verduurzaming", "binnenvaart", "Betreft")


def _text_pdf() -> bytes:
    rng = random.Random(8)
    doc: DocText = document_text(
        rng,
        soort="Brief regering",
        nummer="31409-412",
        datum=date(2026, 11, 3),
        onderwerp=ONDERWERP,
        titel=None,
        afzender="De minister van Infrastructuur en Waterstaat",
        geadresseerde="de Voorzitter van de Tweede Kamer der Staten-Generaal",
        distinctive=["binnenvaart"],
    )
    return pdf_bytes(doc)


def scanned_pdf(pages: int = 1, dpi: int = 150) -> bytes:
    """An image-only PDF: the first page of a generated letter, as a grey bitmap, ``pages``
    times (what a scanner makes: no text layer at all)."""
    doc = pdfium.PdfDocument(_text_pdf())
    try:
        page = doc[0]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        page.close()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, "PDF", resolution=dpi, save_all=True, append_images=[image] * (pages - 1))
    return buf.getvalue()


SCANNED_PDF = scanned_pdf()


def _words_in(text: str) -> list[str]:
    return [w for w in WORDS if w.lower() in text.lower()]


def test_the_scan_has_no_text_layer() -> None:
    pages = page_texts(SCANNED_PDF)
    assert len(pages) == 1 and not pages[0].strip()


def test_without_ocr_the_reason_names_the_packages() -> None:
    c = convert(SCANNED_PDF, "application/pdf", ocr_max_pages=0)
    assert c.failure == SCANNED and c.pages == 1 and c.text is None
    assert "OCR nodig" in SCANNED and "tesseract-ocr-nld" in SCANNED


def test_tesseract_check_follows_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a tesseract that reads Dutch counts; none on PATH means no OCR."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not ocr.tesseract_with("nld")
    if shutil.which("tesseract", path=os.defpath + ":/usr/bin"):
        monkeypatch.setenv("PATH", "/usr/bin:/bin")
        assert not ocr.tesseract_with("klingon")


@needs_tesseract
def test_ocr_image_reads_dutch_text() -> None:
    """The pure OCR step: page image bytes in, text out."""
    doc = pdfium.PdfDocument(SCANNED_PDF)
    try:
        page = doc[0]
        image = ocr.page_image(page)
        page.close()
    finally:
        doc.close()
    assert image.startswith(b"P5\n")
    text = ocr.ocr_image(image)
    assert len(_words_in(text)) >= 4, text


@needs_tesseract
def test_convert_ocrs_a_scanned_pdf() -> None:
    c = convert(SCANNED_PDF, "application/pdf")
    assert c.failure is None and c.method == ocr.METHOD and c.pages == 1
    assert c.text and len(_words_in(c.text)) >= 4, c.text
    assert c.html and '<div class="page"><p>' in c.html


@needs_tesseract
def test_page_cap_and_blank_scan() -> None:
    c = convert(scanned_pdf(pages=2), "application/pdf", ocr_max_pages=1)
    assert c.method == ocr.METHOD and c.pages == 2
    assert "OCR gestopt na 1 van 2 pagina" in (c.html or "")
    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    buf = io.BytesIO()
    blank.save(buf)
    blank.close()
    assert convert(buf.getvalue(), None).failure == OCR_NOTHING


def _fetched(tmp_path: Path) -> Path:
    feed, data = tmp_path / "feed", tmp_path / "data"
    write_feed(feed, {"gescande brief": ("Document", SCANNED_PDF)})
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            assert kamerwatch(command, "--feed-url", server.url, data_dir=data).returncode == 0
    return data


def test_convert_stage_without_tesseract_lists_the_scan(tmp_path: Path) -> None:
    """Runs everywhere: with no tesseract on PATH the stage records "OCR nodig"."""
    data = _fetched(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    result = kamerwatch("convert", data_dir=data, env={"PATH": str(empty)})
    assert result.returncode == 0, result.stderr
    assert "OCR nodig" in result.stdout + result.stderr
    query = (
        f"SELECT method, failure, pages FROM conversion WHERE entity_id = '{gid('gescande brief')}'"
    )
    assert rows(data, query) == [("pypdfium2", SCANNED, 1)]


@needs_tesseract
def test_convert_stage_lists_then_ocrs_a_scan(tmp_path: Path) -> None:
    """Without tesseract on PATH the stage records "OCR nodig"; with it, the next run reads
    that file again (and only that one), and the page says the text came from OCR."""
    data = _fetched(tmp_path)
    no_tesseract = tmp_path / "bin"
    no_tesseract.mkdir()
    without = kamerwatch("convert", data_dir=data, env={"PATH": str(no_tesseract)})
    assert without.returncode == 0, without.stderr
    assert "OCR nodig" in without.stdout + without.stderr
    query = (
        f"SELECT method, failure, text FROM conversion WHERE entity_id = '{gid('gescande brief')}'"
    )
    method, failure, text = rows(data, query)[0]
    assert failure == SCANNED and text is None
    assert shutil.which("tesseract")
    with_ocr = kamerwatch("convert", data_dir=data)
    assert with_ocr.returncode == 0, with_ocr.stderr
    assert "1 te doen, 1 gelukt" in with_ocr.stdout + with_ocr.stderr
    method, failure, text = rows(data, query)[0]
    assert method == ocr.METHOD and failure is None
    assert len(_words_in(text)) >= 4, text
    again = kamerwatch("convert", data_dir=data)
    assert "0 te doen" in again.stdout + again.stderr
    with TestClient(create_app(f"sqlite:///{data / 'kamerwatch.sqlite3'}")) as client:
        page = client.get("/document/2026D70000").text
    assert "tekst via OCR (kan fouten bevatten)" in page
    assert "binnenvaart" in page.lower()


def test_huge_pages_are_rendered_smaller() -> None:
    """An A0-sized drawing is not rendered at 300 dpi (that would be 140 MB of grey)."""
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(2384, 3370)  # A0 in points
    try:
        image = ocr.page_image(page)
    finally:
        page.close()
        pdf.close()
    width, height = map(int, image.split(b"\n")[1].split())
    assert max(width, height) <= ocr.MAX_SIDE and len(image) < 60_000_000
