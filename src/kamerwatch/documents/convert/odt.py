"""ODT (OpenDocument text) → text and HTML from content.xml (zipfile + lxml)."""

from __future__ import annotations

import io
import logging
import zipfile

from lxml import etree

from kamerwatch.documents.convert.markup import element, finish
from kamerwatch.documents.convert.result import CORRUPT, Conversion, failed

__all__ = ["convert_odt"]

log = logging.getLogger(__name__)
METHOD = "odt"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MAX_XML = 200 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def inline_text(el: etree._Element) -> str:
    """Text of a paragraph, with text:s / text:tab / text:line-break as whitespace."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == _t("s"):
            parts.append(" " * int(child.get(_t("c"), "1") or 1))
        elif child.tag in (_t("tab"), _t("line-break")):
            parts.append(" ")
        elif child.tag != _t("note"):
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []

    def block(self, el: etree._Element) -> None:
        tag = el.tag
        if tag in (_t("p"), _t("h")):
            self.para(el)
        elif tag == _t("list"):
            items = [
                " ".join(inline_text(p) for p in li.iter(_t("p")))
                for li in el.iter(_t("list-item"))
            ]
            items = [i.strip() for i in items if i.strip()]
            self.text.extend(items)
            self.html.append("<ul>" + "".join(element("li", i) for i in items) + "</ul>")
        elif tag == f"{{{TABLE}}}table":
            self.table(el)
        else:
            for child in el:
                self.block(child)

    def para(self, el: etree._Element) -> None:
        text = inline_text(el).strip()
        if not text:
            return
        self.text.append(text)
        if el.tag == _t("h"):
            level = int(el.get(_t("outline-level"), "1") or 1)
            self.html.append(element(f"h{min(max(level + 1, 2), 4)}", text))
        else:
            self.html.append(element("p", text))

    def table(self, el: etree._Element) -> None:
        rows = []
        for row in el.iter(f"{{{TABLE}}}table-row"):
            cells = [inline_text(c).strip() for c in row.iter(f"{{{TABLE}}}table-cell")]
            self.text.append("\t".join(cells))
            rows.append("<tr>" + "".join(element("td", c) for c in cells) + "</tr>")
        self.html.append("<table>" + "".join(rows) + "</table>")


def convert_odt(data: bytes) -> Conversion:
    """Convert ODT bytes; a missing or broken content.xml fails as corrupt."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.getinfo("content.xml").file_size > _MAX_XML:
                return failed(METHOD, CORRUPT)
            root = etree.fromstring(zf.read("content.xml"), _PARSER)
        body = root.find(f"{{{OFFICE}}}body")
        w = _Walker()
        for child in body if body is not None else []:
            w.block(child)
    except Exception as exc:  # zip, xml and value errors on bad input
        log.debug("odt not readable: %r", exc)
        return failed(METHOD, CORRUPT)
    return Conversion(text="\n\n".join(w.text), html=finish("".join(w.html)), method=METHOD)
