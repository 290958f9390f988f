"""The party-agreement matrix and a fractie's record on the real corpus (both engines),
against a count written out here directly from the real OData records (tests/data/real).

The count below is deliberately plain (vote by vote, pair by pair); the site uses bit sets
over precomputed positions. Both must give the same numbers."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import pytest
from starlette.testclient import TestClient

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
