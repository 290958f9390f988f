"""Loaders: request values → one typed :class:`Page`, shared by the HTML page and its JSON twin.

A loader validates its identifier (malformed = not found), asks ``store.pages`` for the
data and names the template; it never renders and never builds SQL.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kamerwatch.search.engine import documents_mentioning
from kamerwatch.store.pages import document as document_q
from kamerwatch.store.pages import entities as entities_q
from kamerwatch.store.pages import overview as overview_q

NUMMER_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$")
PERSOON_RE = re.compile(r"^[0-9]{1,10}$")
GUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
MENTIONS_SHOWN = 20  # zaak page: documents "volgens de zoekmachine"; the rest via /zoeken
DOSSIER_RE = re.compile(r"^([0-9]{1,7})(?:-([0-9A-Za-z.;()]{1,20}))?$")


class NotFound(LookupError):
    """No such page (unknown or malformed identifier)."""


@dataclass(frozen=True, slots=True)
class Page:
    template: str
    title: str
    description: str
    data: Any
    extra: dict[str, Any] = field(default_factory=dict)  # HTML-only extras (not in the JSON)


def _valid(pattern: re.Pattern[str], value: str) -> str:
    if not pattern.fullmatch(value):
        raise NotFound(value)
    return value


def _found(value: Any, what: str) -> Any:
    if value is None:
        raise NotFound(what)
    return value


def document(conn: sqlite3.Connection, nummer: str) -> Page:
    data = _found(document_q.document_page(conn, _valid(NUMMER_RE, nummer)), nummer)
    description = " ".join(p for p in (data.titel, data.onderwerp) if p)
    return Page(
        "document.html", data.onderwerp or nummer, description, data, document_file(conn, data)
    )


def document_file(conn: sqlite3.Connection, data: document_q.DocumentPage) -> dict[str, Any]:
    """The original file and its preview from the documents layer: ``bestand_url`` (only
    when the file is stored), ``preview_html`` (sanitised converted HTML) or
    ``preview_text``, ``versies``, ``conversie_fout`` and ``conversie_ocr`` (text read by OCR).
    ``None`` = not available."""
    from .files import document_extra

    return document_extra(conn, data.id, data.nummer)


def zaak(conn: sqlite3.Connection, nummer: str) -> Page:
    data = _found(entities_q.zaak_page(conn, _valid(NUMMER_RE, nummer)), nummer)
    linked = data.documenten
    mentions = documents_mentioning(
        conn,
        data.nummer,
        exclude_ids=[d.id for d in linked],
        exclude_nummers=[d.nummer for d in linked if d.nummer],
        limit=MENTIONS_SHOWN,
    )
    data = dataclasses.replace(data, volgens_zoekmachine=mentions)
    return Page("zaak.html", f"Zaak {nummer} | {data.onderwerp or ''}", data.titel or "", data)


def kamerstukdossier(conn: sqlite3.Connection, value: str) -> Page:
    m = DOSSIER_RE.fullmatch(value)
    if m is None:
        raise NotFound(value)
    data = _found(entities_q.dossier_page(conn, int(m.group(1)), m.group(2)), value)
    title = f"Kamerstuk {value}: {data.titel or ''}"
    return Page("kamerstukdossier.html", title, data.titel or "", data)


def activiteit(conn: sqlite3.Connection, nummer: str) -> Page:
    data = _found(entities_q.activiteit_page(conn, _valid(NUMMER_RE, nummer)), nummer)
    return Page("activiteit.html", data.onderwerp or nummer, data.soort or "", data)


def persoon(conn: sqlite3.Connection, nummer: str) -> Page:
    data = _found(entities_q.persoon_page(conn, _valid(PERSOON_RE, nummer)), nummer)
    from kamerwatch.store.documents import persoon_photo

    from . import urls

    foto = urls.persoon_foto(nummer) if persoon_photo(conn, nummer) else None
    return Page("persoon.html", data.naam, data.functie or "", data, {"foto_url": foto})


def commissie(conn: sqlite3.Connection, ident: str) -> Page:
    data = _found(entities_q.commissie_page(conn, _valid(GUID_RE, ident).lower()), ident)
    return Page("commissie.html", data.naam or ident, data.afkorting or "", data)


def commissie_documenten(conn: sqlite3.Connection, ident: str) -> list[overview_q.OverzichtItem]:
    return overview_q.commissie_documenten(conn, ident.lower())


def toezegging(conn: sqlite3.Connection, nummer: str) -> Page:
    data = _found(entities_q.toezegging_page(conn, _valid(NUMMER_RE, nummer)), nummer)
    return Page("toezegging.html", f"Toezegging {nummer}", data.tekst or "", data)


def overzicht(conn: sqlite3.Connection, today: date, regering: bool) -> Page:
    """The front page; ``today`` (the site's day in Amsterdam) decides whose birthday it is."""
    data = overview_q.overzicht(conn, today, only_regering=regering)
    return Page("index.html", "Overzicht", "Nieuwe documenten van de Tweede Kamer", data)


def status(conn: sqlite3.Connection) -> Page:
    return Page("status.html", "Status", "Versheid van de gegevens", public_status(conn))


def public_status(conn: sqlite3.Connection) -> overview_q.StatusPage:
    """The status for everyone: a run still "bezig" whose process died says so, and no raw
    exception text or internal URL is shown (those are in the log and `kamerwatch status`)."""
    from kamerwatch import freshness
    from kamerwatch.store.locks import held_locks, lock_of

    data = overview_q.status(conn)
    busy = {lock_of(r.stage) for r in data.runs if r.status == "bezig"}
    running = held_locks(conn, busy) if busy else set()
    seen: set[str] = set()
    runs = []
    for run in data.runs:  # newest first: an older run still "bezig" is dead anyway
        status, message = run.status, run.message
        if status == "bezig" and (run.stage in seen or lock_of(run.stage) not in running):
            status, message = freshness.DEAD, freshness.DEAD_MESSAGE
        seen.add(run.stage)
        runs.append(
            dataclasses.replace(
                run, status=status, message=freshness.public_message(status, message)
            )
        )
    return dataclasses.replace(data, runs=tuple(runs))


def uitleg(conn: sqlite3.Connection) -> Page:
    del conn
    return Page("uitleg.html", "Wat is dit?", "Uitleg over kamerwatch", {"pagina": "uitleg"})
