"""PDF → text per page and a paragraph preview, with pypdfium2."""

from __future__ import annotations

import logging

import pypdfium2 as pdfium

from kamerwatch.documents.convert.markup import finish, line_paragraphs, paragraphs
from kamerwatch.documents.convert.result import CORRUPT, ENCRYPTED, SCANNED, Conversion, failed

__all__ = ["convert_pdf", "page_texts"]

log = logging.getLogger(__name__)
METHOD = "pypdfium2"
_ERR_PASSWORD = 4


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


def convert_pdf(data: bytes) -> Conversion:
    """Convert PDF bytes; encrypted, corrupt and scanned files fail with a reason."""
    try:
        pages = page_texts(data)
    except pdfium.PdfiumError as exc:
        log.debug("pdf not readable: %s", exc)
        return failed(METHOD, _open_failure(exc))
    except Exception as exc:  # pdfium may fail in unexpected ways on hostile input
        log.warning("pdf conversion error: %r", exc)
        return failed(METHOD, CORRUPT)
    if not any(p.strip() for p in pages):
        return failed(METHOD, SCANNED if pages else CORRUPT, pages=len(pages))
    text = "\n\n".join(p.strip() for p in pages)
    return Conversion(text=text, html=finish(_preview(pages)), method=METHOD, pages=len(pages))
