"""Small typed records shared by the page queries, and the queries that build them.

Every function takes a read connection (rows are :class:`sqlite3.Row`) and returns
dataclasses; nothing here knows about HTML or URLs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kamerwatch import votes as vote_rules

from .. import schema
from ..db import Connection, in_list


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: str
    nummer: str | None
    onderwerp: str | None
    titel: str | None
    soort: str | None
    datum: str | None
    volgnummer: int | None = None


@dataclass(frozen=True, slots=True)
class ZaakRef:
    id: str
    nummer: str | None
    onderwerp: str | None
    soort: str | None
    gestart_op: str | None = None


@dataclass(frozen=True, slots=True)
class PersoonRef:
    id: str
    nummer: str | None
    naam: str


@dataclass(frozen=True, slots=True)
class CommissieRef:
    id: str
    nummer: str | None
    naam: str | None
    afkorting: str | None


@dataclass(frozen=True, slots=True)
class ActiviteitRef:
    id: str
    nummer: str | None
    onderwerp: str | None
    soort: str | None
    datum: str | None


@dataclass(frozen=True, slots=True)
class DossierRef:
    id: str
    nummer: int | None
    toevoeging: str | None
    titel: str | None


@dataclass(frozen=True, slots=True)
class Actor:
    naam: str | None
    relatie: str | None
    functie: str | None
    fractie: str | None
    persoon: PersoonRef | None
    commissie: CommissieRef | None


@dataclass(frozen=True, slots=True)
class VoteCount:
    soort: str
    zetels: int
    fracties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FractieZetels:
    """One party's seats on one side of a vote (in a roll call: its members who voted so)."""

    fractie: str
    zetels: int
    soort: str  # Voor / Tegen / Niet deelgenomen


@dataclass(frozen=True, slots=True)
class BesluitZaak:
    """What a besluit was about: its zaak (the motie, the wetsvoorstel) and who submitted it."""

    nummer: str | None
    onderwerp: str | None
    titel: str | None
    soort: str | None
    indiener: str | None = None
    indiener_nummer: str | None = None  # the submitter's persoon number (a link)
    indiener_fractie: str | None = None


@dataclass(frozen=True, slots=True)
class Besluit:
    id: str
    tekst: str | None
    soort: str | None
    status: str | None
    opmerking: str | None
    stemmingssoort: str | None
    datum: str | None
    stemmen: tuple[VoteCount, ...] = ()
    # the official outcome (besluitTekst, "Niet aangenomen"), never one computed from counts
    uitslag: str | None = None
    # its kind: "aangenomen" / "verworpen" / "niet aangenomen" / "gestaakt" / … (besluitSoort)
    uitslag_soort: str | None = None
    voor: int | None = None  # counted seats/members for (supporting detail)
    tegen: int | None = None
    telling_wijkt_af: bool = False  # the counts point elsewhere than the official outcome
    zaken: tuple[BesluitZaak, ...] = ()  # what was decided on (Besluit → zaak), in feed order
    verdeling: tuple[FractieZetels, ...] = ()  # seats per party and side (the seat bar)


@dataclass(frozen=True, slots=True)
class ZaakDetail:
    zaak: ZaakRef
    titel: str | None
    status: str | None
    kabinetsappreciatie: str | None
    actors: tuple[Actor, ...] = ()
    besluiten: tuple[Besluit, ...] = ()


@dataclass(frozen=True, slots=True)
class Freshness:
    """When the mirror last took in feed pages (newest sync cursor, UTC ISO)."""

    synced_at: str | None
    categories: int = 0
    extra: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- row → record


def persoon_naam(row: sqlite3.Row | None) -> str:
    if row is None:
        return ""
    parts = [row["roepnaam"] or row["voornamen"], row["tussenvoegsel"], row["achternaam"]]
    return " ".join(p for p in parts if p) or (row["nummer"] or "")


def document_ref(row: sqlite3.Row) -> DocumentRef:
    return DocumentRef(
        id=row["id"],
        nummer=row["document_nummer"],
        onderwerp=row["onderwerp"],
        titel=row["titel"],
        soort=row["soort"],
        datum=row["datum"],
        volgnummer=row["volgnummer"],
    )


def zaak_ref(row: sqlite3.Row) -> ZaakRef:
    return ZaakRef(
        id=row["id"],
        nummer=row["nummer"],
        onderwerp=row["onderwerp"],
        soort=row["soort"],
        gestart_op=row["gestart_op"],
    )


def activiteit_ref(row: sqlite3.Row) -> ActiviteitRef:
    return ActiviteitRef(
        id=row["id"],
        nummer=row["nummer"],
        onderwerp=row["onderwerp"],
        soort=row["soort"],
        datum=row["datum"],
    )


