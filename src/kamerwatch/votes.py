"""What parliament decided, and how it voted: one rule for every page, JSON twin and alert.

The outcome shown is always the official one — the besluit's ``besluitSoort`` (``Stemmen -
niet aangenomen``) and ``besluitTekst`` (``Niet aangenomen.``) — never one computed from the
vote counts: a 75–75 tie is officially "niet aangenomen", and a partial roll call in the
feed can make the counts point the other way. The counts are supporting detail; when they
disagree with the official outcome this is said (:func:`counts_disagree`), not hidden.

A vote marked ``vergissing`` (the member or fractie declared it a mistake) stands as cast:
it is counted (:func:`tally` is the only place that counts) and shown with "(vergissing)"
(:func:`voter_label`). Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

ADOPTED = "aangenomen"
REJECTED = "verworpen"
NOT_ADOPTED = "niet aangenomen"  # officially for a tie (staken der stemmen)
MISTAKE_MARK = "(vergissing)"

_KINDS = (
    NOT_ADOPTED,  # before ADOPTED: "niet aangenomen" contains "aangenomen"
    ADOPTED,
    REJECTED,
    "gestaakt",
    "aangehouden",
    "uitstellen",
    "ingetrokken",
)


def outcome_kind(besluit_soort: str | None, besluit_tekst: str | None) -> str | None:
    """The official kind of outcome of a vote (``aangenomen``, ``verworpen``, ``niet
    aangenomen``, ``gestaakt``, …) from ``besluitSoort`` (``Stemmen - …``), else from the
    start of ``besluitTekst``; None when the besluit is no vote outcome."""
    soort = (besluit_soort or "").strip().lower()
    if soort.startswith("stemmen - "):
        rest = soort.removeprefix("stemmen - ").strip()
        for kind in _KINDS:
            if rest.startswith(kind):
                return kind
        return rest or None
    tekst = (besluit_tekst or "").strip().lower()
    for kind in (NOT_ADOPTED, ADOPTED, REJECTED):
        if tekst.startswith(kind):
            return kind
    return None


def adopted(kind: str | None) -> bool | None:
    """True when officially adopted, False when officially not (rejected, not adopted on a
    tie), None when there is no decided vote."""
    if kind == ADOPTED:
        return True
    if kind in (REJECTED, NOT_ADOPTED):
        return False
    return None


def official_label(besluit_soort: str | None, besluit_tekst: str | None) -> str | None:
    """The outcome as the Kamer wrote it: ``besluitTekst`` without its closing full stop
    ("Niet aangenomen"), else the part of ``besluitSoort`` after ``Stemmen - ``."""
    tekst = (besluit_tekst or "").strip()
    if tekst:
        return tekst[:-1] if tekst.endswith(".") and tekst.count(".") == 1 else tekst
    soort = (besluit_soort or "").strip()
    if soort.lower().startswith("stemmen - "):
        rest = soort[len("stemmen - ") :].strip()
        return rest[:1].upper() + rest[1:] if rest else None
    return soort or None


@dataclass(frozen=True, slots=True)
class Vote:
    """One Stemming row as far as counting goes."""

    soort: str | None
    fractie_grootte: int | None
    persoon_id: str | None
    vergissing: bool = False


class Counted(Protocol):
    """What counting reads of a vote: a :class:`Vote`, or a page's own vote row with the
    same three attributes (so a page counts its rows without copying them)."""

    @property
    def soort(self) -> str | None: ...
    @property
    def fractie_grootte(self) -> int | None: ...
    @property
    def persoon_id(self) -> str | None: ...


def is_roll_call(votes: Iterable[Counted]) -> bool:
    """A hoofdelijke stemming: the rows are per member (a ``persoon`` ref)."""
    return any(v.persoon_id for v in votes)


def tally(votes: Iterable[Counted]) -> dict[str, int]:
    """Seats (or members, in a roll call) per kind of vote. Every vote counts as cast, also
    one marked ``vergissing``; in a roll call only the members' rows count."""
    rows = list(votes)
    roll_call = is_roll_call(rows)
    out: dict[str, int] = {}
    for v in rows:
        if roll_call and not v.persoon_id:
            continue
        soort = v.soort or "?"
        out[soort] = out.get(soort, 0) + (1 if roll_call else (v.fractie_grootte or 0))
    return out


