"""A small PDF writer for the sample documents: standard Helvetica, WinAnsi text, A4 pages.

fpdf2 and friends cost 100+ ms for a two-page letter (their line breaking dominates); the
demo writes thousands of documents, so this writer lays text out itself: greedy word wrap
on Helvetica advance widths, one content stream per page, no embedded fonts. Text outside
Windows-1252 is transliterated (é stays é; a letter with a mark that cp1252 lacks loses
the mark; anything else becomes "?"), so the text layer is always extractable.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 70.0, 70.0, 60.0, 70.0
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R

# Helvetica advance widths (1/1000 em) of the printable ASCII range, from the font's
# published metrics; letters with diacritics take the width of their base letter.
_ASCII_WIDTHS = (
    # space ! " # $ % & ' ( ) * + , - . /
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "
    # 0-9 : ; < = > ? @
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 "
    # A-Z
    "667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 "
    "667 944 667 667 611 "
    # [ \ ] ^ _ `
    "278 278 278 469 556 333 "
    # a-z
    "556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 "
    "500 722 500 500 500 "
    # { | } ~
    "334 260 334 584"
)
_WIDTHS: dict[str, int] = {chr(32 + i): int(v) for i, v in enumerate(_ASCII_WIDTHS.split())} | {
    "€": 556,
    "‘": 222,
    "’": 222,
    "“": 333,
    "”": 333,
    "–": 556,
    "—": 1000,
    "•": 350,
}
_BOLD_FACTOR = 1.07
_DEFAULT_WIDTH = 556


def _char_width(ch: str) -> int:
    known = _WIDTHS.get(ch)
    if known is not None:
        return known
    base = unicodedata.normalize("NFD", ch)[:1]
    width = _WIDTHS.get(base, _DEFAULT_WIDTH)
    _WIDTHS[ch] = width
    return width


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` set in Helvetica (bold) at `size`."""
    em = sum(_char_width(ch) for ch in text) * (_BOLD_FACTOR if bold else 1.0)
    return em * size / 1000.0


def winansi(text: str) -> str:
    """`text` reduced to characters that Windows-1252 can encode (control characters dropped)."""
    try:
        text.encode("cp1252")
        if text.isprintable():
            return text
    except UnicodeEncodeError:
        pass
    return "".join(_winansi_char(ch) for ch in text)


def _winansi_char(ch: str) -> str:
    if not ch.isprintable():
        return " " if ch in "\t\n\r\x0b\x0c\x85\u2028\u2029" else ""
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        pass
    base = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in base if not unicodedata.combining(c))
    try:
        kept.encode("cp1252")
        return kept if kept.isprintable() else "?"
    except UnicodeEncodeError:
        return "?"


def wrap(text: str, size: float, width: float = TEXT_W, bold: bool = False) -> list[str]:
    """Greedy word wrap; a word longer than a line is cut."""
    lines: list[str] = []
    space = text_width(" ", size, bold)
    line: list[str] = []
    used = 0.0
    for word in text.split():
        ww = text_width(word, size, bold)
        while ww > width:  # cut an overlong word
            cut = _fit(word, size, width, bold)
            if line:
                lines.append(" ".join(line))
                line, used = [], 0.0
            lines.append(word[:cut])
            word = word[cut:]
            ww = text_width(word, size, bold)
        if line and used + space + ww > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0.0) + ww
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def _fit(word: str, size: float, width: float, bold: bool) -> int:
    used = 0.0
    for i, ch in enumerate(word):
        used += _char_width(ch) * size / 1000.0 * (_BOLD_FACTOR if bold else 1.0)
        if used > width:
            return max(i, 1)
    return len(word)


