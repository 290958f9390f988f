"""Speaking time per vergadering and person (all SQL of it).

One row per (vergadering, spreker) from the newest non-Casco verslag of each vergadering;
``spreektijd_bron`` records which verslag file version was read, so a newer verslag or a new
version of the file replaces the numbers and an unchanged one is never read twice. Its
``seq`` grows with every (re)read: the alerts use it as the window position "Spreektijd".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .db import Connection, in_list, upsert_sql
from .migrations import Migrations

MIGRATIONS = Migrations("speaking", "kamerwatch.store", "sql/speaking")


class SpeakingTime(Protocol):
    """What the store reads of a speaking time (``documents.speaking.SpeakingTime``)."""

    @property
    def persoon_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def fractie(self) -> str: ...
    @property
    def voornaam(self) -> str: ...
    @property
    def achternaam(self) -> str: ...
    @property
    def soort(self) -> str: ...
    @property
    def woordvoerder(self) -> int: ...
    @property
    def interrumpant(self) -> int: ...
    @property
    def voorzitter(self) -> int: ...


@dataclass(frozen=True, slots=True)
class PendingVerslag:
    vergadering_id: str
    verslag_id: str
    version: int
    path: str


def pending(conn: Connection) -> list[PendingVerslag]:
    """The current verslag file of each vergadering whose speaking time is not yet read."""
    rows = conn.execute(
        """SELECT v.vergadering_id, v.id, f.version, f.path
           FROM (SELECT id, vergadering_id, row_number() OVER (
                     PARTITION BY vergadering_id ORDER BY skiptoken DESC) AS newest
                 FROM verslag
                 WHERE coalesce(status, '') <> 'Casco' AND vergadering_id IS NOT NULL) v
           JOIN (SELECT entity_id, max(version) AS version FROM resource_file
                 WHERE category = 'Verslag' GROUP BY entity_id) cur ON cur.entity_id = v.id
           JOIN resource_file f ON f.entity_id = cur.entity_id AND f.version = cur.version
           LEFT JOIN spreektijd_bron b ON b.vergadering_id = v.vergadering_id
           WHERE v.newest = 1
             AND (b.vergadering_id IS NULL OR b.verslag_id <> v.id OR b.version <> f.version)"""
    ).fetchall()
    return [PendingVerslag(str(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in rows]


def _persons(conn: Connection, times: Sequence[SpeakingTime]) -> dict[str, str]:
    """spreker objectid → Persoon id: the same id, else voornaam = roepnaam and the verslag's
    achternaam ("Dijk van") = achternaam with or without its tussenvoegsel behind it."""
    found: dict[str, str] = {}
    ids = [t.persoon_id for t in times]
    marks = in_list(ids)
    for (pid,) in conn.execute(f"SELECT id FROM persoon WHERE id IN ({marks})", ids):
        found[str(pid)] = str(pid)
    for t in times:
        if t.persoon_id in found or not t.achternaam or not t.voornaam:
            continue
        row = conn.execute(
            """SELECT id FROM persoon
               WHERE lower(coalesce(roepnaam, '')) = lower(?)
                 AND (lower(achternaam) = lower(?)
                      OR lower(achternaam || ' ' || coalesce(tussenvoegsel, '')) = lower(?)
                      OR lower(coalesce(tussenvoegsel || ' ', '') || achternaam) = lower(?))
               ORDER BY (functie = 'Tweede Kamerlid') DESC NULLS LAST, bijgewerkt DESC NULLS LAST LIMIT 1""",
            (t.voornaam, t.achternaam, t.achternaam, t.achternaam),
        ).fetchone()
        if row:
            found[t.persoon_id] = str(row[0])
    return found


def save(
    conn: Connection,
    item: PendingVerslag,
    times: Sequence[SpeakingTime],
    failure: str | None = None,
) -> None:
    """Replace the numbers of one vergadering (in the caller's transaction)."""
    conn.execute("DELETE FROM spreektijd WHERE vergadering_id = ?", (item.vergadering_id,))
    conn.execute("DELETE FROM spreektijd_bron WHERE vergadering_id = ?", (item.vergadering_id,))
    cur = conn.execute(
        "INSERT INTO spreektijd_bron (vergadering_id, verslag_id, version, failure) "
        "VALUES (?, ?, ?, ?) RETURNING seq",
        (item.vergadering_id, item.verslag_id, item.version, failure),
    )
    seq = cur.fetchone()[0]
    persons = _persons(conn, times) if times else {}
    conn.executemany(
        upsert_sql(
            "spreektijd",
            (
                "vergadering_id",
                "spreker_id",
                "persoon_id",
                "naam",
                "fractie",
                "soort",
                "woordvoerder",
                "interrumpant",
                "voorzitter",
                "seq",
            ),
            ("vergadering_id", "spreker_id"),
        ),
        [
            (
                item.vergadering_id,
                t.persoon_id,
                persons.get(t.persoon_id),
                t.name,
                t.fractie or None,
                t.soort or None,
                t.woordvoerder,
                t.interrumpant,
                t.voorzitter,
                seq,
            )
            for t in times
        ],
    )


def position(conn: Connection) -> int:
    """The newest ``seq``: everything at or below it has been read."""
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM spreektijd_bron").fetchone()
    return int(row[0])


@dataclass(frozen=True, slots=True)
class Seconden:
    """Seconds spoken as woordvoerder, as interrumpant and in the chair."""

    woordvoerder: int
    interrumpant: int
    voorzitter: int

    @property
    def totaal(self) -> int:
        return self.woordvoerder + self.interrumpant + self.voorzitter


@dataclass(frozen=True, slots=True)
class Spreker(Seconden):
    """One speaker of a vergadering (``persoon_nummer`` when matched to a Persoon)."""

    naam: str
    fractie: str | None
    soort: str | None
    persoon_nummer: str | None


def for_vergadering(conn: Connection, vergadering_id: str) -> list[Spreker]:
    rows = conn.execute(
        """SELECT s.naam, s.fractie, s.soort, p.nummer, s.woordvoerder, s.interrumpant,
                  s.voorzitter
           FROM spreektijd s LEFT JOIN persoon p ON p.id = s.persoon_id
           WHERE s.vergadering_id = ?
           ORDER BY s.woordvoerder + s.interrumpant + s.voorzitter DESC NULLS LAST, s.naam NULLS FIRST""",
        (vergadering_id,),
    ).fetchall()
    return [
        Spreker(
            woordvoerder=r[4],
            interrumpant=r[5],
            voorzitter=r[6],
            naam=r[0],
            fractie=r[1],
            soort=r[2],
            persoon_nummer=None if r[3] is None else str(r[3]),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Optreden(Seconden):
    """What one person said in one vergadering."""

    vergadering_id: str
    titel: str | None
    datum: str | None
    soort: str | None


def for_persoon(conn: Connection, persoon_id: str, limit: int = 200) -> list[Optreden]:
    rows = conn.execute(
        """SELECT s.vergadering_id, v.titel, v.datum, v.soort, s.woordvoerder,
                  s.interrumpant, s.voorzitter
           FROM spreektijd s LEFT JOIN vergadering v ON v.id = s.vergadering_id
           WHERE s.persoon_id = ?
           ORDER BY coalesce(v.datum, '') DESC NULLS LAST LIMIT ?""",
        (persoon_id, limit),
    ).fetchall()
    return [
        Optreden(
            woordvoerder=r[4],
            interrumpant=r[5],
            voorzitter=r[6],
            vergadering_id=r[0],
            titel=r[1],
            datum=r[2],
            soort=r[3],
        )
        for r in rows
    ]


def spoken_in_window(
    conn: Connection, persoon_nummer: str, lo: int, hi: int
) -> list[tuple[str, str | None, str | None, int, int, int, str]]:
    """Vergaderingen whose speaking time of this person was read in ``(lo, hi]``:
    (vergadering_id, titel, datum, woordvoerder, interrumpant, voorzitter, naam)."""
    rows = conn.execute(
        """SELECT s.vergadering_id, v.titel, v.datum, s.woordvoerder, s.interrumpant,
                  s.voorzitter, s.naam
           FROM persoon p JOIN spreektijd s ON s.persoon_id = p.id
           LEFT JOIN vergadering v ON v.id = s.vergadering_id
           WHERE p.nummer = ? AND s.seq > ? AND s.seq <= ?
           ORDER BY s.seq""",
        (persoon_nummer, lo, hi),
    ).fetchall()
    return [tuple(r) for r in rows]
