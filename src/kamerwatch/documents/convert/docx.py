"""DOCX → text and HTML (headings, paragraphs, lists, tables) with python-docx."""

from __future__ import annotations

import io
import logging

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from kamerwatch.documents.convert.markup import element, finish
from kamerwatch.documents.convert.result import CORRUPT, Conversion, failed

__all__ = ["convert_docx"]

log = logging.getLogger(__name__)
METHOD = "python-docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_TR, _TC, _P = f"{_W}tr", f"{_W}tc", f"{_W}p"


def element_text(el: etree._Element) -> str:
    """Visible text below a w:p or w:tc (fast: one lxml iteration, no per-run objects)."""
    parts = []
    for node in el.iter(_T, _TAB, _BR, _CR, _P):
        parts.append(node.text or "" if node.tag == _T else " ")
    return "".join(parts)


def _style_name(p: Paragraph) -> str:
    try:
        style = p.style  # a lookup through the styles part: ask once
        return (style.name or "") if style is not None else ""
    except Exception:  # broken style references
        return ""


def _heading_tag(style: str) -> str | None:
    lower = style.lower()
    if lower == "title" or lower == "titel":
        return "h2"
    for prefix in ("heading ", "kop "):
        if lower.startswith(prefix) and lower[len(prefix) :].strip().isdigit():
            level = int(lower[len(prefix) :])
            return f"h{min(max(level + 1, 2), 4)}"
    return None


def _is_list(p: Paragraph, style: str) -> bool:
    if "list" in style.lower() or "lijst" in style.lower():
        return True
    ppr = p._p.pPr
    return ppr is not None and ppr.numPr is not None


def _table(t: Table) -> tuple[str, list[str]]:
    rows, texts = [], []
    for row in t._tbl.iterchildren(_TR):
        cells = [" ".join(element_text(c).split()) for c in row.iterchildren(_TC)]
        if not any(cells):
            continue
        texts.append("\t".join(cells))
        rows.append("<tr>" + "".join(element("td", c) for c in cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>", texts


class _Builder:
    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []
        self.items: list[str] = []
        self.styles: dict[str | None, str] = {}  # style id → name (python-docx looks up slowly)

    def flush_list(self) -> None:
        if self.items:
            self.html.append("<ul>" + "".join(element("li", i) for i in self.items) + "</ul>")
            self.items = []

    def paragraph(self, p: Paragraph) -> None:
        text = " ".join(element_text(p._p).split())
        if not text:
            return
        self.text.append(text)
        style_id = p._p.style
        style = self.styles.get(style_id)
        if style is None:
            style = self.styles[style_id] = _style_name(p)
        if _is_list(p, style):
            self.items.append(text)
            return
        self.flush_list()
        self.html.append(element(_heading_tag(style) or "p", text))

    def table(self, t: Table) -> None:
        self.flush_list()
        markup, texts = _table(t)
        self.html.append(markup)
        self.text.extend(texts)


def convert_docx(data: bytes) -> Conversion:
    """Convert DOCX bytes; unreadable packages fail as corrupt."""
    try:
        document = docx.Document(io.BytesIO(data))
        b = _Builder()
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                b.paragraph(block)
            else:
                b.table(block)
        b.flush_list()
    except Exception as exc:  # python-docx raises many types on bad packages
        log.debug("docx not readable: %r", exc)
        return failed(METHOD, CORRUPT)
    return Conversion(text="\n\n".join(b.text), html=finish("".join(b.html)), method=METHOD)
