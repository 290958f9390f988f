"""Debat Direct answers → typed broadcasts, and the matching of an activity to a broadcast
(pure: bytes and values in, dataclasses out; see docs/media.md).

The search (``GET …/search?van=&tot=&vanaf=``) answers in Elasticsearch form
``{hits: {total, hits: [{_source: {...}}]}}``. Times carry an offset without a colon
(``2024-09-17T13:00:00+0200``); everything here compares Dutch wall-clock time
(``YYYY-MM-DDTHH:MM:SS``, the style of the feed's ``aanvangstijd``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SITE = "https://debatdirect.tweedekamer.nl"
DEFAULT_ROOM = "Plenaire zaal"
MAX_RATIO = 10.0  # lengths may differ less than this factor either way
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


class DebatDirectParseError(ValueError):
    """An answer that cannot be read as a search answer (the reason is Dutch)."""


def wall_clock(value: str | None) -> str | None:
    """A Debat Direct time (``+0200``, ``+02:00``, ``Z`` or no offset) → Dutch wall-clock
    ``YYYY-MM-DDTHH:MM:SS``; ``None`` for an empty or unreadable value."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    else:
        m = _OFFSET.search(text)
        if m and len(text) > 19:
            text = text[: m.start()] + f"{m.group(1)}{m.group(2)}:{m.group(3)}"
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(AMSTERDAM).replace(tzinfo=None)
    return stamp.replace(microsecond=0).isoformat()


def _seconds(a: str, b: str) -> float:
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def _midpoint(start: str, end: str) -> datetime:
    s = datetime.fromisoformat(start)
    return s + (datetime.fromisoformat(end) - s) / 2


def room_key(name: str | None) -> str:
    """Rooms compared case- and space-insensitively (``Plenaire  Zaal`` = ``Plenaire zaal``)."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True, slots=True)
class Broadcast:
    """One debate of the search answer; times in Dutch wall-clock time."""

    id: str
    name: str
    slug: str
    debate_date: str
    location_id: str
    location_name: str
    category_id: str
    starts_at: str
    ends_at: str
    started_at: str | None = None
    ended_at: str | None = None
    debate_type: str | None = None
    raw: str = ""  # the ``_source`` object as received (JSON)

    @property
    def page(self) -> str:
        return f"{SITE}/{self.debate_date}/{self.category_id}/{self.location_id}/{self.slug}"

    @property
    def video_url(self) -> str:
        return self.page + "/video"

    @property
    def embed_url(self) -> str:
        return self.page + "/embedded"


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int | None
    hits: int  # results on this page, usable or not
    broadcasts: tuple[Broadcast, ...]
    rejected: tuple[tuple[str, str], ...]  # (raw JSON of the hit, Dutch reason)


def _text(src: dict[str, Any], key: str) -> str | None:
    value = src.get(key)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def broadcast_of(src: object) -> Broadcast:
    """One ``_source`` object → :class:`Broadcast`; :class:`DebatDirectParseError` with the
    reason when it lacks what a link or a match needs."""
    if not isinstance(src, dict):
        raise DebatDirectParseError("_source is geen object")
    ident = _text(src, "id")
    if ident is None:
        raise DebatDirectParseError("geen id")
    slug, day = _text(src, "slug"), _text(src, "debateDate")
    location_id = _text(src, "locationId")
    cats = src.get("categoryIds")
    category = str(cats[0]).strip() if isinstance(cats, list) and cats and cats[0] else None
    for name, value in (
        ("slug", slug),
        ("locationId", location_id),
        ("categoryIds[0]", category),
    ):
        if value is None or not _SEGMENT.match(value):
            raise DebatDirectParseError(f"{ident}: {name} ontbreekt of is geen padsegment")
    if day is None or not _DATE.match(day):
        raise DebatDirectParseError(f"{ident}: debateDate ontbreekt of is geen datum")
    starts, ends = wall_clock(_text(src, "startsAt")), wall_clock(_text(src, "endsAt"))
    if starts is None or ends is None:
        raise DebatDirectParseError(f"{ident}: startsAt/endsAt ontbreekt of is onleesbaar")
    if ends < starts:
        raise DebatDirectParseError(f"{ident}: endsAt ligt voor startsAt")
    assert slug is not None and location_id is not None and category is not None
    return Broadcast(
        id=ident,
        name=_text(src, "name") or slug,
        slug=slug,
        debate_date=day,
        location_id=location_id,
        location_name=_text(src, "locationName") or location_id,
        category_id=category,
        starts_at=starts,
        ends_at=ends,
        started_at=wall_clock(_text(src, "startedAt")),
        ended_at=wall_clock(_text(src, "endedAt")),
        debate_type=_text(src, "debateType"),
        raw=json.dumps(src, ensure_ascii=False, sort_keys=True),
    )


def parse_search(body: bytes) -> SearchPage:
    """A search answer → its broadcasts; hits that cannot be used are kept with a reason.
    Raises :class:`DebatDirectParseError` when the answer is not a search answer at all."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DebatDirectParseError(f"geen JSON: {exc}") from exc
    hits_obj = data.get("hits") if isinstance(data, dict) else None
    hits = hits_obj.get("hits") if isinstance(hits_obj, dict) else None
    if not isinstance(hits, list):
        raise DebatDirectParseError("geen hits.hits-lijst in het antwoord")
    assert isinstance(hits_obj, dict)
    total_obj = hits_obj.get("total")
    total: int | None = None
    if isinstance(total_obj, dict):
        total_obj = total_obj.get("value")
    if isinstance(total_obj, int) and not isinstance(total_obj, bool) and total_obj >= 0:
        total = total_obj
    found: list[Broadcast] = []
    rejected: list[tuple[str, str]] = []
    for hit in hits:
        src = hit.get("_source") if isinstance(hit, dict) else None
        try:
            found.append(broadcast_of(src))
        except DebatDirectParseError as exc:
            rejected.append((json.dumps(hit, ensure_ascii=False)[:20_000], str(exc)))
    return SearchPage(total, len(hits), tuple(found), tuple(rejected))


