"""Document files of the sample parliament: DocText → PDF, DOCX or RTF bytes; portrait JPEGs.

Pure and deterministic (no clock, no randomness beyond the seed given): the same input gives
the same bytes. The writers are built for volume — the demo writes thousands of files — so
PDF and DOCX are written directly (see `pdfwriter.py`; DOCX is a handful of XML parts in a
zip) rather than through fpdf2 or python-docx, which cost 30–140 ms per document.
"""

from __future__ import annotations

import io
import random
import unicodedata
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from kamerwatch.sample import pdfwriter
from kamerwatch.sample.texts import DocText, datum_nl, vergaderjaar

# Soorten printed as a Kamerstuk (numbered parliamentary paper) rather than as a letter.
KAMERSTUK_SOORTEN = frozenset(
    {
        "Motie",
        "Amendement",
        "Voorstel van wet",
        "Memorie van toelichting",
        "Verslag",
        "Nota naar aanleiding van het verslag",
        "Lijst van vragen en antwoorden",
        "Verslag van een commissiedebat",
    }
)
KAMER = "Tweede Kamer der Staten-Generaal"


def _header(doc: DocText) -> list[tuple[str, str]]:
    """The letterhead rows of a document as (label, value)."""
    rows = [("Datum", datum_nl(doc.datum))]
    if doc.kenmerk:
        rows.append(("Kenmerk", doc.kenmerk))
    rows.append(("Nummer", doc.nummer))
    rows.append(("Betreft", doc.onderwerp))
    return rows


# --- PDF -------------------------------------------------------------------------------------


def pdf_bytes(doc: DocText) -> bytes:
    """A real PDF of `doc`: letterhead or Kamerstuk head, paragraphs, page numbers."""
    lay = pdfwriter.Layout()
    if doc.soort in KAMERSTUK_SOORTEN:
        lay.para(KAMER, 14, bold=True)
        lay.para(f"Vergaderjaar {vergaderjaar(doc.datum)}", 9)
        lay.para(doc.nummer, 11, bold=True)
        lay.para(doc.titel or doc.onderwerp, 11, bold=True)
        if doc.titel:
            lay.para(doc.onderwerp, 10)
    else:
        lay.para(doc.afzender, 13, bold=True)
        lay.para(doc.soort, 9)
        lay.rule()
        lay.para(f"Aan {doc.geadresseerde}", 9)
        lay.gap(4)
        for label, value in _header(doc):
            lay.row(label, value)
        if doc.titel:
            lay.gap(6)
            lay.para(doc.titel, 11, bold=True)
    lay.rule()
    koppen = set(doc.koppen)
    for i, text in enumerate(doc.paragraphs):
        if i in koppen:
            lay.gap(5)
            lay.para(text, 10.5, bold=True)
        else:
            lay.para(text, 10)
            lay.gap(5)
    return pdfwriter.render(
        lay, footer=f"{KAMER}, {doc.nummer}", title=doc.onderwerp, created=doc.datum
    )


SCAN_DPI = 150


def scanned_pdf_bytes(doc: DocText, dpi: int = SCAN_DPI) -> bytes:
    """The PDF of `doc` as a scanner would return it: every page a grey picture at `dpi`,
    no text layer (the convert stage needs OCR for it)."""
    import pypdfium2 as pdfium

    pages = []
    pdf = pdfium.PdfDocument(pdf_bytes(doc))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            raw = bytes(bitmap.buffer)
            bitmap.close()
            page.close()
            rows = (raw[y * stride : y * stride + width] for y in range(height))
            pages.append((width, height, b"".join(rows)))
    finally:
        pdf.close()
    return pdfwriter.image_pdf(pages, title=doc.onderwerp, created=doc.datum)


