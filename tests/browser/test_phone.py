"""Every page type on a phone (390 px wide) and on a laptop (1366 px) in a real browser:
nothing scrolls sideways except inside a table's own box, the menu is folded away on the
phone, and every page has a skip link and a visible focus ring. Screenshots of every page
at both widths are kept (see the artifacts in the test summary)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.web.dashboards import DASHBOARDS
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

PHONE, LAPTOP = (390, 844), (1366, 900)


def page_types(data: Path) -> dict[str, str]:
    """One URL of every page type of the demo data (name → path)."""
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")

    def one(sql: str) -> str:
        row = conn.execute(sql).fetchone()
        assert row and row[0] is not None, sql
        return str(row[0])

    try:
        pages = {
            "voorpagina": "/",
            "zoeken": "/zoeken?q=motie",
            "status": "/status",
            "uitleg": "/uitleg",
            "mijn": "/mijn",
            "document": "/document/"
            + one("SELECT document_nummer FROM document WHERE soort = 'Motie' ORDER BY 1 LIMIT 1"),
            "zaak": "/zaak/" + one("SELECT nummer FROM zaak ORDER BY 1 LIMIT 1"),
            "activiteit": "/activiteit/"
            + one(
                "SELECT a.nummer FROM activiteit a WHERE a.soort = 'Stemmingen' ORDER BY 1 LIMIT 1"
            ),
            "persoon": "/persoon/"
            + one(
                "SELECT p.nummer FROM persoon p JOIN fractiezetelpersoon z ON z.persoon_id = p.id"
                " WHERE z.tot_en_met IS NULL ORDER BY 1 LIMIT 1"
            ),
            "commissie": "/commissie/"
            + one("SELECT id FROM commissie WHERE afkorting IS NOT NULL ORDER BY 1 LIMIT 1"),
            "kamerstukdossier": "/kamerstukdossier/"
            + one("SELECT nummer FROM kamerstukdossier ORDER BY 1 LIMIT 1"),
            "toezegging": "/toezegging/" + one("SELECT nummer FROM toezegging ORDER BY 1 LIMIT 1"),
            "fractie": "/fractie/"
            + one(
                "SELECT afkorting FROM fractie WHERE aantal_zetels > 0 ORDER BY aantal_zetels DESC, id LIMIT 1"
            ),
            "ministeries-lijst": "/analyse/ministeries?lijst=toezeggingen&soort=open",
            "verslag": "/verslag/"
            + one("SELECT vergadering_id FROM verslag WHERE status != 'Casco' ORDER BY 1 LIMIT 1"),
        }
    finally:
        conn.close()
    pages.update({name: f"/{name}" for name in sorted(DASHBOARDS)})
    return pages


def _width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_every_page_type_fits_a_phone(
    browser: Any, site: Site, demo_data: Path, artifacts: Path
) -> None:
    pages = page_types(demo_data)
    too_wide: dict[str, int] = {}
    menu_shown: list[str] = []
    phone = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
    laptop = browser.new_page(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        for name, path in pages.items():
            for page, (width, _) in ((phone, PHONE), (laptop, LAPTOP)):
                response = page.goto(site.url + path)
                assert response is not None and response.status == 200, (path, response)
                shot = name.replace("/", "-")  # analyse/stemmingen → analyse-stemmingen
                page.screenshot(path=str(artifacts / f"{shot}-{width}.png"), full_page=True)
                if _width(page) > width:
                    too_wide[f"{name} ({path}) at {width}"] = _width(page)
            # the phone's menu is folded: its links are not shown until it is opened
            if phone.locator("nav.menu a[href='/activiteiten']").first.is_visible():
                menu_shown.append(name)
    finally:
        phone.close()
        laptop.close()
    assert too_wide == {}, too_wide
    assert menu_shown == [], menu_shown


def test_menu_opens_on_a_phone_and_the_keyboard_sees_where_it_is(
    browser: Any, site: Site, artifacts: Path
) -> None:
    page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
    try:
        page.goto(site.url + "/activiteiten")
        # the first Tab reaches the skip link, shown with a ring, which leads to the content
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Naar de inhoud", focused
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), outline
        page.screenshot(path=str(artifacts / "skip-link-390.png"))
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#inhoud"
        # the folded menu opens with its button
        page.get_by_text("Menu", exact=True).click()
        link = page.locator("nav.menu a[href='/stemmingen']").first
        assert link.is_visible()
        page.screenshot(path=str(artifacts / "menu-open-390.png"))
    finally:
        page.close()
