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
