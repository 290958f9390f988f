"""Display filters and the JSON shape (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kamerwatch.web import render, urls


def test_geleden() -> None:
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    assert render.geleden("2026-01-02T11:59:30+00:00", now) == "zojuist"
    assert render.geleden("2026-01-02T11:55:00.000000Z", now) == "5 minuten geleden"
    assert render.geleden("2026-01-02T11:00:00Z", now) == "1 uur geleden"
    assert render.geleden("2025-12-30T12:00:00Z", now) == "3 dagen geleden"
    assert render.geleden(None, now) == "nog nooit"


def test_dutch_dates() -> None:
    assert render.lange_datum("2026-01-26T09:45:00") == "maandag 26 januari 2026 09:45"
    assert render.lange_datum("2026-01-26T00:00:00") == "maandag 26 januari 2026"
    # the end of an activity (#20 conformance corpus: the end time was not shown)
    assert render.tot("2024-11-12T15:45:00", "2024-11-12T15:00:00") == "–15:45"
    assert render.tot("2024-11-13T10:00:00", "2024-11-12T15:00:00") == (
        " tot woensdag 13 november 2024 10:00"
    )
    assert render.tot(None, "2024-11-12T15:00:00") == ""
    assert render.tijdstip("2024-02-19T09:56:00.000000Z") == "2024-02-19 10:56"  # CET
    assert render.tijdstip("2024-07-19T09:56:00Z") == "2024-07-19 11:56"  # CEST
    assert render.datum("2023-02-01T00:00:00") == "2023-02-01"


def test_json_is_lower_camel_case() -> None:
    @dataclass
    class Inner:
        actor_naam: str

    @dataclass
    class Outer:
        gestart_op: str
        items: tuple[Inner, ...]

    value = render.to_jsonable(Outer("2023", (Inner("x"),)))
    assert value == {"gestartOp": "2023", "items": [{"actorNaam": "x"}]}


def test_noot_sanitised() -> None:
    html = render.veilig_html('<p style="x" onclick="y">a<script>b</script><i>c</i></p>')
    assert str(html) == "<p>a<i>c</i></p>"


def test_urls_quote_segments() -> None:
    assert urls.document("a/b") == "/document/a%2Fb"
    assert urls.kamerstukdossier(36300, "R1234") == "/kamerstukdossier/36300-R1234"
    assert urls.json_twin("/") == "/index.json"
    assert urls.json_twin("/zaak/X", "a=1") == "/zaak/X.json?a=1"


def test_dutch_numbers_plurals_stages_and_meetings() -> None:
    assert render.getal(207504) == "207.504" and render.getal(None) == ""
    assert render.getal(3.5) == "3,5" and render.getal(1234.0) == "1.234"
    assert render.aantal(1, "dag", "dagen") == "1 dag"
    assert render.aantal(0, "dag", "dagen") == "0 dagen"
    assert render.aantal(1500, "resultaat", "resultaten") == "1.500 resultaten"
    assert render.stap("fetch-documents") == "documenten ophalen" and render.stap("x") == "x"
    assert render.vergadering_soort("Plenair") == "Plenaire vergadering"
    assert render.vergadering_soort("Commissie") == "Commissievergadering"


def test_urlencode_is_jinjas_text() -> None:
    """The environment's ``urlencode`` (quoting kept per value) writes what Jinja's own
    filter writes, for strings, numbers, None, mappings and pairs."""
    from jinja2.filters import do_urlencode

    from kamerwatch.web.render import environment, urlencode

    assert environment().filters["urlencode"] is urlencode
    assert urlencode({"q": "a b/c", "n": 5}) == "q=a+b%2Fc&n=5"
    assert urlencode("a b/é") == "a%20b/%C3%A9"
    values: list[object] = [
        "",
        "a b",
        "a/b",
        "é",
        "x&y=z",
        "100%",
        "+",
        "~-._",
        "€ 5",
        None,
        0,
        1.5,
    ]
    values += ["ü/ö ?#", "\u00a0", "a\nb"]
    for value in values:
        assert urlencode(value) == do_urlencode(value), value  # type: ignore[arg-type]
        for other in values:
            pairs = {str(value): other, "k": value}
            assert urlencode(pairs) == do_urlencode(pairs), pairs
            assert urlencode(list(pairs.items())) == do_urlencode(list(pairs.items()))
