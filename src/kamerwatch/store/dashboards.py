"""The queries behind the dashboards of the site menu (agenda, besluiten, stemmingen, open
questions, commitments, committees, members, dossiers).

Every function takes a read connection and returns dataclasses; nothing here knows about
HTML or URLs. Dates in the mirror are text (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``, Dutch
wall-clock time), so date bounds are compared as text.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, ClassVar

from kamerwatch import votes

from . import media
from .db import Connection, in_list
from .migrations import Migrations
from .mirror import get_meta, set_meta

UITSTEL_SOORT = "Mededeling (uitstel antwoord)"
TE_LAAT_DAGEN = 21
_MINISTRY_RE = re.compile(
    r"^(?:de\s+)?(?:minister|staatssecretaris)(?:-president)?\s+(?:van|voor)\s+", re.I
)


def _rows(conn: Connection, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
    return list(conn.execute(sql, params))


def data_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever the mirror may have changed: the newest raw-log entry and the newest
    stage run (with its end time, so a finished re-parse counts). O(1) lookups, in one
    statement (every page request asks)."""
    row = conn.execute(
        """SELECT (SELECT max(skiptoken) FROM raw_entry),
                  (SELECT id FROM sync_run ORDER BY id DESC LIMIT 1),
                  (SELECT finished_at FROM sync_run ORDER BY id DESC LIMIT 1)"""
    ).fetchone()
    return (row[0], row[1], row[2])


@functools.lru_cache(maxsize=4096)
def ministry_of(functie: str | None) -> str | None:
    """ "minister van Defensie" → "Defensie"; None when it names no ministry."""
    if not functie:
        return None
    stripped = _MINISTRY_RE.sub("", functie.strip())
    return stripped[:1].upper() + stripped[1:] if stripped != functie.strip() else None


# -- activiteiten ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agenda:
    id: str
    nummer: str | None
    soort: str | None
    onderwerp: str | None
    datum: str | None
    aanvangstijd: str | None
    eindtijd: str | None
    locatie: str | None
    besloten: bool
    status: str | None
    noot: str | None
    commissie_id: str | None
    commissie: str | None
    commissie_afkorting: str | None
    bijgewerkt: str | None = None


_AGENDA_COLS = """
    a.id, a.nummer, a.soort, a.onderwerp, a.datum, a.aanvangstijd, a.eindtijd,
    coalesce(z.naam, a.locatie), coalesce(a.besloten, 0), a.status, a.noot,
    a.voortouwcommissie_id, coalesce(c.naam_nl, a.voortouwnaam), coalesce(c.afkorting, a.voortouwafkorting),
    a.bijgewerkt
"""
_AGENDA_FROM = """
    FROM activiteit a
    LEFT JOIN commissie c ON c.id = a.voortouwcommissie_id
    LEFT JOIN link rl ON rl.dst_id = a.id AND rl.src_category = 'Reservering' AND rl.relation = 'activiteit'
    LEFT JOIN reservering r ON r.id = rl.src_id
    LEFT JOIN zaal z ON z.id = r.zaal_id
"""


def _agenda(row: Any) -> Agenda:
    return Agenda(*(*row[:8], bool(row[8]), *row[9:]))


def activiteiten(
    conn: Connection,
    *,
    van: date,
    tot: date | None = None,
    commissie_id: str | None = None,
    soort: str | None = None,
    limit: int = 500,
) -> list[Agenda]:
    """Dated activities from ``van`` up to and including ``tot``, ascending by time."""
    where = ["a.datum >= ?"]
    params: list[object] = [van.isoformat()]
    if tot is not None:
        where.append("a.datum < ?")
        params.append((tot + timedelta(days=1)).isoformat())
    if commissie_id:
        where.append("a.voortouwcommissie_id = ?")
        params.append(commissie_id)
    if soort:
        where.append("a.soort = ?")
        params.append(soort)
    sql = (
        f"SELECT DISTINCT {_AGENDA_COLS} {_AGENDA_FROM} WHERE {' AND '.join(where)} "
        "ORDER BY a.datum NULLS FIRST, a.aanvangstijd NULLS FIRST, a.nummer NULLS FIRST, a.id LIMIT ?"
    )
    return [_agenda(r) for r in _rows(conn, sql, (*params, limit))]


def ongeplande_activiteiten(
    conn: Connection, *, commissie_id: str | None = None, limit: int = 500
) -> list[Agenda]:
    """Activities without a date, the most recently changed first."""
    where = "a.datum IS NULL" + (" AND a.voortouwcommissie_id = ?" if commissie_id else "")
    params: tuple[object, ...] = (commissie_id,) if commissie_id else ()
    sql = f"SELECT DISTINCT {_AGENDA_COLS} {_AGENDA_FROM} WHERE {where} ORDER BY a.bijgewerkt DESC NULLS LAST, a.id LIMIT ?"
    return [_agenda(r) for r in _rows(conn, sql, (*params, limit))]


def activity_soorten(conn: Connection) -> list[str]:
    return [
        r[0]
        for r in _rows(
            conn,
            "SELECT DISTINCT soort FROM activiteit WHERE soort IS NOT NULL ORDER BY soort NULLS FIRST",
        )
    ]


@dataclass(frozen=True, slots=True)
class CommissieChoice:
    id: str
    naam: str
    afkorting: str | None


def commissie_choices(conn: Connection) -> list[CommissieChoice]:
    rows = _rows(
        conn,
        "SELECT id, coalesce(naam_nl, afkorting, id), afkorting FROM commissie "
        "WHERE datum_inactief IS NULL ORDER BY naam_nl NULLS FIRST, id",
    )
    return [CommissieChoice(*r) for r in rows]


# -- besluiten and stemmingen ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZaakKort:
    id: str
    nummer: str | None
    soort: str | None
    onderwerp: str | None
    indiener: str | None
    indiener_fractie: str | None


@dataclass(frozen=True, slots=True)
class FractieStem:
    fractie: str
    zetels: int
    soort: str  # Voor / Tegen / Niet deelgenomen
    vergissing: bool = False  # the fractie declared it voted by mistake (the vote stands)

    # as votes.tally reads a vote (votes.Counted): a party's row, its seats
    persoon_id: ClassVar[None] = None

    @property
    def fractie_grootte(self) -> int:
        return self.zetels


@dataclass(frozen=True, slots=True)
class PersoonStem:
    naam: str
    fractie: str | None
    soort: str
    persoon_id: str | None
    vergissing: bool = False

    # as votes.tally reads a vote (votes.Counted): a member's row, no party size
    fractie_grootte: ClassVar[None] = None


