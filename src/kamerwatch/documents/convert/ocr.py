"""OCR of scanned PDFs (pages without a text layer) with the ``tesseract`` command, in Dutch.

Pages are rendered with pypdfium2 at ``DPI`` in grey and handed to ``tesseract stdin stdout
-l nld`` as a PGM image, one process per page with a time-out. Only used where tesseract
and its Dutch data (Debian: ``tesseract-ocr``, ``tesseract-ocr-nld``) are installed;
``available()`` checks that once per process.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import cache

import pypdfium2 as pdfium

from kamerwatch.documents import OCR_METHOD

__all__ = ["DPI", "METHOD", "PACKAGES", "OcrResult", "available", "ocr_image", "ocr_pdf"]

log = logging.getLogger(__name__)
METHOD = OCR_METHOD
LANGUAGE = "nld"
PACKAGES = "tesseract-ocr tesseract-ocr-nld"
DPI = 300
PAGE_TIMEOUT = 120.0  # seconds for one page, at most
MAX_SIDE = 7000  # pixels: an A0 drawing at 300 dpi would be 140 MB of grey


@cache
def available() -> bool:
    """tesseract on PATH and its Dutch language data installed (checked once, cached)."""
    return tesseract_with(LANGUAGE)


def tesseract_with(language: str) -> bool:
    """Whether the ``tesseract`` on PATH can read ``language`` (uncached)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    # the list goes to stdout (tesseract 4/5); older versions wrote it to stderr
    return language in (done.stdout + done.stderr).split()


def ocr_image(image: bytes, *, timeout: float = PAGE_TIMEOUT, language: str = LANGUAGE) -> str:
    """The text tesseract reads in one page image (PGM, PNG or TIFF bytes). Raises
    ``OSError`` or ``subprocess.SubprocessError`` (also on a time-out) when it fails."""
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", language],
        input=image,
        capture_output=True,
        timeout=timeout,
        check=False,
        # one thread per tesseract: the stage already runs a worker per core, and tesseract's
        # own OpenMP threads on a busy machine made a page 3x slower (13.8 s against 4.4 s)
        env={"OMP_THREAD_LIMIT": "1", **os.environ},
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise subprocess.SubprocessError(f"tesseract: {' '.join(message) or done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def page_image(page: pdfium.PdfPage, dpi: int = DPI) -> bytes:
    """One page rendered in grey at ``dpi`` (less for pages so large that a side would pass
    ``MAX_SIDE`` pixels), as PGM bytes (no compression: fast to write and to read)."""
    scale = min(dpi / 72, (MAX_SIDE - 1) / max(1.0, *page.get_size()))  # pdfium rounds up
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        raw = bytes(bitmap.buffer)
    finally:
        bitmap.close()
    if stride != width:
        raw = b"".join(raw[row * stride : row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + raw


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The text per OCR'd page; ``pages`` is the page count of the whole PDF, ``done`` how
    many were read (fewer when the page cap or the time limit stopped it)."""

    texts: list[str]
    pages: int
    done: int
    errors: int


def ocr_pdf(data: bytes, *, max_pages: int, deadline: float | None = None) -> OcrResult:
    """OCR the first ``max_pages`` pages of a PDF; stops before a page when the monotonic
    clock is past ``deadline``. Raises ``pdfium.PdfiumError`` on unreadable input."""
    doc = pdfium.PdfDocument(data)
    texts: list[str] = []
    errors = 0
    try:
        total = len(doc)
        for index in range(min(total, max_pages)):
            timeout = PAGE_TIMEOUT
            if deadline is not None:
                timeout = min(timeout, deadline - time.monotonic())
                if timeout <= 1:
                    break
            page = doc[index]
            try:
                image = page_image(page)
            finally:
                page.close()
            try:
                texts.append(ocr_image(image, timeout=timeout).replace("\f", "").strip())
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("OCR van pagina %d mislukt: %s", index + 1, exc)
                texts.append("")
                errors += 1
    finally:
        doc.close()
    return OcrResult(texts, total, len(texts), errors)
