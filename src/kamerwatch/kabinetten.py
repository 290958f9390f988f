"""The cabinets and their coalitions, as dates: the default period of the vote analysis is
the term of the cabinet in office, and "voted with the coalition" needs the coalition of the
day. The open data has no cabinet entity, so the list is kept here (public record; a new
cabinet is one line). Pure data, no I/O.

A cabinet whose coalition changed during its term has one line per phase (same ``naam``):
the Schoof cabinet lost the PVV on 2025-06-03 and NSC on 2025-08-22.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Kabinet:
    naam: str
    begin: date  # the day the cabinet (or this phase of it) took office
    coalitie: frozenset[str]  # afkortingen as the feed writes them


# The live feed writes NSC's afkorting out in full ("Nieuw Sociaal Contract", as its naamNl);
# the sample parliament writes "NSC".
NSC = ("NSC", "Nieuw Sociaal Contract")

KABINETTEN: tuple[Kabinet, ...] = (
    Kabinet("Rutte III", date(2017, 10, 26), frozenset({"VVD", "CDA", "D66", "ChristenUnie"})),
    Kabinet("Rutte IV", date(2022, 1, 10), frozenset({"VVD", "D66", "CDA", "ChristenUnie"})),
    Kabinet("Schoof", date(2024, 7, 2), frozenset({"PVV", "VVD", *NSC, "BBB"})),
    Kabinet("Schoof", date(2025, 6, 3), frozenset({"VVD", *NSC, "BBB"})),
    Kabinet("Schoof", date(2025, 8, 22), frozenset({"VVD", "BBB"})),
)


def in_office(day: date) -> Kabinet | None:
    """The cabinet (phase) in office on ``day``; None before the first one listed."""
    found = None
    for kabinet in KABINETTEN:
        if kabinet.begin <= day:
            found = kabinet
    return found


def term_start(day: date) -> date | None:
    """The first day of the term of the cabinet in office on ``day`` (its first phase)."""
    current = in_office(day)
    if current is None:
        return None
    return min(k.begin for k in KABINETTEN if k.naam == current.naam)


def coalition_on(day: date) -> frozenset[str]:
    current = in_office(day)
    return current.coalitie if current else frozenset()