@dataclass(frozen=True, slots=True)
class Besluit:
    id: str
    datum: str | None  # of the activity (the meeting that decided)
    activiteit_nummer: str | None
    activiteit_soort: str | None
    agendapunt: str | None
    soort: str | None
    tekst: str | None
    status: str | None
    stemmings_soort: str | None
    zaken: list[ZaakKort] = field(default_factory=list)
    fracties: list[FractieStem] = field(default_factory=list)
    personen: list[PersoonStem] = field(default_factory=list)
    # the counts, made once (the page, its JSON twin and its CSV read them several times);
    # the vote lists are complete before anything asks (_with_details fills them first)
    _telling: dict[str, int] | None = field(
        default=None, init=False, repr=False, compare=False, metadata={"json": False}
    )

    JSON_PROPERTIES: ClassVar[tuple[str, ...]] = (
        "uitslag",
        "uitslag_soort",
        "aangenomen",
        "voor",
        "tegen",
        "telling_wijkt_af",
        "afwijkers",
    )

    @property
    def verdeling(self) -> list[FractieStem]:
        """Seats per party and side: the party votes as cast; in a roll call each party's
        members per side (one seat each), largest first."""
        if not self.personen:
            return list(self.fracties)
        seats: dict[tuple[str, str], int] = {}
        for p in self.personen:
            key = (p.fractie or "?", p.soort)
            seats[key] = seats.get(key, 0) + 1
        return [
            FractieStem(f, n, s)
            for (f, s), n in sorted(seats.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    def stem_van(self, fractie: str) -> str | None:
        """How ``fractie`` voted: its party vote, or in a roll call the side most of its
        members took ("Verdeeld" when as many went each way); None when it did not vote."""
        for f in self.fracties:
            if f.fractie == fractie:
                return f.soort
        return _party_lines(self.personen).get(fractie)

    @property
    def afwijkers(self) -> list[PersoonStem]:
        """In a roll call: the members who voted Voor/Tegen against their party's line (the
        side most of its members took), by party and name."""
        lines = _party_lines(self.personen)
        return sorted(
            (
                p
                for p in self.personen
                if p.soort in ("Voor", "Tegen")
                and lines.get(p.fractie or "") in ("Voor", "Tegen")
                and p.soort != lines.get(p.fractie or "")
            ),
            key=lambda p: (p.fractie or "", p.naam, p.persoon_id or ""),
        )

    @property
    def voor(self) -> int:
        return self.telling.get("Voor", 0)

    @property
    def tegen(self) -> int:
        return self.telling.get("Tegen", 0)

    @property
    def telling(self) -> dict[str, int]:
        """Seats (members in a roll call) per kind of vote, every vote as cast."""
        counted = self._telling
        if counted is None:
            counted = votes.tally([*self.personen, *self.fracties])
            object.__setattr__(self, "_telling", counted)
        return counted

    @property
    def uitslag_soort(self) -> str | None:
        """The official kind of outcome (besluitSoort): aangenomen, verworpen, niet aangenomen…"""
        return votes.outcome_kind(self.soort, self.tekst)

    @property
    def uitslag(self) -> str | None:
        """The official outcome as written (besluitTekst), when the besluit is a vote outcome."""
        if self.uitslag_soort is None:
            return None
        return votes.official_label(self.soort, self.tekst)

    @property
    def aangenomen(self) -> bool | None:
        """True/False for an officially decided vote, None when there was none (yet)."""
        return votes.adopted(self.uitslag_soort)

    @property
    def telling_wijkt_af(self) -> bool:
        """The counts point elsewhere than the official outcome (shown, not hidden)."""
        return votes.counts_disagree(self.uitslag_soort, self.telling)


def fractie_afkortingen(conn: Connection) -> list[str]:
    """Every party abbreviation the mirror knows (current and former parties), A–Z."""
    rows = _rows(
        conn,
        "SELECT DISTINCT afkorting FROM fractie WHERE afkorting IS NOT NULL ORDER BY afkorting",
    )
    return [r[0] for r in rows]


def _party_lines(personen: list[PersoonStem]) -> dict[str, str]:
    """Per party in a roll call: the side (Voor/Tegen) most of its voting members took,
    "Verdeeld" on a tie; members not taking part do not count."""
    counts: dict[str, dict[str, int]] = {}
    for p in personen:
        if p.fractie and p.soort in ("Voor", "Tegen"):
            side = counts.setdefault(p.fractie, {"Voor": 0, "Tegen": 0})
            side[p.soort] += 1
    return {
        f: "Voor" if c["Voor"] > c["Tegen"] else "Tegen" if c["Tegen"] > c["Voor"] else "Verdeeld"
        for f, c in counts.items()
    }


def _zaken_of(conn: Connection, besluit_ids: list[str]) -> dict[str, list[ZaakKort]]:
    if not besluit_ids:
        return {}
    rows = _rows(
        conn,
        f"""SELECT l.src_id, z.id, z.nummer, z.soort, z.onderwerp,
                   (SELECT actor_naam FROM zaakactor WHERE zaak_id = z.id AND relatie = 'Indiener' LIMIT 1),
                   (SELECT actor_fractie FROM zaakactor WHERE zaak_id = z.id AND relatie = 'Indiener' LIMIT 1)
            FROM link l JOIN zaak z ON z.id = l.dst_id
            WHERE l.src_id IN ({in_list(besluit_ids)}) AND l.relation = 'zaak'
            ORDER BY l.src_id NULLS FIRST, l.pos NULLS FIRST""",
        tuple(besluit_ids),
    )
    out: dict[str, list[ZaakKort]] = {}
    for src, *rest in rows:
        out.setdefault(src, []).append(ZaakKort(*rest))
    return out


def _votes_of(
    conn: Connection, besluit_ids: list[str]
) -> tuple[dict[str, list[FractieStem]], dict[str, list[PersoonStem]]]:
    fracties: dict[str, list[FractieStem]] = {}
    personen: dict[str, list[PersoonStem]] = {}
    if not besluit_ids:
        return fracties, personen
    rows = _rows(
        conn,
        f"""SELECT s.besluit_id, s.persoon_id, coalesce(f.afkorting, s.actor_fractie, s.actor_naam),
                   coalesce(s.fractie_grootte, 0), s.soort, s.actor_naam, coalesce(s.vergissing, 0)
            FROM stemming s LEFT JOIN fractie f ON f.id = s.fractie_id
            WHERE s.besluit_id IN ({in_list(besluit_ids)})
            ORDER BY s.besluit_id NULLS FIRST, s.fractie_grootte DESC NULLS LAST, 3 NULLS FIRST, s.actor_naam NULLS FIRST, s.id""",
        tuple(besluit_ids),
    )
    for bid, persoon_id, fractie, zetels, soort, naam, mistake in rows:
        if persoon_id:
            personen.setdefault(bid, []).append(
                PersoonStem(naam or "", fractie, soort or "", persoon_id, bool(mistake))
            )
        else:
            fracties.setdefault(bid, []).append(
                FractieStem(fractie or "?", int(zetels), soort or "", bool(mistake))
            )
    return fracties, personen


_BESLUIT_SQL = """
    SELECT b.id, a.datum, a.nummer, a.soort, ap.onderwerp, b.besluit_soort, b.besluit_tekst,
           b.status, b.stemmings_soort
    FROM activiteit a
    JOIN agendapunt ap ON ap.activiteit_id = a.id
    JOIN besluit b ON b.agendapunt_id = ap.id
"""
_NO_END = "9999"  # after every date text: the window's end when it has none


def _besluit_rows(
    conn: Connection, van: date, tot: date | None, alleen_stemmingen: bool, limit: int
) -> list[Besluit]:
    """The besluiten of activities in [van, tot], newest first, without zaken and votes.
    The activities of the window are found first (the date index), then their agendapunten
    and besluiten (their indexes). The window always has an end (:data:`_NO_END` when open):
    with only a start SQLite's planner reads every besluit instead."""
    end = (tot + timedelta(days=1)).isoformat() if tot is not None else _NO_END
    where = ["a.datum >= ?", "a.datum < ?", "coalesce(b.besluit_tekst, '') <> 'Ingediend'"]
    if alleen_stemmingen:
        where.append("b.stemmings_soort IN ('Met handopsteken', 'Hoofdelijk')")
    sql = (
        f"{_BESLUIT_SQL} WHERE {' AND '.join(where)} "
        "ORDER BY a.datum DESC NULLS LAST, a.nummer NULLS FIRST, b.agendapunt_zaak_besluit_volgorde NULLS FIRST, b.id LIMIT ?"
    )
    return [Besluit(*r) for r in _rows(conn, sql, (van.isoformat(), end, limit))]


def _with_details(conn: Connection, items: list[Besluit]) -> list[Besluit]:
    """The besluiten with their zaken and votes filled in."""
    ids = [b.id for b in items]
    zaken = _zaken_of(conn, ids)
    fracties, personen = _votes_of(conn, ids)
    for b in items:
        b.zaken.extend(zaken.get(b.id, ()))
        b.fracties.extend(fracties.get(b.id, ()))
        b.personen.extend(personen.get(b.id, ()))
    return items


def besluiten(
    conn: Connection,
    *,
    van: date,
    tot: date | None = None,
    alleen_stemmingen: bool = False,
    limit: int = 300,
) -> list[Besluit]:
    """Besluiten of activities in [van, tot], newest first, with zaken and votes."""
    return _with_details(conn, _besluit_rows(conn, van, tot, alleen_stemmingen, limit))


def stemmingen(
    conn: Connection,
    *,
    van: date | None,
    tot: date | None,
    today: date,
    resultaat: str | None = None,  # "aangenomen" / "verworpen"
    fractie: str | None = None,  # afkorting: only votes where this fractie voted
    stem: str | None = None,  # with fractie: only votes where it voted so (Voor / Tegen)
    minimum: int = 20,
    limit: int = 300,
) -> tuple[list[Besluit], date]:
    """Decided votes, newest first. Without ``van`` the window starts two weeks back and is
    widened (up to a year) until there are at least ``minimum``; returns the window start."""
    start = van or today - timedelta(days=14)
    while True:
        found = _besluit_rows(conn, start, tot, True, limit)
        if van is not None or len(found) >= minimum or start <= today - timedelta(days=365):
            break
        start -= timedelta(days=28)
    found = _with_details(conn, found)
    if resultaat in ("aangenomen", "verworpen"):
        want = resultaat == "aangenomen"
        found = [b for b in found if b.aangenomen is want]
    if fractie:
        found = [
            b
            for b in found
            if any(f.fractie == fractie for f in b.fracties)
            or any(p.fractie == fractie for p in b.personen)
        ]
        if stem:
            found = [b for b in found if b.stem_van(fractie) == stem]
    return found, start


# -- open written questions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenVraag:
    zaak_id: str
    zaak_nummer: str | None
    onderwerp: str | None
    gestart_op: str | None
    dagen_open: int
    uitstel: bool
    te_laat: bool
    indieners: list[str]
    fracties: list[str]
    gericht_aan: list[str]
    ministeries: list[str]
    document_nummer: str | None
    aantal_vragen: int | None = None  # <vraag> in the official publication (issue #24)
    # "Naam (FRACTIE)" per submitter and "Naam, functie" per addressee (ZaakActor), #25.8
    indieners_met_fractie: list[str] = field(default_factory=list)
    gericht_aan_functie: list[str] = field(default_factory=list)


# (zaak id, nummer, onderwerp, gestart_op, uitstel, document nummer, [(naam, fractie)] of the
# submitters, [(naam, functie)] of the addressees): an open question as the overview keeps it
_Vraag = tuple[
    str,
    str | None,
    str | None,
    str | None,
    bool,
    str | None,
    list[tuple[str, str]],
    list[tuple[str, str]],
]


@dataclass(frozen=True, slots=True)
class OpenVragen:
    vragen: list[OpenVraag]
    totaal: int
    te_laat: int
    met_uitstel: int
    per_fractie: list[tuple[str, int]]
    per_ministerie: list[tuple[str, int]]


def _live_vragen(conn: Connection) -> list[_Vraag]:
    """The open written questions from the mirror, oldest first, as :data:`_Vraag`."""
    # One pass: the open candidates (index on soort, afgedaan) with the documents of their zaak.
    found = _rows(
        conn,
        """SELECT z.id, z.nummer, z.onderwerp, z.gestart_op, d.soort, d.onderwerp, d.document_nummer
           FROM zaak z
           LEFT JOIN link l ON l.dst_id = z.id AND l.src_category = 'Document' AND l.relation = 'zaak'
           LEFT JOIN document d ON d.id = l.src_id
           WHERE z.soort = 'Schriftelijke vragen' AND (z.afgedaan = 0 OR z.afgedaan IS NULL)
           ORDER BY z.gestart_op NULLS FIRST, z.id""",
    )
    rows: list[list[Any]] = []
    closed: set[str] = set()
    by_zaak: dict[str, list[Any]] = {}
    for zid, nummer, onderwerp, gestart, soort, doc_onderwerp, doc_nummer in found:
        entry = by_zaak.get(zid)
        if entry is None:
            entry = by_zaak[zid] = [zid, nummer, onderwerp, gestart, False, None]
            rows.append(entry)
        soort = soort or ""
        if soort.startswith("Antwoord schriftelijke vragen") or _withdrawal(soort, doc_onderwerp):
            closed.add(zid)
        elif soort == UITSTEL_SOORT:
            entry[4] = True
        elif soort == "Schriftelijke vragen" and entry[5] is None:
            entry[5] = doc_nummer
    # their askers and addressees, in one pass over the same candidates (no list of ids)
    indieners: dict[str, list[tuple[str, str]]] = {}
    gericht: dict[str, list[tuple[str, str]]] = {}
    for zid, relatie, naam, fractie_, functie in _rows(
        conn,
        """SELECT za.zaak_id, za.relatie, za.actor_naam, za.actor_fractie, za.functie
           FROM zaak z JOIN zaakactor za ON za.zaak_id = z.id
           WHERE z.soort = 'Schriftelijke vragen' AND (z.afgedaan = 0 OR z.afgedaan IS NULL)
             AND za.relatie IN ('Indiener', 'Medeindiener', 'Gericht aan')""",
    ):
        if relatie == "Gericht aan":
            gericht.setdefault(zid, []).append((naam or "", functie or naam or ""))
        else:
            indieners.setdefault(zid, []).append((naam or "", fractie_ or ""))
    return [
        (
            zid,
            nummer,
            onderwerp,
            gestart,
            bool(uitstel),
            doc,
            indieners.get(zid, []),
            gericht.get(zid, []),
        )
        for zid, nummer, onderwerp, gestart, uitstel, doc in rows
        if zid not in closed
    ]


def _open_vraag(v: _Vraag, today: date, counts: dict[str, int]) -> OpenVraag:
    zid, nummer, onderwerp, gestart, uitstel, doc_nummer, asked, to = v
    dagen = (today - date.fromisoformat(gestart[:10])).days if gestart else 0
    return OpenVraag(
        zid,
        nummer,
        onderwerp,
        gestart,
        dagen,
        uitstel,
        dagen > TE_LAAT_DAGEN and not uitstel,
        [a[0] for a in asked],
        sorted({a[1] for a in asked if a[1]}),
        [a[0] for a in to],
        sorted({m for a in to if (m := ministry_of(a[1]))}),
        doc_nummer,
        counts.get(nummer or ""),
        [f"{naam} ({partij})" if partij else naam for naam, partij in asked],
        [_addressee(naam, functie) for naam, functie in to],
    )


def _vraag_groepen(v: _Vraag) -> list[tuple[str, str]]:
    """(groep, naam) of a question: its submitters' fracties and its addressees' ministries."""
    fracties = sorted({a[1] for a in v[6] if a[1]})
    ministeries = sorted({m for a in v[7] if (m := ministry_of(a[1]))})
    return [("fractie", f) for f in fracties] + [("ministerie", m) for m in ministeries]


# An open question as the CSV download lists it, the fields of its :class:`OpenVraag` the
# download shows, in its column order: (gestart_op, dagen_open, te_laat, uitstel, zaak_nummer,
# document_nummer, onderwerp, indieners, fracties, gericht_aan, ministeries). Made straight
# from the narrow rows, without the page objects (issue #28: the download's first render).
VraagRij = tuple[
    str | None,
    int,
    bool,
    bool,
    str | None,
    str | None,
    str | None,
    list[str],
    list[str],
    list[str],
    list[str],
]


def _vraag_rijen(vragen: Iterable[_Vraag], today: date) -> list[VraagRij]:
    """The questions as :data:`VraagRij`, each field as :func:`_open_vraag` computes it (the
    days open per start day and the ministry per function computed once)."""
    days: dict[str, int] = {}
    ministries: dict[str, str | None] = {}
    rijen: list[VraagRij] = []
    for _zid, nummer, onderwerp, gestart, uitstel, doc_nummer, asked, to in vragen:
        dagen = 0
        if gestart:
            known = days.get(gestart[:10])
            if known is None:
                known = days[gestart[:10]] = (today - date.fromisoformat(gestart[:10])).days
            dagen = known
        named: set[str] = set()
        for a in to:
            functie = a[1]
            if functie not in ministries:
                ministries[functie] = ministry_of(functie)
            if m := ministries[functie]:
                named.add(m)
        rijen.append(
            (
                gestart,
                dagen,
                dagen > TE_LAAT_DAGEN and not uitstel,
                uitstel,
                nummer,
                doc_nummer,
                onderwerp,
                [a[0] for a in asked],
                sorted({a[1] for a in asked if a[1]}),
                [a[0] for a in to],
                sorted(named),
            )
        )
    return rijen


@dataclass(frozen=True, slots=True)
class OpenVragenIndex:
    """The open questions a filter keeps (``totaal``, late, postponed; the questions
    themselves in list order from ``vragen_of(conn, offset, limit)``, all with ``limit`` None,
    and all as the CSV download's narrow :data:`VraagRij` from ``rijen_of(conn)``), with the
    counts per fractie and ministry over all open questions."""

    totaal: int
    te_laat: int
    met_uitstel: int
    per_fractie: list[tuple[str, int]]
    per_ministerie: list[tuple[str, int]]
    vragen_of: Callable[[Connection, int, int | None], list[OpenVraag]]
    rijen_of: Callable[[Connection], list[VraagRij]]


def open_vragen_index(
    conn: Connection,
    *,
    today: date,
    fractie: str | None = None,
    ministerie: str | None = None,
) -> OpenVragenIndex:
    """Schriftelijke vragen without an answer (also "nader") or a withdrawal notice in the same
    zaak, oldest first: from ``vraag_overzicht`` when it is current, else live from the
    mirror (the same answers). A question is "te laat" after three weeks without an answer
    or a postponement notice. Without the number of questions of the official publication
    (:func:`with_question_counts` adds it to a few)."""
    if overzicht_current(conn):
        return _stored_vragen(conn, today, fractie, ministerie)
    items = _live_vragen(conn)
    groepen = {v[0]: _vraag_groepen(v) for v in items}
    per_fractie = Counter(n for v in items for g, n in groepen[v[0]] if g == "fractie")
    per_ministerie = Counter(n for v in items for g, n in groepen[v[0]] if g == "ministerie")
    chosen = [
        v
        for v in items
        if (not fractie or ("fractie", fractie) in groepen[v[0]])
        and (not ministerie or ("ministerie", ministerie) in groepen[v[0]])
    ]
    kept = [_open_vraag(v, today, {}) for v in chosen]
    return OpenVragenIndex(
        len(kept),
        sum(v.te_laat for v in kept),
        sum(v.uitstel for v in kept),
        _counted(per_fractie),
        _counted(per_ministerie),
        lambda _conn, offset, limit: kept[offset : None if limit is None else offset + limit],
        lambda _conn: _vraag_rijen(chosen, today),
    )


def _stored_vragen(
    conn: Connection, today: date, fractie: str | None, ministerie: str | None
) -> OpenVragenIndex:
    condition, values = "", []
    for groep, naam in (("fractie", fractie), ("ministerie", ministerie)):
        if naam:
            condition += (
                " AND zaak_id IN (SELECT zaak_id FROM vraag_groep WHERE groep = ? AND naam = ?)"
            )
            values += [groep, naam]
    late_before = (today - timedelta(days=TE_LAAT_DAGEN)).isoformat()
    totaal, te_laat, uitstel = conn.execute(
        f"""SELECT count(*),
                   coalesce(sum(CASE WHEN uitstel = 0 AND dag < ? THEN 1 ELSE 0 END), 0),
                   coalesce(sum(uitstel), 0)
            FROM vraag_overzicht WHERE 1 = 1{condition}""",
        (late_before, *values),
    ).fetchone()

    def per(groep: str) -> list[tuple[str, int]]:
        rows = _rows(
            conn, "SELECT naam, count(*) FROM vraag_groep WHERE groep = ? GROUP BY naam", (groep,)
        )
        return _counted(Counter({naam: int(n) for naam, n in rows}))

    def vragen_of(conn: Connection, offset: int, limit: int | None) -> list[OpenVraag]:
        window = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = _rows(
            conn,
            f"""SELECT zaak_id, nummer, onderwerp, gestart_op, uitstel, document_nummer,
                       indieners, gericht
                FROM vraag_overzicht WHERE 1 = 1{condition} ORDER BY volgorde{window}""",
            tuple(values),
        )
        return [
            _open_vraag(
                (
                    z,
                    n,
                    o,
                    g,
                    bool(u),
                    d,
                    [tuple(x) for x in json.loads(i)],
                    [tuple(x) for x in json.loads(r)],
                ),
                today,
                {},
            )
            for z, n, o, g, u, d, i, r in rows
        ]

    def rijen_of(conn: Connection) -> list[VraagRij]:
        rows = _rows(
            conn,
            f"""SELECT nummer, onderwerp, gestart_op, uitstel, document_nummer, indieners, gericht
                FROM vraag_overzicht WHERE 1 = 1{condition} ORDER BY volgorde""",
            tuple(values),
        )
        # the stored lists decoded in one go: one JSON array of [indieners, gericht] per row
        people = json.loads("[" + ",".join([f"[{r[5]},{r[6]}]" for r in rows]) + "]")
        return _vraag_rijen(
            (
                ("", n, o, g, bool(u), d, asked, to)
                for (n, o, g, u, d, _i, _r), (asked, to) in zip(rows, people, strict=True)
            ),
            today,
        )

    return OpenVragenIndex(
        int(totaal),
        int(te_laat),
        int(uitstel),
        per("fractie"),
        per("ministerie"),
        vragen_of,
        rijen_of,
    )


def open_vragen(
    conn: Connection,
    *,
    today: date,
    fractie: str | None = None,
    ministerie: str | None = None,
    question_counts: bool = True,
) -> OpenVragen:
    """Every open written question a filter keeps (:func:`open_vragen_index`), with the
    number of questions of the official publication unless ``question_counts`` is False."""
    index = open_vragen_index(conn, today=today, fractie=fractie, ministerie=ministerie)
    vragen = index.vragen_of(conn, 0, None)
    if question_counts:
        vragen = with_question_counts(conn, vragen)
    return OpenVragen(
        vragen,
        index.totaal,
        index.te_laat,
        index.met_uitstel,
        index.per_fractie,
        index.per_ministerie,
    )


def with_question_counts(conn: Connection, vragen: list[OpenVraag]) -> list[OpenVraag]:
    """The questions with the number of questions of their official publication."""
    counts = media.question_counts_by_zaak(conn, [v.zaak_nummer for v in vragen if v.zaak_nummer])
    return [replace(v, aantal_vragen=counts.get(v.zaak_nummer or "")) for v in vragen]


def _addressee(naam: str, functie: str) -> str:
    """ "D. de Eekbrugge, minister van Financiën": the name with the function it was
    addressed to (once, when the name does not already say it)."""
    if not functie or functie.lower() in naam.lower():
        return naam or functie
    return f"{naam}, {functie}" if naam else functie


def _withdrawal(soort: str, onderwerp: str | None) -> bool:
    text = (onderwerp or "").lower()
    return soort.startswith("Mededeling") and ("intrek" in text or "ingetrokken" in text)


# -- toezeggingen ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Toezegging:
    id: str
    nummer: str | None
    tekst: str | None
    status: str | None
    toezegger: str | None
    functie: str | None
    ministerie: str | None
    aanmaakdatum: str | None
    datum_nakoming: str | None
    dagen_open: int
    fractie: str | None
    persoon: str | None
    commissie: str | None
    commissie_id: str | None
    activiteit_nummer: str | None
    # the deadline passed while still owed: how many days ago (None: not late)
    dagen_te_laat: int | None = None
    # the fulfilling letters (kamerbriefNakoming) as the feed names them, with the document
    # number where the mirror has that document
    nakoming: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class OpenToezeggingen:
    items: list[Toezegging]
    totaal: int
    per_fractie: list[tuple[str, int]]
    per_commissie: list[tuple[str, int]]
    per_ministerie: list[tuple[str, int]]


def _nested_recipients(
    conn: Connection, ids: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(fractie afkorting, persoon naam) of the first nested ``toegezegdAan`` (the live
    feed's form) of each toezegging that has one."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = _rows(
            conn,
            f"""SELECT l.src_id, l.relation, f.afkorting, nullif({_NAAM}, '')
                FROM link l
                LEFT JOIN fractie f ON f.id = l.dst_id AND l.relation = 'toegezegdAan/fractie'
                LEFT JOIN persoon p ON p.id = l.dst_id AND l.relation = 'toegezegdAan/persoon'
                WHERE l.src_id IN ({in_list(chunk)}) AND l.pos = 0
                  AND l.relation IN ('toegezegdAan/fractie', 'toegezegdAan/persoon')
                ORDER BY l.src_id NULLS FIRST, l.relation NULLS FIRST""",
            tuple(chunk),
        )
        for src, relation, afkorting, naam in rows:
            fractie, persoon = out.get(src, (None, None))
            if relation.endswith("fractie"):
                fractie = afkorting
            else:
                persoon = naam
            out[src] = (fractie, persoon)
    return out


_OPEN_TOEZEGGING = "t.status IN ('Openstaand', 'Deels Voldaan', 'Deels voldaan')"
# the status filter of the dashboard (#25.6): the feed's values per choice (lower-cased);
# "open" are those still owed (also the partly fulfilled), "alles" every status
TOEZEGGING_STATUS: dict[str, tuple[str, ...] | None] = {
    "open": ("openstaand", "deels voldaan"),
    "deels": ("deels voldaan",),
    "voldaan": ("voldaan",),
    "vervallen": ("vervallen",),
    "alles": None,
}


def _status_condition(status: str) -> str:
    """The SQL condition on ``t.status`` of a status choice (literals from the table above)."""
    wanted = TOEZEGGING_STATUS[status]
    if wanted is None:
        return "1 = 1"
    return f"lower(coalesce(t.status, '')) IN ({', '.join(repr(v) for v in wanted)})"


_TOEZEGGING_ORDER = "ORDER BY t.aanmaakdatum NULLS FIRST, t.nummer NULLS FIRST, t.id"


@dataclass(frozen=True, slots=True)
class ToezeggingIndex:
    """The commitments of a status a filter keeps (``totaal``; their ids in list order from
    ``ids_of(conn, offset, limit)``, all with ``limit`` None), with the counts per group
    over all of that status: what a page of the dashboard needs before its rows."""

    totaal: int
    ids_of: Callable[[Connection, int, int | None], list[str]]
    per_fractie: list[tuple[str, int]]
    per_commissie: list[tuple[str, int]]
    per_ministerie: list[tuple[str, int]]
    per_toezegger: list[tuple[str, int]] = field(default_factory=list)
    te_laat: int = 0  # of the kept ones: past the deadline while still owed (with ``today``)


# -- the commitments' overview, kept at the end of every sync (issue #28) ---------------------

MIGRATIONS = Migrations("overzicht", "kamerwatch.store", "sql/overzicht")
OVERZICHT_STAND = "overzicht"  # meta: the newest raw-log entry the overviews were computed from

# (id, fractie afkorting, committee id, committee name, ministry, minister, status lower-cased,
# deadline as a valid ISO day or None): a commitment as the dashboard groups and filters it
_Item = tuple[str, str | None, str | None, str | None, str | None, str | None, str, str | None]
_OWED = ("openstaand", "deels voldaan")  # still owed: can be late
_GROEPEN = ("fractie", "commissie", "ministerie", "toezegger")  # counted in toezegging_telling


def _mirror_position(conn: Connection) -> str:
    return str(conn.execute("SELECT max(skiptoken) FROM raw_entry").fetchone()[0])


def overzicht_current(conn: Connection) -> bool:
    """Whether the overviews (``toezegging_overzicht``, ``vraag_overzicht``,
    ``dossier_telling``, ``dossier_recent``) were computed from the mirror as it is now."""
    return get_meta(conn, OVERZICHT_STAND) == _mirror_position(conn)


def refresh_overzicht(conn: Connection) -> int:
    """Recompute the overviews (commitments, open questions) from the mirror (inside a
    transaction; a no-op when they are current); returns the number of commitments and
    open questions written (0 when they were current)."""
    if overzicht_current(conn):
        return 0
    items = _live_items(conn, "alles")
    conn.execute("DELETE FROM toezegging_overzicht")
    conn.executemany(
        "INSERT INTO toezegging_overzicht (id, volgorde, fractie, commissie_id, commissie,"
        " ministerie, toezegger, status, termijn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(item[0], n, *item[1:]) for n, item in enumerate(items)],
    )
    counts: Counter[tuple[str, str, str]] = Counter()
    for item in items:
        for groep, naam in zip(_GROEPEN, (item[1], item[3], item[4], item[5]), strict=True):
            if naam:
                counts[(item[6], groep, naam)] += 1
    conn.execute("DELETE FROM toezegging_telling")
    conn.executemany(
        "INSERT INTO toezegging_telling (status, groep, naam, aantal) VALUES (?, ?, ?, ?)",
        [(*key, n) for key, n in sorted(counts.items())],
    )
    vragen = _live_vragen(conn)
    conn.execute("DELETE FROM vraag_overzicht")
    conn.executemany(
        "INSERT INTO vraag_overzicht (zaak_id, volgorde, nummer, onderwerp, gestart_op, dag,"
        " uitstel, document_nummer, indieners, gericht) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                v[0],
                n,
                v[1],
                v[2],
                v[3],
                _day(v[3]),
                int(v[4]),
                v[5],
                json.dumps(v[6], ensure_ascii=False),
                json.dumps(v[7], ensure_ascii=False),
            )
            for n, v in enumerate(vragen)
        ],
    )
    conn.execute("DELETE FROM vraag_groep")
    conn.executemany(
        "INSERT INTO vraag_groep (groep, naam, zaak_id) VALUES (?, ?, ?)",
        [(groep, naam, v[0]) for v in vragen for groep, naam in _vraag_groepen(v)],
    )
    conn.execute("DELETE FROM dossier_telling")
    conn.execute(
        "INSERT INTO dossier_telling (kamerstukdossier_id, aantal)"
        " SELECT kamerstukdossier_id, count(*) FROM document"
        " WHERE kamerstukdossier_id IS NOT NULL GROUP BY kamerstukdossier_id"
    )
    conn.execute("DELETE FROM dossier_recent")
    conn.execute(
        f"INSERT INTO dossier_recent (kamerstukdossier_id, laatste) {_RECENT_DOSSIERS}",
        (RECENT_DOCUMENTS,),
    )
    people = _refresh_persoon_overzicht(conn)
    set_meta(conn, OVERZICHT_STAND, _mirror_position(conn))
    return len(items) + len(vragen) + people


def forget_overzicht(conn: Connection) -> None:
    """Mark the overviews out of date (a re-parse is rebuilding the mirror)."""
    set_meta(conn, OVERZICHT_STAND, None)


def _day(value: str | None) -> str | None:
    """The ISO day a date(-time) text starts with, None when it has none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _live_items(conn: Connection, status: str) -> list[_Item]:
    """The commitments of a status in list order, as :data:`_Item`, from the mirror: one
    narrow pass (no text, no names), fracties, persons and committees looked up in memory,
    the nested recipients only for the commitments without a direct one."""
    rows = _rows(
        conn,
        f"""SELECT t.id, t.toegezegd_aan_fractie_id, t.toegezegd_aan_persoon_id,
                   a.voortouwcommissie_id, t.ministerie,
                   nullif(trim(coalesce(t.functie || ' ', '') ||
                               coalesce(t.initialen || ' ', '') ||
                               coalesce(t.naam, t.achternaam, '')), ''),
                   lower(coalesce(t.status, '')), t.datum_nakoming
            FROM toezegging t LEFT JOIN activiteit a ON a.id = t.activiteit_id
            WHERE {_status_condition(status)} {_TOEZEGGING_ORDER}""",
    )
    fracties = dict(_rows(conn, "SELECT id, afkorting FROM fractie"))
    commissie_namen = dict(_rows(conn, "SELECT id, naam_nl FROM commissie"))
    named = {
        r[0]
        for r in _rows(
            conn,
            f"""SELECT p.id FROM persoon p
                WHERE p.id IN (SELECT t.toegezegd_aan_persoon_id FROM toezegging t
                               WHERE {_status_condition(status)})
                  AND {_NAAM} <> ''""",
        )
    }
    bare = [r[0] for r in rows if fracties.get(r[1]) is None and r[2] not in named]
    nested = _nested_recipients(conn, bare) if bare else {}
    items: list[_Item] = []
    for tid, fractie_id, _persoon_id, voortouw, min_, wie, stand, deadline in rows:
        afkorting = fracties.get(fractie_id)
        if tid in nested and any(nested[tid]):
            afkorting = nested[tid][0]
        cid = voortouw if voortouw in commissie_namen else None
        naam = commissie_namen.get(cid) if cid else None
        items.append((tid, afkorting, cid, naam, min_, wie, stand, _day(deadline)))
    return items


@dataclass(frozen=True, slots=True)
class _Keep:
    """A filter of the dashboard: each set field must equal the item's."""

    fractie: str | None = None
    commissie_id: str | None = None
    ministerie: str | None = None
    toezegger: str | None = None

    def keeps(self, x: _Item) -> bool:
        return (
            (not self.fractie or x[1] == self.fractie)
            and (not self.commissie_id or x[2] == self.commissie_id)
            and (not self.ministerie or x[4] == self.ministerie)
            and (not self.toezegger or x[5] == self.toezegger)
        )

    def sql(self) -> tuple[str, tuple[str, ...]]:
        """The same as SQL conditions on ``toezegging_overzicht`` (``AND …``)."""
        pairs = (
            ("fractie", self.fractie),
            ("commissie_id", self.commissie_id),
            ("ministerie", self.ministerie),
            ("toezegger", self.toezegger),
        )
        kept = [(column, value) for column, value in pairs if value]
        return "".join(f" AND {c} = ?" for c, _ in kept), tuple(v for _, v in kept)


def _late_day(status: str, day: str | None, today: date) -> bool:
    return status in _OWED and day is not None and day < today.isoformat()


def _live_index(conn: Connection, status: str, keep: _Keep, today: date | None) -> ToezeggingIndex:
    items = _live_items(conn, status)
    kept = [x for x in items if keep.keeps(x)]
    ids = [x[0] for x in kept]
    return ToezeggingIndex(
        len(kept),
        lambda _conn, offset, limit: ids[offset : None if limit is None else offset + limit],
        _counted(Counter(x[1] for x in items if x[1])),
        _counted(Counter(x[3] for x in items if x[3])),
        _counted(Counter(x[4] for x in items if x[4])),
        _counted(Counter(x[5] for x in items if x[5])),
        te_laat=0 if today is None else sum(1 for x in kept if _late_day(x[6], x[7], today)),
    )


def _stored_index(
    conn: Connection, status: str, keep: _Keep, today: date | None
) -> ToezeggingIndex:
    wanted = TOEZEGGING_STATUS[status]
    of_status = f"status IN ({in_list(wanted)})" if wanted is not None else "1 = 1"
    values = tuple(wanted or ())
    condition, kept = keep.sql()

    def per(groep: str) -> list[tuple[str, int]]:
        rows = _rows(
            conn,
            f"""SELECT naam, sum(aantal) FROM toezegging_telling
                WHERE groep = ? AND {of_status} GROUP BY naam""",
            (groep, *values),
        )
        return _counted(Counter({naam: int(n) for naam, n in rows}))

    late = "0"
    late_values: tuple[str, ...] = ()
    if today is not None:
        late = (
            f"coalesce(sum(CASE WHEN status IN ({in_list(_OWED)}) AND termijn < ?"
            " THEN 1 ELSE 0 END), 0)"
        )
        late_values = (*_OWED, today.isoformat())
    totaal, te_laat = conn.execute(
        f"SELECT count(*), {late} FROM toezegging_overzicht WHERE {of_status}{condition}",
        (*late_values, *values, *kept),
    ).fetchone()

    def ids_of(conn: Connection, offset: int, limit: int | None) -> list[str]:
        window = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [
            r[0]
            for r in _rows(
                conn,
                f"""SELECT id FROM toezegging_overzicht WHERE {of_status}{condition}
                    ORDER BY volgorde{window}""",
                (*values, *kept),
            )
        ]

    return ToezeggingIndex(
        int(totaal),
        ids_of,
        per("fractie"),
        per("commissie"),
        per("ministerie"),
        per("toezegger"),
        te_laat=int(te_laat),
    )


def open_toezegging_index(
    conn: Connection,
    *,
    fractie: str | None = None,
    commissie_id: str | None = None,
    ministerie: str | None = None,
    status: str = "open",
    toezegger: str | None = None,
    today: date | None = None,
) -> ToezeggingIndex:
    """Which commitments of a status (:data:`TOEZEGGING_STATUS`) a filter keeps, in list
    order, and the counts per fractie, committee, ministry and minister over all of that
    status: from ``toezegging_overzicht`` when it is current (counts by SQL, ids a page at
    a time), else computed live from the mirror (the same answers). The one query behind
    the dashboard's counts (also for /analyse/ministeries)."""
    keep = _Keep(fractie, commissie_id, ministerie, toezegger)
    if overzicht_current(conn):
        return _stored_index(conn, status, keep, today)
    return _live_index(conn, status, keep, today)


def _counted(counter: Counter[str]) -> list[tuple[str, int]]:
    """Counts, largest first, ties by name (a total order)."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def toezeggingen_by_ids(conn: Connection, ids: list[str], *, today: date) -> list[Toezegging]:
    """The rows of these commitments, in the order of ``ids``."""
    found: dict[str, Toezegging] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = _rows(
            conn,
            f"""SELECT t.id, t.nummer, t.tekst, t.status,
                      trim(coalesce(t.initialen || ' ', '') || coalesce(t.naam, t.achternaam, '')),
                      t.functie, t.ministerie, t.aanmaakdatum, t.datum_nakoming,
                      f.afkorting, nullif({_NAAM}, ''),
                      c.naam_nl, c.id, coalesce(t.activiteit_nummer, a.nummer),
                      t.kamerbrief_nakoming
               FROM toezegging t
               LEFT JOIN fractie f ON f.id = t.toegezegd_aan_fractie_id
               LEFT JOIN persoon p ON p.id = t.toegezegd_aan_persoon_id
               LEFT JOIN activiteit a ON a.id = t.activiteit_id
               LEFT JOIN commissie c ON c.id = a.voortouwcommissie_id
               WHERE t.id IN ({in_list(chunk)})""",
            tuple(chunk),
        )
        bare = [r[0] for r in rows if r[9] is None and r[10] is None]
        nested = _nested_recipients(conn, bare) if bare else {}
        letters = _letters(conn, [r[14] for r in rows if r[14]])
        for r in rows:
            made = r[7]
            dagen = (today - date.fromisoformat(made[:10])).days if made else 0
            fractie, persoon = r[9], r[10]
            fractie_naam, persoon_naam = nested.get(r[0], (None, None))
            if fractie_naam or persoon_naam:
                fractie, persoon = fractie_naam, persoon_naam
            # made once (no dataclasses.replace per row); mypy cannot count the positional
            # values of a row, so it would see the keywords given twice
            values = (*r[:9], dagen, fractie, persoon, *r[11:14])
            found[r[0]] = Toezegging(
                *values,
                dagen_te_laat=_late(r[3], r[8], today),  # type: ignore[misc]
                nakoming=tuple((v, letters.get(v.strip())) for v in [r[14]] if v),
            )
    return [found[i] for i in ids if i in found]


def _late(status: str | None, deadline: str | None, today: date) -> int | None:
    """Days past the deadline of a commitment still owed (None when not late)."""
    if not deadline or (status or "").lower() not in ("openstaand", "deels voldaan"):
        return None
    try:
        days = (today - date.fromisoformat(deadline[:10])).days
    except ValueError:
        return None
    return days if days > 0 else None


def _letters(conn: Connection, values: list[str]) -> dict[str, str]:
    """kamerbriefNakoming value (a document number or id) → the document number in the
    mirror, where found."""
    keys = sorted({v.strip() for v in values if v.strip()})
    if not keys:
        return {}
    rows = _rows(
        conn,
        f"""SELECT document_nummer, id FROM document
            WHERE document_nummer IN ({in_list(keys)}) OR id IN ({in_list(keys)})
            ORDER BY document_nummer NULLS FIRST, id""",
        (*keys, *keys),
    )
    out: dict[str, str] = {}
    for nummer, ident in rows:
        if nummer:
            out.setdefault(nummer, nummer)
            out.setdefault(ident, nummer)
    return out


def open_toezeggingen(
    conn: Connection,
    *,
    today: date,
    fractie: str | None = None,
    commissie_id: str | None = None,
    ministerie: str | None = None,
) -> OpenToezeggingen:
    """Open (and partly fulfilled) commitments, the oldest first, with counts per group."""
    index = open_toezegging_index(
        conn, fractie=fractie, commissie_id=commissie_id, ministerie=ministerie
    )
    items = toezeggingen_by_ids(conn, index.ids_of(conn, 0, None), today=today)
    return OpenToezeggingen(
        items, len(items), index.per_fractie, index.per_commissie, index.per_ministerie
    )


# -- commissies, kamerleden, personen, dossiers -----------------------------------------------


@dataclass(frozen=True, slots=True)
class CommissieRegel:
    id: str
    nummer: str | None
    naam: str | None
    afkorting: str | None
    actief: bool
    laatste_activiteit: str | None
    leden: int


def commissies(conn: Connection) -> list[CommissieRegel]:
    """Every committee with its latest dated activity and its current number of members."""
    rows = _rows(
        conn,
        """SELECT c.id, c.nummer, c.naam_nl, c.afkorting, c.datum_inactief IS NULL,
                  (SELECT max(a.datum) FROM activiteit a WHERE a.voortouwcommissie_id = c.id),
                  (SELECT count(*) FROM commissiezetel z
                   JOIN commissiezetelvastpersoon v ON v.commissie_zetel_id = z.id
                   WHERE z.commissie_id = c.id AND v.tot_en_met IS NULL)
           FROM commissie c
           ORDER BY c.datum_inactief IS NOT NULL NULLS FIRST, c.naam_nl NULLS FIRST, c.id""",
    )
    return [CommissieRegel(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]


@dataclass(frozen=True, slots=True)
class Kamerlid:
    persoon_id: str
    nummer: str | None
    naam: str
    fractie: str | None
    fractie_naam: str | None
    functie: str | None
    zetel: int | None
    sinds: str | None
    woonplaats: str | None


@dataclass(frozen=True, slots=True)
class Vacature:
    fractie: str | None
    functie: str | None
    sinds: str | None


@dataclass(frozen=True, slots=True)
class Kamerleden:
    leden: list[Kamerlid]
    vacatures: list[Vacature]
    per_fractie: list[tuple[str, int]]


_NAAM = "trim(coalesce(p.roepnaam, p.voornamen, p.initialen, '') || ' ' || coalesce(p.tussenvoegsel || ' ', '') || coalesce(p.achternaam, ''))"


def kamerleden(conn: Connection, *, today: date) -> Kamerleden:
    """Sitting members (an open seat membership), by fractie size and seat, and vacancies."""
    t = today.isoformat()
    rows = _rows(
        conn,
        f"""SELECT p.id, p.nummer, {_NAAM}, f.afkorting, f.naam_nl, fzp.functie, fz.gewicht,
                   fzp.van, p.woonplaats
            FROM fractiezetelpersoon fzp
            JOIN persoon p ON p.id = fzp.persoon_id
            LEFT JOIN fractiezetel fz ON fz.id = fzp.fractie_zetel_id
            LEFT JOIN fractie f ON f.id = fz.fractie_id
            WHERE (fzp.tot_en_met IS NULL OR fzp.tot_en_met >= ?) AND (fzp.van IS NULL OR fzp.van <= ?)
            ORDER BY coalesce(f.aantal_zetels, 0) DESC NULLS LAST, f.afkorting NULLS FIRST, fz.gewicht NULLS FIRST, p.achternaam NULLS FIRST, p.id""",
        (t, t),
    )
    leden = [Kamerlid(*r) for r in rows]
    vac = _rows(
        conn,
        """SELECT f.afkorting, v.functie, v.van FROM fractiezetelvacature v
           LEFT JOIN fractiezetel fz ON fz.id = v.fractie_zetel_id
           LEFT JOIN fractie f ON f.id = fz.fractie_id
           WHERE (v.tot_en_met IS NULL OR v.tot_en_met >= ?) AND (v.van IS NULL OR v.van <= ?)""",
        (t, t),
    )
    counts = Counter(lid.fractie or "?" for lid in leden)
    return Kamerleden(leden, [Vacature(*r) for r in vac], counts.most_common())


def fracties_naar_grootte(conn: Connection, *, today: date) -> list[tuple[str, int]]:
    """The parties of the sitting members with their number of members, largest first:
    :attr:`Kamerleden.per_fractie` (the same list in the same order) without reading the
    members themselves."""
    t = today.isoformat()
    rows = _rows(
        conn,
        """SELECT coalesce(f.aantal_zetels, 0), f.afkorting, count(*)
           FROM fractiezetelpersoon fzp
           JOIN persoon p ON p.id = fzp.persoon_id
           LEFT JOIN fractiezetel fz ON fz.id = fzp.fractie_zetel_id
           LEFT JOIN fractie f ON f.id = fz.fractie_id
           WHERE (fzp.tot_en_met IS NULL OR fzp.tot_en_met >= ?) AND (fzp.van IS NULL OR fzp.van <= ?)
           GROUP BY 1, 2
           ORDER BY 1 DESC, 2 NULLS FIRST""",
        (t, t),
    )
    # counted in the members' order of kamerleden(): ties keep that order
    counts: Counter[str] = Counter()
    for _zetels, afkorting, n in rows:
        counts[afkorting or "?"] += n
    return counts.most_common()


@dataclass(frozen=True, slots=True)
class PersoonRegel:
    persoon_id: str
    nummer: str | None
    naam: str
    fracties: list[str]
    eerste_lidmaatschap: str | None
    zittend: bool


def personen(conn: Connection, *, today: date, letter: str | None = None) -> list[PersoonRegel]:
    """Everyone who ever held a seat, with their fracties and first membership."""
    t = today.isoformat()
    where, params = "", [t]
    if letter:
        where, params = "WHERE upper(substr(p.achternaam, 1, 1)) = ?", [t, letter.upper()[:1]]
    rows = _rows(
        conn,
        f"""SELECT p.id, p.nummer, {_NAAM},
                   {conn.backend.distinct_list("f.afkorting")}, min(fzp.van),
                   max(CASE WHEN fzp.tot_en_met IS NULL OR fzp.tot_en_met >= ? THEN 1 ELSE 0 END)
            FROM fractiezetelpersoon fzp
            JOIN persoon p ON p.id = fzp.persoon_id
            LEFT JOIN fractiezetel fz ON fz.id = fzp.fractie_zetel_id
            LEFT JOIN fractie f ON f.id = fz.fractie_id
            {where}
            GROUP BY p.id ORDER BY p.achternaam NULLS FIRST, p.roepnaam NULLS FIRST, p.id""",
        tuple(params),
    )
    return [
        PersoonRegel(
            r[0], r[1], r[2], sorted((r[3] or "").split(",")) if r[3] else [], r[4], bool(r[5])
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class DossierRegel:
    id: str
    nummer: int | None
    toevoeging: str | None
    titel: str | None
    documenten: int
    laatste_document: str | None
    afgesloten: bool


DOSSIERS_SHOWN = 100  # /kamerstukdossiers without a search: this many recent dossiers
RECENT_DOCUMENTS = DOSSIERS_SHOWN * 50  # … of the dossiers of this many newest documents

# (dossier id, date of its newest document) for the dossiers of the newest ? documents,
# walking the date index (not every dossier)
_RECENT_DOSSIERS = """SELECT kamerstukdossier_id AS id, max(datum) AS laatste
    FROM (SELECT kamerstukdossier_id, datum FROM document
          WHERE kamerstukdossier_id IS NOT NULL AND datum IS NOT NULL
          ORDER BY datum DESC NULLS LAST, id DESC LIMIT ?) AS newest
    GROUP BY kamerstukdossier_id"""


def kamerstukdossiers(
    conn: Connection, *, zoek: str | None = None, limit: int = DOSSIERS_SHOWN
) -> list[DossierRegel]:
    """Recently active dossiers (latest document first), or those matching ``zoek`` by
    number ("36800", "36800-XVI") or by words of the title."""
    where, params = "", []
    text = (zoek or "").strip()
    if text:
        m = re.fullmatch(r"(\d{4,6})(?:[- ]([0-9A-Za-z]{1,10}))?", text.replace("\u00a0", " "))
        if m:
            where = "WHERE k.nummer = ?" + (
                " AND upper(k.toevoeging) = upper(?)" if m.group(2) else ""
            )
            params = [int(m.group(1))] + ([m.group(2)] if m.group(2) else [])
        else:
            words = [w for w in re.split(r"\s+", text) if w][:6]
            where = "WHERE " + " AND ".join("k.titel LIKE ? ESCAPE '\\'" for _ in words)
            params = [
                "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                for w in words
            ]
    if not text:
        return _recent_dossiers(conn, limit)
    rows = _rows(
        conn,
        f"""SELECT k.id, k.nummer, k.toevoeging, k.titel, {_dossier_count(conn)},
                   (SELECT max(d.datum) FROM document d WHERE d.kamerstukdossier_id = k.id),
                   coalesce(k.afgesloten, 0)
            FROM kamerstukdossier k {where}
            ORDER BY 6 DESC NULLS LAST, k.nummer DESC NULLS LAST, k.toevoeging NULLS FIRST, k.id LIMIT ?""",
        (*params, limit),
    )
    return [DossierRegel(*(*r[:6], bool(r[6]))) for r in rows]


def _dossier_count(conn: Connection) -> str:
    """The SQL of dossier ``k``'s number of documents: from ``dossier_telling`` while the
    overviews are current, else counted in the mirror (the same number)."""
    if overzicht_current(conn):
        return (
            "coalesce((SELECT t.aantal FROM dossier_telling t"
            " WHERE t.kamerstukdossier_id = k.id), 0)"
        )
    return "(SELECT count(*) FROM document d WHERE d.kamerstukdossier_id = k.id)"


def _recent_dossiers(conn: Connection, limit: int) -> list[DossierRegel]:
    """The dossiers of the newest documents, the dossier of the newest first: from
    ``dossier_recent`` while the overviews are current (the default list), else from the
    document date index (the same list)."""
    if limit == DOSSIERS_SHOWN and overzicht_current(conn):
        count = "coalesce((SELECT t.aantal FROM dossier_telling t WHERE t.kamerstukdossier_id = k.id), 0)"
        recent = "(SELECT kamerstukdossier_id AS id, laatste FROM dossier_recent)"
        params: tuple[int, ...] = ()
    else:
        count = _dossier_count(conn)
        recent, params = f"({_RECENT_DOSSIERS})", (limit * 50,)
    rows = _rows(
        conn,
        f"""SELECT k.id, k.nummer, k.toevoeging, k.titel, {count},
                  recent.laatste, coalesce(k.afgesloten, 0)
           FROM {recent} AS recent
           JOIN kamerstukdossier k ON k.id = recent.id
           ORDER BY recent.laatste DESC NULLS LAST, k.nummer DESC NULLS LAST, k.toevoeging NULLS FIRST, k.id LIMIT ?""",
        (*params, limit),
    )
    return [DossierRegel(*(*r[:6], bool(r[6]))) for r in rows]


# -- geschenken and verslagen -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Geschenk:
    id: str
    datum: str | None
    omschrijving: str | None
    persoon_nummer: str | None
    persoon: str | None
    fractie: str | None


def geschenken(
    conn: Connection, *, van: date | None = None, zoek: str | None = None, limit: int = 500
) -> list[Geschenk]:
    """Gifts registered by members, the newest first (optionally since ``van`` or with a
    word in the description)."""
    where, params = ["1=1"], []
    if van is not None:
        where.append("g.datum >= ?")
        params.append(van.isoformat())
    if zoek and zoek.strip():
        where.append("g.omschrijving LIKE ? ESCAPE '\\'")
        word = zoek.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{word}%")
    rows = _rows(
        conn,
        f"""SELECT g.id, g.datum, g.omschrijving, p.nummer, {_NAAM}, p.fractielabel
            FROM persoongeschenk g LEFT JOIN persoon p ON p.id = g.persoon_id
            WHERE {" AND ".join(where)} ORDER BY g.datum DESC NULLS LAST, g.id LIMIT ?""",
        (*params, limit),
    )
    return [Geschenk(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class VerslagRegel:
    vergadering_id: str
    titel: str | None
    soort: str | None
    datum: str | None
    aanvangstijd: str | None
    zaal: str | None
    verslag_soort: str | None
    verslag_status: str | None
    commissie_id: str | None = None
    commissie: str | None = None
    commissie_afkorting: str | None = None


# The committee of a (non-plenary) vergadering: the feed links none, so it is the voortouw of
# the activity that starts at the same moment in the same room (committee debates,
# procedure meetings and hearings each have one such activity).
_VERGADERING_COMMISSIE = """
    (SELECT a.voortouwcommissie_id FROM activiteit a
     WHERE a.datum >= substr(v.datum, 1, 10) AND a.datum < substr(v.datum, 1, 10) || 'T99'
       AND a.aanvangstijd = v.aanvangstijd AND a.locatie = v.zaal
       AND a.voortouwcommissie_id IS NOT NULL
     ORDER BY a.skiptoken DESC LIMIT 1)"""


def vergadering_soorten(conn: Connection) -> list[str]:
    """The kinds of meeting present (``Plenair``, ``Commissie``, …)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT soort FROM vergadering WHERE soort IS NOT NULL ORDER BY soort NULLS FIRST"
        )
    ]


