"""Speaking time from a VLOS verslag: seconds per person as woordvoerder, interrumpant, chair.

Each ``woordvoerder``/``interrumpant`` fragment lasts ``markeertijdbegin`` → ``markeertijdeind``.
A woordvoerder's span includes the interruptions nested in it, so those are subtracted.

Plausibility comes from the source, never from a fixed cap (a minister's uninterrupted
answer of 24 minutes is real): a fragment is implausible when it ends before it begins (it
cannot be counted) or lies (partly) outside the vergadering's own begin and end
(``aanvangstijd``/``sluiting`` and its activiteiten's times; it is counted as written). Both are reported in :class:`Implausible`, never
dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from kamerwatch.documents.convert.vlos import Speaker, local_name, speaker_of, text_of

__all__ = ["Implausible", "SpeakingResult", "read_speaking", "speaking_times"]

log = logging.getLogger(__name__)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class SpeakingTime:
    """Seconds spoken in one verslag by one person (``persoon_id`` = the spreker objectid;
    ``voornaam``/``achternaam`` as the verslag spells them, e.g. "Olger" / "Dijk van")."""

    persoon_id: str
    name: str
    fractie: str
    voornaam: str = ""
    achternaam: str = ""
    soort: str = ""
    woordvoerder: int = 0
    interrumpant: int = 0
    voorzitter: int = 0


@dataclass(frozen=True, slots=True)
class Implausible:
    """A fragment whose times do not fit: ``counted`` says whether its seconds were added."""

    kind: str  # woordvoerder / interrumpant
    name: str
    begin: str
    end: str
    reason: str
    counted: bool


@dataclass
class SpeakingResult:
    times: list[SpeakingTime]
    implausible: list[Implausible]


def _time(block: etree._Element, name: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text_of(block, name))
    except ValueError:
        return None


def _seconds(block: etree._Element) -> int | None:
    begin, end = _time(block, "markeertijdbegin"), _time(block, "markeertijdeind")
    if begin is None or end is None:
        return None
    return int((end - begin).total_seconds())


def _own_seconds(block: etree._Element) -> int | None:
    total = _seconds(block)
    if total is None or local_name(block) != "woordvoerder":
        return total
    nested = [_seconds(c) or 0 for c in block if local_name(c) == "interrumpant"]
    return max(total - sum(max(n, 0) for n in nested), 0) if total >= 0 else total


def _add(entry: SpeakingTime, who: Speaker, kind: str, seconds: int) -> None:
    if who.chair:
        entry.voorzitter += seconds
    elif kind == "interrumpant":
        entry.interrumpant += seconds
    else:
        entry.woordvoerder += seconds


def _bounds(root: etree._Element) -> tuple[datetime | None, datetime | None]:
    """The vergadering's begin and end as the verslag records them: its ``aanvangstijd`` and
    ``sluiting`` and the ``aanvangstijd``/``eindtijd`` of its activiteiten (a sitting may open
    a minute before the time it was called for; ``0001-01-01`` means not yet known)."""
    vergadering = next((c for c in root.iter() if local_name(c) == "vergadering"), None)
    if vergadering is None:
        return None, None
    starts = [_time(vergadering, "aanvangstijd")]
    ends = [_time(vergadering, "sluiting")]
    for act in vergadering:
        if local_name(act) == "activiteit":
            starts.append(_time(act, "aanvangstijd"))
            ends.append(_time(act, "eindtijd"))
    known_starts = [t for t in starts if t is not None and t.year > 1]
    known_ends = [t for t in ends if t is not None and t.year > 1]
    return (min(known_starts) if known_starts else None, max(known_ends) if known_ends else None)


def _problem(
    block: etree._Element, seconds: int, lo: datetime | None, hi: datetime | None
) -> str | None:
    if seconds < 0:
        return "eindtijd vóór begintijd"
    begin, end = _time(block, "markeertijdbegin"), _time(block, "markeertijdeind")
    if lo is not None and begin is not None and begin < lo:
        return "begint vóór de aanvang van de vergadering"
    if hi is not None and end is not None and end > hi:
        return "eindigt na de sluiting van de vergadering"
    return None


def read_speaking(data: bytes) -> SpeakingResult:
    """Per person, in order of first appearance, and the implausible fragments; raises
    ``etree.XMLSyntaxError`` on bad XML."""
    root = etree.fromstring(data, _PARSER)
    lo, hi = _bounds(root)
    out: dict[str, SpeakingTime] = {}
    odd: list[Implausible] = []
    for block in root.iter():
        kind = local_name(block)
        if kind not in ("woordvoerder", "interrumpant"):
            continue
        seconds = _own_seconds(block)
        spreker = next((c for c in block if local_name(c) == "spreker"), None)
        if seconds is None or spreker is None:
            continue
        who = speaker_of(block)
        problem = _problem(block, seconds, lo, hi)
        if problem is not None:
            odd.append(
                Implausible(
                    kind,
                    who.name,
                    text_of(block, "markeertijdbegin"),
                    text_of(block, "markeertijdeind"),
                    problem,
                    counted=seconds >= 0,
                )
            )
            if seconds < 0:
                continue
        key = spreker.get("objectid") or who.name
        entry = out.get(key)
        if entry is None:
            entry = out[key] = SpeakingTime(
                key,
                who.name,
                who.fractie,
                text_of(spreker, "voornaam"),
                text_of(spreker, "achternaam"),
                spreker.get("soort") or "",
            )
        _add(entry, who, kind, seconds)
    return SpeakingResult(list(out.values()), odd)


def speaking_times(data: bytes) -> list[SpeakingTime]:
    """Per person, in order of first appearance; raises ``etree.XMLSyntaxError`` on bad XML."""
    return read_speaking(data).times
