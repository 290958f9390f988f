"""The queries of the zaak, kamerstukdossier, activiteit and toezegging pages."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..db import Connection, in_list
from . import common
from .common import (
    ActiviteitRef,
    Actor,
    Besluit,
    CommissieRef,
    DocumentRef,
    DossierRef,
    PersoonRef,
    ZaakRef,
)
from .people import LIJSTEN as PERSOON_LIJSTEN
from .people import CommissiePage, PersoonPage, commissie_page, persoon_page

__all__ = [
    "PERSOON_LIJSTEN",
    "CommissiePage",
    "PersoonPage",
    "activiteit_page",
    "commissie_page",
    "dossier_page",
    "persoon_page",
    "toezegging_page",
    "zaak_page",
]


@dataclass(frozen=True, slots=True)
class ZaakPage:
    id: str
    nummer: str
    onderwerp: str | None
    titel: str | None
    soort: str | None
    status: str | None
    gestart_op: str | None
    afgedaan: bool | None
    kabinetsappreciatie: str | None
    bijgewerkt: str | None
    kamerstukdossier: DossierRef | None
    actors: tuple[Actor, ...]
    documenten: tuple[DocumentRef, ...]
    activiteiten: tuple[ActiviteitRef, ...]
    besluiten: tuple[Besluit, ...]
    gerelateerd: tuple[ZaakRef, ...]
    vervangen: tuple[ZaakRef, ...]
    # documents whose text mentions the number but that the data does not link (filled in
    # by the loader from the full-text index)
    volgens_zoekmachine: Any = None  # search.engine.Mentions (filled by the web layer)
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)


def _zaak_activiteiten(conn: Connection, zaak_id: str) -> list[ActiviteitRef]:
    ids = set(common.linked_to(conn, zaak_id, "activiteit"))
    punten = common.linked_to(conn, zaak_id, "agendapunt")
    if punten:
        sql = f"SELECT activiteit_id FROM agendapunt WHERE id IN ({in_list(punten)})"
        ids.update(r[0] for r in conn.execute(sql, punten) if r[0])
    return sorted(
        common.activiteiten(conn, ids),
        key=lambda a: (a.datum or "", a.nummer or "", a.id),
        reverse=True,
    )


def _zaak_refs(conn: Connection, ids: list[str]) -> tuple[ZaakRef, ...]:
    return tuple(common.zaak_ref(r) for r in common.zaken(conn, ids))


def zaak_page(conn: Connection, nummer: str) -> ZaakPage | None:
    row = conn.execute(
        "SELECT * FROM zaak WHERE nummer = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1", (nummer,)
    ).fetchone()
    if row is None:
        return None
    zaak_id = row["id"]
    docs = common.linked_from(conn, [zaak_id], "Document", "zaak")
    besluiten = common.besluiten_of_zaken(conn, [zaak_id]).get(zaak_id, [])
    related = common.linked_to(conn, zaak_id, "gerelateerdVanuit") + [
        src for src, _ in common.linked_from(conn, [zaak_id], "Zaak", "gerelateerdVanuit")
    ]
    replaced = common.linked_to(conn, zaak_id, "vervangenVanuit") + [
        src for src, _ in common.linked_from(conn, [zaak_id], "Zaak", "vervangenVanuit")
    ]
    return ZaakPage(
        bron=common.source_record(conn, "Zaak", row),
        id=zaak_id,
        nummer=nummer,
        onderwerp=row["onderwerp"],
        titel=row["titel"],
        soort=row["soort"],
        status=row["status"],
        gestart_op=row["gestart_op"],
        afgedaan=None if row["afgedaan"] is None else bool(row["afgedaan"]),
        kabinetsappreciatie=row["kabinetsappreciatie"],
        bijgewerkt=row["bijgewerkt"],
        kamerstukdossier=common.dossier(conn, row["kamerstukdossier_id"]),
        actors=tuple(common.actors(conn, "zaakactor", "zaak_id", zaak_id)),
        documenten=tuple(common.documents(conn, (d[0] for d in docs))),
        activiteiten=tuple(_zaak_activiteiten(conn, zaak_id)),
        besluiten=tuple(b for b in besluiten if b.status != "Voorstel"),
        gerelateerd=_zaak_refs(conn, related),
        vervangen=_zaak_refs(conn, replaced),
    )


# ---------------------------------------------------------------- kamerstukdossier


@dataclass(frozen=True, slots=True)
class DossierPage:
    id: str
    nummer: int
    toevoeging: str | None
    titel: str | None
    citeertitel: str | None
    afgesloten: bool | None
    hoogste_volgnummer: int | None
    documenten: tuple[DocumentRef, ...]
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)
    # the decisions on the dossier's zaken (votes on moties, amendementen, the bill), oldest first
    besluiten: tuple[Besluit, ...] = ()


def dossier_page(conn: Connection, nummer: int, toevoeging: str | None) -> DossierPage | None:
    rows = conn.execute("SELECT * FROM kamerstukdossier WHERE nummer = ?", (nummer,)).fetchall()
    row = next((r for r in rows if (r["toevoeging"] or None) == toevoeging), None)
    if row is None:
        return None
    docs = conn.execute(
        "SELECT * FROM document WHERE kamerstukdossier_id = ?", (row["id"],)
    ).fetchall()
    ordered = sorted(
        (common.document_ref(d) for d in docs),
        key=lambda d: (d.volgnummer if d.volgnummer is not None else -1, d.datum or ""),
        reverse=True,
    )
    return DossierPage(
        bron=common.source_record(conn, "Kamerstukdossier", row),
        id=row["id"],
        nummer=nummer,
        toevoeging=row["toevoeging"],
        titel=row["titel"],
        citeertitel=row["citeertitel"],
        afgesloten=None if row["afgesloten"] is None else bool(row["afgesloten"]),
        hoogste_volgnummer=row["hoogste_volgnummer"],
        documenten=tuple(ordered),
        besluiten=tuple(_dossier_besluiten(conn, row["id"])),
    )


def _dossier_besluiten(conn: Connection, dossier_id: str) -> list[Besluit]:
    """The decided besluiten (not "Voorstel") on the zaken of a dossier, oldest first."""
    zaak_ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM zaak WHERE kamerstukdossier_id = ? ORDER BY id", (dossier_id,)
        )
    ]
    found = {
        b.id: b
        for items in common.besluiten_of_zaken(conn, zaak_ids).values()
        for b in items
        if b.status != "Voorstel"
    }
    return sorted(found.values(), key=lambda b: (b.datum or "", b.id))


# ---------------------------------------------------------------- activiteit


@dataclass(frozen=True, slots=True)
class AgendapuntView:
    id: str
    nummer: str | None
    onderwerp: str | None
    volgorde: int | None
    noot: str | None
    zaken: tuple[ZaakRef, ...]
    documenten: tuple[DocumentRef, ...]
    besluiten: tuple[Besluit, ...]


@dataclass(frozen=True, slots=True)
class ToezeggingRef:
    id: str
    nummer: str | None
    tekst: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class ActiviteitPage:
    id: str
    nummer: str
    onderwerp: str | None
    soort: str | None
    datum: str | None
    aanvangstijd: str | None
    eindtijd: str | None
    status: str | None
    besloten: bool | None
    locatie: str | None
    zaal: str | None
    noot: str | None
    bijgewerkt: str | None
    voortouwcommissie: CommissieRef | None
    voortouwnaam: str | None
    actors: tuple[Actor, ...]
    agendapunten: tuple[AgendapuntView, ...]
    documenten: tuple[DocumentRef, ...]
    toezeggingen: tuple[ToezeggingRef, ...]
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)
    # Debat Direct (issue #24): the matched broadcast, if any
    video_url: str | None = None
    video_embed_url: str | None = None
    video_naam: str | None = None


def _agendapunten(conn: Connection, act_id: str) -> list[AgendapuntView]:
    rows = conn.execute("SELECT * FROM agendapunt WHERE activiteit_id = ?", (act_id,)).fetchall()
    rows.sort(key=lambda r: r["volgorde"] if r["volgorde"] is not None else 1 << 30)
    ids = [r["id"] for r in rows]
    zaak_links = common.linked_from(conn, ids, "Zaak", "agendapunt")
    doc_links = common.linked_from(conn, ids, "Document", "agendapunt")
    zaken = {r["id"]: common.zaak_ref(r) for r in common.zaken(conn, (z for z, _ in zaak_links))}
    docs = {d.id: d for d in common.documents(conn, (d for d, _ in doc_links))}
    besluiten = conn.execute(
        f"SELECT id, agendapunt_id FROM besluit WHERE agendapunt_id IN ({in_list(ids)})",
        ids,
    ).fetchall()
    # every besluit of the agendapunt, also one without a zaak (issue #20.6)
    all_besluiten = common.besluiten_by_ids(conn, [b["id"] for b in besluiten])
    out = []
    for r in rows:
        mine = {b["id"] for b in besluiten if b["agendapunt_id"] == r["id"]}
        out.append(
            AgendapuntView(
                id=r["id"],
                nummer=r["nummer"],
                onderwerp=r["onderwerp"],
                volgorde=r["volgorde"],
                noot=r["noot"],
                zaken=tuple(zaken[z] for z, p in zaak_links if p == r["id"] and z in zaken),
                documenten=tuple(docs[d] for d, p in doc_links if p == r["id"] and d in docs),
                besluiten=tuple(all_besluiten[b] for b in sorted(mine) if b in all_besluiten),
            )
        )
    return out


def _zaal(conn: Connection, act_id: str) -> str | None:
    row = conn.execute(
        "SELECT z.naam FROM link l JOIN reservering r ON r.id = l.src_id "
        "JOIN zaal z ON z.id = r.zaal_id "
        "WHERE l.dst_id = ? AND l.src_category = 'Reservering' AND l.relation = 'activiteit' "
        "LIMIT 1",
        (act_id,),
    ).fetchone()
    return row[0] if row is not None else None


def activiteit_page(conn: Connection, nummer: str) -> ActiviteitPage | None:
    row = conn.execute(
        "SELECT * FROM activiteit WHERE nummer = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
        (nummer,),
    ).fetchone()
    if row is None:
        return None
    act_id = row["id"]
    docs = common.linked_from(conn, [act_id], "Document", "activiteit")
    tz = conn.execute("SELECT * FROM toezegging WHERE activiteit_id = ?", (act_id,)).fetchall()
    comm = common.commissies(conn, [row["voortouwcommissie_id"] or ""])
    return ActiviteitPage(
        bron=common.source_record(conn, "Activiteit", row),
        id=act_id,
        nummer=nummer,
        onderwerp=row["onderwerp"],
        soort=row["soort"],
        datum=row["datum"],
        aanvangstijd=row["aanvangstijd"],
        eindtijd=row["eindtijd"],
        status=row["status"],
        besloten=None if row["besloten"] is None else bool(row["besloten"]),
        locatie=row["locatie"],
        zaal=_zaal(conn, act_id),
        noot=row["noot"],
        bijgewerkt=row["bijgewerkt"],
        voortouwcommissie=comm.get(row["voortouwcommissie_id"] or ""),
        voortouwnaam=row["voortouwnaam"],
        actors=tuple(common.actors(conn, "activiteitactor", "activiteit_id", act_id)),
        agendapunten=tuple(_agendapunten(conn, act_id)),
        documenten=tuple(common.documents(conn, (d[0] for d in docs))),
        toezeggingen=tuple(
            ToezeggingRef(id=t["id"], nummer=t["nummer"], tekst=t["tekst"], status=t["status"])
            for t in tz
        ),
    )


# ---------------------------------------------------------------- toezegging


@dataclass(frozen=True, slots=True)
class ToezeggingPage:
    id: str
    nummer: str
    tekst: str | None
    status: str | None
    aanmaakdatum: str | None
    datum_nakoming: str | None
    toezegger: str | None
    functie: str | None
    ministerie: str | None
    bijgewerkt: str | None
    activiteit: ActiviteitRef | None
    aan_persoon: PersoonRef | None  # the first recipient (see ``aan``)
    aan_fractie: str | None
    nakoming: DocumentRef | None  # the first fulfilling letter found (see ``kamerbrieven``)
    aan: tuple[Ontvanger, ...] = ()  # every recipient, both feed forms, in feed order
    kamerbrieven: tuple[Kamerbrief, ...] = ()  # every kamerbriefNakoming, resolved
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ontvanger:
    """One person or fractie a toezegging was made to."""

    persoon: PersoonRef | None
    fractie: str | None


@dataclass(frozen=True, slots=True)
class Kamerbrief:
    """One ``kamerbriefNakoming`` as the feed wrote it, and what it names in the mirror."""

    waarde: str
    document: DocumentRef | None
    zaak: ZaakRef | None


def _toezegger(row: sqlite3.Row) -> str | None:
    parts = [row["titulatuur"], row["initialen"], row["tussenvoegsel"], row["achternaam"]]
    return " ".join(p for p in parts if p) or row["naam"]


def recipients(conn: Connection, row: sqlite3.Row) -> list[tuple[str | None, str | None]]:
    """(persoon id, fractie id) pairs a toezegging was made to: the XSD's 0..1 relations and
    every nested ``toegezegdAan`` of the live feed (persons and fracties paired by
    position), without repeats."""
    persons = common.linked_to(conn, row["id"], "toegezegdAan/persoon")
    fracties = common.linked_to(conn, row["id"], "toegezegdAan/fractie")
    pairs: list[tuple[str | None, str | None]] = []
    if row["toegezegd_aan_persoon_id"] or row["toegezegd_aan_fractie_id"]:
        pairs.append((row["toegezegd_aan_persoon_id"], row["toegezegd_aan_fractie_id"]))
    for i in range(max(len(persons), len(fracties))):
        pair = (
            persons[i] if i < len(persons) else None,
            fracties[i] if i < len(fracties) else None,
        )
        if pair not in pairs:
            pairs.append(pair)
    return pairs


NAKOMING = "kamerbriefNakoming"


def kamerbrieven(first: str | None, extra: dict[str, str] | None) -> list[str]:
    """Every ``kamerbriefNakoming`` value of a toezegging in feed order: the column's and the
    repeats the parser kept in ``extra`` (``kamerbriefNakoming#2`` …) (pure)."""
    out = [first] if first else []
    if extra:
        repeats = sorted(
            (int(key.rpartition("#")[2]), value)
            for key, value in extra.items()
            if key.startswith(NAKOMING + "#") and key.rpartition("#")[2].isdigit()
        )
        out += [value for _n, value in repeats if value]
    return out


def _kamerbrieven(conn: Connection, row: sqlite3.Row) -> list[Kamerbrief]:
    extra = json.loads(row["extra"]) if row["extra"] else None
    out = []
    for value in kamerbrieven(row["kamerbrief_nakoming"], extra):
        key = value.strip()
        doc = conn.execute(
            "SELECT * FROM document WHERE document_nummer = ? OR id = ? "
            "ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
            (key, key),
        ).fetchone()
        zaak = None
        if doc is None:
            z = conn.execute(
                "SELECT * FROM zaak WHERE nummer = ? OR id = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
                (key, key),
            ).fetchone()
            zaak = common.zaak_ref(z) if z is not None else None
        out.append(Kamerbrief(value, common.document_ref(doc) if doc is not None else None, zaak))
    return out


def toezegging_page(conn: Connection, nummer: str) -> ToezeggingPage | None:
    row = conn.execute(
        "SELECT * FROM toezegging WHERE nummer = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
        (nummer,),
    ).fetchone()
    if row is None:
        return None
    acts = common.activiteiten(conn, [row["activiteit_id"] or ""])
    pairs = recipients(conn, row)
    people = common.personen(conn, [p for p, _f in pairs if p])
    fractie_ids = sorted({f for _p, f in pairs if f})
    names = (
        {
            r["id"]: r["afkorting"] or r["naam_nl"]
            for r in conn.execute(
                f"SELECT id, afkorting, naam_nl FROM fractie WHERE id IN ({in_list(fractie_ids)})",
                fractie_ids,
            )
        }
        if fractie_ids
        else {}
    )
    aan = tuple(Ontvanger(people.get(p or ""), names.get(f or "")) for p, f in pairs)
    brieven = _kamerbrieven(conn, row)
    first = aan[0] if aan else None
    return ToezeggingPage(
        bron=common.source_record(conn, "Toezegging", row),
        id=row["id"],
        nummer=nummer,
        tekst=row["tekst"],
        status=row["status"],
        aanmaakdatum=row["aanmaakdatum"],
        datum_nakoming=row["datum_nakoming"],
        toezegger=_toezegger(row),
        functie=row["functie"],
        ministerie=row["ministerie"],
        bijgewerkt=row["bijgewerkt"],
        activiteit=acts[0] if acts else None,
        aan_persoon=first.persoon if first else None,
        aan_fractie=first.fractie if first else None,
        nakoming=next((b.document for b in brieven if b.document is not None), None),
        aan=aan,
        kamerbrieven=tuple(brieven),
    )
