"""RSS 2.0 of the overzicht and iCalendar of an activiteit (built with lxml / plain text)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from kamerwatch.store.alerts import FeedItem
from kamerwatch.store.analyse import ToezeggingRegel
from kamerwatch.store.dashboards import Agenda
from kamerwatch.store.pages.entities import ActiviteitPage
from kamerwatch.store.pages.overview import Overzicht, OverzichtItem
from kamerwatch.store.pages.people import CommissiePage

from . import urls
from .ical import agenda
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


# what XML 1.0 does not allow in text (lxml refuses it): C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (a search for "\x1b", a control
    character in a converted document's title)."""
    return _NOT_XML.sub("", text)


def sub(parent: etree._Element, tag: str, text: str | None, **attributes: str) -> None:
    """A child element with ``text`` (none when empty); a ``description`` is escaped, as
    readers render it as HTML and plain text must stay text."""
    if text:
        if tag == "description":
            text = html.escape(text, quote=False)
        etree.SubElement(parent, tag, attrib=attributes).text = xml_text(text)


def rss(
    request: Request, title: str, link: str, description: str, items: Sequence[OverzichtItem]
) -> Response:
    """An RSS 2.0 channel of documents (newest first); ``link`` is a site path."""
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", title)
    sub(channel, "link", urls.absolute(base, link))
    sub(channel, "description", description)
    sub(channel, "generator", "kamerwatch")
    newest = max((i.bijgewerkt or "" for i in items), default="")
    sub(channel, "lastBuildDate", _rfc822(newest))
    for doc in items[:200]:
        item = etree.SubElement(channel, "item")
        sub(item, "title", doc.onderwerp or doc.nummer)
        sub(item, "link", urls.absolute(base, urls.document(doc.nummer)))
        sub(item, "description", " | ".join(p for p in (doc.soort, doc.titel) if p))
        sub(item, "guid", f"kamerwatch_{doc.nummer}", isPermaLink="false")
        sub(item, "pubDate", _rfc822(doc.bijgewerkt))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def overdue_rss(request: Request, items: Sequence[ToezeggingRegel]) -> Response:
    """The toezeggingen that became overdue in the last 30 days (newest first)."""
    base = request.app.state.base_url
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", "kamerwatch: toezeggingen die te laat zijn geworden")
    sub(channel, "link", urls.absolute(base, urls.dashboard("analyse/ministeries")))
    sub(
        channel,
        "description",
        "Open toezeggingen waarvan de datum van nakoming de afgelopen 30 dagen verstreek",
    )
    sub(channel, "generator", "kamerwatch")
    for t in items:
        item = etree.SubElement(channel, "item")
        sub(item, "title", f"Te laat: {t.nummer or ''} ({t.ministerie})")
        if t.nummer:
            sub(item, "link", urls.absolute(base, urls.toezegging(t.nummer)))
        sub(
            item,
            "description",
            f"{t.bewindspersoon}, nakoming uiterlijk {t.datum_nakoming}: {t.tekst or ''}",
        )
        sub(item, "guid", f"kamerwatch_te_laat_{t.nummer}_{t.datum_nakoming}", isPermaLink="false")
        sub(item, "pubDate", _rfc822(f"{t.datum_nakoming}T00:00:00" if t.datum_nakoming else None))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/rss+xml; charset=utf-8")


def hits_rss(request: Request, items: Sequence[FeedItem]) -> Response:
    """The personal RSS feed: every item the account's monitors found (newest first)."""
    root = etree.Element("rss", version="2.0")
    channel = etree.SubElement(root, "channel")
    sub(channel, "title", "kamerwatch: mijn monitors")
    sub(channel, "link", urls.absolute(request.app.state.base_url, "/mijn"))
    sub(channel, "description", "Wat uw monitors bij kamerwatch vonden")
    sub(channel, "generator", "kamerwatch")
    sub(channel, "lastBuildDate", _rfc822(items[0].found_at if items else None))
    for hit in items:
        item = etree.SubElement(channel, "item")
        sub(item, "title", hit.title or hit.item_key)
        sub(item, "link", hit.url)
        sub(item, "description", hit.detail)
        sub(item, "guid", f"kamerwatch_{hit.item_key}", isPermaLink="false")
        sub(item, "pubDate", _rfc822(hit.found_at))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(
        body,
        media_type="application/rss+xml; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
    )


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


def activiteit_ics(page: Page, base_url: str = "") -> Response:
    """One activity as an iCalendar file (the same writer as the agenda feed)."""
    act: ActiviteitPage = page.data
    item = Agenda(
        id=act.id,
        nummer=act.nummer,
        soort=act.soort,
        onderwerp=act.onderwerp,
        datum=act.datum,
        aanvangstijd=act.aanvangstijd,
        eindtijd=act.eindtijd,
        locatie=act.zaal or act.locatie,
        besloten=bool(act.besloten),
        status=act.status,
        noot=act.noot,
        commissie_id=act.voortouwcommissie.id if act.voortouwcommissie else None,
        commissie=act.voortouwnaam,
        commissie_afkorting=None,
        bijgewerkt=act.bijgewerkt,
    )
    return agenda([item], base_url, name=act.onderwerp or act.nummer)