@dataclass
class Layout:
    """Text laid out on pages: each page a list of content-stream operators."""

    pages: list[list[str]] = field(default_factory=lambda: [[]])
    y: float = PAGE_H - MARGIN_T

    def line(self, text: str, size: float, bold: bool = False, x: float = MARGIN_L) -> None:
        if self.y - size < MARGIN_B:
            self.pages.append([])
            self.y = PAGE_H - MARGIN_T
        self.y -= size * 1.3
        font = "F2" if bold else "F1"
        self.pages[-1].append(
            f"BT /{font} {size:g} Tf {x:.2f} {self.y:.2f} Td ({_escape(text)}) Tj ET"
        )

    def para(self, text: str, size: float = 10, bold: bool = False, x: float = MARGIN_L) -> None:
        for ln in wrap(winansi(text), size, PAGE_W - MARGIN_R - x, bold):
            self.line(ln, size, bold, x)

    def row(self, label: str, value: str, size: float = 9) -> None:
        """A letterhead row: a bold label with its value in a column beside it."""
        lines = wrap(winansi(value), size, PAGE_W - MARGIN_R - MARGIN_L - 70) or [""]
        self.line(winansi(label), size, bold=True)
        y = self.y
        self.y += size * 1.3
        for ln in lines:
            self.line(ln, size, x=MARGIN_L + 70)
        self.y = min(self.y, y)

    def gap(self, points: float) -> None:
        self.y -= points

    def rule(self) -> None:
        self.y -= 4
        self.pages[-1].append(
            f"0.5 w {MARGIN_L:.2f} {self.y:.2f} m {PAGE_W - MARGIN_R:.2f} {self.y:.2f} l S"
        )
        self.y -= 6


def _escape(text: str) -> str:
    """A PDF literal string body: cp1252 bytes, with \\ ( ) escaped and non-ASCII as octal."""
    out = []
    for b in text.encode("cp1252", errors="replace"):
        if b in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return "".join(out)


def _info_string(text: str) -> str:
    """A PDF text string for the Info dictionary, UTF-16BE as hex (any Unicode survives)."""
    clean = "".join(ch for ch in text if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    return "<FEFF" + clean.encode("utf-16-be").hex().upper() + ">"


def render(layout: Layout, footer: str, title: str, created: date) -> bytes:
    """The PDF file of `layout`, a footer with page numbers on every page."""
    n = len(layout.pages)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        (
            f"<< /Title {_info_string(title)} /Producer (kamerwatch sample) "
            f"/CreationDate (D:{created:%Y%m%d}090000Z) >>"
        ).encode("ascii"),
    ]
    kids = []
    for i, ops in enumerate(layout.pages, 1):
        foot = f"{winansi(footer)}  -  pagina {i} van {n}"
        ops = [*ops, f"BT /F1 8 Tf {MARGIN_L:.2f} {MARGIN_B - 30:.2f} Td ({_escape(foot)}) Tj ET"]
        stream = zlib.compress("\n".join(ops).encode("latin-1"), 6)
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        content_no = len(objects)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_no} 0 R >>"
            ).encode("ascii")
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n} >>".encode("ascii")
    return _serialise(objects, info_no=5)


def image_pdf(pages: Iterable[tuple[int, int, bytes]], title: str, created: date) -> bytes:
    """A PDF of page images only, as a scanner makes it (no text layer): per page (width,
    height, 8-bit grey pixels row by row), each stretched over an A4 page."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        (
            f"<< /Title {_info_string(title)} /Producer (kamerwatch sample scanner) "
            f"/CreationDate (D:{created:%Y%m%d}090000Z) >>"
        ).encode("ascii"),
    ]
    kids = []
    for width, height, grey in pages:
        pixels = zlib.compress(grey, 6)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (width, height, len(pixels))
            + pixels
            + b"\nendstream"
        )
        image_no = len(objects)
        draw = f"q {PAGE_W} 0 0 {PAGE_H} 0 0 cm /Im1 Do Q".encode("ascii")
        objects.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        content_no = len(objects)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                f"/Resources << /XObject << /Im1 {image_no} 0 R >> >> /Contents {content_no} 0 R >>"
            ).encode("ascii")
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode("ascii")
    return _serialise(objects, info_no=3)


def _serialise(objects: Iterable[bytes], info_no: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for no, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % no + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        info_no,
        xref,
    )
    return bytes(out)
