"""iCalendar feeds of activities (RFC 5545 via the icalendar library): one calendar per
agenda view, so users can subscribe to their committee's agenda."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime

import nh3
from icalendar import Calendar, Event
from starlette.responses import Response

from kamerwatch.store.dashboards import Agenda

from . import urls
from .render import AMSTERDAM

ICS = "text/calendar; charset=utf-8"
_BREAKS = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.I)


def html_text(fragment: str | None) -> str:
    """Upstream HTML (an activity's ``noot``) as plain text for a calendar: tags and their
    scripts/styles gone, entities decoded, line breaks where blocks end."""
    if not fragment:
        return ""
    text = html.unescape(nh3.clean(_BREAKS.sub("\n", fragment), tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _local(value: str | None) -> datetime | None:
    """Dutch wall-clock text → the same moment in UTC (written with Z, so no VTIMEZONE is
    needed in the calendar)."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=AMSTERDAM)).astimezone(UTC)


def event(a: Agenda, base_url: str) -> Event | None:
    start = _local(a.aanvangstijd or a.datum)
    if start is None:
        return None
    ev = Event()
    ev.add("uid", f"{a.id}@kamerwatch")
    ev.add("dtstamp", _local(a.bijgewerkt) or datetime.now(UTC))
    ev.add("dtstart", start)
    end = _local(a.eindtijd)
    if end is not None and end > start:
        ev.add("dtend", end)
    prefix = "[besloten] " if a.besloten else ""
    ev.add("summary", prefix + (a.onderwerp or a.soort or a.nummer or "activiteit"))
    if a.locatie:
        ev.add("location", a.locatie)
    details = [p for p in (a.soort, a.commissie, html_text(a.noot)) if p]
    ev.add("description", "\n".join(details))
    if a.nummer:
        ev.add("url", urls.absolute(base_url, urls.activiteit(a.nummer)))
    if a.status == "Geannuleerd":
        ev.add("status", "CANCELLED")
    return ev


def agenda(
    items: Iterable[Agenda], base_url: str, name: str = "Tweede Kamer: activiteiten"
) -> Response:
    cal = Calendar()
    cal.add("prodid", "-//kamerwatch//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for a in items:
        ev = event(a, base_url)
        if ev is not None:
            cal.add_component(ev)
    return Response(cal.to_ical(), media_type=ICS)
