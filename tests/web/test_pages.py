"""Every page through the ASGI client on a database synced from the crafted feed."""

from __future__ import annotations

import re

import lxml.html
import pytest
from starlette.testclient import TestClient

from tests.web.world import COMMISSIE_ID, WORLD_DAY

PAGES = [
    "/",
    "/status",
    "/uitleg",
    "/document/2023D03702",
    "/document/2023D04000",
    "/zaak/2023Z00142",
    "/zaak/2023Z00200",
    "/kamerstukdossier/36228",
    "/kamerstukdossier/36300-R1234",
    "/activiteit/2023A00100",
    "/persoon/1234",
    f"/commissie/{COMMISSIE_ID}",
    "/toezegging/TZ202302-001",
]
MENU = [
    "overzicht",
    "activiteiten",
    "ongeplande activiteiten",
    "besluiten",
    "commissies",
    "geschenken",
    "kamerleden",
    "kamerstukdossiers",
    "open vragen",
    "toezeggingen",
    "stemmingen",
    "verslagen",
    "uitgebreid zoeken",
    "wat is dit?",
]


def text_of(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


@pytest.mark.parametrize("path", PAGES)
def test_page_layout(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    doc = lxml.html.fromstring(response.text)
    menu = [" ".join(a.text_content().split()) for a in doc.xpath("//nav//a")]
    for label in MENU:
        assert any(label in item for item in menu), label
    assert doc.xpath("//form[@role='search' and @action='/zoeken']//input[@name='q']")
    assert doc.xpath("//title")[0].text_content().strip()
    assert doc.xpath("//meta[@property='og:title']/@content")
    assert doc.xpath("//main")
    footer = " ".join(doc.xpath("/html/body/footer")[0].text_content().split())
    assert "bijgewerkt" in footer and ("geleden" in footer or "zojuist" in footer)
    json_link = doc.xpath("/html/body/footer//a[contains(@href, '.json')]/@href")
    assert json_link
    twin = client.get(json_link[0])
    assert twin.status_code == 200
    assert twin.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", PAGES)
def test_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_document_page_shows_the_seed_facts(client: TestClient) -> None:
    page = text_of(client.get("/document/2023D03702").text)
    assert "Antwoord op vragen van het lid Leijten over de brandbrief van 50 topambtenaren" in page
    assert "Antwoord schriftelijke vragen" in page
    assert "Nummer: 2023D03702, datum: 2023-02-01, bijgewerkt: 2024-02-19 10:56, versie: 3" in page
    assert "officiële HTML versie (ah-tk-20222023-1429)" in page
    assert "Ondertekenaar: Mark Rutte, minister-president (VVD)" in page
    assert "Bijlagen" in page and "Brandbrief van 50 topambtenaren" in page
    assert "Onderdeel van kamerstukdossier 36228-3 Politiek-ambtelijke verhoudingen" in page
    assert "Onderdeel van zaak 2023Z00142" in page
    assert "Voortouwcommissie: Binnenlandse Zaken" in page
    assert "Indiener" not in page  # zaak indieners are not repeated


def test_document_links(client: TestClient) -> None:
    doc = lxml.html.fromstring(client.get("/document/2023D03702").text)
    hrefs = doc.xpath("//main//a/@href")
    assert "https://zoek.officielebekendmakingen.nl/ah-tk-20222023-1429.html" in hrefs
    assert any(h.startswith("https://www.tweedekamer.nl/kamerstukken/") for h in hrefs)
    assert "/zaak/2023Z00142" in hrefs
    assert "/kamerstukdossier/36228" in hrefs
    assert "/persoon/999" in hrefs
    assert "/document/2023D03703" in hrefs
    assert not any(h.endswith("/bestand") for h in hrefs)  # no file stored yet


def test_document_bijlage_bij_and_answers(client: TestClient) -> None:
    bijlage = text_of(client.get("/document/2023D03703").text)
    assert "Bijlage bij" in bijlage and "Antwoord op vragen van het lid Leijten" in bijlage
    open_vragen = text_of(client.get("/document/2023D09999").text)
    assert re.search(r"Nog niet beantwoord \([\d.]+ dag(?:en)? open\)", open_vragen)
    vragen = text_of(client.get("/document/2023D00500").text)
    assert "Indiener: Renske Leijten (ooit SP kamerlid)" in vragen
    assert "Antwoorden op deze schriftelijke vragen" in vragen
    assert "2023-02-01: Antwoord op vragen" in vragen


def test_motie_votes_and_kabinetsappreciatie(client: TestClient) -> None:
    page = text_of(client.get("/document/2023D04000").text)
    assert "Kabinetsappreciatie: Oordeel Kamer" in page
    assert "Verworpen." in page and "Uitslag: Verworpen" in page
    assert "Voor 26: SP, PVV" in page
    assert "Tegen 34: VVD" in page
    assert "Onderdeel van activiteiten 2023-02-14: Stemmingen" in page


def test_zaak_page(client: TestClient) -> None:
    page = text_of(client.get("/zaak/2023Z00142").text)
    assert "Zaak 2023Z00142, gestart op 2023-01-11" in page
    assert "Indiener: Renske Leijten (SP)" in page
    assert "Onderdeel van kamerstukdossier 36228" in page
    assert "2023D03702" in client.get("/zaak/2023Z00142").text
    motie = text_of(client.get("/zaak/2023Z00200").text)
    assert "Voor 26: SP, PVV" in motie


def test_dossier_page_orders_by_volgnummer(client: TestClient) -> None:
    page = text_of(client.get("/kamerstukdossier/36228").text)
    assert page.index("2023D04000") < page.index("2023D03702")
    assert "Kamerstuk 36300 R1234" in text_of(client.get("/kamerstukdossier/36300-R1234").text)
    assert client.get("/kamerstukdossier/36300").status_code == 404


def test_activiteit_page_and_ics(client: TestClient) -> None:
    page = text_of(client.get("/activiteit/2023A00100").text)
    assert "dinsdag 14 februari 2023 14:00–15:00, Plenaire zaal" in page
    assert "Voortouwcommissie: Binnenlandse Zaken" in page
    assert "Deelnemer: Renske Leijten (SP)" in page
    assert "TZ202302-001" in page
    assert "Stemmingen over moties" in page and "Verworpen." in page
    ics = client.get("/activiteit/2023A00100.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "DTSTART:20230214T130000Z" in ics.text and "LOCATION:Plenaire zaal" in ics.text


def test_persoon_page(client: TestClient) -> None:
    page = text_of(client.get("/persoon/1234").text)
    assert "Renske Leijten (ooit SP kamerlid)" in page
    assert "Ontvangen onvervulde toezeggingen (1)" in page
    assert "Onbeantwoorde schriftelijke vragen (1)" in page
    assert "Geschenken (1)" in page and "Boek" in page


def test_commissie_and_toezegging(client: TestClient) -> None:
    page = text_of(client.get(f"/commissie/{COMMISSIE_ID}").text)
    assert "Binnenlandse Zaken (BiZa)" in page and "Renske Leijten" in page
    assert "2023Z00142" in page
    assert client.get(f"/commissie/{COMMISSIE_ID.upper()}").status_code == 200
    tz = text_of(client.get("/toezegging/TZ202302-001").text)
    assert "Toezegging TZ202302-001 (Openstaand)" in tz
    assert "Toegezegd aan Renske Leijten" in tz


def test_overzicht_and_rss(client: TestClient) -> None:
    client.app.state.today = WORLD_DAY  # type: ignore[attr-defined]  # past midnight too
    page = text_of(client.get("/").text)
    assert "2023D04000" in page
    assert "Jarig vandaag" in page and "Jan Jarig (VVD)" in page
    regering = client.get("/?regering=1").text
    assert "2023D04000" not in regering
    rss = client.get("/index.xml")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    root = lxml.etree.fromstring(rss.content)
    assert root.tag == "rss"
    assert "kamerwatch_2023D04000" in [g.text for g in root.iterfind("channel/item/guid")]


def test_status_page(client: TestClient) -> None:
    page = text_of(client.get("/status").text)
    assert "Document" in page and "Laatste runs" in page
    # Dutch throughout: no "Entries", stages by their Dutch names
    assert "Entries" not in page and "synchronisatie" in page and "| sync |" not in page
    data = client.get("/status.json").json()
    assert {c["categorie"] for c in data["categorieen"]} >= {"Document", "Zaak"}


def test_etag_304(client: TestClient) -> None:
    first = client.get("/document/2023D03702")
    etag = first.headers["etag"]
    again = client.get("/document/2023D03702", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_static_css_is_vendored(client: TestClient) -> None:
    response = client.get("/static/pico.classless.min.css")
    assert response.status_code == 200 and len(response.content) > 10_000


def test_commissie_rss(client: TestClient) -> None:
    rss = client.get(f"/commissie/{COMMISSIE_ID}.xml")
    assert rss.status_code == 200
    root = lxml.etree.fromstring(rss.content)
    assert root.findtext("channel/title") == "kamerwatch: Binnenlandse Zaken"
    guids = [g.text for g in root.iterfind("channel/item/guid")]
    assert "kamerwatch_2023D03702" in guids
    assert client.get("/commissie/00000000-0000-0000-0000-000000000000.xml").status_code == 404
