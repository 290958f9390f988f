"""PDF → text per page and a paragraph preview, with pypdfium2."""

from __future__ import annotations

import logging

import pypdfium2 as pdfium

from kamerwatch.documents.convert import ocr
from kamerwatch.documents.convert.markup import element, finish, line_paragraphs, paragraphs
from kamerwatch.documents.convert.result import (
    CORRUPT,
    ENCRYPTED,
    OCR_FAILED,
    OCR_NOTHING,
    SCANNED,
    Conversion,
    failed,
)

__all__ = ["OCR_MAX_PAGES", "convert_pdf", "page_texts"]

log = logging.getLogger(__name__)
METHOD = "pypdfium2"
_ERR_PASSWORD = 4
OCR_MAX_PAGES = 50


def _page_text(doc: pdfium.PdfDocument, index: int) -> str:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def page_texts(data: bytes) -> list[str]:
    """The text of every page; raises ``pdfium.PdfiumError`` on unreadable input."""
    doc = pdfium.PdfDocument(data)
    try:
        return [
            _page_text(doc, i).replace("\r\n", "\n").replace("\r", "\n") for i in range(len(doc))
        ]
    finally:
        doc.close()


def _open_failure(exc: Exception) -> str:
    if getattr(exc, "err_code", None) == _ERR_PASSWORD or "password" in str(exc).lower():
        return ENCRYPTED
    return CORRUPT


def _preview(pages: list[str]) -> str:
    return "".join(f'<div class="page">{paragraphs(line_paragraphs(text))}</div>' for text in pages)


def _scanned(data: bytes, pages: int, max_pages: int, deadline: float | None) -> Conversion:
    """A PDF without a text layer: OCR where tesseract with Dutch is installed, else the
    reason that names the packages to install."""
    if max_pages <= 0 or not ocr.available():
        return failed(METHOD, SCANNED, pages=pages)
    try:
        result = ocr.ocr_pdf(data, max_pages=max_pages, deadline=deadline)
    except Exception as exc:  # pdfium already opened it once; be safe anyway
        log.warning("OCR error: %r", exc)
        return failed(ocr.METHOD, OCR_FAILED, pages=pages)
    if result.done and result.errors == result.done:
        return failed(ocr.METHOD, OCR_FAILED, pages=pages)
    if not any(t.strip() for t in result.texts):
        return failed(ocr.METHOD, OCR_NOTHING, pages=pages)
    text = "\n\n".join(t.strip() for t in result.texts if t.strip())
    preview = _preview(result.texts)
    if result.done < result.pages:
        preview += element("p", f"[OCR gestopt na {result.done} van {result.pages} pagina's]")
    return Conversion(text=text, html=finish(preview), method=ocr.METHOD, pages=pages)


def convert_pdf(
    data: bytes, *, ocr_max_pages: int = OCR_MAX_PAGES, deadline: float | None = None
) -> Conversion:
    """Convert PDF bytes; encrypted and corrupt files fail with a reason. Scanned files (no
    text on any page) are OCR'd where possible, up to ``ocr_max_pages`` pages and until the
    monotonic clock passes ``deadline``."""
    try:
        pages = page_texts(data)
    except pdfium.PdfiumError as exc:
        log.debug("pdf not readable: %s", exc)
        return failed(METHOD, _open_failure(exc))
    except Exception as exc:  # pdfium may fail in unexpected ways on hostile input
        log.warning("pdf conversion error: %r", exc)
        return failed(METHOD, CORRUPT)
    if not pages:
        return failed(METHOD, CORRUPT, pages=0)
    if not any(p.strip() for p in pages):
        return _scanned(data, len(pages), ocr_max_pages, deadline)
    text = "\n\n".join(p.strip() for p in pages)
    return Conversion(text=text, html=finish(_preview(pages)), method=METHOD, pages=len(pages))
