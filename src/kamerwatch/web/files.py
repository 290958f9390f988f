"""The stored files on the site: a document's original (readable file name) and a person's
photo. (The rendered verslag of a vergadering is a kind's page: ``loaders.verslag``.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from kamerwatch.kinds import KINDS
from kamerwatch.store import documents as store
from kamerwatch.store.db import Connection

from .loaders import NotFound, prune_links

__all__ = ["download_name", "prune_links", "routes", "sniff"]

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


INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
"""Upstream files shown in the browser; anything else (XML, Word, unknown bytes) is a
download: an upstream file rendered as a page on our origin could be a page of its own."""


def _file(path: str, name: str | None, ctype: str) -> Response:
    if not Path(path).is_file():
        raise NotFound(path)
    return FileResponse(
        path,
        media_type=ctype,
        filename=name,
        content_disposition_type="inline" if ctype in INLINE_TYPES else "attachment",
        headers={
            "Cache-Control": "public, max-age=3600",
            # whatever the browser makes of the bytes: no scripts, no forms, no same origin
            "Content-Security-Policy": "sandbox",
        },
    )


def document_bestand(request: Request) -> Response:
    nummer = request.path_params["nummer"]
    if not KINDS["document"].matches(nummer):
        raise NotFound(nummer)
    found = store.document_file(request.app.state.pool.connection(), nummer)
    if found is None:
        raise NotFound(nummer)
    path = str(found.file.location(request.app.state.files_dir))
    ctype, ext = sniff(path)
    return _file(path, download_name(nummer, found.onderwerp, ext), ctype)


def persoon_foto(request: Request) -> Response:
    nummer = request.path_params["nummer"]
    if not KINDS["persoon"].matches(nummer):
        raise NotFound(nummer)
    f = store.persoon_photo(request.app.state.pool.connection(), nummer)
    if f is None:
        raise NotFound(nummer)
    path = str(f.location(request.app.state.files_dir))
    ctype, ext = sniff(path)
    if not ctype.startswith("image/"):
        raise NotFound(nummer)
    return _file(path, f"{nummer}{ext}", ctype)


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    del conn_of  # the files are read through the app's pool directly
    return [
        Route("/document/{nummer}/bestand", document_bestand, name="document_bestand"),
        Route("/persoon/{nummer}/foto", persoon_foto, name="persoon_foto"),
    ]
