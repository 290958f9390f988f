"""Issue #20's defects, each on the real records that showed it (both engines)."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from tests.real.conftest import odata

# Officially "Stemmen - niet aangenomen" / "Niet aangenomen.": real 75-75 ties (all 15
# fractie votes of each are in the corpus).
NIET_AANGENOMEN = ("8cd4fe19-42d0-4593-a46a-13fdbea32cbf", "205c4b48-240d-40a0-99d6-5362b4be6cec")
# Every complete tie of the source (October 2025 dump, 67k besluiten): its official outcome.
TIES = {
    "8cd4fe19-42d0-4593-a46a-13fdbea32cbf": ("Niet aangenomen", 75),
    "205c4b48-240d-40a0-99d6-5362b4be6cec": ("Niet aangenomen", 75),
    "6647d352-eb8a-4dcc-88ff-f2df78d27378": ("Verworpen", 75),
    "14998454-6e28-4538-8241-ea58ffe5e004": ("Aanhouden (75-75)", 75),
    "2f6d4e28-7645-4fe0-a9cd-a6e2703414be": ("Verworpen", 74),
}
# Officially "Aangenomen." while the votes held are 20 seats against: shown, and flagged.
AANGENOMEN_TEGEN = "c4563cd7-ca7c-4f1c-ac29-1e06d8da6f1a"
# A complete vote (150 seats) in which one fractie's vote is marked vergissing.
VERGISSING = "b33c7d0b-0864-4ecc-8caf-54cd54ec1b36"


def _activity_json(client: TestClient, besluit_id: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    besluit = next(b for b in odata("Besluit") if b["Id"] == besluit_id)
    punt = next(p for p in odata("Agendapunt") if p["Id"] == besluit["Agendapunt_Id"])
    act = next(a for a in odata("Activiteit") if a["Id"] == punt["Activiteit_Id"])
    data = client.get(f"/activiteit/{act['Nummer']}.json").json()
    shown = next(x for p in data["agendapunten"] for x in p["besluiten"] if x["id"] == besluit_id)
    return act["Nummer"], shown


def _text(client: TestClient, path: str) -> str:
    body = client.get(path).text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_official_niet_aangenomen_is_shown_not_a_computed_verworpen(real: TestClient) -> None:
    for ident in NIET_AANGENOMEN:
        nummer, shown = _activity_json(real, ident)
        assert shown["uitslag"] == "Niet aangenomen"
        assert shown["uitslagSoort"] == "niet aangenomen"
        text = _text(real, f"/activiteit/{nummer}")
        assert "Uitslag: Niet aangenomen" in text
        assert "Uitslag: verworpen" not in text


def test_real_ties_show_the_official_outcome_and_the_equal_counts(real: TestClient) -> None:
    """Five real ties (75-75 four times, 74-74 with one member not voting): the Kamer
    recorded three different outcomes for them. Each page shows the recorded one and the
    equal counts, never an outcome computed from the counts, and no warning (equal counts
    contradict no outcome)."""
    for ident, (uitslag, seats) in TIES.items():
        votes = [v for v in odata("Stemming") if v["Besluit_Id"] == ident]
        assert len(votes) == 15, ident
        nummer, shown = _activity_json(real, ident)
        assert shown["uitslag"] == uitslag, ident
        assert (shown["voor"], shown["tegen"]) == (seats, seats), ident
        assert shown["tellingWijktAf"] is False, ident
        text = _text(real, f"/activiteit/{nummer}")
        assert f"Uitslag: {uitslag} ({seats} voor, {seats} tegen)" in text, ident
    dashboard = real.get("/stemmingen.json?van=2023-01-01&tot=2025-12-31").json()
    rows = {b["id"]: b for b in dashboard["stemmingen"]}
    for ident, (uitslag, seats) in TIES.items():
        assert rows[ident]["uitslag"] == uitslag
        assert (rows[ident]["voor"], rows[ident]["tegen"]) == (seats, seats)
        # held over ("aangehouden") is neither adopted nor rejected
        assert rows[ident]["aangenomen"] is (None if uitslag.startswith("Aanhouden") else False)


def test_counts_against_the_official_outcome_are_flagged_not_obeyed(real: TestClient) -> None:
    nummer, shown = _activity_json(real, AANGENOMEN_TEGEN)
    assert shown["uitslag"] == "Aangenomen"
    assert (shown["voor"], shown["tegen"]) == (0, 20)
    assert shown["tellingWijktAf"] is True
    text = _text(real, f"/activiteit/{nummer}")
    assert "Uitslag: Aangenomen" in text
    assert "wijken af van de officiële uitslag" in text
    dashboard = real.get("/stemmingen.json?van=2023-01-01&tot=2025-12-31").json()
    row = next(b for b in dashboard["stemmingen"] if b["id"] == AANGENOMEN_TEGEN)
    assert row["uitslag"] == "Aangenomen" and row["aangenomen"] is True
    assert row["tellingWijktAf"] is True


def test_a_vergissing_counts_as_cast_and_is_marked_on_every_page(real: TestClient) -> None:
    votes = [v for v in odata("Stemming") if v["Besluit_Id"] == VERGISSING]
    mistaken = [v for v in votes if v["Vergissing"]]
    assert len(mistaken) == 1
    voor = sum(v["FractieGrootte"] for v in votes if v["Soort"] == "Voor")
    tegen = sum(v["FractieGrootte"] for v in votes if v["Soort"] == "Tegen")
    _nummer, shown = _activity_json(real, VERGISSING)
    assert (shown["voor"], shown["tegen"]) == (voor, tegen)
    marked = [n for s in shown["stemmen"] for n in s["fracties"] if n.endswith("(vergissing)")]
    assert marked == [f"{mistaken[0]['ActorFractie']} (vergissing)"]
    dashboard = real.get("/besluiten.json?van=2023-01-01&tot=2025-12-31").json()
    row = next(b for b in dashboard["besluiten"] if b["id"] == VERGISSING)
    assert (row["voor"], row["tegen"]) == (voor, tegen)  # the same rule on both pages
