"""The stored files on the site: a document's original (readable file name), a person's
photo, and the rendered verslag of a vergadering."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from kamerwatch.documents import OCR_METHOD
from kamerwatch.store import documents as store

from . import respond, urls
from .loaders import GUID_RE, NUMMER_RE, PERSOON_RE, NotFound, Page

MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "application/pdf", ".pdf"),
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    (b"\xd0\xcf\x11\xe0", "application/msword", ".doc"),
    (b"{\\rtf", "application/rtf", ".rtf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG", "image/png", ".png"),
    (b"<?xml", "text/xml", ".xml"),
    (b"\xef\xbb\xbf<?xml", "text/xml", ".xml"),
)
_UNSAFE = re.compile(r"[^\w .,()'-]+", re.UNICODE)


def sniff(path: str) -> tuple[str, str]:
    """(content type, extension) from the first bytes: upstream content types lie."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    for magic, ctype, ext in MAGIC:
        if head.startswith(magic):
            return ctype, ext
    return "application/octet-stream", ""


def download_name(nummer: str | None, onderwerp: str | None, ext: str) -> str:
    """ "2026D01234 Brief regering over ….pdf": number and subject, safe characters only."""
    words = _UNSAFE.sub(" ", onderwerp or "").split()
    text = " ".join(words)[:90].rstrip(" .,")
    return f"{nummer or 'document'}{' ' + text if text else ''}{ext}"


def _file(path: str, name: str | None, ctype: str) -> Response:
    if not Path(path).is_file():
        raise NotFound(path)
    return FileResponse(
        path,
        media_type=ctype,
        filename=name,
        content_disposition_type="inline",
        headers={"Cache-Control": "public, max-age=3600"},
    )


def document_bestand(request: Request) -> Response:
    nummer = request.path_params["nummer"]
    if not NUMMER_RE.fullmatch(nummer):
        raise NotFound(nummer)
    found = store.document_file(request.app.state.pool.connection(), nummer)
    if found is None:
        raise NotFound(nummer)
    path = str(found.file.location(request.app.state.files_dir))
    ctype, ext = sniff(path)
    return _file(path, download_name(nummer, found.onderwerp, ext), ctype)


def persoon_foto(request: Request) -> Response:
    nummer = request.path_params["nummer"]
    if not PERSOON_RE.fullmatch(nummer):
        raise NotFound(nummer)
    f = store.persoon_photo(request.app.state.pool.connection(), nummer)
    if f is None:
        raise NotFound(nummer)
    path = str(f.location(request.app.state.files_dir))
    ctype, ext = sniff(path)
    if not ctype.startswith("image/"):
        raise NotFound(nummer)
    return _file(path, f"{nummer}{ext}", ctype)


def verslag(conn: sqlite3.Connection, vergadering_id: str) -> Page:
    if not GUID_RE.fullmatch(vergadering_id):
        raise NotFound(vergadering_id)
    data = store.verslag_page(conn, vergadering_id.lower())
    if data is None:
        raise NotFound(vergadering_id)
    extra = {"verslag_html": Markup(prune_links(conn, data.html)) if data.html else None}
    return Page(
        "verslag.html",
        data.titel or "Verslag",
        f"Verslag van de vergadering van {(data.datum or '')[:10]}",
        data,
        extra,
    )


_OUR_LINK = re.compile(
    r'<a href="(/(?:document|zaak|activiteit|kamerstukdossier)/[^"/]+)">(.*?)</a>', re.S
)


def prune_links(conn: sqlite3.Connection, html: str) -> str:
    """Links the converter made to our pages, kept only where the page exists (the others
    become plain text again)."""
    hrefs = {m.group(1) for m in _OUR_LINK.finditer(html)}
    if not hrefs:
        return html
    keep = store.existing_targets(conn, hrefs)
    return _OUR_LINK.sub(lambda m: m.group(0) if m.group(1) in keep else m.group(2), html)


def document_extra(conn: sqlite3.Connection, document_id: str, nummer: str) -> dict[str, Any]:
    """The documents part of a document page: file link, preview, older versions."""
    f = store.current_file(conn, document_id)
    conv = store.conversion(conn, document_id)
    versions = store.versions(conn, document_id)
    return {
        "bestand_url": urls.document_bestand(nummer) if f else None,
        "preview_html": Markup(prune_links(conn, conv.html)) if conv and conv.html else None,
        "preview_pdf": None,
        "preview_text": None if conv is None or conv.html else (conv.text if conv else None),
        "conversie_fout": conv.failure if conv else None,
        "conversie_ocr": bool(conv and conv.method == OCR_METHOD and not conv.failure),
        "versies": [(v.version, v.size, v.fetched_at) for v in versions],
    }


def routes(conn_of: Callable[[Request], sqlite3.Connection]) -> list[Route]:
    def verslag_route(request: Request) -> Response:
        value, fmt = respond.split_format(request.path_params["ident"])
        conn = conn_of(request)
        return respond.page(request, conn, verslag(conn, value), fmt)

    return [
        Route("/document/{nummer}/bestand", document_bestand),
        Route("/persoon/{nummer}/foto", persoon_foto),
        Route("/verslag/{ident}", verslag_route),
    ]
