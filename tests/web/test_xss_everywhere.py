"""XSS payloads in every upstream text field: a generated parliament whose feed pages get
script, event-handler, ``javascript:`` and attribute-breaking payloads appended to every text
element (identifiers excepted), synced through the real feed server and sync and indexed.
Then every entity page, every dashboard, the overview, search results and the feeds are
rendered: no payload is ever live markup."""

from __future__ import annotations

import email
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from lxml import etree
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.search.index import run_index
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import all_specs
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS

TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
PAYLOADS = (
    '<script>alert("{f}")</script>',
    '"><img src=x onerror=alert("{f}")>',
    "'><svg/onload=alert('{f}')>",
    "<a href=\"javascript:alert('{f}')\">klik {f}</a>",
    '" onmouseover="alert(\'{f}\')" x="',
    "javascript:alert('{f}')",
    "</title></textarea></style><iframe src=javascript:alert('{f}')>",
)
# identifiers stay valid so that every page can be reached
KEEP = {"nummer", "documentNummer", "activiteitNummer", "toevoeging", "vrsNummer"}
TEXT_FIELDS = {
    fs.xml.rsplit("/", 1)[-1] for spec in all_specs() for fs in spec.fields if fs.kind == "text"
} - KEEP
SEARCH_WORDS = ("alert", "onerror", "script", "onmouseover", "javascript", "svg")


def poison(value: str, field: str) -> str:
    return value + " " + " ".join(p.format(f=field) for p in PAYLOADS)


def poison_feed(feed_dir: Path) -> int:
    """Append the payloads to every upstream text element of every page; returns how many."""
    count = 0
    for page in sorted(feed_dir.glob("*.xml")):
        tree = etree.parse(str(page))
        for elem in tree.iter(f"{{{TK}}}*"):
            local = etree.QName(elem).localname
            if local in TEXT_FIELDS and len(elem) == 0 and elem.text:
                elem.text = poison(elem.text, local)
                count += 1
        tree.write(str(page), xml_declaration=True, encoding="utf-8")
    return count