def verslagen(
    conn: Connection,
    *,
    soort: str | None = None,
    commissie_id: str | None = None,
    limit: int = 200,
) -> list[VerslagRegel]:
    """Meetings with their newest non-Casco verslag, the most recent meeting first;
    optionally only one kind of meeting and/or one committee's meetings."""
    where, params = ["1=1"], []
    if soort:
        where.append("v.soort = ?")
        params.append(soort)
    if commissie_id:
        where.append("m.commissie_id = ?")
        params.append(commissie_id)
    rows = _rows(
        conn,
        f"""SELECT m.*, c.naam_nl, c.afkorting FROM (
              SELECT v.id, v.titel, v.soort, v.datum, v.aanvangstijd, v.zaal, s.soort, s.status,
                     CASE WHEN v.soort = 'Plenair' THEN NULL ELSE {_VERGADERING_COMMISSIE} END
                       AS commissie_id
              FROM vergadering v
              JOIN verslag s ON s.id = (SELECT id FROM verslag WHERE vergadering_id = v.id
                                        AND coalesce(status, '') <> 'Casco'
                                        ORDER BY skiptoken DESC LIMIT 1)
            ) AS m
            LEFT JOIN commissie c ON c.id = m.commissie_id
            JOIN vergadering v ON v.id = m.id
            WHERE {" AND ".join(where)}
            ORDER BY v.datum DESC NULLS LAST, v.aanvangstijd DESC NULLS LAST, v.id LIMIT ?""",
        (*params, limit),
    )
    return [VerslagRegel(*r) for r in rows]


