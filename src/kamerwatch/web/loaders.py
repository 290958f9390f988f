"""Loaders: request values → one typed :class:`Page`, shared by the HTML page and its JSON twin.

A loader validates its identifier (malformed = not found), asks ``store.pages`` for the
data and names the template; it never renders and never builds SQL.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup
from starlette.exceptions import HTTPException

from kamerwatch import freshness
from kamerwatch.debatdirect.parse import SITE as DEBATDIRECT_SITE
from kamerwatch.documents import OCR_METHOD
from kamerwatch.documents.links import LINKED_KINDS
from kamerwatch.kinds import KINDS
from kamerwatch.publicaties.parse import PublicatieParseError, parse_xml, publication_url
from kamerwatch.search.engine import documents_mentioning
from kamerwatch.store import analyse as analyse_q
from kamerwatch.store import diffs as diffs_q
from kamerwatch.store import documents as documents_q
from kamerwatch.store import media as media_q
from kamerwatch.store.db import Connection
from kamerwatch.store.locks import held_locks, lock_of
from kamerwatch.store.pages import document as document_q
from kamerwatch.store.pages import entities as entities_q
from kamerwatch.store.pages import overview as overview_q
from kamerwatch.store.pages import woo as woo_q

from . import charts, urls

MENTIONS_SHOWN = 20  # zaak page: documents "volgens de zoekmachine"; the rest via /zoeken


class NotFound(LookupError):
    """No such page (unknown or malformed identifier)."""


class Moved(Exception):
    """The page is elsewhere: a redirect to ``target`` (302: it depends on the data)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


@dataclass(frozen=True, slots=True)
class Page:
    """What a loader returns: the template (``""`` for a kind's page = the template
    registered for the kind in ``web/pages.py``), title, description, the data (its JSON
    twin) and what only the HTML needs. ``keep`` off: never kept in the response cache."""

    template: str
    title: str
    description: str
    data: Any
    extra: dict[str, Any] = field(default_factory=dict)  # HTML-only extras (not in the JSON)
    keep: bool = True


def _valid(kind: str, value: str) -> str:
    """``value`` if it is a well-formed identifier of ``kind`` (the registry's pattern)."""
    if not KINDS[kind].matches(value):
        raise NotFound(value)
    return value


def _found(value: Any, what: str) -> Any:
    if value is None:
        raise NotFound(what)
    return value


def document(conn: Connection, nummer: str) -> Page:
    data = _found(document_q.document_page(conn, _valid("document", nummer)), nummer)
    description = " ".join(p for p in (data.titel, data.onderwerp) if p)
    data, official = official_publication(conn, data)
    extra = {**document_file(conn, data), **official}
    return Page("", data.onderwerp or nummer, description, data, extra)


def official_publication(
    conn: Connection, data: document_q.DocumentPage
) -> tuple[document_q.DocumentPage, dict[str, Any]]:
    """The official publication of a document (issue #24): its URL, the number of questions
    and the zaak its metadata names (in the data: the JSON twin), and for the HTML the
    "Vraag n / Antwoord n" blocks or the readable body from the official XML
    (``officieel_paren`` / ``officieel_delen`` / ``officieel_noten``). XML that cannot be
    read leaves the page as it was (the conversion of the file stays the preview)."""
    eid = data.versie.externeidentifier if data.versie else None
    extra: dict[str, Any] = {"officieel_paren": None, "officieel_delen": None}
    if not eid:
        return data, extra
    held = media_q.official(conn, eid)
    zaak = media_q.zaak_of_vraagnummer(conn, eid) if held and held.vraagnummer else None
    if zaak is not None and any(z.zaak.nummer == zaak for z in data.zaken):
        zaak = None  # the feed links it already
    data = dataclasses.replace(
        data,
        officiele_publicatie_url=publication_url(eid),
        vragen=held.vragen if held else None,
        zaak_volgens_publicatie=zaak,
    )
    if held is None or held.state != "ok" or not held.xml:
        return data, extra
    try:
        pub = parse_xml(held.xml.encode())
    except PublicatieParseError:
        return data, extra
    if pub.kind == "kamervragen" and (pub.questions or pub.answers):
        extra["officieel_paren"] = pub.pairs
    elif pub.parts:
        extra["officieel_delen"] = pub.parts
    extra["officieel_noten"] = pub.notes
    return data, extra


def op_target(conn: Connection, eid: str) -> str:
    """``/op/{externe_identifier}``: the page of the document with that official publication."""
    if not eid or len(eid) > 80 or "/" in eid:
        raise NotFound(eid)
    nummer = media_q.document_of_eid(conn, eid)
    if nummer is None:
        raise NotFound(eid)
    return urls.document(nummer)


