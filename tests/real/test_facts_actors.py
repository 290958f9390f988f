"""Fact tests on the corpus' actors and memberships (issue #20, the conformance corpus):
every real ZaakActor on its zaak's page and in its JSON twin, the commissie the actors name,
and the FractieZetelPersoon / CommissieZetelVastPersoon records as mirrored. Both engines."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from kamerwatch.store.pages.people import ZAKEN_SHOWN
from kamerwatch.subsystems import open_migrated
from tests.real.conftest import REAL, odata, page_text, twin

pytestmark = pytest.mark.usefixtures("real")


def _zaken() -> dict[str, dict[str, Any]]:
    return {z["Id"]: z for z in odata("Zaak")}


def test_every_zaakactor_on_its_zaak_page_and_in_its_twin(real: TestClient) -> None:
    """Indiener, medeindieners and the voortouwcommissie of 120 real moties: the name, the
    relation, the function and the fractie the source gives, on the page and in
    ``actors`` of the twin (one row per source record, no more, no less)."""
    actors = odata("ZaakActor")
    assert len(actors) >= 450
    by_zaak: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for actor in actors:
        by_zaak[actor["Zaak_Id"]].append(actor)
    zaken = _zaken()
    people = {p["Id"]: p for p in odata("Persoon")}
    for zaak_id, records in by_zaak.items():
        nummer = zaken[zaak_id]["Nummer"]
        text = page_text(real, f"/zaak/{nummer}")
        shown = twin(real, f"/zaak/{nummer}")["actors"]
        assert len(shown) == len(records), nummer
        for record in records:
            # a member is shown by the name of their Persoon record, linked; others by
            # the actor name of the source
            person = people.get(record["Persoon_Id"] or "")
            shown_name = person["Achternaam"] if person else record["ActorNaam"]
            assert shown_name in text, (nummer, shown_name)
            assert record["Relatie"] in text, (nummer, record["Relatie"])
            if record["ActorFractie"]:
                assert record["ActorFractie"] in text, (nummer, record["ActorFractie"])
            mine = [
                a
                for a in shown
                if a["naam"] == record["ActorNaam"] and a["relatie"] == record["Relatie"]
            ]
            assert len(mine) == 1, (nummer, record["ActorNaam"], record["Relatie"])
            assert mine[0]["functie"] == record["Functie"]
            assert mine[0]["fractie"] == record["ActorFractie"]
            if record["Persoon_Id"]:
                assert mine[0]["persoon"]["id"] == record["Persoon_Id"]
                assert person and person["Achternaam"] in mine[0]["persoon"]["naam"]
            if record["Commissie_Id"]:
                assert mine[0]["commissie"]["id"] == record["Commissie_Id"]


def test_one_indiener_per_motie_and_the_signers_counted(real: TestClient) -> None:
    """What a reader counts on a motie: exactly one indiener, and as many medeindieners as
    the source lists (the zaak page says who submitted it with how many others)."""
    by_zaak: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for actor in odata("ZaakActor"):
        by_zaak[actor["Zaak_Id"]].append(actor)
    zaken = _zaken()
    several = 0
    for zaak_id, records in by_zaak.items():
        shown = twin(real, f"/zaak/{zaken[zaak_id]['Nummer']}")["actors"]
        for relatie in ("Indiener", "Medeindiener", "Voortouwcommissie"):
            wanted = sorted(r["ActorNaam"] for r in records if r["Relatie"] == relatie)
            assert sorted(a["naam"] for a in shown if a["relatie"] == relatie) == wanted
        assert sum(r["Relatie"] == "Indiener" for r in records) == 1
        several += sum(r["Relatie"] == "Medeindiener" for r in records) >= 5
    assert several >= 10  # moties signed by six or more members are in the corpus


def test_the_commissie_the_actors_name_has_its_page_with_its_latest_zaken(
    real: TestClient,
) -> None:
    """The voortouwcommissie of the 120 moties (DERIVED: the Commissie record is read from
    the ZaakActor records that name it): its page shows its name and its 20 latest zaken by
    start date, each with the relation of the source."""
    (commissie,) = json.loads((REAL / "derived" / "Commissie.json").read_text(encoding="utf-8"))
    data = twin(real, f"/commissie/{commissie['Id']}")
    assert data["afkorting"] == commissie["Afkorting"]
    assert data["naam"] == commissie["NaamNL"]
    zaken = _zaken()
    led = [zaken[a["Zaak_Id"]] for a in odata("ZaakActor") if a["Commissie_Id"] == commissie["Id"]]
    assert len(led) == 120
    latest = sorted(led, key=lambda z: (z["GestartOp"], z["Id"]), reverse=True)
    listed = [z["zaak"]["nummer"] for z in data["zaken"]]
    assert len(listed) == 20 and set(listed) <= {z["Nummer"] for z in led}
    cutoff = latest[19]["GestartOp"]  # newer than the 20th: certainly listed
    assert all(z["Nummer"] in listed for z in led if z["GestartOp"] > cutoff)
    assert all(zaken_by_nummer(led)[n]["GestartOp"] >= cutoff for n in listed)
    assert all(z["relatie"] == "Voortouwcommissie" for z in data["zaken"])
    text = page_text(real, f"/commissie/{commissie['Id']}")
    assert commissie["NaamNL"] in text
    # and each zaak page links to it
    first = latest[0]["Nummer"]
    assert f"/commissie/{commissie['Id']}" in real.get(f"/zaak/{first}").text


def zaken_by_nummer(zaken: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {z["Nummer"]: z for z in zaken}


def _rows(url: str, table: str) -> dict[str, dict[str, Any]]:
    with open_migrated(url) as db:
        rows = db.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        names = [c[0] for c in db.conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
        return {
            dict(zip(names, r, strict=True))["id"]: dict(zip(names, r, strict=True)) for r in rows
        }


def test_fractiezetelpersoon_mirrored_as_the_source_says(real_db_url: str) -> None:
    """The 150 real FractieZetelPersoon records (the source asked without their relations:
    no seat, no person, so they appear on no page): function, from and until as given."""
    records = odata("FractieZetelPersoon")
    assert len(records) == 150
    rows = _rows(real_db_url, "fractiezetelpersoon")
    for record in records:
        row = rows[record["Id"]]
        assert row["functie"] == record["Functie"]
        assert str(row["van"])[:10] == record["Van"][:10]
        assert (row["tot_en_met"] and str(row["tot_en_met"])[:10]) == (
            record["TotEnMet"] and record["TotEnMet"][:10]
        )
        assert row["persoon_id"] is None and row["fractie_zetel_id"] is None
    functies = {r["Functie"] for r in records}
    assert {"Lid", "Fractievoorzitter"} <= functies


def test_captured_commissiezetelvastpersoon_mirrored(real_db_url: str) -> None:
    """The one real CommissieZetelVastPersoon entity found (captured/, verbatim): its seat,
    person, function and period as the XML gives them."""
    root = etree.parse(REAL / "captured" / "commissiezetelvastpersoon.xml").getroot()
    (entity,) = root.iter("{http://www.tweedekamer.nl/xsd/tkData/v1-0}commissieZetelVastPersoon")
    child = {etree.QName(c).localname: c for c in entity}
    row = _rows(real_db_url, "commissiezetelvastpersoon")[entity.get("id")]
    assert row["commissie_zetel_id"] == child["commissieZetel"].get("ref")
    assert row["persoon_id"] == child["persoon"].get("ref")
    assert row["functie"] == child["functie"].text == "Lid"
    assert str(row["van"])[:10] == child["van"].text == "1996-05-07"
    assert str(row["tot_en_met"])[:10] == child["totEnMet"].text == "2006-11-29"


def test_every_skiptoken_of_the_corpus_is_unique() -> None:
    """Converted, constructed and captured pages share one token sequence (a duplicate
    token makes the feed server serve one entry twice or skip one)."""
    tokens: list[int] = []
    for folder in ("syncfeed", "constructed", "captured"):
        for page in sorted((REAL / folder).glob("*.xml")):
            for entry in re.findall(r"<entry>.*?</entry>", page.read_text(), re.DOTALL):
                tokens.append(int(re.findall(r"skiptoken=(\d+)&amp;", entry)[0]))
    assert len(tokens) > 2500
    assert len(tokens) == len(set(tokens))


def test_every_member_their_birth_residence_and_submitted_moties(real: TestClient) -> None:
    """A member's page as the records say: born (day and place), residence, and the moties
    they submitted as indiener (the newest ones, each with its number)."""
    submitted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    zaken = _zaken()
    for actor in odata("ZaakActor"):
        if actor["Relatie"] == "Indiener" and actor["Persoon_Id"]:
            submitted[actor["Persoon_Id"]].append(zaken[actor["Zaak_Id"]])
    with_moties = 0
    for p in odata("Persoon"):
        if not p.get("Nummer"):
            continue
        text = page_text(real, f"/persoon/{p['Nummer']}")
        if p["Geboortedatum"]:
            born = f"Geboren {p['Geboortedatum'][:10]}"
            if p["Geboorteplaats"]:
                born += f" in {p['Geboorteplaats']}"
            assert born in text, (p["Nummer"], born)
        if p["Woonplaats"]:
            assert f"Woonplaats: {p['Woonplaats']}." in text, p["Nummer"]
        data = twin(real, f"/persoon/{p['Nummer']}")
        listed = {z["zaak"]["nummer"] for z in data["zaken"]}
        mine = submitted.get(p["Id"], [])
        newest = sorted(mine, key=lambda z: z["GestartOp"], reverse=True)
        if len(mine) <= ZAKEN_SHOWN:
            assert {z["Nummer"] for z in mine} <= listed, p["Nummer"]
        else:
            cutoff = newest[ZAKEN_SHOWN - 1]["GestartOp"]
            assert {z["Nummer"] for z in mine if z["GestartOp"] > cutoff} <= listed
        for z in mine:
            if z["Nummer"] in listed:
                assert z["Nummer"] in text
        with_moties += bool(mine)
    assert with_moties >= 40
