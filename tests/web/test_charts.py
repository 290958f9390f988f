"""The server-rendered pictures (web/charts.py): pure functions data → SVG, read back as
XML: accessible name in words, every part titled, text escaped, sizes that scale."""

from __future__ import annotations

from lxml import etree

from kamerwatch.web import charts

SVG = "{http://www.w3.org/2000/svg}"


def _tree(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode())


def test_seat_bar_puts_voor_left_tegen_right_and_says_it_in_words() -> None:
    parts = [
        charts.Seats("PVV", 37, "Voor"),
        charts.Seats("GL-PvdA", 25, "Tegen"),
        charts.Seats("VVD", 24, "Voor"),
        charts.Seats("<b>&", 3, "Niet deelgenomen"),
    ]
    svg = _tree(charts.seat_bar(parts, label="Motie 2026Z01328"))
    assert svg.get("role") == "img" and svg.get("viewBox") == "0 0 300 14"
    label = svg.get("aria-label")
    assert label.startswith("Stemverdeling: Motie 2026Z01328. 61 voor, 25 tegen, 3 anders")
    assert "Voor: PVV (37), VVD (24)." in label and "<b>&" in label  # escaped, read back
    assert svg.find(f"{SVG}title").text == "Stemverdeling: Motie 2026Z01328"
    segments = [
        (r.get("fill"), float(r.get("x")), r.find(f"{SVG}title").text)
        for r in svg.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    ]
    assert [t for _, _, t in segments] == [
        "PVV: voor (37)",
        "VVD: voor (24)",
        "<b>&: niet deelgenomen (3)",
        "GL-PvdA: tegen (25)",
    ]
    assert segments[0][1] == 0 and segments[0][0] == charts.COLOURS["Voor"]
    # tegen ends at the right edge: 300 - 25/150 * 300
    assert segments[-1][1] == 250 and segments[-1][0] == charts.COLOURS["Tegen"]
    table = _tree(charts.seat_table(parts, label="x"))
    assert [r.xpath("string(th)") for r in table.iter("tr")][1:] == [
        "PVV",
        "VVD",
        "<b>&",
        "GL-PvdA",
    ]


def test_bar_chart_largest_first_with_values_and_links() -> None:
    bars = [
        charts.Bar("Een", 30, "/persoon/1"),
        charts.Bar("Twee", 300, None),
        charts.Bar("Nul", 0, None),
        charts.Bar("Drie", 30, None),
    ]
    svg = _tree(charts.bar_chart(bars, title="Spreektijd", unit=lambda s: f"{s} s"))
    groups = svg.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in groups] == [
        "Twee: 300 s",
        "Drie: 30 s",
        "Een: 30 s",
    ]
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in groups]
    assert widths[0] == 230 and widths[1] == widths[2] == 23
    assert groups[2].find(f"{SVG}a").get("href") == "/persoon/1"
    assert svg.get("aria-label") == "Spreektijd. Twee: 300 s; Drie: 30 s; Een: 30 s"


def test_timeline_spans_first_to_last_date_and_skips_undated() -> None:
    events = [
        charts.Event("2026-01-01", "Brief", "document", "/document/2026D00001"),
        charts.Event("2026-01-11T10:00:00", "Motie: aangenomen", "aangenomen", "/zaak/2026Z00001"),
        charts.Event("2026-01-21", "Motie: verworpen", "verworpen", None),
        charts.Event("", "zonder datum", "document", None),
        charts.Event("nooit", "kapot", "document", None),
    ]
    svg = _tree(charts.timeline(events, title="Tijdlijn"))
    dots = list(svg.iter(f"{SVG}circle"))
    diamonds = list(svg.iter(f"{SVG}path"))
    assert len(dots) == 1 and float(dots[0].get("cx")) == 12
    assert [d.get("fill") for d in diamonds] == ["#1a7f37", "#b3261e"]
    assert diamonds[0].get("d").startswith("M300.00 ")  # halfway: 12 + 576 / 2
    assert svg.get("aria-label") == (
        "Tijdlijn. 1 document en 2 besluiten van 2026-01-01 tot 2026-01-21."
    )
    assert not list(_tree(charts.timeline([], title="Leeg")).iter(f"{SVG}circle"))


def test_figure_folds_the_table_behind_the_picture() -> None:
    out = charts.figure(
        charts.bar_chart([charts.Bar("a", 1)], title="t"),
        charts.table("t", ("Wie", "Hoeveel"), [("a", 1)]),
    )
    tree = etree.fromstring(out.encode())
    assert tree.tag == "figure" and tree.find("details/summary").text == "De cijfers als tabel"
    assert tree.find("details/div/table/caption").text == "t"
