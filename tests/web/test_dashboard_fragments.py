"""The dashboards' hot fragments made in Python (issue #28: uncached /stemmingen): the same
text the template loops made, escaped, and the narrow queries answer what the wide ones do
(on both engines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from kamerwatch.store import dashboards as q
from kamerwatch.store.db import Database
from kamerwatch.web import render

TODAY = date(2026, 11, 28)


@dataclass(frozen=True)
class F:
    fractie: str
    zetels: int
    soort: str
    vergissing: bool = False


@dataclass(frozen=True)
class P:
    naam: str
    fractie: str | None
    soort: str
    vergissing: bool = False


def test_party_votes_in_words_are_escaped_and_mark_mistakes() -> None:
    fracties = [
        F("VVD", 24, "Voor"),
        F("<b>&", 3, "Voor", vergissing=True),
        F("SP", 5, "Tegen"),
        F("PVV", 37, "Niet deelgenomen", vergissing=True),
    ]
    voor = render.fractiestemmen(fracties, "Voor")
    assert isinstance(voor, Markup)
    assert voor == "VVD (24), &lt;b&gt;&amp; (3) <em>(vergissing)</em>"
    assert render.fractiestemmen(fracties, "Tegen") == "SP (5)"
    # not taking part: names only, no seats and no mistake mark (as the page always said)
    assert render.fractiestemmen(fracties, "Niet deelgenomen", False) == "PVV"
    assert render.fractiestemmen(fracties, "Onthouden") == ""


def test_roll_call_lines_are_escaped_one_li_per_member() -> None:
    personen = [
        P("Jan <Jansen>", "VVD", "Voor"),
        P("Zonder Fractie", None, "Tegen"),
        P("An & Co", "SP", "Tegen", vergissing=True),
    ]
    assert render.ledenstemmen(personen) == (
        "<li>Voor: Jan &lt;Jansen&gt; (VVD)</li>"
        "<li>Tegen: Zonder Fractie</li>"
        "<li>Tegen: An &amp; Co (SP) <em>(vergissing)</em></li>"
    )
    assert render.ledenstemmen([]) == ""


def test_seat_bar_is_the_same_drawn_again() -> None:
    verdeling = [F("VVD", 24, "Voor"), F("SP", 5, "Tegen")]
    first = render.zetelbalk(verdeling, "motie <1>")
    assert first == render.zetelbalk(list(verdeling), "motie <1>")
    assert "motie &lt;1&gt;" in first and "<script" not in first
    assert render.zetelbalk(verdeling, "motie <1>", table=True) != first  # with its table


def test_parties_by_size_are_the_members_count(sample_url: str) -> None:
    with Database(sample_url) as db:
        conn = db.reader()
        wide = q.kamerleden(conn, today=TODAY).per_fractie
        assert wide, "the sample has sitting members"
        assert q.fracties_naar_grootte(conn, today=TODAY) == wide


def test_rows_are_made_once_escaped_and_survive_the_separator_in_data() -> None:
    gift = q.Geschenk("g1", "2026-11-01T00:00:00", "Boek <b>", "12345", "Jan & Co", "VVD")
    odd = q.Geschenk("g2", None, "met \x1e erin", None, None, None)
    render._row_cache.clear()
    rows = render.rijen("geschenk", [gift, odd, gift])
    assert isinstance(rows, Markup)
    one = (
        '<tr><td>2026-11-01</td><td><a href="/persoon/12345">Jan &amp; Co</a> (VVD)</td>'
        "<td>Boek &lt;b&gt;</td></tr>\n"
    )
    # the record separator inside a row's own text: that row is made on its own, intact
    assert rows == one + "<tr><td></td><td></td><td>met \x1e erin</td></tr>\n" + one
    assert ("geschenk", gift) in render._row_cache
    assert render.rijen("geschenk", [gift]) == one  # kept: the same text
    assert render.rijen("geschenk", []) == ""


def test_row_cache_stays_bounded() -> None:
    render._row_cache.clear()
    many = [q.Geschenk(f"g{i}", None, f"cadeau {i}", None, None, None) for i in range(50)]
    size = render.ROW_CACHE_SIZE
    try:
        render.ROW_CACHE_SIZE = 30
        first = render.rijen("geschenk", many[:20])
        rest = render.rijen("geschenk", many[20:])  # 20 + 30 > 30: emptied first
        assert len(render._row_cache) == 30
        assert first + rest == render.rijen("geschenk", many)
    finally:
        render.ROW_CACHE_SIZE = size
        render._row_cache.clear()


def test_rows_with_lists_are_kept_by_their_values() -> None:
    def vraag(indieners: list[str]) -> q.OpenVraag:
        return q.OpenVraag(
            "z1", "2026Z00001", "Vraag <x>", "2026-11-01", 27, False, True,
            [], [], [], [], None, indieners_met_fractie=indieners,
        )  # fmt: skip

    render._row_cache.clear()
    one = render.rijen("open_vraag", [vraag(["Jan (VVD)"])])
    assert "Jan (VVD)" in one and "Vraag &lt;x&gt;" in one and 'class="te-laat"' in one
    # a different list is another row; the same values are the same kept row
    other = render.rijen("open_vraag", [vraag(["Piet (SP)"])])
    assert "Piet (SP)" in other and "Jan" not in other
    assert render.rijen("open_vraag", [vraag(["Jan (VVD)"])]) == one
    assert render.row_key(vraag(["a"])) == render.row_key(vraag(["a"]))
    # a besluit's counts kept on it do not make it another row
    b = q.Besluit("b1", "2026-11-01", None, None, "punt", None, None, "Besluit", None)
    key = render.row_key(b)
    assert b.telling == {} and render.row_key(b) == key


def test_a_besluit_counts_its_rows_as_votes_tally_counts_votes() -> None:
    from kamerwatch import votes

    fracties = [
        q.FractieStem("VVD", 24, "Voor"),
        q.FractieStem("SP", 5, "Tegen", vergissing=True),
        q.FractieStem("PVV", 37, "Niet deelgenomen"),
    ]
    personen = [
        q.PersoonStem("Jan", "VVD", "Voor", "p1"),
        q.PersoonStem("An", "SP", "Tegen", "p2", vergissing=True),
    ]
    for f, p in ((fracties, []), ([], personen), (fracties, personen)):
        b = q.Besluit("b", None, None, None, None, None, None, None, None, [], f, p)
        as_votes = [votes.Vote(x.soort, None, x.persoon_id, x.vergissing) for x in p]
        as_votes += [votes.Vote(x.soort, x.zetels, None, x.vergissing) for x in f]
        assert b.telling == votes.tally(as_votes)
    assert q.Besluit("b", None, None, None, None, None, None, None, None).telling == {}