def document_file(conn: Connection, data: document_q.DocumentPage) -> dict[str, Any]:
    """The original file and its preview from the documents layer: ``bestand_url`` (only
    when the file is stored), ``preview_html`` (sanitised converted HTML) or
    ``preview_text``, ``versies``, ``conversie_fout``, ``conversie_ocr`` (text read by OCR) and
    ``wijzigingen_url`` (the word diff: when the feed lists several versions, we downloaded
    several files, or it is a gewijzigde motie whose original we know). ``None`` = not
    available."""
    f = documents_q.current_file(conn, data.id)
    conv = documents_q.conversion(conn, data.id)
    versions = documents_q.versions(conn, data.id)
    return {
        "bestand_url": urls.document_bestand(data.nummer) if f else None,
        "preview_html": Markup(prune_links(conn, conv.html)) if conv and conv.html else None,
        "preview_pdf": None,
        "preview_text": None if conv is None or conv.html else (conv.text if conv else None),
        "conversie_fout": conv.failure if conv else None,
        "conversie_ocr": bool(conv and conv.method == OCR_METHOD and not conv.failure),
        "versies": [(v.version, v.size, v.fetched_at) for v in versions],
        "wijzigingen_url": _diff_url(data, len(versions)),
        "vervangt_motie": _replaced(conn, data),
    }


def _diff_url(data: document_q.DocumentPage, files: int) -> str | None:
    several = len({v.versienummer for v in data.versies if v.versienummer is not None}) > 1
    return urls.document_wijzigingen(data.nummer) if several or files > 1 else None


def _replaced(conn: Connection, data: document_q.DocumentPage) -> str | None:
    """The nummer of the motie a gewijzigde motie replaces (its diff compares the two)."""
    if not diffs_q.is_amended_motie(data.soort or ""):
        return None
    doc = diffs_q.DiffDocument(
        data.id, data.nummer, data.soort or "", data.onderwerp or "", data.datum or ""
    )
    replaced = diffs_q.replaced_motie(conn, doc)
    return replaced.nummer if replaced else None


# Links the converter made to our pages (documents/links.py): /<kind prefix>/<key>
_OUR_LINK = re.compile(
    r'<a href="/('
    + "|".join(re.escape(KINDS[k].prefix[1:]) for k in LINKED_KINDS)
    + r')/([^"/]+)">(.*?)</a>',
    re.S,
)


def prune_links(conn: Connection, html: str) -> str:
    """Links the converter made to our pages, kept only where the page exists (the others
    become plain text again)."""
    prefixes = {KINDS[k].prefix[1:]: k for k in LINKED_KINDS}
    wanted: dict[str, set[str]] = {}
    for m in _OUR_LINK.finditer(html):
        wanted.setdefault(prefixes[m.group(1)], set()).add(unquote(m.group(2)))
    if not wanted:
        return html
    keep = documents_q.existing_targets(conn, wanted)

    def one(m: re.Match[str]) -> str:
        found = (prefixes[m.group(1)], unquote(m.group(2))) in keep
        return m.group(0) if found else m.group(3)

    return _OUR_LINK.sub(one, html)


def zaak(conn: Connection, nummer: str) -> Page:
    data = _found(entities_q.zaak_page(conn, _valid("zaak", nummer)), nummer)
    linked = data.documenten
    mentions = documents_mentioning(
        conn,
        data.nummer,
        exclude_ids=[d.id for d in linked],
        exclude_nummers=[d.nummer for d in linked if d.nummer],
        limit=MENTIONS_SHOWN,
    )
    data = dataclasses.replace(data, volgens_zoekmachine=mentions)
    return Page("", f"Zaak {nummer} | {data.onderwerp or ''}", data.titel or "", data)


def kamerstukdossier(conn: Connection, value: str) -> Page:
    nummer, _, toevoeging = _valid("kamerstukdossier", value).partition("-")
    data = _found(entities_q.dossier_page(conn, int(nummer), toevoeging or None), value)
    title = f"Kamerstuk {value}: {data.titel or ''}"
    return Page("", title, data.titel or "", data)


def activiteit(conn: Connection, nummer: str) -> Page:
    data = _found(entities_q.activiteit_page(conn, _valid("activiteit", nummer)), nummer)
    video = media_q.videos(conn, [data.id]).get(data.id)
    if video is None:
        return Page("", data.onderwerp or nummer, data.soort or "", data)
    data = dataclasses.replace(
        data, video_url=video.video_url, video_embed_url=video.embed_url, video_naam=video.name
    )
    # the page's policy lets Debat Direct's player (that origin only) in a frame
    extra = {"frame_src": DEBATDIRECT_SITE}
    return Page("", data.onderwerp or nummer, data.soort or "", data, extra)


