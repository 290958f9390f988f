"""JSON twins, the one error shape, hostile input, XSS and the legacy redirects."""

from __future__ import annotations

import re

import lxml.html
import pytest
from starlette.testclient import TestClient

CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


@pytest.mark.parametrize(
    "path",
    [
        "/index.json",
        "/status.json",
        "/document/2023D03702.json",
        "/zaak/2023Z00200.json",
        "/kamerstukdossier/36228.json",
        "/activiteit/2023A00100.json",
        "/persoon/1234.json",
        "/toezegging/TZ202302-001.json",
    ],
)
def test_json_keys_are_lower_camel_case(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert all(CAMEL.match(k) for k in keys(response.json())), keys(response.json())


def test_document_json_twin(client: TestClient) -> None:
    data = client.get("/document/2023D03702.json").json()
    assert data["nummer"] == "2023D03702"
    assert data["soort"] == "Antwoord schriftelijke vragen"
    assert data["datum"] == "2023-02-01T00:00:00"
    assert data["bijgewerkt"] == "2024-02-19T09:56:00.000000Z"
    assert data["versie"]["versienummer"] == 3
    assert data["kamerstukdossier"]["nummer"] == 36228
    zaak = data["zaken"][0]["zaak"]
    assert zaak["nummer"] == "2023Z00142" and zaak["id"]
    assert data["bijlagen"][0]["nummer"] == "2023D03703"
    assert data["actors"][0]["persoon"]["nummer"] == "999"


def test_vote_json(client: TestClient) -> None:
    data = client.get("/zaak/2023Z00200.json").json()
    besluit = data["besluiten"][0]
    assert besluit["uitslag"] == "Verworpen"
    assert besluit["stemmen"][0] == {"soort": "Voor", "zetels": 26, "fracties": ["SP", "PVV"]}


@pytest.mark.parametrize(
    "path",
    [
        "/document/2099D99999",
        "/zaak/2099Z99999",
        "/activiteit/2099A99999",
        "/persoon/424242",
        "/persoon/abc",
        "/commissie/not-a-guid",
        "/commissie/00000000-0000-0000-0000-000000000000",
        "/toezegging/TZ0",
        "/kamerstukdossier/99999",
        "/kamerstukdossier/abc",
        "/bestaat-niet",
        "/kst-1-1",
    ],
)
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404
    assert "Fout 404" in page.text and lxml.html.fromstring(page.text).xpath("//nav//a")
    twin = client.get(path + ".json")
    assert twin.status_code == 404
    assert twin.json() == {"ok": False, "status": 404, "error": "Pagina niet gevonden"}


@pytest.mark.parametrize(
    "path",
    [
        "/document/..%2F..%2Fetc%2Fpasswd",
        "/document/../../etc/passwd",
        "/document/2023D03702%00",
        "/document/%00",
        "/document/" + "9" * 5000,
        "/zaak/%3Cscript%3E",
        "/persoon/1%20OR%201=1",
        "/kamerstukdossier/36228-" + "x" * 300,
        "/activiteit/%C0%AE%C0%AE",
        "/commissie/%2e%2e",
        "/get/%00",
    ],
)
def test_hostile_paths_never_500(client: TestClient, path: str) -> None:
    status = client.get(path).status_code
    assert status in (301, 404), status


def test_xss_is_escaped(client: TestClient) -> None:
    for path in (
        "/document/2023D04000",
        "/zaak/2023Z00200",
        "/kamerstukdossier/36300-R1234",
        "/activiteit/2023A00100",
        "/toezegging/TZ202302-001",
        "/",
    ):
        html = client.get(path).text
        assert "<script>" not in html, path
        assert "onclick" not in html, path
    assert "&lt;script&gt;" in client.get("/document/2023D04000").text
    noot = client.get("/activiteit/2023A00100").text
    assert "<b>vet</b>" in noot  # harmless markup of the noot survives


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/document.html?nummer=2023D03702", "/document/2023D03702"),
        ("/get/2023D03702", "/document/2023D03702"),
        ("/zaak.html?nummer=2023Z00142", "/zaak/2023Z00142"),
        ("/activiteit.html?nummer=2023A00100", "/activiteit/2023A00100"),
        ("/persoon.html?nummer=1234", "/persoon/1234"),
        ("/toezegging.html?nummer=TZ202302-001", "/toezegging/TZ202302-001"),
        ("/ksd.html?ksd=36300&toevoeging=R1234", "/kamerstukdossier/36300-R1234"),
        ("/ksd.html?ksd=36228&toevoeging=", "/kamerstukdossier/36228"),
        ("/commissie.html?id=abc", "/commissie/abc"),
        ("/verslag.html?vergaderingid=abc", "/verslag/abc"),
        ("/search.html?q=brandbrief", "/zoeken?q=brandbrief"),
        ("/kst-36228-3", "/document/2023D03702"),
        ("/stemmingen.html", "/stemmingen"),
        ("/open-vragen.html?fractie=SP", "/open-vragen?fractie=SP"),
        ("/index.html", "/"),
        (
            "/document.html?nummer=2f2b3a1c-1111-2222-3333-444455556666",
            "/verslag/2f2b3a1c-1111-2222-3333-444455556666",
        ),
    ],
)
def test_legacy_redirects(client: TestClient, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["location"] == new


def test_legacy_redirect_without_parameter_is_404(client: TestClient) -> None:
    assert client.get("/document.html").status_code == 404
    assert client.get("/zaak.html?nummer=").status_code == 404