def dossier_ref(row: sqlite3.Row) -> DossierRef:
    return DossierRef(
        id=row["id"], nummer=row["nummer"], toevoeging=row["toevoeging"], titel=row["titel"]
    )


def commissie_ref(row: sqlite3.Row) -> CommissieRef:
    return CommissieRef(
        id=row["id"], nummer=row["nummer"], naam=row["naam_nl"], afkorting=row["afkorting"]
    )


# ---------------------------------------------------------------- lookups by id


def _by_ids(conn: Connection, table: str, ids: Iterable[str]) -> dict[str, sqlite3.Row]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    sql = f"SELECT * FROM {table} WHERE id IN ({in_list(wanted)})"
    return {row["id"]: row for row in conn.execute(sql, wanted)}


def personen(conn: Connection, ids: Iterable[str]) -> dict[str, PersoonRef]:
    return {
        i: PersoonRef(id=i, nummer=row["nummer"], naam=persoon_naam(row))
        for i, row in _by_ids(conn, "persoon", ids).items()
    }


def commissies(conn: Connection, ids: Iterable[str]) -> dict[str, CommissieRef]:
    return {i: commissie_ref(row) for i, row in _by_ids(conn, "commissie", ids).items()}


def documents(conn: Connection, ids: Iterable[str]) -> list[DocumentRef]:
    rows = _by_ids(conn, "document", ids).values()
    return sorted(
        (document_ref(r) for r in rows),
        key=lambda d: (d.datum or "", d.nummer or "", d.id),
        reverse=True,
    )


def zaken(conn: Connection, ids: Iterable[str]) -> list[sqlite3.Row]:
    return sorted(
        _by_ids(conn, "zaak", ids).values(),
        key=lambda r: (r["gestart_op"] or "", r["nummer"] or "", r["id"]),
    )


def activiteiten(conn: Connection, ids: Iterable[str]) -> list[ActiviteitRef]:
    rows = _by_ids(conn, "activiteit", ids).values()
    return sorted(
        (activiteit_ref(r) for r in rows), key=lambda a: (a.datum or "", a.nummer or "", a.id)
    )


def dossier(conn: Connection, ident: str | None) -> DossierRef | None:
    rows = _by_ids(conn, "kamerstukdossier", [ident] if ident else [])
    return dossier_ref(rows[ident]) if ident in rows else None


# ---------------------------------------------------------------- links


def linked_to(conn: Connection, src_id: str, relation: str) -> list[str]:
    """Targets of a 0..n relation held by ``src_id``, in feed order."""
    sql = "SELECT dst_id FROM link WHERE src_id = ? AND relation = ? ORDER BY pos NULLS FIRST"
    return [r[0] for r in conn.execute(sql, (src_id, relation))]


def linked_from(
    conn: Connection, dst_ids: Sequence[str], src_category: str, relation: str
) -> list[tuple[str, str]]:
    """(src_id, dst_id) of the ``src_category`` entities pointing at any of ``dst_ids``."""
    if not dst_ids:
        return []
    sql = (
        f"SELECT src_id, dst_id FROM link WHERE dst_id IN ({in_list(dst_ids)}) "
        "AND src_category = ? AND relation = ?"
    )
    return [(r[0], r[1]) for r in conn.execute(sql, (*dst_ids, src_category, relation))]


# ---------------------------------------------------------------- actors and votes


def actors(conn: Connection, table: str, owner: str, owner_id: str) -> list[Actor]:
    """Rows of ``zaakactor`` / ``documentactor`` / ``activiteitactor`` of one owner."""
    rows = conn.execute(f"SELECT * FROM {table} WHERE {owner} = ?", (owner_id,)).fetchall()
    people = personen(conn, (r["persoon_id"] for r in rows))
    comms = commissies(conn, (r["commissie_id"] for r in rows))
    parties = fracties_van(conn, [r["persoon_id"] for r in rows if r["persoon_id"]])
    keys = rows[0].keys() if rows else []
    order = "volgorde" in keys
    if order:
        rows.sort(key=lambda r: r["volgorde"] if r["volgorde"] is not None else 1 << 30)
    return [
        Actor(
            naam=r["actor_naam"],
            relatie=r["relatie"],
            functie=r["functie"],
            fractie=r["actor_fractie"] or parties.get(r["persoon_id"] or ""),
            persoon=people.get(r["persoon_id"] or ""),
            commissie=comms.get(r["commissie_id"] or ""),
        )
        for r in rows
    ]