def persoon(conn: Connection, nummer: str, lijst: str = "") -> Page:
    """A person's page: the newest submitted zaken and activities with their totals, or with
    ``?lijst=zaken``/``?lijst=activiteiten`` that list whole."""
    if lijst and lijst not in entities_q.PERSOON_LIJSTEN:
        raise HTTPException(
            400, f"onbekende lijst {lijst[:30]!r}: kies lijst=zaken of lijst=activiteiten"
        )
    data = _found(entities_q.persoon_page(conn, _valid("persoon", nummer), lijst or None), nummer)
    cijfers = data.kept.cijfers if data.kept is not None else None
    data = dataclasses.replace(data, profiel=analyse_q.profiel(conn, data.id, cijfers))
    maanden = data.profiel.spreektijd_per_maand
    foto = urls.persoon_foto(nummer) if documents_q.persoon_photo(conn, nummer) else None
    extra = {
        "foto_url": foto,
        # Debat Direct: the broadcasts of the vergaderingen the member spoke in (issue #24)
        "videos": media_q.vergadering_videos(conn, [o.vergadering_id for o in data.spreektijd]),
        # issue #26: minutes spoken per month, as a line
        "spreektijd_maanden": charts.line_chart(
            [("minuten", [(m.maand, round(m.seconden / 60, 1)) for m in maanden])],
            title=f"Spreektijd van {data.naam} per maand",
            desc="Minuten als woordvoerder en met interrupties, per maand, volgens de verslagen.",
            unit=" min",
        )
        if len(maanden) > 1
        else None,
        # the number of questions of each open set of written questions
        "aantal_vragen": media_q.question_counts_by_zaak(
            conn, [z.nummer for z in data.open_vragen if z.nummer]
        ),
    }
    return Page("", data.naam, data.functie or "", data, extra)


def commissie(conn: Connection, ident: str) -> Page:
    data = _found(entities_q.commissie_page(conn, _valid("commissie", ident).lower()), ident)
    return Page("", data.naam or ident, data.afkorting or "", data)


def commissie_documenten(conn: Connection, ident: str) -> list[overview_q.OverzichtItem]:
    return overview_q.commissie_documenten(conn, ident.lower())


def toezegging(conn: Connection, nummer: str) -> Page:
    data = _found(entities_q.toezegging_page(conn, _valid("toezegging", nummer)), nummer)
    return Page("", f"Toezegging {nummer}", data.tekst or "", data)


def verslag(conn: Connection, vergadering_id: str) -> Page:
    data = _found(
        documents_q.verslag_page(conn, _valid("verslag", vergadering_id).lower()), vergadering_id
    )
    extra = {
        "verslag_html": Markup(prune_links(conn, data.html)) if data.html else None,
        "videos": media_q.vergadering_videos(conn, [data.vergadering_id]).get(
            data.vergadering_id, []
        ),
    }
    return Page(
        "",
        data.titel or "Verslag",
        f"Verslag van de vergadering van {(data.datum or '')[:10]}",
        data,
        extra,
    )


def woo(conn: Connection, ident: str) -> Page:
    """A Woo publication; a withdrawn one answers 410 (Gone), an unknown one 404."""
    data = _found(woo_q.publication(conn, _valid("woo", ident)), ident)
    if isinstance(data, woo_q.Withdrawn):
        raise HTTPException(410, "Deze Woo-publicatie is ingetrokken op open.overheid.nl")
    previews = {
        f.n: Markup(prune_links(conn, f.preview_html)) for f in data.bestanden if f.preview_html
    }
    description = " ".join(data.omschrijvingen)[:300] or (data.titel or "")
    return Page("", data.titel or data.id, description, data, {"previews": previews})


def woo_bell(data: Any) -> tuple[str, str] | None:
    """The 🔔 of a Woo publication: all publications of its organisation."""
    organisatie = getattr(data, "verantwoordelijke", None)
    return ("organisatie", organisatie) if organisatie else None


def overzicht(conn: Connection, today: date, regering: bool) -> Page:
    """The front page; ``today`` (the site's day in Amsterdam) decides whose birthday it is."""
    data = overview_q.overzicht(conn, today, only_regering=regering)
    return Page("index.html", "Overzicht", "Nieuwe documenten van de Tweede Kamer", data)


def status(conn: Connection) -> Page:
    return Page("status.html", "Status", "Versheid van de gegevens", public_status(conn))


def public_status(conn: Connection) -> overview_q.StatusPage:
    """The status for everyone: a run still "bezig" whose process died says so, and no raw
    exception text or internal URL is shown (those are in the log and `kamerwatch status`)."""
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


def uitleg(conn: Connection) -> Page:
    del conn
    return Page("uitleg.html", "Wat is dit?", "Uitleg over kamerwatch", {"pagina": "uitleg"})
