"""The dashboard queries on a real synced sample parliament."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from kamerwatch.store import dashboards as q
from kamerwatch.store.db import SqliteConnection

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def conn(synced_sample: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{synced_sample}?mode=ro",
        uri=True,
        check_same_thread=False,
        factory=SqliteConnection,
    )


def test_ministry_of() -> None:
    assert q.ministry_of("minister van Defensie") == "Defensie"
    assert q.ministry_of("staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties") == (
        "Binnenlandse Zaken en Koninkrijksrelaties"
    )
    assert q.ministry_of("Tweede Kamerlid") is None and q.ministry_of(None) is None


def test_agenda_from_a_few_days_ago_ascending_with_rooms(conn: sqlite3.Connection) -> None:
    items = q.activiteiten(conn, van=TODAY - timedelta(days=3))
    assert items, "the sample plans activities ahead"
    assert all(a.datum and a.datum >= (TODAY - timedelta(days=3)).isoformat() for a in items)
    assert [a.datum for a in items] == sorted(a.datum for a in items)  # type: ignore[type-var]
    assert any(a.datum and a.datum > TODAY.isoformat() and a.status == "Gepland" for a in items)
    assert sum(1 for a in items if a.locatie) > len(items) * 0.9
    assert len({a.id for a in items}) == len(items)
    cie = next(a for a in items if a.commissie_id)
    only = q.activiteiten(conn, van=TODAY - timedelta(days=3), commissie_id=cie.commissie_id)
    assert only and all(a.commissie_id == cie.commissie_id for a in only)
    day = date.fromisoformat(cie.datum[:10])  # type: ignore[index]
    one_day = q.activiteiten(conn, van=day, tot=day)
    assert one_day and all(a.datum and a.datum.startswith(day.isoformat()) for a in one_day)
    soort = q.activiteiten(conn, van=TODAY - timedelta(days=60), soort="Procedurevergadering")
    assert soort and all(a.soort == "Procedurevergadering" for a in soort)


def test_unplanned_activities_have_no_date(conn: sqlite3.Connection) -> None:
    items = q.ongeplande_activiteiten(conn)
    assert items and all(a.datum is None for a in items)


def test_votes_add_up_and_match_the_decision(conn: sqlite3.Connection) -> None:
    votes, start = q.stemmingen(conn, van=None, tot=None, today=TODAY, minimum=10)
    assert len(votes) >= 10 and start <= TODAY - timedelta(days=14)
    for b in votes:
        if b.personen:
            assert len(b.personen) <= 150
            continue
        assert sum(f.zetels for f in b.fracties) == 150
        assert b.aangenomen is (b.tekst == "Aangenomen.")
        assert b.zaken and b.zaken[0].soort in ("Motie", "Amendement", "Wetgeving")
    adopted, _ = q.stemmingen(conn, van=None, tot=None, today=TODAY, resultaat="aangenomen")
    assert adopted and all(b.aangenomen for b in adopted)
    rejected, _ = q.stemmingen(conn, van=None, tot=None, today=TODAY, resultaat="verworpen")
    assert rejected and all(b.aangenomen is False for b in rejected)
    sgp, _ = q.stemmingen(conn, van=None, tot=None, today=TODAY, fractie="SGP")
    assert sgp and all(any(f.fractie == "SGP" for f in b.fracties) or b.personen for b in sgp)


def test_upcoming_besluiten_are_listed_without_result(conn: sqlite3.Connection) -> None:
    items = q.besluiten(conn, van=TODAY - timedelta(days=10), tot=TODAY + timedelta(days=14))
    assert items
    assert all(b.zaken for b in items)


def test_open_questions(conn: sqlite3.Connection) -> None:
    open_ = q.open_vragen(conn, today=TODAY)
    assert open_.totaal == len(open_.vragen) > 0
    answered = {
        r[0]
        for r in conn.execute(
            "SELECT l.dst_id FROM link l JOIN document d ON d.id = l.src_id "
            "WHERE l.relation = 'zaak' AND d.soort LIKE 'Antwoord schriftelijke vragen%'"
        )
    }
    assert not answered & {v.zaak_id for v in open_.vragen}
    assert open_.te_laat == sum(1 for v in open_.vragen if v.dagen_open > 21 and not v.uitstel) > 0
    assert all(v.indieners and v.ministeries for v in open_.vragen)
    fractie = open_.per_fractie[0][0]
    some = q.open_vragen(conn, today=TODAY, fractie=fractie)
    assert some.totaal == open_.per_fractie[0][1]
    ministerie = open_.per_ministerie[0][0]
    assert (
        q.open_vragen(conn, today=TODAY, ministerie=ministerie).totaal == open_.per_ministerie[0][1]
    )


def test_open_commitments(conn: sqlite3.Connection) -> None:
    open_ = q.open_toezeggingen(conn, today=TODAY)
    assert open_.totaal > 0
    assert all(t.status in ("Openstaand", "Deels Voldaan") for t in open_.items)
    assert all(t.ministerie and t.toezegger and t.commissie for t in open_.items)
    name, count = open_.per_commissie[0]
    cie_id = next(t.commissie_id for t in open_.items if t.commissie == name)
    assert q.open_toezeggingen(conn, today=TODAY, commissie_id=cie_id).totaal == count


def test_committees_active_then_dormant(conn: sqlite3.Connection) -> None:
    items = q.commissies(conn)
    flags = [c.actief for c in items]
    assert flags == sorted(flags, reverse=True) and not all(flags)
    assert any(c.laatste_activiteit for c in items if c.actief)


def test_members_and_people(conn: sqlite3.Connection) -> None:
    leden = q.kamerleden(conn, today=TODAY)
    assert len(leden.leden) == 150
    assert dict(leden.per_fractie)["PVV"] == 37
    everyone = q.personen(conn, today=TODAY)
    assert len(everyone) > 150 and sum(p.zittend for p in everyone) == 150
    assert all(p.fracties and p.eerste_lidmaatschap for p in everyone)
    letter = everyone[0].naam.split()[-1][0]
    assert all(p.persoon_id for p in q.personen(conn, today=TODAY, letter=letter))


def test_dossiers_recent_and_found_by_number_or_title(conn: sqlite3.Connection) -> None:
    recent = q.kamerstukdossiers(conn)
    assert recent and recent[0].laatste_document
    dated = [d.laatste_document for d in recent if d.laatste_document]
    assert dated == sorted(dated, reverse=True)
    budget = q.kamerstukdossiers(conn, zoek="36800-XVI")
    assert len(budget) == 1 and budget[0].toevoeging == "XVI"
    assert len(q.kamerstukdossiers(conn, zoek="36800")) > 5
    word = budget[0].titel.split()[-1]  # type: ignore[union-attr]
    assert any(
        d.id == budget[0].id for d in q.kamerstukdossiers(conn, zoek=f"begrotingsstaten {word}")
    )
    assert q.kamerstukdossiers(conn, zoek="%_\\'\"") == []


def test_gifts_and_verslagen(conn: sqlite3.Connection) -> None:
    gifts = q.geschenken(conn)
    assert gifts and all(g.persoon and g.omschrijving for g in gifts)
    dates = [g.datum for g in gifts]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    word = gifts[0].omschrijving.split()[0]  # type: ignore[union-attr]
    assert all(word.lower() in g.omschrijving.lower() for g in q.geschenken(conn, zoek=word))  # type: ignore[union-attr]
    assert q.geschenken(conn, zoek="%") == []
    items = q.verslagen(conn)
    assert items and all(v.verslag_status != "Casco" for v in items)
    assert {v.soort for v in items} == {"Plenair", "Commissie"}
    assert all(v.soort == "Plenair" for v in q.verslagen(conn, soort="Plenair"))


def test_besluiten_are_found_from_the_activity_dates(conn: sqlite3.Connection) -> None:
    """The plan of the besluiten of a window (issue #28: uncached /stemmingen, /besluiten):
    the activities' date index first, also for a window without an end (with only a start
    SQLite's planner read every besluit)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        q.stemmingen(conn, van=TODAY - timedelta(days=30), tot=None, today=TODAY)
        q.besluiten(conn, van=TODAY - timedelta(days=14), tot=TODAY)
    finally:
        conn.set_trace_callback(None)
    statements = [s for s in seen if "JOIN besluit b ON b.agendapunt_id" in s]
    assert len(statements) == 2
    for sql in statements:
        plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert plan.startswith("SEARCH a USING INDEX activiteit_datum"), plan
        assert "SCAN b" not in plan, plan
