"""Every page type on a phone (390 px wide) and on a laptop (1366 px) in a real browser:
nothing scrolls sideways except inside a table's own box, the menu is folded away on the
phone, every page has a skip link and a visible focus ring, and axe-core finds no serious
or critical accessibility violation (#25.9). Screenshots of every page at both widths and
`resultaten.json` (widths and axe findings per page type) are kept (see the artifacts in
the test summary).

axe-core comes from the npm registry into .venv/axe (`scripts/test_tools.py`, run by `make
test`); $KAMERWATCH_AXE may point at another axe.min.js."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.web.dashboards import DASHBOARDS
from tests.browser.conftest import Site
from tests.conftest import missing_tool

pytestmark = pytest.mark.browser

PHONE, LAPTOP = (390, 844), (1366, 900)
AXE = Path(
    os.environ.get("KAMERWATCH_AXE")
    or Path(__file__).resolve().parents[2] / ".venv/axe/node_modules/axe-core/axe.min.js"
)
# axe-core's serious and critical findings (moderate/minor ones are reported, not failed)
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                first: v.nodes[0].target.join(' ')}))"""


def axe_findings(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core run in the page (evaluated over the devtools protocol: the site's CSP
    allows no scripts, rightly)."""
    page.evaluate(source + ";0")
    return list(page.evaluate(AXE_RUN))


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


# links whose visible text (or aria-label) is the same but whose targets differ: a list of 60
# "activiteit" links tells a screen reader (and a skimming eye) nothing (#25.9)
SAME_TEXT_OTHER_URL = """() => {
  const seen = new Map();
  for (const a of document.querySelectorAll('a[href]')) {
    const name = (a.getAttribute('aria-label') || a.textContent).replace(/\\s+/g, ' ').trim();
    if (!name) continue;
    const urls = seen.get(name) || new Set();
    urls.add(new URL(a.getAttribute('href'), location.href).href);  // SVG links too
    seen.set(name, urls);
  }
  return [...seen].filter(([, urls]) => urls.size > 1)
    .map(([name, urls]) => ({tekst: name, urls: urls.size, eerste: [...urls].slice(0, 2)}));
}"""
# filter forms (form.filters): how many rows of controls, and buttons that fill their box
FILTER_ROWS = """() => [...document.querySelectorAll('main form.filters')].map(form => {
  const bottoms = [...form.querySelectorAll(':scope > label, :scope > button')]
    .map(e => e.getBoundingClientRect().bottom).sort((a, b) => a - b);
  return bottoms.filter((b, i) => i === 0 || b - bottoms[i - 1] > 20).length;
})"""
# a button as wide as the content column (Pico's default) is a "full-width button"
WIDE_BUTTONS = """() => [...document.querySelectorAll('main button, main [type=submit]')]
  .filter(b => b.offsetParent !== null
               && b.getBoundingClientRect().width > 0.8 * document.querySelector('main').clientWidth)
  .map(b => b.textContent.trim() || b.value)"""


def _width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _serious(found: list[dict[str, Any]] | None) -> str:
    if found is None:
        return "–"
    return str(sum(f["nodes"] for f in found if f["impact"] in ("serious", "critical")))


def results_table(results: dict[str, dict[str, Any]]) -> str:
    """The per-page-type table for the closing note, from this run's figures."""
    lines = [
        "| paginatype | pad | axe ernstig 390 | axe ernstig 1366 | scrollWidth 390"
        " | scrollWidth 1366 | zelfde linktekst, ander doel | filterrijen 1366"
        " | brede knoppen |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in sorted(results.items()):
        lines.append(
            f"| {name} | `{r['pad']}` | {_serious(r.get('axe390'))} | {_serious(r.get('axe1366'))}"
            f" | {r.get('breedte390', '–')} | {r.get('breedte1366', '–')}"
            f" | {len(r.get('zelfdeLinktekst', []))} | {r.get('filterrijen1366') or '–'}"
            f" | {len(r.get('breedeKnoppen390', []) + r.get('breedeKnoppen1366', []))} |"
        )
    return "\n".join(lines) + "\n"


def test_every_page_type_fits_a_phone(
    browser: Any, site: Site, demo_data: Path, artifacts: Path
) -> None:
    pages = page_types(demo_data)
    too_wide: dict[str, int] = {}
    menu_shown: list[str] = []
    serious: dict[str, list[str]] = {}
    same_text: dict[str, list[dict[str, Any]]] = {}
    filter_rows: dict[str, list[int]] = {}
    wide_buttons: dict[str, list[str]] = {}
    results: dict[str, dict[str, Any]] = {}
    axe = AXE.read_text() if AXE.exists() else None
    phone = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
    laptop = browser.new_page(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        for name, path in pages.items():
            results[name] = {"pad": path}
            for page, (width, _) in ((phone, PHONE), (laptop, LAPTOP)):
                response = page.goto(site.url + path)
                assert response is not None and response.status == 200, (path, response)
                shot = name.replace("/", "-")  # analyse/stemmingen → analyse-stemmingen
                page.screenshot(path=str(artifacts / f"{shot}-{width}.png"), full_page=True)
                results[name][f"breedte{width}"] = _width(page)
                if _width(page) > width:
                    too_wide[f"{name} ({path}) at {width}"] = _width(page)
                wide = page.evaluate(WIDE_BUTTONS)
                results[name][f"breedeKnoppen{width}"] = wide
                if wide:
                    wide_buttons[f"{name} at {width}"] = wide
                if width == LAPTOP[0]:
                    rows = page.evaluate(FILTER_ROWS)
                    results[name]["filterrijen1366"] = rows
                    if any(r > 1 for r in rows):
                        filter_rows[name] = rows
                    dubbel = page.evaluate(SAME_TEXT_OTHER_URL)
                    results[name]["zelfdeLinktekst"] = dubbel
                    if dubbel:
                        same_text[f"{name} ({path})"] = dubbel
                if name == "zoeken":  # one box, the first result on the first screen (#25.7)
                    first = page.locator("ol.resultaten > li").first.bounding_box()
                    results[name][f"eersteResultaat{width}"] = first["y"] if first else None
                    assert page.locator("input[type=search]").count() == 1
                    # the soort facet per kind: document soorten apart from meeting kinds
                    summaries = page.locator("details.soortfacet summary").all_inner_texts()
                    assert "Soorten documenten" in summaries, summaries
                    assert "Soorten activiteiten" in summaries, summaries
                    assert first and first["y"] < page.viewport_size["height"], (width, first)
                if axe is not None:
                    found = axe_findings(page, axe)
                    results[name][f"axe{width}"] = found
                    bad = [
                        f"{f['id']} ×{f['nodes']} ({f['first']})"
                        for f in found
                        if f["impact"] in ("serious", "critical")
                    ]
                    if bad:
                        serious[f"{name} ({path}) at {width}"] = bad
            # the phone's menu is folded: its links are not shown until it is opened
            if phone.locator("nav.menu a[href='/activiteiten']").first.is_visible():
                menu_shown.append(name)
    finally:
        phone.close()
        laptop.close()
        (artifacts / "resultaten.json").write_text(json.dumps(results, indent=1, sort_keys=True))
        (artifacts / "resultaten.md").write_text(results_table(results))
    assert too_wide == {}, too_wide
    assert same_text == {}, same_text
    assert filter_rows == {}, filter_rows
    assert wide_buttons == {}, wide_buttons
    assert menu_shown == [], menu_shown
    assert serious == {}, serious
    if axe is None:
        missing_tool(
            f"axe-core ontbreekt ({AXE}; `make test` installeert het met npm): "
            "toegankelijkheidscontrole overgeslagen"
        )


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
