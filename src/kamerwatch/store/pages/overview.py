"""The queries of the overzicht (front page, RSS) and the status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..db import Connection, in_list
from . import common

REGERINGSSTUKKEN = (
    "Brief regering",
    "Antwoord schriftelijke vragen",
    "Antwoord schriftelijke vragen (nader)",
    "Voorstel van wet",
    "Memorie van toelichting",
)
OVERZICHT_DAGEN = 8


@dataclass(frozen=True, slots=True)
class OverzichtItem:
    id: str
    nummer: str | None
    onderwerp: str | None
    titel: str | None
    soort: str | None
    datum: str | None
    bijgewerkt: str | None


@dataclass(frozen=True, slots=True)
class Jarige:
    persoon: common.PersoonRef
    fractie: str | None


@dataclass(frozen=True, slots=True)
class Overzicht:
    sinds: str
    alleen_regering: bool
    documenten: tuple[OverzichtItem, ...]
    bijgewerkt: str | None
    jarig_vandaag: tuple[Jarige, ...] = ()


def jarig(conn: Connection, today: date) -> tuple[Jarige, ...]:
    """Sitting members (an open fractie seat) whose birthday is ``today``."""
    rows = conn.execute(
        "SELECT p.id, p.nummer, p.roepnaam, p.voornamen, p.tussenvoegsel, p.achternaam, "
        "f.afkorting FROM fractiezetelpersoon s JOIN persoon p ON p.id = s.persoon_id "
        "JOIN fractiezetel z ON z.id = s.fractie_zetel_id JOIN fractie f ON f.id = z.fractie_id "
        "WHERE s.tot_en_met IS NULL AND substr(p.geboortedatum, 6, 5) = ? "
        "ORDER BY p.achternaam NULLS FIRST",
        (today.strftime("%m-%d"),),
    )
    return tuple(
        Jarige(common.PersoonRef(r["id"], r["nummer"], common.persoon_naam(r)), r["afkorting"])
        for r in rows
    )


def commissie_documenten(
    conn: Connection, commissie_id: str, days: int = 100
) -> list[OverzichtItem]:
    """Documents of the last ``days`` days in zaken where the committee has the lead."""
    sinds = (_newest_datum(conn) - timedelta(days=days)).isoformat()
    rows = conn.execute(
        "SELECT DISTINCT d.id, d.document_nummer, d.onderwerp, d.titel, d.soort, d.datum, "
        "d.bijgewerkt FROM zaakactor za "
        "JOIN link l ON l.dst_id = za.zaak_id AND l.src_category = 'Document' "
        "AND l.relation = 'zaak' JOIN document d ON d.id = l.src_id "
        "WHERE za.commissie_id = ? AND za.relatie = 'Voortouwcommissie' AND d.datum >= ? "
        "ORDER BY d.datum DESC NULLS LAST, d.bijgewerkt DESC NULLS LAST, d.id LIMIT 200",
        (commissie_id, sinds),
    )
    return [OverzichtItem(*r) for r in rows]


def _newest_datum(conn: Connection) -> date:
    """The mirror's own "today": the newest document datum (never in the future)."""
    row = conn.execute(
        "SELECT max(datum) FROM document WHERE datum <= ?", (date.today().isoformat() + "T99",)
    ).fetchone()
    try:
        return date.fromisoformat(row[0][:10]) if row[0] else date.today()
    except ValueError:
        return date.today()


def overzicht(conn: Connection, today: date, only_regering: bool = False) -> Overzicht:
    """Documents of the last days (not bijlagen), newest first (datum, then bijgewerkt)."""
    sinds = (_newest_datum(conn) - timedelta(days=OVERZICHT_DAGEN)).isoformat()
    sql = (
        "SELECT d.id, d.document_nummer, d.onderwerp, d.titel, d.soort, d.datum, d.bijgewerkt "
        "FROM document d WHERE d.datum >= ? AND coalesce(d.soort, '') != 'Sprekerslijst' "
        "AND NOT EXISTS (SELECT 1 FROM link l WHERE l.src_id = d.id "
        "AND l.relation = 'bronDocument')"
    )
    params: list[object] = [sinds]
    if only_regering:
        sql += f" AND d.soort IN ({in_list(REGERINGSSTUKKEN)})"
        params.extend(REGERINGSSTUKKEN)
    sql += " ORDER BY d.datum DESC NULLS LAST, d.bijgewerkt DESC NULLS LAST, d.id LIMIT 500"
    items = tuple(OverzichtItem(*row) for row in conn.execute(sql, params))
    newest = max((i.bijgewerkt or "" for i in items), default="") or None
    return Overzicht(
        sinds=sinds,
        alleen_regering=only_regering,
        documenten=items,
        bijgewerkt=newest,
        jarig_vandaag=jarig(conn, today),
    )


@dataclass(frozen=True, slots=True)
class CategoryStatus:
    categorie: str
    entries: int
    bijgewerkt: str


@dataclass(frozen=True, slots=True)
class RunStatus:
    stage: str
    started_at: str
    finished_at: str | None
    status: str
    entries: int
    message: str | None


@dataclass(frozen=True, slots=True)
class StatusPage:
    gesynchroniseerd: str | None
    categorieen: tuple[CategoryStatus, ...]
    runs: tuple[RunStatus, ...]


def status(conn: Connection) -> StatusPage:
    cats = tuple(
        CategoryStatus(*r)
        for r in conn.execute(
            "SELECT category, entries, updated_at FROM sync_cursor ORDER BY category NULLS FIRST"
        )
    )
    runs = tuple(
        RunStatus(*r)
        for r in conn.execute(
            "SELECT stage, started_at, finished_at, status, entries, message FROM sync_run "
            "ORDER BY id DESC LIMIT 10"
        )
    )
    return StatusPage(
        gesynchroniseerd=max((c.bijgewerkt for c in cats), default=None),
        categorieen=cats,
        runs=runs,
    )
