"""#21.8 — ``?tot=9999-12-31`` on the date-filtered pages answered 500 (a date past the end
of the calendar). Out-of-range dates are a 400 with a Dutch message."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

PAGES = {
    "/activiteiten": ("van", "tot", "dag"),
    "/activiteiten.ics": ("van", "tot", "dag"),
    "/besluiten": ("van", "tot"),
    "/besluiten.json": ("van", "tot"),
    "/stemmingen": ("van", "tot"),
}


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_out_of_range_dates_are_a_400(site: TestClient, value: str) -> None:
    for page, names in PAGES.items():
        for name in names:
            answer = site.get(page, params={name: value})
            assert answer.status_code == 400, (page, name, answer.status_code)
            assert "buiten het bereik" in answer.text
    assert site.get("/activiteiten", params={"tot": "2199-12-31"}).status_code == 200