def counts_disagree(kind: str | None, counts: dict[str, int]) -> bool:
    """The counts point to another result than the official one (more votes for than
    against, yet not adopted; or adopted without a majority for). Only judged for an
    official adopted/not-adopted outcome with counts."""
    official = adopted(kind)
    if official is None or not counts:
        return False
    voor, tegen = counts.get("Voor", 0), counts.get("Tegen", 0)
    return (voor > tegen) != official


def voter_label(name: str, vergissing: bool) -> str:
    """A voter's name as shown, with the mistake mark when the vote was declared one."""
    return f"{name} {MISTAKE_MARK}" if vergissing else name


# -- how a fractie voted, and when two fracties voted the same ---------------------------------
# The rules of /analyse/stemmingen, /fractie/{afkorting} and the member profile, written down
# in /uitleg. Every position comes from the rows as cast (vergissing included), like tally().

VOOR = "Voor"
TEGEN = "Tegen"
ABSENT = "Niet deelgenomen"
SPLIT = "Verdeeld"  # a roll call in which the fractie's members split evenly
TOOK_PART = (VOOR, TEGEN)


def fractie_positions(rows: Iterable[tuple[str, Vote]]) -> dict[str, str]:
    """How each fractie voted on one besluit: ``Voor``, ``Tegen``, ``Niet deelgenomen`` or
    (in a roll call) ``Verdeeld``. ``rows`` are (fractie, vote) pairs.

    Per fractie (a show of hands) the fractie's row is its position. In a roll call
    (hoofdelijke stemming) a fractie's position is what the majority of its members who voted
    ``Voor`` or ``Tegen`` voted (counted with :func:`tally`); an even split is ``Verdeeld``;
    no member voting is ``Niet deelgenomen``. A vote marked vergissing stands as cast."""
    pairs = list(rows)
    roll_call = is_roll_call(v for _f, v in pairs)
    per: dict[str, list[Vote]] = {}
    for fractie, vote in pairs:
        if roll_call and not vote.persoon_id:
            continue
        per.setdefault(fractie, []).append(vote)
    out: dict[str, str] = {}
    for fractie, cast in per.items():
        if roll_call:
            counts = tally(cast)
            voor, tegen = counts.get(VOOR, 0), counts.get(TEGEN, 0)
            out[fractie] = (
                VOOR if voor > tegen else TEGEN if tegen > voor else SPLIT if voor else ABSENT
            )
        else:
            soort = cast[0].soort
            out[fractie] = soort if soort in TOOK_PART else ABSENT
    return out


def same(a: str | None, b: str | None) -> bool | None:
    """Whether two fracties voted the same on one besluit: True when both voted ``Voor`` or
    both ``Tegen``, False when one voted ``Voor`` and the other ``Tegen``, None (the besluit
    does not count for this pair) when either did not take part or was ``Verdeeld``."""
    if a not in TOOK_PART or b not in TOOK_PART:
        return None
    return a == b


def with_majority(position: str | None, adopted_: bool | None) -> bool | None:
    """Whether a position agrees with the official outcome (``Voor`` an adopted motion,
    ``Tegen`` a rejected or not adopted one); None without a position or an outcome."""
    if position not in TOOK_PART or adopted_ is None:
        return None
    return (position == VOOR) == adopted_


def bloc_position(positions: dict[str, str], seats: dict[str, int], bloc: Iterable[str]) -> str:
    """The position of a group of fracties (the coalition): the side with the most seats
    among its fracties that took part; an even split is ``Verdeeld``, none ``Niet
    deelgenomen``."""
    voor = tegen = 0
    for fractie in bloc:
        position = positions.get(fractie)
        if position == VOOR:
            voor += seats.get(fractie, 0) or 1
        elif position == TEGEN:
            tegen += seats.get(fractie, 0) or 1
    if voor == tegen:
        return SPLIT if voor else ABSENT
    return VOOR if voor > tegen else TEGEN
