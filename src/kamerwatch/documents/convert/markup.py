"""Shared HTML helpers: escaping builders, the nh3 allow-list and the final preview step."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

import nh3

from kamerwatch.documents.links import enrich

__all__ = ["element", "finish", "line_paragraphs", "paragraphs", "sanitise", "split_paragraphs"]

_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
    "blockquote", "strong", "em", "a", "span", "div",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}, "span": {"class"}, "div": {"class"}, "blockquote": {"class"}}
_SCHEMES = {"http", "https"}
_BLANK = re.compile(r"\n\s*\n")


def sanitise(fragment: str) -> str:
    """Clean untrusted HTML down to the preview allow-list."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
    )


def finish(fragment: str) -> str:
    """Sanitise, then enrich links (the last step of every preview)."""
    return enrich(sanitise(fragment))


def element(tag: str, text: str, css: str | None = None) -> str:
    """``<tag>`` around escaped text, with an optional class."""
    attr = f' class="{escape(css)}"' if css else ""
    return f"<{tag}{attr}>{escape(text, quote=False)}</{tag}>"


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, inner line breaks joined by spaces."""
    out = []
    for block in _BLANK.split(text):
        joined = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if joined:
            out.append(joined)
    return out


def line_paragraphs(text: str) -> list[str]:
    """Paragraphs from hard-wrapped lines (PDF text): a short line ending a sentence ends one."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        if current and (not line or (line[-1] in ".:;!?" and len(line) < 0.8 * width)):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def paragraphs(texts: Iterable[str]) -> str:
    """One escaped ``<p>`` per text."""
    return "".join(element("p", t) for t in texts)
