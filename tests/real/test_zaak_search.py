"""Zaken are a search kind of their own (issue #20.8): a zaak without documents is found by
its onderwerp, number and indieners. Real zaken of the corpus; both engines."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.real.conftest import odata

# A real amendement of the corpus with no document in the mirror.
AMENDEMENT = "2023Z20532"


def hits(client: TestClient, q: str, **params: str) -> list[dict]:  # type: ignore[type-arg]
    data = client.get("/zoeken.json", params={"q": q, **params}).json()
    return data["hits"]


def test_a_zaak_without_documents_is_found_by_its_subject(
    real: TestClient, real_indexed: str
) -> None:
    zaak = next(z for z in odata("Zaak") if z["Nummer"] == AMENDEMENT)
    assert not zaak.get("Document")
    found = hits(real, '"bestrijding van mensenhandel"', categorie="zaak")
    assert [(h["kind"], h["nummer"]) for h in found] == [("zaak", AMENDEMENT)]
    page = real.get("/zoeken", params={"q": '"bestrijding van mensenhandel"'}).text
    assert f'href="/zaak/{AMENDEMENT}"' in page


def test_every_real_zaak_is_found_by_its_number(real: TestClient, real_indexed: str) -> None:
    for zaak in odata("Zaak"):
        found = hits(real, f'"{zaak["Nummer"]}"', categorie="zaak")
        assert zaak["Nummer"] in [h["nummer"] for h in found], zaak["Nummer"]
