"""The verslagen overview: filters on kind of meeting and committee, in the URL, honoured by
the HTML page, its JSON twin and the CSV download (real synced sample parliament)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from lxml import html
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from tests.conftest import connect


@pytest.fixture(scope="module")
def db(sample_url: str) -> str:
    return sample_url


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def committee_debate(db: str) -> tuple[str, str, str]:
    """A committee debate of the sample: (vergadering titel, committee id, abbreviation),
    known from the activity of the same subject (the sample names both after it)."""
    conn = connect(db)
    try:
        row = conn.execute(
            """SELECT v.titel, a.voortouwcommissie_id, a.voortouwafkorting
               FROM vergadering v JOIN activiteit a
                 ON v.titel = 'Commissiedebat ' || lower(a.onderwerp)
                AND substr(a.datum, 1, 10) = substr(v.datum, 1, 10)
               WHERE a.soort = 'Commissiedebat' AND a.voortouwcommissie_id IS NOT NULL
               ORDER BY v.datum DESC LIMIT 1"""
        ).fetchone()
    finally:
        conn.close()
    assert row, "the sample has committee debates with a verslag"
    return row


def test_unfiltered_lists_both_kinds_with_committees(client: TestClient) -> None:
    items = client.get("/verslagen.json").json()["verslagen"]
    soorten = {v["soort"] for v in items}
    assert {"Plenair", "Commissie"} <= soorten
    assert all(v["commissieId"] is None for v in items if v["soort"] == "Plenair")
    assert any(v["commissieId"] for v in items if v["soort"] == "Commissie")


@pytest.mark.parametrize("soort", ["Plenair", "Commissie"])
def test_soort_filter(client: TestClient, soort: str) -> None:
    items = client.get("/verslagen.json", params={"soort": soort}).json()["verslagen"]
    assert items and all(v["soort"] == soort for v in items)
    page = html.fromstring(client.get("/verslagen", params={"soort": soort}).text)
    rows = page.xpath("//tbody/tr")
    assert len(rows) == len(items)
    assert page.xpath(f"//select[@name='soort']/option[@value='{soort}']/@selected")


def test_commissie_filter_by_id_and_by_abbreviation(client: TestClient, db: str) -> None:
    titel, cie, afkorting = committee_debate(db)
    by_id = client.get("/verslagen.json", params={"commissie": cie}).json()["verslagen"]
    assert titel in {v["titel"] for v in by_id}
    assert all(v["commissieId"] == cie and v["commissieAfkorting"] == afkorting for v in by_id)
    assert all(v["soort"] != "Plenair" for v in by_id)
    by_abbr = client.get("/verslagen.json", params={"commissie": afkorting.lower()}).json()
    assert by_abbr["verslagen"] == by_id
    both = client.get("/verslagen.json", params={"commissie": cie, "soort": "Plenair"}).json()
    assert both["verslagen"] == []
    page = client.get("/verslagen", params={"commissie": cie})
    tree = html.fromstring(page.text)
    assert len(tree.xpath("//tbody/tr")) == len(by_id)
    assert tree.xpath(f"//select[@name='commissie']/option[@value='{cie}']/@selected")
    assert "van de commissie" in tree.findtext(".//h1")
    download = client.get("/verslagen.csv", params={"commissie": cie})
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0][4] == "commissie" and len(rows) == len(by_id) + 1
    assert {r[4] for r in rows[1:]} == {afkorting}


def test_unknown_filter_values_are_ignored_with_a_notice(client: TestClient) -> None:
    everything = client.get("/verslagen.json").json()["verslagen"]
    page = client.get("/verslagen", params={"commissie": "geen-commissie", "soort": "Onzin"})
    assert page.status_code == 200
    text = html.fromstring(page.text).text_content()
    assert "Onbekende waarde voor 'commissie' genegeerd." in text
    assert "Onbekende waarde voor 'soort' genegeerd." in text
    twin = client.get("/verslagen.json", params={"commissie": "geen-commissie"}).json()
    assert twin["verslagen"] == everything
