"""The typed result of a conversion."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Conversion", "failed"]

CORRUPT = "beschadigd bestand"
ENCRYPTED = "versleuteld"
SCANNED = "gescand zonder tekst (OCR nodig: installeer tesseract-ocr en tesseract-ocr-nld)"
OCR_NOTHING = "gescand, OCR vond geen tekst"
OCR_FAILED = "gescand, OCR mislukt"
# reasons of earlier runs that a run with OCR available tries again
OCR_RETRY = (SCANNED, "gescand zonder tekst (OCR nodig)")
UNKNOWN = "onbekend bestandstype"
EMPTY = "leeg bestand"
MEMORY = "te veel geheugen nodig bij het omzetten"


@dataclass(frozen=True)
class Conversion:
    """Plain text for the index and a sanitised HTML preview, or a Dutch failure reason."""

    text: str | None
    html: str | None
    method: str
    failure: str | None = None
    pages: int | None = None


def failed(method: str, reason: str, pages: int | None = None) -> Conversion:
    """A failed conversion with its reason."""
    return Conversion(text=None, html=None, method=method, failure=reason, pages=pages)
