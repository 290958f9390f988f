"""The queries of the persoon and commissie pages."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from kamerwatch.store.speaking import Optreden, for_persoon

from ..dashboards import (
    PERSOON_ACTIVITEITEN_SHOWN,
    PERSOON_ZAKEN_SHOWN,
    PersoonOverzicht,
    persoon_activiteiten,
    persoon_overzicht,
    persoon_zaken,
    zaak_uitkomsten,
)
from ..db import Connection, in_list
from . import common
from .common import ActiviteitRef, PersoonRef, ZaakRef


@dataclass(frozen=True, slots=True)
class Lidmaatschap:
    fractie: str | None
    fractie_naam: str | None
    functie: str | None
    van: str | None
    tot_en_met: str | None


@dataclass(frozen=True, slots=True)
class Geschenk:
    id: str
    datum: str | None
    omschrijving: str | None
    bijgewerkt: str | None


@dataclass(frozen=True, slots=True)
class OpenToezegging:
    nummer: str | None
    tekst: str | None
    status: str | None
    ministerie: str | None
    aanmaakdatum: str | None


@dataclass(frozen=True, slots=True)
class IngediendeZaak:
    zaak: ZaakRef
    afgedaan: bool | None
    uitkomst: str | None


@dataclass(frozen=True, slots=True)
class PersoonPage:
    id: str
    nummer: str
    naam: str
    titels: str | None
    functie: str | None
    geboortedatum: str | None
    geboorteplaats: str | None
    woonplaats: str | None
    overlijdensdatum: str | None
    fractie: str | None
    zittend: bool
    foto: bool
    lidmaatschappen: tuple[Lidmaatschap, ...]
    toezeggingen: tuple[OpenToezegging, ...]
    open_vragen: tuple[ZaakRef, ...]
    zaken: tuple[IngediendeZaak, ...]
    activiteiten: tuple[ActiviteitRef, ...]
    geschenken: tuple[Geschenk, ...]
    spreektijd: tuple[Optreden, ...] = ()
    # how many zaken they submitted and activities they took part in: the page shows the
    # newest ``ZAKEN_SHOWN``/``ACTIVITEITEN_SHOWN`` unless ``lijst`` asks for all of one
    zaken_totaal: int = 0
    activiteiten_totaal: int = 0
    lijst: str | None = None
    # the overview the sync kept of the member (None: computed live): the record reuses it
    kept: PersoonOverzicht | None = field(
        default=None, repr=False, compare=False, metadata={"json": False}
    )
    # the member's record (issue #26: moties, co-signers, questions, roll-call deviations)
    profiel: Any = None
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)


def _lidmaatschappen(conn: Connection, persoon_id: str) -> list[Lidmaatschap]:
    rows = conn.execute(
        "SELECT f.afkorting, f.naam_nl, p.functie, p.van, p.tot_en_met "
        "FROM fractiezetelpersoon p LEFT JOIN fractiezetel z ON z.id = p.fractie_zetel_id "
        "LEFT JOIN fractie f ON f.id = z.fractie_id WHERE p.persoon_id = ?",
        (persoon_id,),
    ).fetchall()
    items = [Lidmaatschap(r[0], r[1], r[2], r[3], r[4]) for r in rows]
    return sorted(
        items,
        key=lambda m: (m.van or "", m.tot_en_met or "", m.fractie or "", m.functie or ""),
        reverse=True,
    )


ZAKEN_SHOWN = PERSOON_ZAKEN_SHOWN  # the newest submitted zaken (``lijst="zaken"``: all)
ACTIVITEITEN_SHOWN = (
    PERSOON_ACTIVITEITEN_SHOWN  # the newest activities (``lijst="activiteiten"``: all)
)
LIJSTEN = ("zaken", "activiteiten")  # the lists a persoon page shows whole on request


def _submitted(
    conn: Connection, persoon_id: str, limit: int | None
) -> tuple[list[sqlite3.Row], list[sqlite3.Row], int]:
    """The newest zaken the person submitted (at most ``limit``, None: all), every written
    question of theirs not yet afgedaan, both newest first, and how many zaken they
    submitted. One narrow pass over their zaken (index on the actor's person and role)
    picks both; then only those rows are read."""
    picked = persoon_zaken(conn, persoon_id)
    return _zaken_of(
        conn, [z for z, _o in picked[:limit]], [z for z, o in picked if o], len(picked)
    )


def _zaken_of(
    conn: Connection, newest: list[str], open_: list[str], total: int
) -> tuple[list[sqlite3.Row], list[sqlite3.Row], int]:
    rows = {r["id"]: r for r in _zaak_rows(conn, list(dict.fromkeys(newest + open_)))}
    chosen = [rows[i] for i in newest if i in rows]
    return chosen, [rows[i] for i in open_ if i in rows], total


# what the page shows of a zaak and an activity (``common.zaak_ref``/``activiteit_ref``)
_ZAAK_COLUMNS = "id, nummer, onderwerp, soort, gestart_op, afgedaan"
_ACTIVITEIT_COLUMNS = "id, nummer, onderwerp, soort, datum"


def _zaak_rows(conn: Connection, ids: list[str]) -> list[sqlite3.Row]:
    out: list[sqlite3.Row] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out += conn.execute(
            f"SELECT {_ZAAK_COLUMNS} FROM zaak WHERE id IN ({in_list(chunk)})", chunk
        ).fetchall()
    return out


def _zaken(conn: Connection, rows: list[sqlite3.Row]) -> list[IngediendeZaak]:
    uitkomst = zaak_uitkomsten(conn, [r["id"] for r in rows])
    return [
        IngediendeZaak(
            zaak=common.zaak_ref(r),
            afgedaan=None if r["afgedaan"] is None else bool(r["afgedaan"]),
            uitkomst=uitkomst.get(r["id"]),
        )
        for r in rows
    ]


def _activiteiten(
    conn: Connection, persoon_id: str, limit: int | None
) -> tuple[list[ActiviteitRef], int]:
    """The person's newest activities (at most ``limit``, None: all) and how many they took
    part in: the ordered ids of all first (index on the actor's person), then only the rows
    shown."""
    ids = persoon_activiteiten(conn, persoon_id)
    return _activiteiten_of(conn, ids[:limit], len(ids))


def _activiteiten_of(
    conn: Connection, shown: list[str], total: int
) -> tuple[list[ActiviteitRef], int]:
    rows: dict[str, ActiviteitRef] = {}
    for start in range(0, len(shown), 500):
        chunk = shown[start : start + 500]
        for r in conn.execute(
            f"SELECT {_ACTIVITEIT_COLUMNS} FROM activiteit WHERE id IN ({in_list(chunk)})", chunk
        ):
            rows[r["id"]] = common.activiteit_ref(r)
    return [rows[i] for i in shown if i in rows], total


def persoon_page(conn: Connection, nummer: str, lijst: str | None = None) -> PersoonPage | None:
    """A person's page; ``lijst`` ("zaken" or "activiteiten", see :data:`LIJSTEN`) shows that
    list whole instead of its newest entries."""
    row = conn.execute(
        "SELECT * FROM persoon WHERE nummer = ? ORDER BY bijgewerkt DESC NULLS LAST LIMIT 1",
        (nummer,),
    ).fetchone()
    if row is None:
        return None
    pid = row["id"]
    leden = _lidmaatschappen(conn, pid)
    zittend = any(m.tot_en_met is None for m in leden)
    tz = conn.execute(
        "SELECT nummer, tekst, status, ministerie, aanmaakdatum FROM toezegging "
        "WHERE (toegezegd_aan_persoon_id = ? OR id IN ("
        "SELECT src_id FROM link WHERE dst_id = ? AND src_category = 'Toezegging' "
        "AND relation = 'toegezegdAan/persoon')) "
        "AND coalesce(status, '') != 'Voldaan' ORDER BY aanmaakdatum DESC NULLS LAST, id",
        (pid, pid),
    ).fetchall()
    gifts = conn.execute(
        "SELECT id, datum, omschrijving, bijgewerkt FROM persoongeschenk WHERE persoon_id = ? "
        "ORDER BY datum DESC NULLS LAST, id",
        (pid,),
    ).fetchall()
    kept = persoon_overzicht(conn, pid)  # the lists' ids and totals, as the sync left them
    if kept is not None and lijst != "zaken":  # the rows as the overviews keep them
        zaken = tuple(
            IngediendeZaak(ZaakRef(i, n, o, s, d), None if a is None else bool(a), u)
            for i, n, o, s, d, a, u in kept.rijen["zaak"]
        )
        open_vragen = tuple(ZaakRef(i, n, o, s, d) for i, n, o, s, d, _a, _u in kept.rijen["vraag"])
        zaken_totaal = kept.zaken
    else:
        ingediend, open_rows, zaken_totaal = _submitted(
            conn, pid, None if lijst == "zaken" else ZAKEN_SHOWN
        )
        zaken = tuple(_zaken(conn, ingediend))
        open_vragen = tuple(common.zaak_ref(r) for r in open_rows)
    if kept is not None and lijst != "activiteiten":
        activiteiten = [ActiviteitRef(*r[:5]) for r in kept.rijen["activiteit"]]
        activiteiten_totaal = kept.activiteiten
    else:
        activiteiten, activiteiten_totaal = _activiteiten(
            conn, pid, None if lijst == "activiteiten" else ACTIVITEITEN_SHOWN
        )
    return PersoonPage(
        bron=common.source_record(conn, "Persoon", row),
        id=pid,
        nummer=nummer,
        naam=common.persoon_naam(row),
        titels=row["titels"],
        functie=row["functie"],
        geboortedatum=row["geboortedatum"],
        geboorteplaats=row["geboorteplaats"],
        woonplaats=row["woonplaats"],
        overlijdensdatum=row["overlijdensdatum"],
        fractie=leden[0].fractie if leden else row["fractielabel"],
        zittend=zittend,
        foto=bool(row["enclosure"]),
        lidmaatschappen=tuple(leden),
        toezeggingen=tuple(
            OpenToezegging(t["nummer"], t["tekst"], t["status"], t["ministerie"], t["aanmaakdatum"])
            for t in tz
        ),
        open_vragen=open_vragen,
        zaken=zaken,
        activiteiten=tuple(activiteiten),
        geschenken=tuple(Geschenk(g[0], g[1], g[2], g[3]) for g in gifts),
        spreektijd=tuple(for_persoon(conn, pid)),
        zaken_totaal=zaken_totaal,
        activiteiten_totaal=activiteiten_totaal,
        lijst=lijst if lijst in LIJSTEN else None,
        kept=kept,
    )


# ---------------------------------------------------------------- commissie


@dataclass(frozen=True, slots=True)
class Lid:
    persoon: PersoonRef | None
    functie: str | None
    fractie: str | None
    gewicht: int | None


@dataclass(frozen=True, slots=True)
class CommissieZaak:
    zaak: ZaakRef
    relatie: str | None


@dataclass(frozen=True, slots=True)
class CommissiePage:
    id: str
    nummer: str | None
    naam: str | None
    afkorting: str | None
    soort: str | None
    leden: tuple[Lid, ...]
    zaken: tuple[CommissieZaak, ...]
    activiteiten: tuple[ActiviteitRef, ...]
    # the mirrored row under the XSD's names, with its 0..n relations (JSON twin)
    bron: dict[str, Any] = field(default_factory=dict)


def _leden(conn: Connection, commissie_id: str) -> list[Lid]:
    rows = conn.execute(
        "SELECT p.persoon_id, p.functie, z.gewicht FROM commissiezetel z "
        "JOIN commissiezetelvastpersoon p ON p.commissie_zetel_id = z.id "
        "WHERE z.commissie_id = ? AND p.tot_en_met IS NULL ORDER BY z.gewicht NULLS FIRST, p.id",
        (commissie_id,),
    ).fetchall()
    people = common.personen(conn, (r[0] for r in rows))
    fracties = _huidige_fracties(conn, [r[0] for r in rows if r[0]])
    return [Lid(people.get(r[0] or ""), r[1], fracties.get(r[0] or ""), r[2]) for r in rows]


def _huidige_fracties(conn: Connection, persoon_ids: list[str]) -> dict[str, str]:
    if not persoon_ids:
        return {}
    rows = conn.execute(
        "SELECT p.persoon_id, f.afkorting FROM fractiezetelpersoon p "
        "JOIN fractiezetel z ON z.id = p.fractie_zetel_id JOIN fractie f ON f.id = z.fractie_id "
        f"WHERE p.tot_en_met IS NULL AND p.persoon_id IN ({in_list(persoon_ids)})",
        persoon_ids,
    )
    return {r[0]: r[1] for r in rows}


def commissie_page(conn: Connection, ident: str) -> CommissiePage | None:
    row = conn.execute("SELECT * FROM commissie WHERE id = ?", (ident,)).fetchone()
    if row is None:
        return None
    zaken = conn.execute(
        "SELECT z.*, za.relatie AS actor_relatie FROM zaakactor za "
        "JOIN zaak z ON z.id = za.zaak_id WHERE za.commissie_id = ? "
        "ORDER BY z.gestart_op DESC NULLS LAST, z.id LIMIT 20",
        (ident,),
    ).fetchall()
    acts = conn.execute(
        "SELECT * FROM activiteit WHERE id IN ("
        "SELECT id FROM activiteit WHERE voortouwcommissie_id = ? "
        "UNION SELECT activiteit_id FROM activiteitactor WHERE commissie_id = ?) "
        "ORDER BY datum DESC NULLS LAST, id LIMIT 50",
        (ident, ident),
    ).fetchall()
    return CommissiePage(
        bron=common.source_record(conn, "Commissie", row),
        id=ident,
        nummer=row["nummer"],
        naam=row["naam_nl"],
        afkorting=row["afkorting"],
        soort=row["soort"],
        leden=tuple(_leden(conn, ident)),
        zaken=tuple(CommissieZaak(common.zaak_ref(z), z["actor_relatie"]) for z in zaken),
        activiteiten=tuple(common.activiteit_ref(a) for a in acts),
    )
