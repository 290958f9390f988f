"""Hostile input on every URL of the contract (docs: interfaces, "Web: URLs"), through the
in-process ASGI app over the crafted, synced database: arbitrary path segments and query
strings never give a 500, and every ``.json`` error has the one error shape."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

# Every route of the contract; {} is where an identifier goes.
ID_ROUTES = (
    "/document/{}",
    "/document/{}.json",
    "/document/{}/bestand",
    "/zaak/{}",
    "/zaak/{}.json",
    "/activiteit/{}",
    "/activiteit/{}.json",
    "/activiteit/{}.ics",
    "/persoon/{}",
    "/persoon/{}.json",
    "/persoon/{}/foto",
    "/commissie/{}",
    "/commissie/{}.json",
    "/commissie/{}.xml",
    "/kamerstukdossier/{}",
    "/kamerstukdossier/{}.json",
    "/kamerstukdossier/36228-{}",
    "/toezegging/{}",
    "/toezegging/{}.json",
    "/verslag/{}",
    "/verslag/{}.json",
    "/get/{}",
    "/kst-{}",
    "/{}",
    "/{}.json",
    "/mijn/monitor/{}/verwijderen",
)
DASHBOARDS = (
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
FIXED_ROUTES = (
    "/",
    "/index.json",
    "/index.xml",
    "/status",
    "/status.json",
    "/uitleg",
    "/uitleg.json",
    "/zoeken",
    "/zoeken.json",
    "/zoeken.xml",
    "/mijn",
    "/mijn/inloggen",
    "/mijn/afmelden",
    "/metrics",
    "/api/openapi.json",
    "/activiteiten.ics",
    "/favicon.ico",
    "/woo",
    "/woo.json",
    "/woo.csv",
    "/woo.xml",
    "/woo/organisaties.json",
    "/oods.html",
    *(f"/{name}{ext}" for name in DASHBOARDS for ext in ("", ".json", ".csv", ".html")),
    *(
        f"/{legacy}.html"
        for legacy in (
            "document",
            "zaak",
            "activiteit",
            "persoon",
            "toezegging",
            "verslag",
            "commissie",
            "ksd",
            "search",
            "index",
            "uitleg",
        )
    ),
)
# the parameters the pages read, and then some
PARAMS = (
    "q",
    "categorie",
    "soort",
    "van",
    "tot",
    "dag",
    "dossier",
    "fractie",
    "commissie",
    "ministerie",
    "resultaat",
    "letter",
    "sort",
    "pagina",
    "format",
    "regering",
    "nummer",
    "ksd",
    "toevoeging",
    "id",
    "vergaderingid",
    "t",
    "melding",
)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
tricky = st.sampled_from(
    [
        "..",
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "%00",
        "\x00",
        "%C0%AE%C0%AE",
        "%FF%FE",
        ".json",
        "x.json.json",
        "2023D03702",
        "2023Z00200",
        "2023A00100",
        "1234",
        "36228",
        "36300-R1234",
        "TZ202302-001",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "9" * 400,
        "0000-00-00",
        "2023-02-30",
        "-1",
        "1e9",
        "99999999999999999999",
        "NEAR(",
        '"',
        "*",
        "\u202e",
        "\ufeff",
        "ß" * 50,
    ]
)


@st.composite
def segments(draw: st.DrawFn) -> str:
    """A path segment as a browser or an attacker might send it (already %-encoded)."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return quote(draw(text), safe="")
    if kind == 1:
        return quote_from_bytes(draw(st.binary(max_size=30)), safe="")  # also invalid UTF-8
    if kind == 2:
        return quote(draw(tricky), safe="/%")
    return quote(draw(text), safe="/.%")  # real slashes and dots, stray escapes


@st.composite
def query_strings(draw: st.DrawFn) -> str:
    pairs = draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(PARAMS), text), st.one_of(text, tricky)),
            max_size=6,
        )
    )
    encoded = urlencode(pairs)
    if draw(st.booleans()):
        encoded += "&" + quote_from_bytes(draw(st.binary(max_size=20)), safe="=&")
    return encoded


