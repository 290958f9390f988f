"""The party-agreement matrix and a fractie's record on the real corpus (both engines),
against a count written out here directly from the real OData records (tests/data/real).

The count below is deliberately plain (vote by vote, pair by pair); the site uses bit sets
over precomputed positions. Both must give the same numbers."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.subsystems import open_migrated
from tests.conftest import kamerwatch
from tests.real.conftest import DATA_DIRS, odata


@pytest.fixture(scope="module")
def analysed(real: TestClient, real_db_url: str) -> TestClient:
    result = kamerwatch(
        "analyse", "--force", data_dir=DATA_DIRS[real_db_url], database_url=real_db_url
    )
    assert result.returncode == 0, result.stderr
    return real


def _positions() -> dict[str, dict[str, str]]:
    """besluit id → fractie → Voor/Tegen (only those that took part), from the records."""
    afk = {f["Id"]: f["Afkorting"] for f in odata("Fractie")}
    decided = {
        b["Id"]
        for b in odata("Besluit")
        if b["StemmingsSoort"] in ("Met handopsteken", "Hoofdelijk")
    }
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in odata("Stemming"):
        if s["Besluit_Id"] in decided:
            rows[s["Besluit_Id"]].append(s)
    out: dict[str, dict[str, str]] = {}
    for bid, votes in rows.items():
        roll_call = any(v["Persoon_Id"] for v in votes)
        per: dict[str, str] = {}
        if roll_call:
            tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for v in votes:
                name = afk.get(v["Fractie_Id"]) or v["ActorFractie"]
                if v["Persoon_Id"] and name and v["Soort"] in ("Voor", "Tegen"):
                    tally[name][v["Soort"] == "Tegen"] += 1
            for name, (voor, tegen) in tally.items():
                if voor != tegen:
                    per[name] = "Voor" if voor > tegen else "Tegen"
        else:
            for v in votes:
                name = afk.get(v["Fractie_Id"]) or v["ActorFractie"]
                if name and v["Soort"] in ("Voor", "Tegen"):
                    per[name] = v["Soort"]
        out[bid] = per
    return out


def test_agreement_matrix_equals_a_plain_count_of_the_records(analysed: TestClient) -> None:
    positions = _positions()
    same: dict[tuple[str, str], int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for per in positions.values():
        for a, b in combinations(sorted(per), 2):
            both[a, b] += 1
            same[a, b] += per[a] == per[b]
    data = analysed.get("/analyse/stemmingen.json?van=1990-01-01&tot=2100-12-31").json()
    assert data["stemmingen"] == len(positions) > 50
    got = {
        (row["fractie"], cell["fractie"]): (cell["zelfde"], cell["samen"])
        for row in data["overeenstemming"]
        for cell in row["met"]
    }
    checked = 0
    for (a, b), n in both.items():
        assert got[a, b] == (same[a, b], n), (a, b)
        assert got[b, a] == (same[a, b], n)
        checked += 1
    assert checked > 20
    # pairs the records never saw together count 0 of 0 (no made-up figures)
    assert all(v == (0, 0) for k, v in got.items() if tuple(sorted(k)) not in both)


def test_a_fractie_record_equals_a_plain_count(analysed: TestClient) -> None:
    positions = _positions()
    outcome = {
        b["Id"]: b["BesluitSoort"]
        for b in odata("Besluit")
        if b["StemmingsSoort"] in ("Met handopsteken", "Hoofdelijk")
    }
    name = "VVD"
    took_part = [bid for bid, per in positions.items() if name in per]
    with_outcome = [
        bid
        for bid in took_part
        if outcome[bid].startswith(
            ("Stemmen - aangenomen", "Stemmen - verworpen", "Stemmen - niet aangenomen")
        )
    ]
    with_majority = [
        bid
        for bid in with_outcome
        if (positions[bid][name] == "Voor") == outcome[bid].startswith("Stemmen - aangenomen")
    ]
    data = analysed.get(f"/fractie/{name}.json").json()
    page_all = analysed.get(f"/analyse/stemmingen.json?van=1990-01-01&sort={name}").json()
    assert page_all["fracties"][0] == name
    # the fractie page shows the cabinet's term; count the same window from the records
    van = data["van"]
    dates = _dates()
    in_term = {bid for bid in took_part if dates.get(bid, "") >= van}
    assert data["stemmingen"] == len(in_term)
    assert data["metUitslag"] == len(in_term & set(with_outcome))
    assert data["metMeerderheid"] == len(in_term & set(with_majority))


def _dates() -> dict[str, str]:
    act = {a["Id"]: (a.get("Datum") or "")[:10] for a in odata("Activiteit")}
    punt = {p["Id"]: act.get(p["Activiteit_Id"], "") for p in odata("Agendapunt")}
    return {b["Id"]: punt.get(b["Agendapunt_Id"], "") for b in odata("Besluit")}


def _persons() -> dict[str, str]:
    return {p["Id"]: str(p["Nummer"]) for p in odata("Persoon")}


def _motie_actors() -> list[dict[str, Any]]:
    soort = {z["Id"]: z["Soort"] for z in odata("Zaak")}
    return [
        a
        for a in odata("ZaakActor")
        if soort.get(a["Zaak_Id"]) in ("Motie", "Amendement")
        and a["Relatie"] in ("Indiener", "Medeindiener")
    ]


def test_motions_submitted_per_fractie_and_member_equal_a_plain_count(
    analysed: TestClient,
) -> None:
    """Submitted moties per fractie and per member (the first signer), co-signed moties and
    the co-signers most often, counted from the ZaakActor records. (The corpus's Besluit
    records name no zaak, so no motie here has an official outcome: "besloten" is 0.)"""
    afk = {f["Id"]: f["Afkorting"] for f in odata("Fractie")}
    actors = _motie_actors()
    indieners = [a for a in actors if a["Relatie"] == "Indiener"]
    assert len({a["Zaak_Id"] for a in indieners}) == len(indieners)  # one first signer each
    per_fractie = Counter(afk.get(a["Fractie_Id"]) or a["ActorFractie"] for a in indieners)
    checked = 0
    for name, n in per_fractie.most_common(4):
        data = analysed.get(f"/fractie/{name}.json").json()
        motie = next(t for t in data["indieningen"] if t["soort"] == "Motie")
        assert (motie["ingediend"], motie["besloten"]) == (n, 0), name
        checked += 1
    assert checked == 4
    nummer = _persons()
    per_member = Counter(a["Persoon_Id"] for a in indieners)
    for persoon_id, n in per_member.most_common(3):
        zaken = {a["Zaak_Id"] for a in actors if a["Persoon_Id"] == persoon_id}
        mede = {
            a["Zaak_Id"]
            for a in actors
            if a["Persoon_Id"] == persoon_id and a["Relatie"] == "Medeindiener"
        }
        partners = Counter(
            nummer[a["Persoon_Id"]]
            for a in actors
            if a["Zaak_Id"] in zaken and a["Persoon_Id"] and a["Persoon_Id"] != persoon_id
        )
        profiel = analysed.get(f"/persoon/{nummer[persoon_id]}.json").json()["profiel"]
        motie = next(t for t in profiel["indieningen"] if t["soort"] == "Motie")
        assert motie["ingediend"] == n
        assert profiel["medeondertekend"] == len(mede)
        shown = [(c["persoonNummer"], c["keer"]) for c in profiel["medeondertekenaars"]]
        assert shown and all(partners[p] == k for p, k in shown), (shown, partners)
        assert shown[0][1] == max(partners.values())
        assert len(shown) == min(15, len(partners))


def test_roll_call_votes_against_the_fractie_equal_a_plain_count(analysed: TestClient) -> None:
    """In the roll calls: every member's vote against the majority of their fractie's
    members who voted (an even split has no majority), counted from the Stemming records."""
    afk = {f["Id"]: f["Afkorting"] for f in odata("Fractie")}
    decided = {
        b["Id"]
        for b in odata("Besluit")
        if b["StemmingsSoort"] in ("Met handopsteken", "Hoofdelijk")
    }
    rows = [s for s in odata("Stemming") if s["Persoon_Id"] and s["Besluit_Id"] in decided]
    assert rows
    tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for s in rows:
        if s["Soort"] in ("Voor", "Tegen"):
            tally[s["Besluit_Id"], afk.get(s["Fractie_Id"]) or s["ActorFractie"]][s["Soort"]] += 1
    against: dict[str, set[str]] = defaultdict(set)
    for s in rows:
        fractie = afk.get(s["Fractie_Id"]) or s["ActorFractie"]
        count = tally[s["Besluit_Id"], fractie]
        if s["Soort"] in ("Voor", "Tegen") and count["Voor"] != count["Tegen"]:
            majority = "Voor" if count["Voor"] > count["Tegen"] else "Tegen"
            if s["Soort"] != majority:
                against[s["Persoon_Id"]].add(s["Besluit_Id"])
    nummer = _persons()
    voters = sorted({s["Persoon_Id"] for s in rows})
    # every member who deviated, and as many who did not
    sample = sorted(against) + [p for p in voters if p not in against][: max(3, len(against))]
    for persoon_id in sample:
        profiel = analysed.get(f"/persoon/{nummer[persoon_id]}.json").json()["profiel"]
        assert {a["besluitId"] for a in profiel["tegenFractie"]} == against.get(persoon_id, set())
        assert profiel["hoofdelijkeStemmingen"] == len(
            {s["Besluit_Id"] for s in odata("Stemming") if s["Persoon_Id"] == persoon_id}
        )


def test_toezeggingen_per_ministry_equal_the_records(analysed: TestClient) -> None:
    """The corpus's two toezeggingen (constructed in the live feed's form): TZ202507-901,
    VWS, "Deels voldaan" with datumNakoming 2025-09-01 (past: open and overdue), and
    TZ202507-902, IenW, "Openstaand" without a datumNakoming (open, not overdue)."""
    data = analysed.get("/analyse/ministeries.json").json()
    tz = {g["naam"]: g["cijfers"] for g in data["toezeggingen"]["per"]}
    vws = tz["Volksgezondheid, Welzijn en Sport"]
    assert (vws["totaal"], vws["open"], vws["teLaat"], vws["voldaan"]) == (1, 1, 1, 0)
    assert vws["voldaanTeLaat"] == 0 and vws["mediaanDagen"] is None
    assert vws["aandeelTeLaat"] == 1.0
    ienw = tz["Infrastructuur en Waterstaat"]
    assert (ienw["totaal"], ienw["open"], ienw["teLaat"], ienw["aandeelTeLaat"]) == (1, 1, 0, 0.0)
    # no written questions in the corpus: no made-up answer times
    assert data["vragen"]["totaal"] is None and data["vragen"]["per"] == []


def test_speaking_time_per_month_adds_up_the_meetings(
    analysed: TestClient, real_db_url: str
) -> None:
    """A member's speaking time per month is the sum of their speaking time (as spokesman
    and interrupting) in each meeting of that month, as the speaking stage measured it from
    the real VLOS verslagen."""
    with open_migrated(real_db_url) as db:
        rows = list(
            db.conn.execute(
                "SELECT p.nummer, v.datum, s.woordvoerder, s.interrumpant FROM spreektijd s "
                "JOIN vergadering v ON v.id = s.vergadering_id "
                "JOIN persoon p ON p.id = s.persoon_id ORDER BY s.seq"
            )
        )
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for nummer, datum, woordvoerder, interrumpant in rows:
        per[str(nummer)][str(datum)[:7]] += int(woordvoerder or 0) + int(interrumpant or 0)
    assert len(per) > 5
    for nummer, months in sorted(per.items(), key=lambda x: -sum(x[1].values()))[:5]:
        profiel = analysed.get(f"/persoon/{nummer}.json").json()["profiel"]
        got = {m["maand"]: m["seconden"] for m in profiel["spreektijdPerMaand"]}
        assert got == dict(months), nummer


# the coalitions by date, from the public record (the live feed writes NSC's afkorting out)
COALITIONS = (
    ("2022-01-10", {"VVD", "D66", "CDA", "ChristenUnie"}),
    ("2024-07-02", {"PVV", "VVD", "Nieuw Sociaal Contract", "BBB"}),
    ("2025-06-03", {"VVD", "Nieuw Sociaal Contract", "BBB"}),
    ("2025-08-22", {"VVD", "BBB"}),
)


def test_voting_with_the_coalition_equals_a_plain_count(analysed: TestClient) -> None:
    """A fractie voted with the coalition when its position was the side with the most
    seats among the coalition's fracties that took part (an even split: no side); every
    fractie of the corpus, over the current cabinet's term (the fractie page's period)."""
    afk = {f["Id"]: f["Afkorting"] for f in odata("Fractie")}
    positions = _positions()
    dates = _dates()
    seats: dict[str, dict[str, int]] = defaultdict(dict)
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for s in odata("Stemming"):
        name = afk.get(s["Fractie_Id"]) or s["ActorFractie"]
        if s["Persoon_Id"]:
            members[s["Besluit_Id"]][name] += 1
        else:
            seats[s["Besluit_Id"]][name] = s["FractieGrootte"] or 0
    checked = 0
    for name in sorted(afk.values()):
        data = analysed.get(f"/fractie/{name}.json").json()
        met = taken = 0
        for bid, per in positions.items():
            day = dates.get(bid, "")
            if name not in per or not data["van"] <= day <= data["tot"]:
                continue
            coalition = next((c for start, c in reversed(COALITIONS) if start <= day), set())
            weight = members[bid] or seats[bid]
            voor = sum(weight.get(f, 0) or 1 for f in coalition if per.get(f) == "Voor")
            tegen = sum(weight.get(f, 0) or 1 for f in coalition if per.get(f) == "Tegen")
            if voor != tegen:
                taken += 1
                met += per[name] == ("Voor" if voor > tegen else "Tegen")
        assert (data["metCoalitie"], data["coalitieStemmingen"]) == (met, taken), name
        checked += taken
    assert checked > 20  # the corpus has few votes in the current cabinet's term