# ------------------------------------------------------------------ matching


@dataclass(frozen=True, slots=True)
class Slot:
    """What of an activity the matching needs (Dutch wall-clock times)."""

    start: str
    end: str | None
    room: str | None  # the first reservation's room; ``None`` → "Plenaire zaal"
    onderwerp: str | None = None  # breaks ties between equally near broadcasts


@dataclass(frozen=True, slots=True)
class Match:
    broadcast: Broadcast | None
    score: float | None  # seconds between the midpoints (lower is better)
    reason: str  # Dutch: why this one, or why none
    ties: int = 0  # other candidates exactly as near


def match(slot: Slot, broadcasts: tuple[Broadcast, ...] | list[Broadcast]) -> Match:
    """OpenTK's rule: candidates on the activity's day in its room whose scheduled length and
    the activity's differ less than 10× either way; the nearest scheduled midpoint wins. An
    activity without an end time is taken as one hour. Equally near candidates: the one
    shares the most words with the activity's onderwerp, then the one that starts first (then
    by id), is taken and the tie is counted in the reason."""
    day = slot.start[:10]
    room = slot.room or DEFAULT_ROOM
    end = slot.end if slot.end and slot.end > slot.start else None
    if end is None:
        end = (datetime.fromisoformat(slot.start) + timedelta(hours=1)).isoformat()
    length = max(_seconds(slot.start, end), 60.0)
    mid = _midpoint(slot.start, end)
    same_day = [b for b in broadcasts if b.debate_date == day]
    if not same_day:
        return Match(None, None, f"geen uitzending op {day}")
    in_room = [b for b in same_day if room_key(b.location_name) == room_key(room)]
    if not in_room:
        return Match(None, None, f"geen uitzending in {room} op {day}")
    fitting = []
    for b in in_room:
        blen = max(_seconds(b.starts_at, b.ends_at), 60.0)
        if length / MAX_RATIO < blen < length * MAX_RATIO:
            fitting.append(b)
    if not fitting:
        return Match(None, None, f"geen uitzending in {room} met een passende duur")
    words = _words(slot.onderwerp)
    scored = sorted(
        (
            abs((_midpoint(b.starts_at, b.ends_at) - mid).total_seconds()),
            -len(words & _words(b.name)),
            b.starts_at,
            b.id,
            b,
        )
        for b in fitting
    )
    best = scored[0]
    ties = sum(1 for s in scored[1:] if s[0] == best[0])
    reason = f"dichtstbijzijnde midden in {room} ({int(best[0]) // 60} min verschil)"
    if ties:
        how = "meeste woorden van het onderwerp" if best[1] < scored[1][1] else "eerst beginnende"
        reason += f"; {ties} even dichtbij, gekozen op {how}"
    return Match(best[4], best[0], reason, ties)


def _words(text: str | None) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", (text or "").casefold()) if len(w) > 2)