def check(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    path = url.split("?", 1)[0]
    if response.status_code >= 400:
        if path.endswith(".json"):
            body = response.json()
            assert body == {
                "ok": False,
                "status": response.status_code,
                "error": body.get("error"),
            }, (url, body)
            assert isinstance(body["error"], str) and body["error"]
        elif response.headers.get("content-type", "").startswith("text/html"):
            assert f"Fout {response.status_code}" in response.text, url
    elif response.status_code == 200 and path.endswith(".json"):
        response.json()  # a 200 twin is JSON


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(route=st.sampled_from(ID_ROUTES), segment=segments(), query=query_strings())
def test_identifier_routes_never_500(
    client: TestClient, route: str, segment: str, query: str
) -> None:
    check(client, route.format(segment) + ("?" + query if query else ""))


@FUZZ
@given(route=st.sampled_from(FIXED_ROUTES), query=query_strings())
def test_query_strings_never_500(client: TestClient, route: str, query: str) -> None:
    check(client, route + "?" + query)


def expected(route: str) -> tuple[int, str, str]:
    """What a route of FIXED_ROUTES answers without parameters: status, content type and a
    text the body holds (for a 301: the exact Location)."""
    legacy = {
        "/search.html": "/zoeken",
        "/index.html": "/",
        "/uitleg.html": "/uitleg",
        "/oods.html": "/woo",
    }
    if route in legacy or (route.endswith(".html") and route[1:-5] in DASHBOARDS):
        return 301, "", legacy.get(route, route.removesuffix(".html"))
    if route.endswith(".html"):  # a legacy page without its identifier
        return 404, "text/html", "Fout 404"
    suffixes = {
        ".json": ("application/json", "{"),
        ".csv": ("text/csv", "\ufeff"),
        ".xml": ("application/rss+xml", "<rss"),
        ".ics": ("text/calendar", "BEGIN:VCALENDAR"),
        ".ico": ("image/svg+xml", "<svg"),
    }
    for suffix, (content_type, marker) in suffixes.items():
        if route.endswith(suffix):
            return 200, content_type, marker
    if route == "/metrics":
        return 200, "text/plain", "kamerwatch_"
    headings = {
        "/": "Nieuwe documenten",
        "/status": "Status",
        "/uitleg": "Wat is dit?",
        "/zoeken": "Zoeken",
        "/mijn": "Mijn kamerwatch",
        "/mijn/inloggen": "Inloggen",
        "/mijn/afmelden": "Afmelden",
        "/ongeplande-activiteiten": "Ongeplande activiteiten",
        "/open-vragen": "Open vragen",
    }
    return 200, "text/html", headings.get(route, route[1:].capitalize())


# Routes with an identifier of the crafted world: what each must answer (status, type, text
# or Location). A removed or renamed route fails here, not only a 500.
KNOWN = (
    ("/document/2023D03702", 200, "text/html", "Antwoord op vragen van het lid Leijten"),
    ("/document/2023D03702.json", 200, "application/json", '"2023D03702"'),
    ("/zaak/2023Z00142", 200, "text/html", "Vragen over de brandbrief van 50 topambtenaren"),
    ("/zaak/2023Z00142.json", 200, "application/json", '"2023Z00142"'),
    ("/activiteit/2023A00100", 200, "text/html", "Stemmingen"),
    ("/activiteit/2023A00100.json", 200, "application/json", '"2023A00100"'),
    ("/activiteit/2023A00100.ics", 200, "text/calendar", "BEGIN:VEVENT"),
    ("/persoon/1234", 200, "text/html", "Renske Leijten"),
    ("/persoon/1234.json", 200, "application/json", "Leijten"),
    ("/kamerstukdossier/36228", 200, "text/html", "Politiek-ambtelijke verhoudingen"),
    ("/kamerstukdossier/36228.json", 200, "application/json", "Politiek-ambtelijke"),
    ("/kamerstukdossier/36300-R1234", 200, "text/html", "Rijkswet &lt;script&gt;"),
    ("/toezegging/TZ202302-001", 200, "text/html", "Toezegging TZ202302-001"),
    ("/toezegging/TZ202302-001.json", 200, "application/json", "TZ202302-001"),
    ("/get/2023D03702", 301, "", "/document/2023D03702"),
    ("/kst-36228-3", 301, "", "/document/2023D03702"),
    ("/document/2023D03702/bestand", 404, "text/html", "Fout 404"),  # no files in this world
    ("/document/2099D99999", 404, "text/html", "Fout 404"),
    ("/document/2099D99999.json", 404, "application/json", '"status": 404'),
    ("/2023D03702", 404, "text/html", "Fout 404"),
)


def _answers(client: TestClient, url: str, status: int, content_type: str, text: str) -> None:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if status == 301:
        assert response.headers["location"] == text, url
        return
    assert response.headers["content-type"].split(";")[0] == content_type, url
    body = response.text
    if "json" in content_type:
        body = json.dumps(response.json(), ensure_ascii=False, indent=0)
    assert text in body, (url, text)


@pytest.mark.parametrize("route", FIXED_ROUTES)
def test_every_fixed_route_answers_without_parameters(client: TestClient, route: str) -> None:
    check(client, route)
    _answers(client, route, *expected(route))


@pytest.mark.parametrize(("route", "status", "content_type", "text"), KNOWN)
def test_routes_with_a_known_identifier_answer_what_they_serve(
    client: TestClient, route: str, status: int, content_type: str, text: str
) -> None:
    _answers(client, route, status, content_type, text)


@FUZZ
@given(
    action=st.sampled_from(
        [
            "/mijn/link",
            "/mijn/inloggen/bevestig",
            "/mijn/monitor",
            "/mijn/monitor/1/verwijderen",
            "/mijn/account/verwijderen",
            "/mijn/uitloggen",
            "/mijn/afmelden?t=x",
        ]
    ),
    fields=st.lists(
        st.tuples(
            st.sampled_from(["email", "t", "csrf", "soort", "waarde", "interval", "terug"]),
            st.one_of(text, tricky),
        ),
        max_size=6,
    ),
    cookie=st.one_of(
        st.just(""),
        st.text(
            st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,"\\'),
            max_size=40,
        ),
    ),
)
def test_mijn_forms_never_500(
    client: TestClient, action: str, fields: list[tuple[str, str]], cookie: str
) -> None:
    response = client.post(
        action,
        content=urlencode(fields),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "cookie": f"kw_sessie={cookie}",
        },
    )
    assert response.status_code < 500, (action, fields, response.status_code)