# --- DOCX ------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _style(style_id: str, name: str, size: int, bold: bool, heading: int | None = None) -> str:
    level = f'<w:outlineLvl w:val="{heading - 1}"/>' if heading else ""
    default = ' w:default="1"' if style_id == "Normal" else ""
    return (
        f'<w:style w:type="paragraph"{default} w:styleId="{style_id}"><w:name w:val="{name}"/>'
        + ('<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>' if style_id != "Normal" else "")
        + f'<w:pPr><w:spacing w:after="120"/>{level}</w:pPr>'
        + f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr></w:style>'
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:lang w:val="nl-NL"/>'
    "</w:rPr></w:rPrDefault></w:docDefaults>"
    + _style("Normal", "Normal", 20, False)
    + _style("Title", "Title", 32, True)
    + _style("Heading1", "heading 1", 26, True, heading=1)
    + "</w:styles>"
)


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids, escaped for element content."""
    clean = "".join(ch for ch in text if _xml_char(ch))
    return escape(clean, {'"': "&quot;"})


def _xml_char(ch: str) -> bool:
    o = ord(ch)
    if o < 0x20:
        return ch in "\t\n\r"
    return not (0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF))


def _w_para(text: str, style: str = "", label: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    lab = (
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{xml_text(label)} </w:t></w:r>'
        if label
        else ""
    )
    return f'<w:p>{ppr}{lab}<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p>'


def _document_xml(doc: DocText) -> str:
    parts = [_w_para(doc.afzender, "Heading1"), _w_para(doc.soort)]
    parts += [_w_para(value, label=label) for label, value in _header(doc)]
    parts.append(_w_para(doc.titel or doc.onderwerp, "Title"))
    koppen = set(doc.koppen)
    parts += [_w_para(p, "Heading1" if i in koppen else "") for i, p in enumerate(doc.paragraphs)]
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" '
        'w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(parts)}{section}</w:body></w:document>'
    )


def _core_xml(doc: DocText) -> str:
    stamp = f"{doc.datum:%Y-%m-%d}T09:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(doc.onderwerp)}</dc:title><dc:creator>{xml_text(doc.afzender)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def docx_bytes(doc: DocText) -> bytes:
    """A real DOCX (WordprocessingML) of `doc`: head, title, headings and paragraphs."""
    stamp = (max(doc.datum.year, 1980), doc.datum.month, doc.datum.day, 9, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/document.xml", _document_xml(doc)),
            ("word/styles.xml", _STYLES),
            ("docProps/core.xml", _core_xml(doc)),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


# --- RTF -------------------------------------------------------------------------------------


def rtf_escape(text: str) -> str:
    """`text` as RTF: \\ { } escaped, cp1252 letters as \\'hh, the rest as \\uN? (UTF-16)."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif ch == "\t":
            out.append("\\tab ")
        elif ch in "\n\r\x0b\x0c\x85\u2028\u2029":
            out.append("\\line ")
        elif not ch.isprintable() or 0xD800 <= o <= 0xDFFF:
            continue
        else:
            out.append(_rtf_char(ch))
    return "".join(out)


def _rtf_char(ch: str) -> str:
    try:
        return "".join(f"\\'{b:02x}" for b in ch.encode("cp1252"))
    except UnicodeEncodeError:
        pass
    units = ch.encode("utf-16-be")
    codes = [int.from_bytes(units[i : i + 2], "big") for i in range(0, len(units), 2)]
    return "".join(f"\\u{c - 0x10000 if c > 0x7FFF else c}?" for c in codes)


def rtf_bytes(doc: DocText) -> bytes:
    """An RTF 1.x document of `doc` (ASCII bytes; non-ASCII escaped)."""
    head = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1"
        "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}"
        f"{{\\info{{\\title {rtf_escape(doc.onderwerp)}}}{{\\author {rtf_escape(doc.afzender)}}}"
        f"{{\\creatim\\yr{doc.datum.year}\\mo{doc.datum.month}\\dy{doc.datum.day}}}}}"
        "\\paperw11906\\paperh16838\\margl1417\\margr1417\\margt1417\\margb1417\n"
    )
    body = [
        _rtf_par(doc.afzender, bold=True, size=26),
        _rtf_par(doc.soort),
        *(_rtf_par(f"{label}: {value}") for label, value in _header(doc)),
        _rtf_par(doc.titel or doc.onderwerp, bold=True, size=28),
    ]
    koppen = set(doc.koppen)
    body += [
        _rtf_par(p, bold=i in koppen, size=22 if i in koppen else 20)
        for i, p in enumerate(doc.paragraphs)
    ]
    return (head + "\n".join(body) + "\n}").encode("ascii")


def _rtf_par(text: str, bold: bool = False, size: int = 20) -> str:
    weight = "\\b" if bold else ""
    return f"{{\\pard\\sa120\\f0\\fs{size}{weight} {rtf_escape(text)}\\par}}"


# --- photos ----------------------------------------------------------------------------------

PHOTO_SIZE = (120, 160)
_SKIN = ((241, 194, 167), (224, 172, 138), (198, 134, 96), (141, 85, 54), (92, 56, 36))
_HAIR = ((40, 30, 25), (90, 60, 35), (170, 130, 80), (200, 190, 170), (20, 20, 20))


@lru_cache(maxsize=1)
def _font() -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=24)
    except (TypeError, ValueError, OSError):  # a Pillow without FreeType
        return ImageFont.load_default()


def _initials(text: str) -> str:
    """Up to three letters the bundled font can draw: "Ö" → "O", other scripts dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum())[:3]


def photo_jpeg(seed: int, initials: str) -> bytes:
    """A small generated portrait (120×160 JPEG): background, head and shoulders, initials."""
    rng = random.Random(seed)
    w, h = PHOTO_SIZE
    bg = tuple(rng.randrange(150, 235) for _ in range(3))
    img = Image.new("RGB", PHOTO_SIZE, bg)
    draw = ImageDraw.Draw(img)
    skin, hair = rng.choice(_SKIN), rng.choice(_HAIR)
    clothes = tuple(rng.randrange(20, 120) for _ in range(3))
    head_w = rng.randrange(50, 62)
    left = (w - head_w) // 2
    draw.ellipse((8, 112, w - 8, h + 50), fill=clothes)
    draw.rectangle((w // 2 - 10, 92, w // 2 + 10, 118), fill=skin)
    draw.ellipse((left, 30, left + head_w, 104), fill=skin)
    draw.chord((left - 3, 24, left + head_w + 3, 80 + rng.randrange(0, 12)), 180, 360, fill=hair)
    draw.text((w // 2, 142), _initials(initials), fill=(255, 255, 255), font=_font(), anchor="mm")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82)
    return buf.getvalue()