def fracties_van(conn: Connection, persoon_ids: Sequence[str]) -> dict[str, str]:
    """Party label per person: the current fractie, or "ooit <fractie> kamerlid" for former
    members (their latest seat)."""
    if not persoon_ids:
        return {}
    rows = conn.execute(
        "SELECT p.persoon_id, f.afkorting, p.tot_en_met, p.van FROM fractiezetelpersoon p "
        "JOIN fractiezetel z ON z.id = p.fractie_zetel_id JOIN fractie f ON f.id = z.fractie_id "
        f"WHERE p.persoon_id IN ({in_list(persoon_ids)})",
        list(persoon_ids),
    ).fetchall()
    latest: dict[str, sqlite3.Row] = {}
    for r in sorted(rows, key=lambda r: (r[2] is None, r[3] or "")):
        latest[r[0]] = r  # the open seat, else the newest one, comes last
    return {
        pid: (r[1] if r[2] is None else f"ooit {r[1]} kamerlid")
        for pid, r in latest.items()
        if r[1]
    }


def vote_counts(rows: Sequence[sqlite3.Row]) -> tuple[tuple[VoteCount, ...], dict[str, int]]:
    """Per kind of vote (Voor/Tegen/Niet deelgenomen): seats and who; every vote as cast
    (:mod:`kamerwatch.votes`: a ``vergissing`` counts and is marked)."""
    rows = list(rows)
    cast = [
        vote_rules.Vote(r["soort"], r["fractie_grootte"], r["persoon_id"], bool(r["vergissing"]))
        for r in rows
    ]
    seats = vote_rules.tally(cast)
    roll_call = vote_rules.is_roll_call(cast)
    names: dict[str, list[str]] = {}
    for r in rows:
        if roll_call and r["persoon_id"] is None:
            continue
        label = (r["actor_naam"] if roll_call else r["actor_fractie"]) or "?"
        names.setdefault(r["soort"] or "?", []).append(
            vote_rules.voter_label(label, bool(r["vergissing"]))
        )
    order = {"Voor": 0, "Tegen": 1}
    counts = tuple(
        VoteCount(soort=s, zetels=seats[s], fracties=tuple(names.get(s, ())))
        for s in sorted(seats, key=lambda s: (order.get(s, 2), s))
    )
    return counts, seats


def seat_split(rows: Sequence[sqlite3.Row]) -> tuple[FractieZetels, ...]:
    """Seats per (party, side): a party vote counts its ``fractie_grootte``, a roll call one
    per member under the member's party (every vote as cast, also a ``vergissing``)."""
    rows = list(rows)
    cast = [
        vote_rules.Vote(r["soort"], r["fractie_grootte"], r["persoon_id"], bool(r["vergissing"]))
        for r in rows
    ]
    roll_call = vote_rules.is_roll_call(cast)
    seats: dict[tuple[str, str], int] = {}
    for r in rows:
        if roll_call and r["persoon_id"] is None:
            continue
        key = (r["actor_fractie"] or "?", r["soort"] or "?")
        seats[key] = seats.get(key, 0) + (1 if roll_call else (r["fractie_grootte"] or 0))
    return tuple(
        FractieZetels(fractie=f, zetels=n, soort=s)
        for (f, s), n in sorted(seats.items(), key=lambda kv: (kv[0][1], -kv[1], kv[0][0]))
    )


def besluit_zaken(conn: Connection, besluit_ids: Sequence[str]) -> dict[str, list[BesluitZaak]]:
    """The zaken each besluit decided on (Besluit → zaak links, in feed order), with the
    first submitter (zaakactor ``Indiener``) and the submitter's party."""
    if not besluit_ids:
        return {}
    sql = (
        f"SELECT src_id, dst_id FROM link WHERE src_id IN ({in_list(besluit_ids)}) "
        "AND relation = 'zaak' ORDER BY src_id, pos NULLS FIRST, dst_id"
    )
    pairs = [(r[0], r[1]) for r in conn.execute(sql, list(besluit_ids))]
    rows = _by_ids(conn, "zaak", (z for _, z in pairs))
    indieners: dict[str, sqlite3.Row] = {}
    if rows:
        ids = sorted(rows)
        sql = (
            f"SELECT * FROM zaakactor WHERE zaak_id IN ({in_list(ids)}) AND relatie = 'Indiener' "
            "ORDER BY zaak_id, id"
        )
        for r in conn.execute(sql, ids):
            indieners.setdefault(r["zaak_id"], r)
    people = personen(conn, (r["persoon_id"] for r in indieners.values()))
    parties = fracties_van(conn, [r["persoon_id"] for r in indieners.values() if r["persoon_id"]])
    out: dict[str, list[BesluitZaak]] = {}
    for besluit_id, zaak_id in pairs:
        z = rows.get(zaak_id)
        if z is None:
            continue
        who = indieners.get(zaak_id)
        person = people.get(who["persoon_id"] or "") if who is not None else None
        out.setdefault(besluit_id, []).append(
            BesluitZaak(
                nummer=z["nummer"],
                onderwerp=z["onderwerp"],
                titel=z["titel"],
                soort=z["soort"],
                indiener=(person.naam if person else who["actor_naam"]) if who else None,
                indiener_nummer=person.nummer if person else None,
                indiener_fractie=(
                    (
                        who["actor_afkorting"]
                        or who["actor_fractie"]
                        or parties.get(who["persoon_id"] or "")
                    )
                    if who
                    else None
                ),
            )
        )
    return out