# -- the persoon page's figures over all of a member's rows, kept with the overviews ----------

# its tables (persoon_overzicht, persoon_lijst): a set of their own, after the overviews'
PERSOON_MIGRATIONS = Migrations("persoon", "kamerwatch.store", "sql/persoon")

MOTIE_SOORTEN = ("Motie", "Amendement")
PERSOON_ZAKEN_SHOWN = 25  # the newest submitted zaken on a persoon page
PERSOON_ACTIVITEITEN_SHOWN = 25  # the newest activities on a persoon page
# the page's orders (a unique key last): submitted zaken, activities
PERSOON_ZAAK_ORDER = "coalesce(z.gestart_op, '') DESC NULLS LAST, z.nummer DESC NULLS LAST, z.id"
PERSOON_ACTIVITEIT_ORDER = "a.datum DESC NULLS LAST, a.id"
OPEN_VRAAG = (
    "CASE WHEN z.soort LIKE 'Schriftelijke vragen%' AND coalesce(z.afgedaan, 0) = 0 "
    "THEN 1 ELSE 0 END"
)
_PROFIEL_SOORTEN = (*MOTIE_SOORTEN, "Schriftelijke vragen")
PARTNERS_SHOWN = 15


@dataclass(frozen=True, slots=True)
class PersoonCijfers:
    """A member's figures on their record that cover all their zaken and votes."""

    medeondertekend: int  # moties/amendementen co-signed
    schriftelijke_vragen: int  # sets of written questions (as indiener or medeindiener)
    # the most frequent co-signers: (naam, fractie, persoon nummer, times)
    medeondertekenaars: list[tuple[str, str | None, str | None, int]]
    hoofdelijke_stemmingen: int  # roll-call votes cast


