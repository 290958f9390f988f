"""The dashboards as a browser and a script see them, on a real synced sample parliament."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from datetime import date

import pytest
from icalendar import Calendar
from lxml import html
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from kamerwatch.web.dashboards import DASHBOARDS

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def client(sample_url: str) -> Iterator[TestClient]:
    app = create_app(sample_url, "https://kamerwatch.example")
    app.state.today = TODAY
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_every_dashboard_has_html_json_and_csv(client: TestClient, name: str) -> None:
    page = client.get(f"/{name}")
    assert page.status_code == 200
    tree = html.fromstring(page.text)
    assert tree.xpath("//nav[@aria-label='Hoofdmenu']//a[@href='/activiteiten']")
    assert tree.xpath("//h1")
    twin = client.get(f"/{name}.json")
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    assert isinstance(twin.json(), dict)
    download = client.get(f"/{name}.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert len(rows) >= 2, "header and at least one row"
    assert client.get(f"/{name}?format=csv").text == download.text
    assert client.get(f"/{name}.html").status_code in (200, 301, 308)


def test_agenda_filters_and_ical(client: TestClient) -> None:
    data = client.get("/activiteiten.json").json()
    items = data["activiteiten"]
    assert items and all(a["datum"] >= "2026-11-25" for a in items)
    cie = next(a["commissieId"] for a in items if a["commissieId"])
    only = client.get("/activiteiten.json", params={"commissie": cie}).json()["activiteiten"]
    assert only and all(a["commissieId"] == cie for a in only)
    cal = Calendar.from_ical(client.get("/activiteiten.ics", params={"commissie": cie}).content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len([a for a in only if a["aanvangstijd"]])
    assert all(str(e["url"]).startswith("https://kamerwatch.example/activiteit/") for e in events)
    page = client.get("/activiteiten", params={"van": "gisteren", "soort": "<script>"})
    assert page.status_code == 200
    assert "Ongeldige datum" in page.text and "Onbekende waarde" in page.text
    assert "<script>" not in page.text
    day = client.get("/activiteiten.json", params={"dag": items[0]["datum"][:10]}).json()
    assert all(a["datum"].startswith(items[0]["datum"][:10]) for a in day["activiteiten"])


def test_votes_filters(client: TestClient) -> None:
    all_votes = client.get("/stemmingen.json").json()["stemmingen"]
    assert all_votes
    adopted = client.get("/stemmingen.json", params={"resultaat": "aangenomen"}).json()[
        "stemmingen"
    ]
    assert adopted and len(adopted) < len(all_votes)
    text = client.get("/stemmingen", params={"resultaat": "verworpen"}).text
    assert "verworpen" in text and 'class="aangenomen"' not in text


def test_open_questions_counts_and_filters(client: TestClient) -> None:
    data = client.get("/open-vragen.json").json()
    assert data["totaal"] > 0 and data["teLaat"] > 0
    fractie, n = data["perFractie"][0]
    assert client.get("/open-vragen.json", params={"fractie": fractie}).json()["totaal"] == n
    page = html.fromstring(client.get("/open-vragen").text)
    assert len(page.xpath("//tr[@class='te-laat']")) == data["teLaat"]


def test_members_and_dossier_search_without_javascript(client: TestClient) -> None:
    leden = client.get("/kamerleden.json").json()["leden"]
    assert len(leden) == 150
    found = client.get("/kamerstukdossiers", params={"q": "36800-XVI"})
    tree = html.fromstring(found.text)
    assert tree.xpath("//a[@href='/kamerstukdossier/36800-XVI']")
    hostile = client.get("/kamerstukdossiers", params={"q": "\"'<img src=x onerror=alert(1)>%_"})
    assert hostile.status_code == 200 and "<img src=x" not in hostile.text


def test_csv_neutralises_formulas(client: TestClient) -> None:
    from kamerwatch.web.dashboards import csv_safe

    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_safe("gewoon") == "gewoon"
    assert csv_safe("a;=1|@2\n-3\t+4") == "a;'=1|'@2\n'-3\t'+4"
    assert csv_safe("\t\t=") == "'\t'\t'=" and csv_safe("a-b=c") == "a-b=c"

    def one_by_one(text: str) -> str:  # the rule, character by character
        out, at_start = [], True
        for ch in text:
            if at_start and ch in "=+-@\t\r":
                out.append("'")
            out.append(ch)
            at_start = ch in ",;\t|\r\n"
        return "".join(out)

    alphabet = "=+-@\t\r,;|\nx'"
    for text in map("".join, itertools.product(alphabet, repeat=4)):
        assert csv_safe(text) == one_by_one(text), repr(text)
