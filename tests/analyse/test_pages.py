"""The analysis pages on the constructed parliament (tests/analyse/world.py), both engines,
against figures worked out by hand here.

Positions per vote (V = Voor, T = Tegen, N = Niet deelgenomen, s = split roll call, - absent):

    vote  date        outcome          VVD  PVV  SP  D66
    v1    2025-03-04  aangenomen       V    V    T   T
    v2    2025-03-04  verworpen        T    V    V   N
    v3    2025-03-04  aangenomen       V*   T    T   V      (* vergissing: counts as cast)
    v4    2025-03-04  niet aangenomen  V    T    s   -      (roll call: VVD 2-1, PVV 0-2, SP 1-1)
    v5    2025-09-10  verworpen        T    T    V   T

Pairs (same / both took part): VVD-PVV 2/5, VVD-SP 0/4, VVD-D66 2/3, PVV-SP 2/4,
PVV-D66 1/3, SP-D66 1/3.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from lxml import etree
from starlette.testclient import TestClient

from tests.analyse.world import BIZA, RECENT


def _pair(data: dict[str, Any], a: str, b: str) -> tuple[int, int, float | None]:
    row = next(r for r in data["overeenstemming"] if r["fractie"] == a)
    cell = next(c for c in row["met"] if c["fractie"] == b)
    return cell["zelfde"], cell["samen"], cell["aandeel"]


def test_agreement_matrix_by_hand(analysed: TestClient) -> None:
    data = analysed.get("/analyse/stemmingen.json").json()
    assert data["van"] == "2024-07-02"  # the Schoof cabinet's term by default
    assert data["stemmingen"] == 5
    assert data["fracties"] == ["D66", "PVV", "SP", "VVD"]
    expected = {
        ("VVD", "PVV"): (2, 5, 0.4),
        ("VVD", "SP"): (0, 4, 0.0),
        ("VVD", "D66"): (2, 3, 0.667),
        ("PVV", "SP"): (2, 4, 0.5),
        ("PVV", "D66"): (1, 3, 0.333),
        ("SP", "D66"): (1, 3, 0.333),
    }
    for (a, b), want in expected.items():
        assert _pair(data, a, b) == want
        assert _pair(data, b, a) == want  # symmetric


def test_agreement_per_period_topic_and_order(analysed: TestClient) -> None:
    late = analysed.get("/analyse/stemmingen.json?van=2025-09-01").json()
    assert late["stemmingen"] == 1
    assert _pair(late, "VVD", "PVV") == (1, 1, 1.0)
    assert _pair(late, "SP", "D66") == (0, 1, 0.0)
    commissies = analysed.get("/analyse/stemmingen.json").json()
    biza = analysed.get("/analyse/stemmingen").text
    assert "Binnenlandse Zaken (2)" in biza
    topic = analysed.get(f"/analyse/stemmingen.json?commissie={BIZA}").json()
    assert topic["stemmingen"] == 2 and _pair(topic, "VVD", "PVV") == (1, 2, 0.5)
    dossier = analysed.get("/analyse/stemmingen.json?dossier=36228").json()
    assert dossier["stemmingen"] == 2 and _pair(dossier, "PVV", "SP") == (1, 2, 0.5)
    ordered = analysed.get("/analyse/stemmingen.json?sort=PVV").json()
    assert ordered["fracties"] == ["PVV", "SP", "VVD", "D66"]  # by agreement with PVV
    assert commissies["sortering"] == "naam"


def test_agreement_bad_input_is_a_notice(analysed: TestClient) -> None:
    page = analysed.get("/analyse/stemmingen?van=gisteren&dossier=../x&sort=NIEMAND")
    assert page.status_code == 200
    assert "Ongeldige datum" in page.text and "Ongeldig dossiernummer" in page.text
    swapped = analysed.get("/analyse/stemmingen.json?van=2025-12-31&tot=2025-01-01").json()
    assert (swapped["van"], swapped["tot"]) == ("2025-01-01", "2025-12-31")


def test_agreement_html_svg_and_csv(analysed: TestClient) -> None:
    page = analysed.get("/analyse/stemmingen").text
    assert '<svg class="chart heatmap" role="img"' in page
    assert "<title" in page and "<desc" in page
    assert "VVD en PVV: 40% (2 van 5 stemmingen)" in page  # the cell's tooltip
    assert '<table class="matrix">' in page
    body = analysed.get("/analyse/stemmingen.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["fractie", "met fractie", "zelfde gestemd", "beide gestemd", "aandeel"]
    assert ["VVD", "PVV", "2", "5", "0.4"] in rows
    assert len(rows) == 1 + 4 * 3


def test_fractie_profile_by_hand(analysed: TestClient) -> None:
    vvd = analysed.get("/fractie/VVD.json").json()
    # v1..v5 all taken part; with the official outcome in v1, v2, v3, v5 (v4: voted for,
    # not adopted); the coalition (PVV+VVD by seats until June 2025, then VVD+BBB) was
    # Voor in v1, Voor in v2 (PVV 37 > VVD 24), Tegen in v3, Voor in v4 (3 members to 2), Tegen in v5
    assert (vvd["stemmingen"], vvd["metMeerderheid"], vvd["metUitslag"]) == (5, 4, 5)
    assert (vvd["metCoalitie"], vvd["coalitieStemmingen"]) == (3, 5)
    assert vvd["aandeelMeerderheid"] == 0.8
    assert [s["datum"] for s in vvd["eenzaam"]] == ["2025-03-04"] * 3  # v1, v2, v3
    moties = {t["soort"]: t for t in vvd["indieningen"]}
    # M1 adopted, M2 rejected, M3 adopted without a vote ("Zonder stemming" is still the
    # official outcome), M5 not adopted
    assert (moties["Motie"]["ingediend"], moties["Motie"]["besloten"]) == (4, 4)
    assert moties["Motie"]["aangenomen"] == 2 and moties["Motie"]["aandeelAangenomen"] == 0.5
    assert moties["Amendement"]["ingediend"] == 0
    assert [m["nummer"] for m in vvd["leden"]] == ["9003", "9001", "9002"]  # by name
    assert vvd["bron"]["afkorting"] == "VVD"
    pvv = analysed.get("/fractie/PVV.json").json()
    assert (pvv["metCoalitie"], pvv["coalitieStemmingen"]) == (4, 5)
    d66 = analysed.get("/fractie/d66.json").json()  # case-insensitive
    assert (d66["stemmingen"], d66["metMeerderheid"], d66["metCoalitie"]) == (3, 2, 1)
    sp = analysed.get("/fractie/SP.json").json()
    assert sp["stemmingen"] == 4 and sp["metMeerderheid"] == 0  # v4 split: not counted
    assert [len(sp["leden"])] == [2]  # the former member left in 2024
    seats = {z["maand"]: z["zetels"] for z in sp["zetelsPerMaand"]}
    assert (seats["2024-01"], seats["2024-06"]) == (3, 2)
    assert {s["datum"] for s in sp["eenzaam"]} == {"2025-03-04", "2025-09-10"}
    html = analysed.get("/fractie/VVD").text
    assert "Alleen of bijna alleen (3)" in html and "coalitiepartij" in html
    assert analysed.get("/fractie/ONBEKEND").status_code == 404
    assert analysed.get("/fractie/%3Cscript%3E").status_code == 404


def test_member_record_by_hand(analysed: TestClient) -> None:
    m1 = analysed.get("/persoon/9001.json").json()["profiel"]
    motie = next(t for t in m1["indieningen"] if t["soort"] == "Motie")
    assert (motie["ingediend"], motie["besloten"], motie["aangenomen"]) == (3, 3, 2)
    assert [(c["persoonNummer"], c["keer"]) for c in m1["medeondertekenaars"]] == [
        ("9011", 2),
        ("9021", 1),
    ]
    assert m1["medeondertekend"] == 0 and m1["schriftelijkeVragen"] == 5
    assert m1["hoofdelijkeStemmingen"] == 1 and m1["tegenFractie"] == []
    m3 = analysed.get("/persoon/9003.json").json()["profiel"]
    assert [(a["stem"], a["fractie"], a["fractiePositie"]) for a in m3["tegenFractie"]] == [
        ("Tegen", "VVD", "Voor")
    ]
    s1 = analysed.get("/persoon/9021.json").json()["profiel"]
    assert s1["tegenFractie"] == []  # SP split 1-1: no majority to vote against
    p1 = analysed.get("/persoon/9011.json").json()["profiel"]
    assert p1["medeondertekend"] == 2
    assert [(c["persoonNummer"], c["keer"]) for c in p1["medeondertekenaars"]] == [
        ("9001", 2),
        ("9021", 1),
    ]
    page = analysed.get("/persoon/9003").text
    assert "Hoofdelijke stemmingen tegen de eigen fractie" in page


def test_ministries_by_hand(analysed: TestClient) -> None:
    data = analysed.get("/analyse/ministeries.json").json()
    per = {g["naam"]: g["cijfers"] for g in data["vragen"]["per"]}
    assert per["Defensie"] == {
        "gesteld": 3,
        "beantwoord": 2,
        "binnenTermijn": 1,  # 14 days; the other took 41
        "termijnVoorbij": 3,  # two answered, one open for more than 21 days
        "metUitstel": 1,
        "open": 1,
        "mediaanDagen": 27.5,  # median of 14 and 41
        "oudsteOpen": "2024-02-01",
        "aandeelBinnenTermijn": 0.333,
        "aandeelUitstel": 0.333,
    }
    assert per["Financiën"]["binnenTermijn"] == 1  # 21 days is within three weeks
    assert per["Financiën"]["mediaanDagen"] == 26  # median of 21 and 31
    totaal = data["vragen"]["totaal"]
    assert (totaal["gesteld"], totaal["mediaanDagen"], totaal["aandeelBinnenTermijn"]) == (
        5,
        26,
        0.4,
    )
    # ranking by median days, lowest first (a total order: then by name)
    assert [g["naam"] for g in data["vragen"]["per"]] == ["Financiën", "Defensie"]
    tz = {g["naam"]: g["cijfers"] for g in data["toezeggingen"]["per"]}
    assert tz["Defensie"] == {
        "totaal": 5,
        "open": 3,
        "teLaat": 2,
        "voldaan": 2,
        "voldaanTeLaat": 1,
        "mediaanDagen": 61.5,  # 41 (10-1 → 20-2) and 82 (10-1 → 1-4)
        "aandeelTeLaat": 0.667,
    }
    assert tz["Financiën"]["voldaan"] == 1 and tz["Financiën"]["mediaanDagen"] is None
    quarters = [k for k in data["kwartalen"] if k["reeks"] == "alle ministeries"]
    assert [(k["kwartaal"], k["gesteld"]) for k in quarters] == [("2024-K1", 5)]
    people = analysed.get("/analyse/ministeries.json?groep=bewindspersoon").json()
    assert {g["naam"] for g in people["vragen"]["per"]} == {"R. Brekelmans", "E. Heinen"}


def test_ministries_lists_behind_the_numbers(analysed: TestClient) -> None:
    open_ = analysed.get("/analyse/ministeries.json?lijst=vragen&soort=open&ministerie=Defensie")
    lijst = open_.json()["lijst"]
    assert lijst["totaal"] == 1 and [v["zaakNummer"] for v in lijst["items"]] == ["2024Z00003"]
    late = analysed.get(
        "/analyse/ministeries.json?lijst=toezeggingen&soort=te-laat&ministerie=Defensie"
    ).json()["lijst"]
    assert sorted(t["nummer"] for t in late["items"]) == ["TZ-A2", "TZ-A3"]
    page = analysed.get("/analyse/ministeries").text
    assert "lijst=vragen&amp;soort=open&amp;ministerie=Defensie#lijst" in page
    csv_body = analysed.get("/analyse/ministeries.csv?tabel=toezeggingen").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(csv_body)))
    assert rows[0][:3] == ["ministerie", "totaal", "open"]
    assert ["Defensie", "5", "3", "2", "2", "1", "61.5", "0.667"] in rows
    for tabel in ("vragen", "kwartalen", "lijst"):
        assert analysed.get(f"/analyse/ministeries.csv?tabel={tabel}").status_code == 200


def test_newly_overdue_rss(analysed: TestClient) -> None:
    response = analysed.get("/analyse/ministeries.xml")
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = etree.fromstring(response.content)
    titles = [t.text for t in root.iter("title")][1:]
    assert titles == ["Te laat: TZ-A2 (Defensie)"]  # TZ-A3 went overdue long ago
    assert RECENT in response.text


def test_uitleg_states_the_rules(analysed: TestClient) -> None:
    text = analysed.get("/uitleg").text
    for phrase in ("Niet deelgenomen", "vergissing", "hoofdelijke stemming", "Binnen drie weken"):
        assert phrase in text


def test_fractie_csv_tables(analysed: TestClient) -> None:
    def rows(path: str) -> list[list[str]]:
        body = analysed.get(path).content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(body)))

    lone = rows("/fractie/VVD.csv")
    assert lone[0][:4] == ["datum", "zaak", "onderwerp", "stem"] and len(lone) == 1 + 3
    assert rows("/fractie/VVD.csv?tabel=moties")[1][:4] == ["Motie", "4", "4", "2"]
    assert sorted(r[0] for r in rows("/fractie/VVD.csv?tabel=leden")[1:]) == [
        "9001",
        "9002",
        "9003",
    ]
    assert ["2024-06", "2"] in rows("/fractie/SP.csv?tabel=zetels")


def test_the_tables_are_recomputed_only_when_their_inputs_change(analyse_url: str) -> None:
    from datetime import date

    from kamerwatch.store import analyse
    from kamerwatch.subsystems import open_migrated
    from tests.analyse.conftest import DATA
    from tests.conftest import kamerwatch

    again = kamerwatch("analyse", data_dir=DATA[analyse_url], database_url=analyse_url)
    assert again.returncode == 0 and "niets veranderd" in again.stdout + again.stderr
    with open_migrated(analyse_url) as db:
        today = date.today()
        assert analyse.pending(db.conn, today) == []
        # a later day: only the figures "as of a day" are due
        assert analyse.pending(db.conn, date(2099, 1, 1)) == ["vragen", "toezeggingen"]
    forced = kamerwatch("analyse", "--force", data_dir=DATA[analyse_url], database_url=analyse_url)
    assert forced.returncode == 0, forced.stderr