def persoon_cijfers(conn: Connection, persoon_id: str | None = None) -> dict[str, PersoonCijfers]:
    """The figures of one member (``persoon_id``; always in the answer) or of every member
    with a submitted motie, question or roll-call vote (None), computed from the mirror."""
    one = persoon_id is not None
    who = "za.persoon_id = ?" if one else "za.persoon_id IS NOT NULL"
    params: tuple[str, ...] = (persoon_id,) if persoon_id is not None else ()
    mine: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for pid, zaak_id, relatie, soort in conn.execute(
        "SELECT za.persoon_id, za.zaak_id, za.relatie, z.soort FROM zaakactor za "
        f"JOIN zaak z ON z.id = za.zaak_id WHERE {who} "
        f"AND za.relatie IN ('Indiener', 'Medeindiener') AND z.soort IN ({in_list(_PROFIEL_SOORTEN)})",
        (*params, *_PROFIEL_SOORTEN),
    ):
        mine[pid].append((zaak_id, relatie, soort))
    # the signers of each motie of theirs: (persoon id, naam, fractie, persoon nummer)
    signers: dict[str, set[tuple[str | None, str | None, str | None, str | None]]] = defaultdict(
        set
    )
    signed = "za.relatie IN ('Indiener', 'Medeindiener')"
    sql = (
        "SELECT za.zaak_id, za.persoon_id, za.actor_naam, za.actor_fractie, p.nummer "
        "FROM zaakactor za LEFT JOIN persoon p ON p.id = za.persoon_id WHERE "
    )
    if one:
        moties = sorted({z for rows in mine.values() for z, _r, s in rows if s in MOTIE_SOORTEN})
        chunks = [moties[i : i + 500] for i in range(0, len(moties), 500)]
        found = [
            row
            for chunk in chunks
            for row in conn.execute(
                f"{sql}za.zaak_id IN ({in_list(chunk)}) AND {signed}", chunk
            ).fetchall()
        ]
    else:
        found = conn.execute(
            f"{sql}{signed} AND za.zaak_id IN (SELECT id FROM zaak "
            f"WHERE soort IN ({in_list(MOTIE_SOORTEN)}))",
            MOTIE_SOORTEN,
        ).fetchall()
    for zaak_id, pid, naam, fractie, nummer in found:
        signers[zaak_id].add((pid, naam, fractie, None if nummer is None else str(nummer)))
    votes_of: dict[str, int]
    if persoon_id is not None:
        votes_of = {
            persoon_id: conn.execute(
                "SELECT count(DISTINCT besluit_id) FROM stemming WHERE persoon_id = ?", params
            ).fetchone()[0]
        }
    else:
        votes_of = dict(
            conn.execute(
                "SELECT persoon_id, count(DISTINCT besluit_id) FROM stemming "
                "WHERE persoon_id IS NOT NULL GROUP BY persoon_id"
            ).fetchall()
        )
    people = [persoon_id] if persoon_id is not None else sorted({*mine, *votes_of})
    return {pid: _cijfers(pid, mine.get(pid, []), signers, votes_of.get(pid)) for pid in people}


