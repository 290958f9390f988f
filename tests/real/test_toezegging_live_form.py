"""Toezeggingen in the live feed's form (issue #20.1): ``<toegezegdAan><persoon/><fractie/>``,
repeated, and several ``kamerbriefNakoming``. The entries are CONSTRUCTED in that form
(tests/data/real/constructed/, see SOURCES.md) around real persons, fracties, documents and
an activity of the corpus."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

LIVE = "TZ202507-901"  # nested form, two recipients, two letters
XSD = "TZ202507-902"  # the XSD's toegezegdAanPersoon


def _text(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def test_every_recipient_of_the_nested_form_is_shown(real: TestClient) -> None:
    text = _text(real, f"/toezegging/{LIVE}")
    assert "Maikel Boon (GroenLinks-PvdA)" in text
    assert "Faith Bruyning (D66)" in text
    data = real.get(f"/toezegging/{LIVE}.json").json()
    assert [(o["persoon"]["nummer"], o["fractie"]) for o in data["aan"]] == [
        ("4913", "GroenLinks-PvdA"),
        ("58587", "D66"),
    ]
    assert data["aanPersoon"]["nummer"] == "4913"


def test_every_fulfilling_letter_is_linked(real: TestClient) -> None:
    page = real.get(f"/toezegging/{LIVE}").text
    assert 'href="/document/2023D49016"' in page
    assert 'href="/document/2025D31845"' in page
    data = real.get(f"/toezegging/{LIVE}.json").json()
    assert [b["waarde"] for b in data["kamerbrieven"]] == ["2023D49016", "2025D31845"]
    assert [b["document"]["nummer"] for b in data["kamerbrieven"]] == ["2023D49016", "2025D31845"]


def test_the_toezegging_is_on_each_recipients_page(real: TestClient) -> None:
    for nummer in ("4913", "58587"):
        assert f'href="/toezegging/{LIVE}"' in real.get(f"/persoon/{nummer}").text, nummer
        data = real.get(f"/persoon/{nummer}.json").json()
        assert LIVE in [t["nummer"] for t in data["toezeggingen"]]
    assert f'href="/toezegging/{XSD}"' in real.get("/persoon/58697").text


def test_the_dashboard_names_the_recipient(real: TestClient) -> None:
    data = real.get("/toezeggingen.json").json()
    item = next(t for t in data["items"] if t["nummer"] == LIVE)
    assert item["fractie"] == "GroenLinks-PvdA"
    assert item["persoon"] == "Maikel Boon"


def test_the_xsd_form_still_reads(real: TestClient) -> None:
    data = real.get(f"/toezegging/{XSD}.json").json()
    assert data["aanPersoon"]["nummer"] == "58697"
    assert data["kamerbrieven"] == []
