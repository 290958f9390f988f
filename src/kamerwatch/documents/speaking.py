"""Speaking time from a VLOS verslag: seconds per person as woordvoerder, interrumpant, chair.

Each ``woordvoerder``/``interrumpant`` fragment lasts ``markeertijdbegin`` → ``markeertijdeind``.
A woordvoerder's span includes the interruptions nested in it, so those are subtracted.
Implausible fragments (negative or longer than 15 minutes) are logged and skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from kamerwatch.documents.convert.vlos import Speaker, local_name, speaker_of, text_of

__all__ = ["SpeakingTime", "speaking_times"]

log = logging.getLogger(__name__)
MAX_FRAGMENT = 15 * 60
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


def _seconds(block: etree._Element) -> int | None:
    try:
        begin = datetime.fromisoformat(text_of(block, "markeertijdbegin"))
        end = datetime.fromisoformat(text_of(block, "markeertijdeind"))
    except ValueError:
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


def speaking_times(data: bytes) -> list[SpeakingTime]:
    """Per person, in order of first appearance; raises ``etree.XMLSyntaxError`` on bad XML."""
    root = etree.fromstring(data, _PARSER)
    out: dict[str, SpeakingTime] = {}
    for block in root.iter():
        kind = local_name(block)
        if kind not in ("woordvoerder", "interrumpant"):
            continue
        seconds = _own_seconds(block)
        spreker = next((c for c in block if local_name(c) == "spreker"), None)
        if seconds is None or spreker is None:
            continue
        if not 0 <= seconds <= MAX_FRAGMENT:
            log.info("implausible %s fragment of %s s skipped", kind, seconds)
            continue
        who = speaker_of(block)
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
    return list(out.values())