def besluiten_by_ids(conn: Connection, besluit_ids: Iterable[str]) -> dict[str, Besluit]:
    """Besluiten by id, with date (agendapunt → activiteit), official outcome and counts."""
    rows = _by_ids(conn, "besluit", besluit_ids)
    agendapunten = _by_ids(conn, "agendapunt", (r["agendapunt_id"] for r in rows.values()))
    acts = _by_ids(conn, "activiteit", (a["activiteit_id"] for a in agendapunten.values()))
    votes: dict[str, list[sqlite3.Row]] = {}
    if rows:
        ids = sorted(rows)
        sql = f"SELECT * FROM stemming WHERE besluit_id IN ({in_list(ids)}) ORDER BY id"
        for v in conn.execute(sql, ids):
            votes.setdefault(v["besluit_id"], []).append(v)
    subjects = besluit_zaken(conn, sorted(rows))
    out: dict[str, Besluit] = {}
    for besluit_id, row in rows.items():
        punt = agendapunten.get(row["agendapunt_id"] or "")
        act = acts.get(punt["activiteit_id"] or "") if punt is not None else None
        stemmen, seats = vote_counts(votes.get(besluit_id, []))
        kind = vote_rules.outcome_kind(row["besluit_soort"], row["besluit_tekst"])
        out[besluit_id] = Besluit(
            id=besluit_id,
            tekst=row["besluit_tekst"],
            soort=row["besluit_soort"],
            status=row["status"],
            opmerking=row["opmerking"],
            stemmingssoort=row["stemmings_soort"],
            datum=act["datum"] if act is not None else None,
            stemmen=stemmen,
            uitslag=(
                vote_rules.official_label(row["besluit_soort"], row["besluit_tekst"])
                if kind is not None
                else None
            ),
            uitslag_soort=kind,
            voor=seats.get("Voor", 0) if seats else None,
            tegen=seats.get("Tegen", 0) if seats else None,
            telling_wijkt_af=vote_rules.counts_disagree(kind, seats),
            zaken=tuple(subjects.get(besluit_id, ())),
            verdeling=seat_split(votes.get(besluit_id, [])),
        )
    return out


def besluiten_of_zaken(conn: Connection, zaak_ids: Sequence[str]) -> dict[str, list[Besluit]]:
    """Besluiten per zaak id (via Besluit→zaak links); oldest first."""
    pairs = linked_from(conn, zaak_ids, "Besluit", "zaak")
    found = besluiten_by_ids(conn, (p[0] for p in pairs))
    out: dict[str, list[Besluit]] = {}
    for besluit_id, zaak_id in pairs:
        if besluit_id in found:
            out.setdefault(zaak_id, []).append(found[besluit_id])
    for items in out.values():
        items.sort(key=lambda b: (b.datum or "", b.id))
    return out


def zaak_details(conn: Connection, zaak_ids: Sequence[str]) -> list[ZaakDetail]:
    rows = zaken(conn, zaak_ids)
    besluiten = besluiten_of_zaken(conn, [r["id"] for r in rows])
    return [
        ZaakDetail(
            zaak=zaak_ref(r),
            titel=r["titel"],
            status=r["status"],
            kabinetsappreciatie=r["kabinetsappreciatie"],
            actors=tuple(actors(conn, "zaakactor", "zaak_id", r["id"])),
            besluiten=tuple(besluiten.get(r["id"], [])),
        )
        for r in rows
    ]


def freshness(conn: Connection) -> Freshness:
    row = conn.execute("SELECT max(updated_at), count(*) FROM sync_cursor").fetchone()
    return Freshness(synced_at=row[0], categories=row[1])


def source_record(conn: Connection, category: str, row: sqlite3.Row) -> dict[str, Any]:
    """The mirrored row of a page's entity under the XSD's names, with its 0..n relations
    (the JSON twin's ``bron``: enough to rebuild the source record)."""
    links: dict[str, list[str]] = {}
    sql = "SELECT relation, dst_id FROM link WHERE src_id = ? ORDER BY relation, pos"
    for relation, dst in conn.execute(sql, (row["id"],)):
        links.setdefault(relation, []).append(dst)
    return schema.source_fields(category, row, links)