COOKIE_TEXT = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,"\\'), max_size=60
)


@FUZZ
@given(
    route=st.sampled_from(["/mijn", "/zaak/2023Z00142", "/persoon/1234", "/zoeken?q=brandbrief"]),
    cookie=COOKIE_TEXT,
    etag=COOKIE_TEXT,
)
def test_any_session_cookie_or_etag_is_harmless(
    client: TestClient, route: str, cookie: str, etag: str
) -> None:
    response = client.get(route, headers={"cookie": f"kw_sessie={cookie}", "if-none-match": etag})
    assert response.status_code == 200, (route, cookie, response.status_code)
    assert "Ingelogd als" not in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST"])
@pytest.mark.parametrize("route", ["/", "/zoeken.json", "/document/2023D03702.json", "/mijn/link"])
def test_other_methods_are_refused_cleanly(client: TestClient, method: str, route: str) -> None:
    response = client.request(method, route)
    if route == "/mijn/link":  # a form: POST only (without an address: 400)
        expected = 400 if method == "POST" else 405
    else:
        expected = 200 if method == "HEAD" else 405
    assert response.status_code == expected, (method, route, response.status_code)
    if expected == 405 and route.endswith(".json"):
        body = response.json()
        assert body == {"ok": False, "status": 405, "error": body["error"]}
