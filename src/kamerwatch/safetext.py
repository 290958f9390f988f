"""Upstream text on its way to a terminal or a mail: what it may not carry there.

Feed texts and server error messages are someone else's bytes. On a terminal an ESC starts
a control sequence (colours, cursor moves, OSC-8 links, a changed window title) and rich
reads ``[…]`` as markup; in a mail header or a one-line field a line break forges lines;
bidi controls (U+202E …) make text read other than it is. These functions take that out.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# bidi embeddings, overrides and isolates, and the marks that can reorder text
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def terminal_text(text: str) -> str:
    """For the terminal: control characters (ESC, CR, BEL, C1 …) and bidi controls removed;
    tabs and line breaks kept. Printed without markup (the consoles have it off)."""
    return _BIDI.sub("", _CONTROLS.sub("", text))


def one_line(text: str | None) -> str:
    """For a mail subject, a title, a list item: line breaks (all kinds) become one space,
    other controls and bidi controls go, spaces are collapsed."""
    if not text:
        return ""
    flat = _LINE_BREAKS.sub(" ", text.replace("\t", " "))
    return " ".join(_BIDI.sub("", _CONTROLS.sub("", flat)).split())


def mail_text(text: str | None) -> str:
    """For a multi-line mail body part: line breaks kept (as \\n), controls and bidi gone."""
    if not text:
        return ""
    return _BIDI.sub("", _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
