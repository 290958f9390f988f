"""RTF → text with striprtf."""

from __future__ import annotations

import logging

from striprtf.striprtf import rtf_to_text

from kamerwatch.documents.convert.markup import finish, paragraphs
from kamerwatch.documents.convert.result import CORRUPT, Conversion, failed

__all__ = ["convert_rtf"]

log = logging.getLogger(__name__)
METHOD = "striprtf"


def convert_rtf(data: bytes) -> Conversion:
    """Convert RTF bytes; one paragraph per non-empty line."""
    try:
        text = rtf_to_text(data.decode("cp1252", errors="replace"), errors="replace")
    except Exception as exc:  # striprtf is regex based; be defensive anyway
        log.debug("rtf not readable: %r", exc)
        return failed(METHOD, CORRUPT)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Conversion(text="\n\n".join(lines), html=finish(paragraphs(lines)), method=METHOD)