def _cijfers(
    persoon_id: str,
    rows: list[tuple[str, str, str]],
    signers: dict[str, set[tuple[str | None, str | None, str | None, str | None]]],
    roll_calls: int | None,
) -> PersoonCijfers:
    moties = {z for z, _r, s in rows if s in MOTIE_SOORTEN}
    partners: Counter[tuple[str, str | None, str | None]] = Counter()
    for zaak_id in moties:
        seen = {
            (naam, fractie, nummer)
            for pid, naam, fractie, nummer in signers[zaak_id]
            if (pid or "") != persoon_id
        }
        for naam, fractie, nummer in seen:
            partners[(naam or "?", fractie, nummer)] += 1
    top = sorted(partners.items(), key=lambda x: (-x[1], x[0][0], x[0][2] or "", x[0][1] or ""))
    return PersoonCijfers(
        medeondertekend=len({z for z, r, s in rows if r == "Medeindiener" and s in MOTIE_SOORTEN}),
        schriftelijke_vragen=len({z for z, _r, s in rows if s == "Schriftelijke vragen"}),
        medeondertekenaars=[(n, f, p, k) for (n, f, p), k in top[:PARTNERS_SHOWN]],
        hoofdelijke_stemmingen=int(roll_calls or 0),
    )


# An item of a persoon page's list as the overviews keep it (persoon_lijst): (id, nummer,
# onderwerp, soort, datum, afgedaan, uitkomst); datum is a zaak's gestart_op or an activity's
# datum, afgedaan and uitkomst (the tekst of its latest besluit) are a zaak's
PersoonLijstRij = tuple[str, str | None, str | None, str | None, str | None, Any, str | None]


