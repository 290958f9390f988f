"""The counting rules of the analysis pages (kamerwatch.votes and store.analyse's pure
functions) on constructed cases, each with the value worked out by hand."""

from __future__ import annotations

from datetime import date

from kamerwatch import kabinetten, votes
from kamerwatch.store import analyse
from kamerwatch.votes import Vote


def fractie(soort: str, seats: int = 10, vergissing: bool = False) -> Vote:
    return Vote(soort, seats, None, vergissing)


def lid(soort: str, pid: str, vergissing: bool = False) -> Vote:
    return Vote(soort, 1, pid, vergissing)


def test_show_of_hands_position_is_the_row() -> None:
    rows = [("A", fractie("Voor")), ("B", fractie("Tegen")), ("C", fractie("Niet deelgenomen"))]
    rows.append(("D", fractie("Voor", vergissing=True)))  # a vergissing stands as cast
    assert votes.fractie_positions(rows) == {
        "A": "Voor",
        "B": "Tegen",
        "C": "Niet deelgenomen",
        "D": "Voor",
    }


def test_roll_call_position_is_the_members_majority() -> None:
    rows = [
        ("A", lid("Voor", "a1")),
        ("A", lid("Voor", "a2")),
        ("A", lid("Tegen", "a3")),
        ("B", lid("Voor", "b1")),
        ("B", lid("Tegen", "b2")),
        ("C", lid("Niet deelgenomen", "c1")),
        ("D", fractie("Voor", 30)),  # a fractie row beside the members' rows does not count
    ]
    assert votes.fractie_positions(rows) == {
        "A": "Voor",
        "B": "Verdeeld",
        "C": "Niet deelgenomen",
    }


def test_same_counts_only_when_both_took_part() -> None:
    assert votes.same("Voor", "Voor") is True
    assert votes.same("Tegen", "Tegen") is True
    assert votes.same("Voor", "Tegen") is False
    assert votes.same("Voor", "Niet deelgenomen") is None
    assert votes.same("Verdeeld", "Voor") is None
    assert votes.same(None, "Voor") is None


def test_with_majority_follows_the_official_outcome() -> None:
    assert votes.with_majority("Voor", True) is True
    assert votes.with_majority("Tegen", False) is True  # rejected or not adopted (a tie)
    assert votes.with_majority("Voor", False) is False
    assert votes.with_majority("Voor", None) is None
    assert votes.with_majority("Niet deelgenomen", True) is None


def test_bloc_position_by_seats() -> None:
    positions = {"A": "Voor", "B": "Tegen", "C": "Voor", "D": "Tegen"}
    seats = {"A": 10, "B": 25, "C": 10, "D": 99}
    assert votes.bloc_position(positions, seats, {"A", "B", "C"}) == "Tegen"  # 25 > 20
    assert votes.bloc_position(positions, seats, {"A", "C"}) == "Voor"
    assert votes.bloc_position(positions, {"A": 5, "B": 5}, {"A", "B"}) == "Verdeeld"
    assert votes.bloc_position(positions, seats, {"X"}) == "Niet deelgenomen"


def test_agreement_by_hand() -> None:
    rows = [
        {"A": "Voor", "B": "Voor", "C": "Tegen"},
        {"A": "Voor", "B": "Tegen", "C": "Niet deelgenomen"},
        {"A": "Tegen", "B": "Tegen", "C": "Tegen"},
        {"A": "Verdeeld", "B": "Voor"},
    ]
    names, pairs = analyse.agreement_of_positions(rows)
    got = {(p.a, p.b): (p.zelfde, p.samen, p.aandeel) for p in pairs}
    assert names == ["A", "B", "C"]
    assert got["A", "B"] == (2, 3, 0.667)
    assert got["A", "C"] == (1, 2, 0.5)
    assert got["B", "C"] == (1, 2, 0.5)
    assert got["C", "B"] == got["B", "C"]


def test_agreement_bit_sets_equal_the_plain_count() -> None:
    """The bit-set count equals votes.same applied vote by vote."""
    import random

    rng = random.Random(7)
    kinds = ["Voor", "Tegen", "Niet deelgenomen", "Verdeeld"]
    rows = [{f: rng.choice(kinds) for f in "ABCDE" if rng.random() > 0.1} for _ in range(300)]
    _names, pairs = analyse.agreement_of_positions(rows)
    for p in pairs:
        verdicts = [votes.same(r.get(p.a), r.get(p.b)) for r in rows]
        assert p.samen == sum(v is not None for v in verdicts)
        assert p.zelfde == sum(v is True for v in verdicts)


