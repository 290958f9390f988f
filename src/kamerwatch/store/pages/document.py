"""The queries of the document page (one document by its nummer)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..db import Connection, in_list
from . import common
from .common import (
    ActiviteitRef,
    Actor,
    DocumentRef,
    DossierRef,
    ZaakDetail,
)


@dataclass(frozen=True, slots=True)
class Versie:
    id: str
    versienummer: int | None
    status: str | None
    extensie: str | None
    datum: str | None
    bestandsgrootte: int | None
    externeidentifier: str | None


@dataclass(frozen=True, slots=True)
class DocumentPage:
    id: str
    nummer: str
    onderwerp: str | None
    titel: str | None
    soort: str | None
    datum: str | None
    bijgewerkt: str | None
    vergaderjaar: str | None
    citeertitel: str | None
    volgnummer: int | None
    organisatie: str | None
    content_type: str | None
    content_length: int | None
    versie: Versie | None
    versies: tuple[Versie, ...]
    actors: tuple[Actor, ...]
    bijlagen: tuple[DocumentRef, ...]
    bijlage_bij: tuple[DocumentRef, ...]
    kamerstukdossier: DossierRef | None
    zaken: tuple[ZaakDetail, ...]
    antwoorden: tuple[DocumentRef, ...]
    dagen_open: int | None  # schriftelijke vragen without an answer: days since datum
    activiteiten: tuple[ActiviteitRef, ...]
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)
    # the official publication (issue #24)
    officiele_publicatie_url: str | None = None
    vragen: int | None = None  # <vraag> in the official XML of written questions/answers
    zaak_volgens_publicatie: str | None = None  # the metadata's vraagnummer, when held


def _versie(row: sqlite3.Row) -> Versie:
    return Versie(
        id=row["id"],
        versienummer=row["versienummer"],
        status=row["status"],
        extensie=row["extensie"],
        datum=row["datum"],
        bestandsgrootte=row["bestandsgrootte"],
        externeidentifier=row["externeidentifier"],
    )


def _versies(conn: Connection, doc: sqlite3.Row) -> tuple[Versie | None, list[Versie]]:
    rows = conn.execute("SELECT * FROM documentversie WHERE document_id = ?", (doc["id"],))
    versies = sorted((_versie(r) for r in rows), key=lambda v: v.versienummer or 0)
    current = next((v for v in versies if v.id == doc["huidige_document_versie_id"]), None)
    if current is None and versies:
        current = versies[-1]
    return current, versies


def _antwoorden(conn: Connection, doc: sqlite3.Row, zaak_ids: list[str]) -> list[DocumentRef]:
    """For schriftelijke vragen: the answer documents found through the shared zaken."""
    if not (doc["soort"] or "").startswith("Schriftelijke vragen"):
        return []
    pairs = common.linked_from(conn, zaak_ids, "Document", "zaak")
    docs = common.documents(conn, (p[0] for p in pairs if p[0] != doc["id"]))
    return [d for d in docs if (d.soort or "").startswith("Antwoord schriftelijke vragen")]


def _dagen_open(doc: sqlite3.Row, antwoorden: list[DocumentRef]) -> int | None:
    if antwoorden or not (doc["soort"] or "").startswith("Schriftelijke vragen"):
        return None
    try:
        asked = date.fromisoformat((doc["datum"] or "")[:10])
    except ValueError:
        return None
    return max(0, (date.today() - asked).days)


def _activiteiten(conn: Connection, doc_id: str, zaken: list[ZaakDetail]) -> list[ActiviteitRef]:
    ids = set(common.linked_to(conn, doc_id, "activiteit"))
    besluit_ids = [b.id for z in zaken for b in z.besluiten]
    if besluit_ids:
        sql = (
            "SELECT a.activiteit_id FROM besluit b JOIN agendapunt a ON a.id = b.agendapunt_id "
            f"WHERE b.id IN ({in_list(besluit_ids)})"
        )
        ids.update(r[0] for r in conn.execute(sql, besluit_ids) if r[0])
    return common.activiteiten(conn, ids)


def document_page(conn: Connection, nummer: str) -> DocumentPage | None:
    doc = conn.execute(
        "SELECT * FROM document WHERE document_nummer = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
        (nummer,),
    ).fetchone()
    if doc is None:
        return None
    doc_id = doc["id"]
    current, versies = _versies(conn, doc)
    zaak_ids = common.linked_to(conn, doc_id, "zaak")
    zaken = common.zaak_details(conn, zaak_ids)
    bijlagen = common.linked_from(conn, [doc_id], "Document", "bronDocument")
    antwoorden = _antwoorden(conn, doc, zaak_ids)
    return DocumentPage(
        bron=common.source_record(conn, "Document", doc),
        id=doc_id,
        nummer=nummer,
        onderwerp=doc["onderwerp"],
        titel=doc["titel"],
        soort=doc["soort"],
        datum=doc["datum"],
        bijgewerkt=doc["bijgewerkt"],
        vergaderjaar=doc["vergaderjaar"],
        citeertitel=doc["citeertitel"],
        volgnummer=doc["volgnummer"],
        organisatie=doc["organisatie"],
        content_type=doc["content_type"],
        content_length=doc["content_length"],
        versie=current,
        versies=tuple(versies),
        actors=tuple(common.actors(conn, "documentactor", "document_id", doc_id)),
        bijlagen=tuple(common.documents(conn, (p[0] for p in bijlagen))),
        bijlage_bij=tuple(common.documents(conn, common.linked_to(conn, doc_id, "bronDocument"))),
        kamerstukdossier=common.dossier(conn, doc["kamerstukdossier_id"]),
        zaken=tuple(zaken),
        antwoorden=tuple(antwoorden),
        dagen_open=_dagen_open(doc, antwoorden),
        activiteiten=tuple(_activiteiten(conn, doc_id, zaken)),
    )


def document_by_dossier(conn: Connection, dossier: int, volgnummer: int) -> str | None:
    """The nummer of the document ``kst-<dossier>-<volgnummer>`` (no toevoeging)."""
    row = conn.execute(
        "SELECT d.document_nummer FROM kamerstukdossier k "
        "JOIN document d ON d.kamerstukdossier_id = k.id "
        "WHERE k.nummer = ? AND (k.toevoeging IS NULL OR k.toevoeging = '') "
        "AND d.volgnummer = ? LIMIT 1",
        (dossier, volgnummer),
    ).fetchone()
    return row[0] if row is not None else None
