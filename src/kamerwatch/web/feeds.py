"""RSS 2.0 of the overzicht and iCalendar of an activiteit (built with lxml / plain text)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from kamerwatch.store.pages.entities import ActiviteitPage
from kamerwatch.store.pages.overview import Overzicht, OverzichtItem
from kamerwatch.store.pages.people import CommissiePage

from . import urls
from .loaders import Page
from .render import AMSTERDAM


def _rfc822(value: str | None) -> str | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=AMSTERDAM)
    return format_datetime(stamp.astimezone(UTC), usegmt=True)


def _sub(parent: etree._Element, tag: str, text: str | None) -> None:
    if text:
        etree.SubElement(parent, tag).text = text


def rss(
    request: Request, title: str, link: str, description: str, items: Sequence[OverzichtItem]
) -> Response:
    """An RSS 2.0 channel of documents (newest first); ``link`` is a site path."""
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", urls.absolute(base, link))
    _sub(channel, "description", description)
    _sub(channel, "generator", "kamerwatch")
    newest = max((i.bijgewerkt or "" for i in items), default="")
    _sub(channel, "lastBuildDate", _rfc822(newest))
    for doc in items[:200]:
        item = etree.SubElement(channel, "item")
        _sub(item, "title", doc.onderwerp or doc.nummer)
        _sub(item, "link", urls.absolute(base, urls.document(doc.nummer)))
        _sub(item, "description", " | ".join(p for p in (doc.soort, doc.titel) if p))
        guid = etree.SubElement(item, "guid", isPermaLink="false")
        guid.text = f"kamerwatch_{doc.nummer}"
        _sub(item, "pubDate", _rfc822(doc.bijgewerkt))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def overzicht_rss(request: Request, page: Page) -> Response:
    data: Overzicht = page.data
    return rss(
        request,
        "kamerwatch: nieuwe documenten",
        urls.home(),
        "Nieuwe documenten van de Tweede Kamer",
        data.documenten,
    )


def commissie_rss(request: Request, page: Page, items: Sequence[OverzichtItem]) -> Response:
    data: CommissiePage = page.data
    name = data.naam or data.id
    return rss(
        request,
        f"kamerwatch: {name}",
        urls.commissie(data.id),
        f"Documenten in zaken van de commissie {name}",
        items,
    )


def _ics_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "")


def _ics_time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=AMSTERDAM)
    return stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def activiteit_ics(page: Page) -> Response:
    act: ActiviteitPage = page.data
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kamerwatch//NL",
        "BEGIN:VEVENT",
        f"UID:{act.id}@kamerwatch",
        f"DTSTAMP:{_ics_time(act.bijgewerkt) or datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}",
        f"SUMMARY:{_ics_text(act.onderwerp or act.nummer)}",
    ]
    start = _ics_time(act.aanvangstijd or act.datum)
    if start:
        lines.append(f"DTSTART:{start}")
    end = _ics_time(act.eindtijd)
    if end:
        lines.append(f"DTEND:{end}")
    location = act.zaal or act.locatie
    if location:
        lines.append(f"LOCATION:{_ics_text(location)}")
    lines.append(f"DESCRIPTION:{_ics_text(' | '.join(p for p in (act.soort, act.nummer) if p))}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    body = "\r\n".join(lines) + "\r\n"
    return Response(body, media_type="text/calendar; charset=utf-8")