@dataclass(frozen=True, slots=True)
class PersoonOverzicht:
    """What the overviews keep of one member: their totals, the page's lists in page order
    ('zaak', 'vraag', 'activiteit': each item as the page shows it) and their figures."""

    zaken: int
    activiteiten: int
    rijen: dict[str, list[PersoonLijstRij]]
    cijfers: PersoonCijfers


def persoon_overzicht(conn: Connection, persoon_id: str) -> PersoonOverzicht | None:
    """The member's kept overview, None when the overviews are behind the mirror (or the
    member is newer than them): then the page computes the same live."""
    if not overzicht_current(conn):
        return None
    row = conn.execute(
        "SELECT zaken, activiteiten, medeondertekend, schriftelijke_vragen,"
        " hoofdelijke_stemmingen, medeondertekenaars FROM persoon_overzicht WHERE persoon_id = ?",
        (persoon_id,),
    ).fetchone()
    if row is None:
        return None
    rijen: dict[str, list[PersoonLijstRij]] = {"zaak": [], "vraag": [], "activiteit": []}
    for lijst, *rij in conn.execute(
        "SELECT lijst, item_id, nummer, onderwerp, soort, datum, afgedaan, uitkomst"
        " FROM persoon_lijst WHERE persoon_id = ? ORDER BY lijst, volgorde",
        (persoon_id,),
    ):
        rijen[lijst].append(tuple(rij))
    partners = [(n, f, p, int(k)) for n, f, p, k in json.loads(row[5])]
    cijfers = PersoonCijfers(int(row[2]), int(row[3]), partners, int(row[4]))
    return PersoonOverzicht(int(row[0]), int(row[1]), rijen, cijfers)


