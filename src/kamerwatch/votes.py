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


def is_roll_call(votes: Iterable[Vote]) -> bool:
    """A hoofdelijke stemming: the rows are per member (a ``persoon`` ref)."""
    return any(v.persoon_id for v in votes)


def tally(votes: Iterable[Vote]) -> dict[str, int]:
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
