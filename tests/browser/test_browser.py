"""One visitor's path through the real site in a real browser (Debian's chromium, headless):
search with filters and sort, a result, its PDF, logging in with the mailed link, a 🔔 on
an entity page and the monitor on /mijn. Screenshots of every step are kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

LOGIN_LINK = re.compile(r"http://127\.0\.0\.1:\d+/mijn/inloggen\?t=[A-Za-z0-9_-]+(?:&\S+)?")


class Problems:
    """Console errors, uncaught page errors and failed responses seen by the browser."""

    def __init__(self, page: Any) -> None:
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.seen.append(f"pageerror: {exc}"))
        page.on(
            "response",
            lambda r: self.seen.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.seen.append(f"console {message.type}: {message.text} ({message.location})")


def test_search_document_pdf_login_and_bell(browser: Any, site: Site, artifacts: Path) -> None:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = Problems(page)
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{next(step)}-{name}.png"), full_page=True)

    # 1. search with a filter and a sort, submitted through the form
    page.goto(f"{site.url}/zoeken")
    page.fill("#q", "brief")
    page.check("input[name=categorie][value=document]")
    page.select_option("select[name=sort]", "relevantie")
    page.click("form.zoekformulier button[type=submit]")
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["brief"] and query["categorie"] == ["document"]
    assert query["sort"] == ["relevantie"]
    hits = page.locator("ol.resultaten > li")
    assert hits.count() > 0 and "resultaten" in page.inner_text("main")
    # one search box, and the first result on the first screen (#25.7)
    assert page.locator("input[type=search]").count() == 1
    assert hits.first.bounding_box()["y"] < page.viewport_size["height"], hits.first.bounding_box()
    assert all(t.startswith("document") for t in hits.locator("small").all_inner_texts())
    results_url = page.url
    shot("zoeken")

    # 2. follow results to a document page whose original is a PDF
    nummer = ""
    for i in range(hits.count()):
        page.goto(results_url)
        page.locator("ol.resultaten > li > a").nth(i).click()
        assert re.search(r"/document/\d{4}D\d+$", page.url), page.url
        if page.locator("a", has_text="Directe link naar document (.pdf)").count():
            nummer = page.url.rsplit("/", 1)[1]
            break
    assert nummer, "geen resultaat met een PDF"
    assert nummer in page.inner_text("main")
    shot("document")

    # 3. the PDF link opens the PDF (chromium's own viewer shows it)
    entity_path = page.locator(
        "main a[href^='/zaak/'], main a[href^='/persoon/']"
    ).first.get_attribute("href")  # an entity of this document, for the 🔔 later
    assert entity_path and re.fullmatch(r"/(zaak/\d{4}Z\d+|persoon/\d+)", entity_path)
    with page.expect_response(lambda r: r.url.endswith("/bestand")) as response_info:
        page.locator("a", has_text="Directe link naar document (.pdf)").click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    filename = re.search(r"filename\*?=(?:utf-8'')?\"?([^\";]+)", disposition)
    assert disposition.startswith("inline;") and filename, disposition
    assert unquote(filename.group(1)).startswith(f"{nummer} ")
    assert unquote(filename.group(1)).endswith(".pdf")
    assert page.url == f"{site.url}/document/{nummer}/bestand"
    pdf = context.request.get(page.url)  # the same bytes, read through the browser's session
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    page.wait_for_timeout(1500)  # the viewer draws the first page
    shot("bestand")

    # an entity of this document, for the 🔔 later
    # 4. the 🔔 clicked while logged out is remembered through the login mail (#25.4)
    email = "bezoeker@example.org"
    page.goto(site.url + entity_path)
    assert "volg dit" in page.inner_text("form.bel button")
    page.click("form.bel button")
    assert urlsplit(page.url).path == "/mijn"
    assert "Log eerst in om" in page.inner_text("[role=status]")
    shot("volgen-eerst-inloggen")
    page.fill("#email", email)
    page.click("form[action='/mijn/link'] button")
    assert "inloglink" in page.inner_text("[role=status]")
    shot("inloglink-gevraagd")
    mail = site.mailbox.wait_for(email)
    body = mail.get_body(("plain",))
    assert body is not None
    link = LOGIN_LINK.search(body.get_content())
    assert link, body.get_content()
    page.goto(link.group(0))
    assert "Inloggen" in page.title() and "Na het inloggen volgt u" in page.inner_text("main")
    shot("inloggen")
    page.click("form[action='/mijn/inloggen/bevestig'] button")
    # back on the page, the monitor set, the bell says so
    assert urlsplit(page.url).path == entity_path
    assert "U volgt dit" in page.inner_text("form.bel")
    shot("bel-volg-ik")

    # 5. the bell toggles: ontvolg, and follow again
    page.click("form.bel button")
    assert urlsplit(page.url).path == entity_path
    assert "volg dit" in page.inner_text("form.bel button")
    shot("bel-ontvolgd")
    page.click("form.bel button")
    assert "U volgt dit" in page.inner_text("form.bel")

    # 6. … and /mijn lists it
    page.goto(f"{site.url}/mijn")
    assert f"Ingelogd als {email}" in page.inner_text("main")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert entity_path.rsplit("/", 1)[1] in rows.first.inner_text()
    assert "Uw monitors (1)" in page.inner_text("main")
    # the interval changes inline (#25.10)
    page.select_option("main table tbody tr select[name=interval]", "1d")
    page.click("main table tbody tr form[action$='/interval'] button")
    assert "Interval gewijzigd" in page.inner_text("[role=status]")
    twin = context.request.get(f"{site.url}/mijn.json")
    assert twin.ok and twin.json()["monitors"][0]["interval"] == "1d"
    assert "bijgewerkt nog nooit" not in page.inner_text("footer")  # the data was synced
    shot("mijn")

    context.close()
    assert problems.seen == []