def test_lone_fracties() -> None:
    assert analyse.lone({"A": "Voor", "B": "Tegen", "C": "Tegen", "D": "Tegen"}) == ["A"]
    assert analyse.lone({"A": "Voor", "B": "Voor", "C": "Tegen", "D": "Tegen"}) == [
        "A",
        "B",
        "C",
        "D",
    ]
    assert analyse.lone({"A": "Voor", "B": "Tegen"}) == []  # one opponent is not enough
    assert analyse.lone({"A": "Voor", "B": "Tegen", "C": "Tegen", "D": "Niet deelgenomen"}) == ["A"]


def test_roll_call_deviations() -> None:
    rows = [
        ("A", lid("Voor", "a1")),
        ("A", lid("Voor", "a2")),
        ("A", lid("Tegen", "a3", vergissing=True)),
        ("B", lid("Voor", "b1")),
        ("B", lid("Tegen", "b2")),
    ]
    assert analyse.roll_call_deviations(rows) == [("a3", "Tegen", "A", "Voor", 1)]
    assert analyse.roll_call_deviations([("A", fractie("Voor"))]) == []  # no roll call


def test_question_figures_by_hand() -> None:
    F = analyse.VraagFeit
    items = [
        F("2024-01-01", "2024-01-15", False, 14),
        F("2024-01-01", "2024-01-22", True, 21),
        F("2024-01-01", "2024-02-01", False, 31),
        F("2024-01-01", None, True, 100),  # open beyond the term: in the base
        F("2024-03-01", None, False, 10),  # open within the term: not in the base
    ]
    got = analyse.question_figures(items, date(2024, 3, 11))
    assert (got.gesteld, got.beantwoord, got.binnen_termijn, got.termijn_voorbij) == (5, 3, 2, 4)
    assert (got.aandeel_binnen_termijn, got.met_uitstel, got.aandeel_uitstel) == (0.5, 2, 0.4)
    assert (got.mediaan_dagen, got.open, got.oudste_open) == (21, 2, "2024-01-01")
    empty = analyse.question_figures([], date(2024, 1, 1))
    assert empty.mediaan_dagen is None and empty.aandeel_binnen_termijn is None


def test_commitment_classes_and_figures() -> None:
    T = analyse.ToezeggingFeit
    today = date(2025, 6, 1)
    items = [
        T("Openstaand", "2025-01-01", "2025-07-01", None),  # open
        T("Openstaand", "2025-01-01", "2025-05-31", None),  # overdue
        T("Deels voldaan", "2025-01-01", None, None),  # open, no deadline
        T("Voldaan", "2025-01-01", "2025-03-01", "2025-03-01"),  # on the day: in time
        T("Voldaan", "2025-01-01", "2025-03-01", "2025-03-02"),  # a day late
        T("Voldaan", "2025-01-01", "2025-03-01", None),  # no dated letter
        T("Vervallen", "2025-01-01", "2025-03-01", None),
    ]
    assert [t.klasse(today) for t in items] == [
        "open",
        "te laat",
        "open",
        "voldaan",
        "voldaan te laat",
        "voldaan",
        "overig",
    ]
    got = analyse.commitment_figures(items, today)
    assert (got.totaal, got.open, got.te_laat, got.voldaan, got.voldaan_te_laat) == (7, 3, 1, 3, 1)
    assert got.mediaan_dagen == 59.5  # 59 and 60 days
    assert got.aandeel_te_laat == 0.333


def test_small_parsers() -> None:
    assert analyse.letter_date("Kamerbrief van 01-02-2025") == "2025-02-01"
    assert analyse.letter_date("Kamerbrief van 31-02-2025") is None
    assert analyse.letter_date("zie brief") is None
    assert analyse.ministry_name("Ministerie van Defensie") == "Defensie"
    assert analyse.ministry_name("Ministerie voor Klimaat en Groene Groei") == (
        "Klimaat en Groene Groei"
    )
    assert analyse.quarter("2025-05-14") == "2025-K2"
    assert analyse.median([3, 1, 2, 10]) == 2.5


def test_seats_over_time() -> None:
    spans = [("2024-01-15", None), ("2023-12-01", "2024-02-10"), ("2024-02-01", None)]
    got = analyse.seats_over_time(spans, date(2024, 3, 20))
    assert [(z.maand, z.zetels) for z in got] == [
        ("2023-12", 1),
        ("2024-01", 1),
        ("2024-02", 3),
        ("2024-03", 2),
    ]


def test_cabinets() -> None:
    assert kabinetten.term_start(date(2025, 9, 1)) == date(2024, 7, 2)
    # NSC as the sample writes it and as the live feed does
    assert kabinetten.coalition_on(date(2025, 3, 1)) == {
        "PVV",
        "VVD",
        "NSC",
        "Nieuw Sociaal Contract",
        "BBB",
    }
    assert kabinetten.coalition_on(date(2025, 7, 1)) == {
        "VVD",
        "NSC",
        "Nieuw Sociaal Contract",
        "BBB",
    }
    assert kabinetten.coalition_on(date(2000, 1, 1)) == frozenset()