@pytest.fixture(scope="module", params=BACKENDS)
def poisoned(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("xss-feed")
    generate(root, seed=5, today=date(2026, 11, 28), weeks=2)
    assert poison_feed(root / "feed") > 1000
    data = tmp_path_factory.mktemp("xss-data")
    url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("xss")
    with FeedServer(root) as server, open_migrated(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        report = run_sync(db, options, workers=1)
        assert not report.errors, report.errors
        run_index(db.conn)
    with TestClient(create_app(url, data_dir=data), follow_redirects=False) as client:
        client.app.state.today = date(2026, 11, 28)  # type: ignore[attr-defined]
        yield client


def pages(conn: sqlite3.Connection) -> list[str]:
    """Every entity page of the mirror, the dashboards, overview and search results."""
    one = lambda sql: [str(r[0]) for r in conn.execute(sql)]  # noqa: E731
    out = ["/", "/?regering=1", "/status", "/uitleg", "/mijn"]
    out += [f"/document/{n}" for n in one("SELECT document_nummer FROM document")]
    out += [f"/zaak/{n}" for n in one("SELECT nummer FROM zaak")]
    out += [f"/activiteit/{n}" for n in one("SELECT nummer FROM activiteit")]
    out += [f"/persoon/{n}" for n in one("SELECT nummer FROM persoon")]
    out += [f"/commissie/{n}" for n in one("SELECT id FROM commissie")]
    out += [f"/toezegging/{n}" for n in one("SELECT nummer FROM toezegging")]
    out += [f"/verslag/{n}" for n in one("SELECT id FROM vergadering")]
    out += [
        f"/kamerstukdossier/{n}" + (f"-{t}" if t else "")
        for n, t in conn.execute("SELECT nummer, toevoeging FROM kamerstukdossier")
    ]
    dashboards = (
        "activiteiten",
        "ongeplande-activiteiten",
        "besluiten",
        "commissies",
        "geschenken",
        "kamerleden",
        "personen",
        "kamerstukdossiers",
        "open-vragen",
        "toezeggingen",
        "stemmingen",
        "verslagen",
    )
    out += [f"/{d}" for d in dashboards]
    out += ["/activiteiten?van=2026-01-01&tot=2027-12-31", "/besluiten?van=2026-01-01"]
    out += ["/stemmingen?van=2026-01-01", "/kamerstukdossiers?q=alert", "/geschenken?q=alert"]
    out += [f"/zoeken?q={w}" for w in SEARCH_WORDS]
    out += [f"/zoeken?q={w}&sort=relevantie&categorie=document" for w in SEARCH_WORDS[:2]]
    out += ["/zoeken?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
    return out


URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "background")
# the site's own pictures (web/charts.py) are <svg class="chart …">: every other svg is a
# payload; inside a chart nothing may run either (the attribute checks below still look)
DANGEROUS = (
    "script",
    "svg[not(starts-with(@class, 'chart '))]",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "img[@src='x']",
    "frame",
    "base",
)
CHART = '<svg class="chart '


def live_markup(page: str) -> list[str]:
    """Everything in a page that a browser would execute."""
    found: list[str] = []
    lowered = page.lower()
    for raw in ("<script", "<iframe", "<img src=x", "javascript:alert"):
        if raw in lowered and raw != "javascript:alert":
            found.append(f"raw {raw}")
    if lowered.count("<svg") > page.count(CHART):
        found.append("raw <svg")
    doc = lxml.html.fromstring(page)
    for tag in DANGEROUS:
        found += [f"<{tag}>" for _ in doc.xpath(f"//{tag}")]
    for elem in doc.iter():
        if not isinstance(elem.tag, str):
            continue
        for name, value in elem.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{elem.tag} @{name}={value[:40]}")
            if name.lower() in URL_ATTRS and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                found.append(f"{elem.tag} @{name}={value[:40]}")
    return found


def test_the_detector_sees_live_markup() -> None:
    for page in (
        "<p><script>alert(1)</script></p>",
        '<p><img src=x onerror="alert(1)"></p>',
        '<p><a href=" javascript:alert(1)">x</a></p>',
        '<p title="" onmouseover="alert(1)">x</p>',
        "<p><svg/onload=alert(1)></p>",
        '<svg class="chart x"><title>t</title></svg><svg onload="alert(1)"></svg>',
        '<svg class="chart x"><a href="javascript:alert(1)"><rect/></a></svg>',
    ):
        assert live_markup(page), page
    assert not live_markup('<svg class="chart x" role="img"><title>&lt;svg&gt;</title></svg>')
    assert not live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>")


def test_no_payload_is_live_on_any_page(poisoned: TestClient) -> None:
    conn = poisoned.app.state.pool.connection()  # type: ignore[attr-defined]
    urls = pages(conn)
    assert len(urls) > 300
    shown: set[str] = set()
    problems: dict[str, list[str]] = {}
    for url in urls:
        response = poisoned.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code == 404:
            assert url.startswith("/verslag/"), url  # a vergadering without a verslag
            continue
        found = live_markup(response.text)
        if found:
            problems[url] = found
        text = lxml.html.fromstring(response.text).text_content()
        shown.update(re.findall(r"onerror=alert\(\"(\w+)\"\)", text))
    assert problems == {}
    # the payloads really were rendered (as text) from many different upstream fields
    assert {"onderwerp", "titel", "naam", "omschrijving", "tekst", "soort"} <= shown, shown
    assert len(shown) >= 20, sorted(shown)


def test_json_twins_carry_the_payload_as_plain_strings(poisoned: TestClient) -> None:
    conn = poisoned.app.state.pool.connection()  # type: ignore[attr-defined]
    nummer = conn.execute("SELECT document_nummer FROM document LIMIT 1").fetchone()[0]
    for url in (f"/document/{nummer}.json", "/index.json", "/zoeken.json?q=alert"):
        response = poisoned.get(url)
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "application/json"
        )
        assert "<script>" in json.dumps(response.json())  # data stays data …
        assert "<script" not in response.text.split('"', 1)[0]  # … inside JSON strings


def test_feeds_carry_no_markup(poisoned: TestClient) -> None:
    """RSS readers render <description> as HTML: its text must not contain markup; the XML
    itself stays well-formed; the iCalendar feed is plain text."""
    conn = poisoned.app.state.pool.connection()  # type: ignore[attr-defined]
    commissie = conn.execute("SELECT id FROM commissie LIMIT 1").fetchone()[0]
    for url in ("/index.xml", "/zoeken.xml?q=alert", f"/commissie/{commissie}.xml"):
        response = poisoned.get(url)
        assert response.status_code == 200, url
        root = etree.fromstring(response.content)
        descriptions = [d.text or "" for d in root.iter("description")]
        assert descriptions, url
        for text in descriptions:
            assert "<" not in text and ">" not in text, (url, text[:80])
    ics = poisoned.get("/activiteiten.ics?van=2026-01-01&tot=2027-12-31")
    assert ics.status_code == 200 and "BEGIN:VCALENDAR" in ics.text


REFLECTED = "".join(p.format(f="echo") for p in PAYLOADS)


def test_reflected_input_is_never_live(poisoned: TestClient) -> None:
    """What a visitor types (query strings, paths, form values) comes back as text only."""
    p = quote(REFLECTED, safe="")
    urls = [
        f"/zoeken?q={p}",
        f"/zoeken?q=brief+{p}&soort={p}&dossier={p}&fractie={p}&van={p}&tot={p}&categorie={p}",
        f"/mijn?melding={p}",
        f"/mijn/inloggen?t={p}",
        f"/mijn/afmelden?t={p}",
        f"/document/{p}",
        f"/zaak/{p}",
        f"/{p}",
        *(
            f"/{d}?q={p}&commissie={p}&soort={p}&fractie={p}&dag={p}&van={p}&ministerie={p}"
            f"&resultaat={p}&letter={p}&pagina={p}"
            for d in ("activiteiten", "open-vragen", "toezeggingen", "stemmingen", "kamerleden")
        ),
    ]
    for url in urls:
        response = poisoned.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert live_markup(response.text) == [], url


def test_a_monitor_with_a_payload_is_text_on_mijn(poisoned: TestClient) -> None:
    address = "xss@example.org"
    assert poisoned.post("/mijn/link", data={"email": address}).status_code == 200
    mails = poisoned.app.state.files_dir.parent / "mail"  # type: ignore[attr-defined]
    body = "".join(
        m.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for m in (email.message_from_bytes(f.read_bytes()) for f in mails.glob("*.eml"))
        if m["To"] == address
    )
    token = re.search(r"/mijn/inloggen\?t=(\S+)", body).group(1)  # type: ignore[union-attr]
    assert poisoned.post("/mijn/inloggen/bevestig", data={"t": token}).status_code == 303
    mijn = poisoned.get("/mijn").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', mijn).group(1)  # type: ignore[union-attr]
    # a zoek monitor must parse as a query: no parentheses or stray quotes
    value = "stikstof <script>alert`1`</script><img/src=x/onerror=alert`1`>"
    added = poisoned.post("/mijn/monitor", data={"soort": "zoek", "waarde": value, "csrf": csrf})
    assert added.status_code == 303
    page = poisoned.get("/mijn")
    assert "Uw monitors (1)" in page.text
    assert "&lt;script&gt;alert`1`&lt;/script&gt;" in page.text
    assert live_markup(page.text) == []
    poisoned.post("/mijn/account/verwijderen", data={"csrf": csrf})
