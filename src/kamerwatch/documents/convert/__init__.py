"""Convert a downloaded file to plain text and a sanitised HTML preview.

``convert(data, content_type)`` sniffs the magic bytes first (content types lie), dispatches
to one module per format and never raises: every problem becomes a ``Conversion`` with a
Dutch ``failure`` reason.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable

from kamerwatch.documents.convert.doc import convert_doc
from kamerwatch.documents.convert.docx import convert_docx
from kamerwatch.documents.convert.markup import finish, paragraphs, split_paragraphs
from kamerwatch.documents.convert.odt import convert_odt
from kamerwatch.documents.convert.pdf import OCR_MAX_PAGES, convert_pdf
from kamerwatch.documents.convert.result import (
    CORRUPT,
    EMPTY,
    MEMORY,
    UNKNOWN,
    Conversion,
    failed,
)
from kamerwatch.documents.convert.rtf import convert_rtf
from kamerwatch.documents.convert.vlos import convert_vlos, is_vlos
from kamerwatch.documents.convert.zipguard import bomb_reason

__all__ = ["Conversion", "convert", "sniff"]

log = logging.getLogger(__name__)
HTML_PAGE = "HTML-pagina in plaats van een document"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


# A zip package (DOCX, ODT) is read whole by its converter: one that would unpack to too
# much in total or for its size is refused before anything in it is read
# (documents/convert/zipguard.py); the failure reads "te groot uitgepakt (… MB)".
ZIP_BOMB = "te groot uitgepakt"


def _head(zf: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of a member, never the whole of it (it may be a bomb)."""
    with zf.open(name) as fh:
        return fh.read(256)


def _zip_kind(data: bytes) -> str:
    if bomb_reason(data) is not None:
        return "zip-bomb"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "content.xml" in names and (
                "mimetype" not in names or _head(zf, "mimetype").strip() == _ODT_MIME
            ):
                return "odt"
    except Exception:
        return "corrupt-zip"
    return "unknown"


def _xml_kind(head: bytes) -> str:
    lower = head.lower()
    if is_vlos(head):
        return "vlos"
    if b"<html" in lower or b"<!doctype html" in lower:
        return "html"
    return "unknown"


def sniff(data: bytes, content_type: str | None = None) -> str:
    """The format by magic bytes: pdf, docx, odt, doc, rtf, vlos, html, text or unknown."""
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return "doc"
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if stripped.startswith(b"<"):
        return _xml_kind(head)
    if content_type and content_type.split(";")[0].strip().lower() == "text/plain":
        return "text"
    return "unknown"


def _plain_text(data: bytes) -> Conversion:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return failed("text", UNKNOWN)
    paras = split_paragraphs(text)
    return Conversion(text="\n\n".join(paras), html=finish(paragraphs(paras)), method="text")


_CONVERTERS: dict[str, Callable[[bytes], Conversion]] = {
    "docx": convert_docx,
    "odt": convert_odt,
    "doc": convert_doc,
    "rtf": convert_rtf,
    "vlos": convert_vlos,
    "text": _plain_text,
}


def convert(
    data: bytes,
    content_type: str | None,
    *,
    ocr_max_pages: int = OCR_MAX_PAGES,
    deadline: float | None = None,
) -> Conversion:
    """Convert any bytes; never raises. A scanned PDF is OCR'd (where tesseract is
    installed) up to ``ocr_max_pages`` pages, until ``time.monotonic()`` passes
    ``deadline``."""
    if not data:
        return failed("sniff", EMPTY)
    try:
        kind = sniff(data, content_type)
        if kind == "corrupt-zip":
            return failed("zip", CORRUPT)
        if kind == "zip-bomb":
            return failed("zip", bomb_reason(data) or ZIP_BOMB)
        if kind == "html":
            return failed("sniff", HTML_PAGE)
        if kind == "pdf":
            return convert_pdf(data, ocr_max_pages=ocr_max_pages, deadline=deadline)
        converter = _CONVERTERS.get(kind)
        if converter is None:
            return failed("sniff", UNKNOWN)
        return converter(data)
    except MemoryError:  # the converter process's address-space limit (run_convert)
        return failed("sniff", MEMORY)
    except Exception as exc:  # the contract: one bad file never stops a run
        log.exception("conversion crashed (content type %s): %r", content_type, exc)
        return failed("sniff", CORRUPT)