def zaak_uitkomsten(conn: Connection, zaak_ids: list[str]) -> dict[str, str | None]:
    """The tekst of the latest besluit of each zaak (by the date of its activiteit, then the
    besluit's id); a zaak without a besluit is left out."""
    out: dict[str, str | None] = {}
    for start in range(0, len(zaak_ids), 500):
        chunk = zaak_ids[start : start + 500]
        rows = conn.execute(
            f"""SELECT l.dst_id, b.besluit_tekst, coalesce(a.datum, '') AS datum
                FROM link l JOIN besluit b ON b.id = l.src_id
                LEFT JOIN agendapunt p ON p.id = b.agendapunt_id
                LEFT JOIN activiteit a ON a.id = p.activiteit_id
                WHERE l.dst_id IN ({in_list(chunk)})
                  AND l.src_category = 'Besluit' AND l.relation = 'zaak'
                ORDER BY datum NULLS FIRST, b.id""",
            chunk,
        )
        out.update({zaak_id: tekst for zaak_id, tekst, _ in rows})  # the latest wins
    return out


def _lijst_items(conn: Connection, table: str, columns: str, ids: list[str]) -> dict[str, Any]:
    """The rows of ``table`` with these ids (``columns`` starts with id), by id."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for r in conn.execute(
            f"SELECT {columns} FROM {table} WHERE id IN ({in_list(chunk)})", chunk
        ):
            found[r[0]] = r
    return found


def persoon_zaken(conn: Connection, persoon_id: str) -> list[tuple[str, int]]:
    """Every zaak the member submitted (as Indiener), in page order, each with whether it is
    an open written question (1) or not (0)."""
    return [
        (r[0], int(r[1]))
        for r in conn.execute(
            f"SELECT z.id, {OPEN_VRAAG} FROM zaakactor x JOIN zaak z ON z.id = x.zaak_id "
            "WHERE x.persoon_id = ? AND x.relatie = 'Indiener' "
            f"GROUP BY z.id ORDER BY {PERSOON_ZAAK_ORDER}",
            (persoon_id,),
        )
    ]


def persoon_activiteiten(conn: Connection, persoon_id: str) -> list[str]:
    """The ids of every activity the member took part in, in page order."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT a.id FROM activiteitactor x JOIN activiteit a ON a.id = x.activiteit_id "
            f"WHERE x.persoon_id = ? GROUP BY a.id, a.datum ORDER BY {PERSOON_ACTIVITEIT_ORDER}",
            (persoon_id,),
        )
    ]


def _refresh_persoon_overzicht(conn: Connection) -> int:
    """Every member's overview from the mirror (inside :func:`refresh_overzicht`): the same
    queries as the page's live path, per member (each from its covering indexes)."""
    totals: dict[str, list[int]] = {}
    lijst_rows: list[tuple[str, str, int, str]] = []
    for (pid,) in conn.execute("SELECT DISTINCT id FROM persoon ORDER BY id").fetchall():
        zaken = persoon_zaken(conn, pid)
        activiteiten = persoon_activiteiten(conn, pid)
        totals[pid] = [len(zaken), len(activiteiten)]
        for n, (zaak_id, open_vraag) in enumerate(zaken, start=1):
            if n <= PERSOON_ZAKEN_SHOWN:
                lijst_rows.append((pid, "zaak", n, zaak_id))
            if open_vraag:
                lijst_rows.append((pid, "vraag", n, zaak_id))
        for n, activiteit_id in enumerate(activiteiten[:PERSOON_ACTIVITEITEN_SHOWN], start=1):
            lijst_rows.append((pid, "activiteit", n, activiteit_id))
    cijfers = persoon_cijfers(conn)
    none = PersoonCijfers(0, 0, [], 0)
    conn.execute("DELETE FROM persoon_overzicht")
    conn.executemany(
        "INSERT INTO persoon_overzicht (persoon_id, zaken, activiteiten, medeondertekend,"
        " schriftelijke_vragen, hoofdelijke_stemmingen, medeondertekenaars)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                pid,
                z,
                a,
                c.medeondertekend,
                c.schriftelijke_vragen,
                c.hoofdelijke_stemmingen,
                json.dumps(c.medeondertekenaars, ensure_ascii=False),
            )
            for pid, (z, a) in sorted(totals.items())
            for c in (cijfers.get(pid, none),)
        ],
    )
    # what the page shows of each item: the same rows and besluiten as its live path reads
    zaak_ids = sorted({r[3] for r in lijst_rows if r[1] != "activiteit"})
    zaken_shown = sorted({r[3] for r in lijst_rows if r[1] == "zaak"})
    act_ids = sorted({r[3] for r in lijst_rows if r[1] == "activiteit"})
    zaken_by_id = _lijst_items(
        conn, "zaak", "id, nummer, onderwerp, soort, gestart_op, afgedaan", zaak_ids
    )
    acts_by_id = _lijst_items(conn, "activiteit", "id, nummer, onderwerp, soort, datum", act_ids)
    uitkomsten = zaak_uitkomsten(conn, zaken_shown)
    rows: list[tuple[Any, ...]] = []
    for pid, lijst, n, item_id in lijst_rows:
        if lijst == "activiteit":
            _i, nummer, onderwerp, soort, datum = acts_by_id[item_id]
            afgedaan, uitkomst = None, None
        else:
            _i, nummer, onderwerp, soort, datum, afgedaan = zaken_by_id[item_id]
            uitkomst = uitkomsten.get(item_id) if lijst == "zaak" else None
        rows.append((pid, lijst, n, item_id, nummer, onderwerp, soort, datum, afgedaan, uitkomst))
    conn.execute("DELETE FROM persoon_lijst")
    conn.executemany(
        "INSERT INTO persoon_lijst (persoon_id, lijst, volgorde, item_id, nummer, onderwerp,"
        " soort, datum, afgedaan, uitkomst) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(totals)
