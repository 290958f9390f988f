"""Read queries of the Woo pages: the list with its filters, one publication, the
organisations (autocomplete), a stored file. Only what the site shows: withdrawn
publications and copies of Tweede Kamer documents are left out of lists."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kamerwatch.store.db import Connection
from kamerwatch.store.documents import StoredFile, conversion, current_file, versions
from kamerwatch.store.pages.document import document_by_dossier

LIST_LIMIT = 300
WOO_CATEGORIE = "Woo-verzoeken en -besluiten"
EERSTE_KAMER = "Eerste Kamer"
_SHOWN = "p.state = 'ok' AND p.tk_copy = 0"


def _list(text: Any) -> list[Any]:
    if not text:
        return []
    try:
        value = json.loads(str(text))
    except ValueError:
        return []
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class WooItem:
    id: str
    titel: str | None
    organisatie: str | None
    openbaarmakingsdatum: str | None
    documentsoorten: list[str]
    informatiecategorieen: list[str]
    bijlagen: int
    mutatiedatumtijd: str | None


@dataclass(frozen=True, slots=True)
class WooFilters:
    organisatie: str | None = None
    eerste_kamer: bool = False
    woo_besluiten: bool = False
    categorie: str | None = None
    van: str | None = None  # YYYY-MM-DD
    tot: str | None = None


def publications(conn: Connection, f: WooFilters, limit: int = LIST_LIMIT) -> list[WooItem]:
    """The newest top-level publications (no attachments) matching ``f``, newest first
    (ties by id: a total order)."""
    where = [_SHOWN, "p.parent_id IS NULL"]
    args: list[Any] = []
    if f.organisatie:
        where.append("(lower(p.verantwoordelijke) = lower(?) OR lower(p.publisher) = lower(?))")
        args += [f.organisatie, f.organisatie]
    if f.eerste_kamer:
        where.append("p.verantwoordelijke = ?")
        args.append(EERSTE_KAMER)
    if f.woo_besluiten:
        has_categorie = conn.backend.contains("p.informatiecategorieen", "?")
        has_woo = conn.backend.contains("upper(p.titel)", "'WOO'")
        where.append(f"({has_categorie} OR {has_woo})")
        args.append(json.dumps(WOO_CATEGORIE, ensure_ascii=False))
    if f.categorie:
        where.append(conn.backend.contains("p.informatiecategorieen", "?"))
        args.append(json.dumps(f.categorie, ensure_ascii=False))
    if f.van:
        where.append("p.openbaarmakingsdatum >= ?")
        args.append(f.van)
    if f.tot:
        where.append("p.openbaarmakingsdatum <= ?")
        args.append(f.tot)
    rows = conn.execute(
        f"""SELECT p.id, p.titel, p.verantwoordelijke, p.openbaarmakingsdatum,
                   p.documentsoorten, p.informatiecategorieen,
                   (SELECT count(*) FROM woo_publication c WHERE c.parent_id = p.id
                    AND c.state = 'ok'), p.mutatiedatumtijd
            FROM woo_publication p WHERE {" AND ".join(where)}
            ORDER BY p.openbaarmakingsdatum DESC NULLS LAST, p.id DESC LIMIT ?""",
        (*args, limit),
    ).fetchall()
    return [
        WooItem(str(r[0]), r[1], r[2], r[3], _list(r[4]), _list(r[5]), int(r[6]), r[7])
        for r in rows
    ]


def organisations(conn: Connection, prefix: str = "", limit: int = 20) -> list[tuple[str, int]]:
    """Organisations with publications on the site (name, count): those containing
    ``prefix`` (case-insensitive), most publications first, then by name."""
    rows = conn.execute(
        f"""SELECT p.verantwoordelijke, count(*) FROM woo_publication p
            WHERE {_SHOWN} AND p.verantwoordelijke IS NOT NULL
              AND {conn.backend.contains("lower(p.verantwoordelijke)", "lower(?)")}
            GROUP BY p.verantwoordelijke ORDER BY count(*) DESC NULLS LAST, p.verantwoordelijke NULLS FIRST LIMIT ?""",
        (prefix, limit),
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def categories(conn: Any) -> list[str]:
    """Every informatiecategorie of the publications shown, sorted."""
    found: set[str] = set()
    for (text,) in conn.execute(
        f"SELECT DISTINCT p.informatiecategorieen FROM woo_publication p WHERE {_SHOWN}"
    ):
        found.update(str(c) for c in _list(text))
    return sorted(found, key=str.casefold)


@dataclass(frozen=True, slots=True)
class WooFileView:
    n: int
    bestandsnaam: str | None
    label: str | None
    mime_type: str | None
    grootte: int | None
    paginas: int | None
    hash: str | None
    url: str | None
    state: str
    reason: str | None
    stored: bool
    preview_html: str | None = None
    preview_text: str | None = None
    conversie_fout: str | None = None


@dataclass(frozen=True, slots=True)
class WooRef:
    id: str
    titel: str | None
    openbaarmakingsdatum: str | None = None
    rol: str | None = None


@dataclass(frozen=True, slots=True)
class WooVersionRow:
    seq: int
    versie: int | None
    mutatiedatumtijd: str | None
    fetched_at: str


@dataclass
class WooPage:
    id: str
    titel: str | None
    omschrijvingen: list[str]
    openbaarmakingsdatum: str | None
    mutatiedatumtijd: str | None
    versie: int | None
    verantwoordelijke: str | None
    publisher: str | None
    aanbieder: str | None
    documentsoorten: list[str]
    informatiecategorieen: list[str]
    themas: list[str]
    identifiers: list[str]
    weblocatie: str | None
    open_overheid_url: str
    tweede_kamer_document: str | None  # kamerwatch document nummer of an oep- copy
    parent: WooRef | None
    children: list[WooRef]
    relaties: list[WooRef]
    bestanden: list[WooFileView]
    versies: list[WooVersionRow]
    detail: dict[str, Any] = field(default_factory=dict)  # the complete record as received


@dataclass(frozen=True, slots=True)
class Withdrawn:
    id: str
    titel: str | None


def publication(conn: Any, pub_id: str) -> WooPage | Withdrawn | None:
    row = conn.execute(
        """SELECT id, titel, omschrijvingen, openbaarmakingsdatum, mutatiedatumtijd, versie,
                  verantwoordelijke, publisher, aanbieder, documentsoorten,
                  informatiecategorieen, themas, identifiers, weblocatie, parent_id, tk_copy,
                  detail_json, state
           FROM woo_publication WHERE id = ?""",
        (pub_id,),
    ).fetchone()
    if row is None or row[17] not in ("ok", "ingetrokken"):
        return None
    if row[17] == "ingetrokken":
        return Withdrawn(str(row[0]), row[1])
    identifiers = [str(i) for i in _list(row[12])]
    tk_doc = None
    for ident in identifiers:
        parts = ident.split("-")
        if len(parts) == 3 and parts[0] == "kst" and parts[1].isdigit() and parts[2].isdigit():
            tk_doc = document_by_dossier(conn, int(parts[1]), int(parts[2]))
    parent = None
    if row[14]:
        prow = conn.execute(
            "SELECT id, titel, openbaarmakingsdatum FROM woo_publication WHERE id = ? "
            "AND state = 'ok'",
            (row[14],),
        ).fetchone()
        parent = WooRef(str(prow[0]), prow[1], prow[2]) if prow else WooRef(str(row[14]), None)
    children = [
        WooRef(str(c[0]), c[1], c[2])
        for c in conn.execute(
            "SELECT id, titel, openbaarmakingsdatum FROM woo_publication WHERE parent_id = ? "
            "AND state = 'ok' ORDER BY titel NULLS FIRST, id",
            (pub_id,),
        )
    ]
    child_ids = {c.id for c in children} | ({parent.id} if parent else set())
    relaties = [
        WooRef(str(r[0]), r[1] or r[3], None, r[2])
        for r in conn.execute(
            """SELECT r.target, p.titel, r.role, r.titel FROM woo_relation r
               LEFT JOIN woo_publication p ON p.id = r.target AND p.state = 'ok'
               WHERE r.id = ? ORDER BY r.target NULLS FIRST, r.role NULLS FIRST""",
            (pub_id,),
        )
        if str(r[0]) not in child_ids
    ]
    files = []
    for f in conn.execute(
        """SELECT n, bestandsnaam, label, mime_type, grootte, paginas, hash, url, state, reason,
                  entity_id FROM woo_file WHERE id = ? ORDER BY n NULLS FIRST""",
        (pub_id,),
    ).fetchall():
        stored = current_file(conn, str(f[10]))
        conv = conversion(conn, str(f[10])) if stored else None
        files.append(
            WooFileView(
                int(f[0]),
                f[1],
                f[2],
                f[3],
                f[4],
                f[5],
                f[6],
                f[7],
                str(f[8]),
                f[9],
                stored is not None,
                conv.html if conv else None,
                conv.text if conv and not conv.html else None,
                conv.failure if conv else None,
            )
        )
    history = [
        WooVersionRow(int(v[0]), v[1], v[2], str(v[3]))
        for v in conn.execute(
            "SELECT seq, versie, mutatiedatumtijd, fetched_at FROM woo_version WHERE id = ? "
            "ORDER BY seq",
            (pub_id,),
        )
    ]
    try:
        detail = json.loads(str(row[16])) if row[16] else {}
    except ValueError:
        detail = {}
    return WooPage(
        id=str(row[0]),
        titel=row[1],
        omschrijvingen=[str(o) for o in _list(row[2])],
        openbaarmakingsdatum=row[3],
        mutatiedatumtijd=row[4],
        versie=row[5],
        verantwoordelijke=row[6],
        publisher=row[7],
        aanbieder=row[8],
        documentsoorten=[str(x) for x in _list(row[9])],
        informatiecategorieen=[str(x) for x in _list(row[10])],
        themas=[str(x) for x in _list(row[11])],
        identifiers=identifiers,
        weblocatie=row[13],
        open_overheid_url=f"https://open.overheid.nl/documenten/{row[0]}",
        tweede_kamer_document=tk_doc if row[15] else None,
        parent=parent,
        children=children,
        relaties=relaties,
        bestanden=files,
        versies=history,
        detail=detail if isinstance(detail, dict) else {},
    )


@dataclass(frozen=True, slots=True)
class WooFileOf:
    file: StoredFile
    bestandsnaam: str | None
    mime_type: str | None
    titel: str | None


def stored_file(conn: Any, pub_id: str, n: int) -> WooFileOf | None:
    """The stored file ``n`` of a shown publication (the newest good version)."""
    row = conn.execute(
        f"""SELECT f.entity_id, f.bestandsnaam, f.mime_type, p.titel FROM woo_file f
            JOIN woo_publication p ON p.id = f.id WHERE f.id = ? AND f.n = ? AND {_SHOWN}""",
        (pub_id, n),
    ).fetchone()
    if row is None:
        return None
    stored = current_file(conn, str(row[0]))
    if stored is None:
        return None
    return WooFileOf(stored, row[1], row[2], row[3])


def file_versions(conn: Any, pub_id: str, n: int) -> list[StoredFile]:
    from kamerwatch.store.woo import entity_id

    return versions(conn, entity_id(pub_id, n))
