"""VLOS verslag XML → a readable HTML reader and plain text.

Handles both dialects (feed namespace ``.../ggm/vergaderverslag/v1.0`` and ``.../vlos2``) by
matching local names only. Per agenda item (activiteit) a heading; per speech the speaker
with party or function; interruptions as ``<blockquote class="interruptie">``; the chair
marked ``voorzitter`` (class of the speech block); motions in ``<div class="motie">``; vote decisions in
``<div class="besluit">``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import etree

from kamerwatch.documents.convert.markup import element, finish
from kamerwatch.documents.convert.result import CORRUPT, Conversion, failed

__all__ = [
    "NAMESPACES",
    "Speaker",
    "convert_vlos",
    "is_vlos",
    "local_name",
    "speaker_of",
    "text_of",
]

log = logging.getLogger(__name__)
METHOD = "vlos"
NAMESPACES = (
    "http://www.tweedekamer.nl/ggm/vergaderverslag/v1.0",
    "http://www.tweedekamer.nl/vlos2",
)
_ROOTS = {"vlosCoreDocument", "vlosdocument"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SKIP = {"spreker", "sprekers", "titel", "onderwerp", "markeertijdbegin", "markeertijdeind"}


def is_vlos(head: bytes) -> bool:
    """Whether the start of an XML file looks like a VLOS verslag."""
    return any(ns.encode() in head for ns in NAMESPACES) or any(
        f"<{r}".encode() in head for r in _ROOTS
    )


def local_name(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rpartition("}")[2]
    return name


_LOCAL: dict[str, str] = {}  # "{namespace}name" → "name" (a few dozen tags)


def _child(el: etree._Element, name: str) -> etree._Element | None:
    """The first child element named ``name`` in any (or no) namespace."""
    return el.find("{*}" + name)


def _flat(el: etree._Element) -> str:
    return " ".join("".join(str(t) for t in el.itertext()).split())


def text_of(el: etree._Element | None, name: str) -> str:
    c = _child(el, name) if el is not None else None
    return _flat(c) if c is not None else ""


@dataclass(frozen=True)
class Speaker:
    """Who speaks: display name, party (afkorting) or function, chair flag."""

    name: str
    fractie: str
    functie: str
    chair: bool

    def label(self) -> str:
        """'De voorzitter (Kahraman)', 'Nordkamp (GroenLinks-PvdA)', 'Brekelmans, minister …'."""
        if self.chair:
            return f"De voorzitter ({self.name})" if self.name else "De voorzitter"
        if self.fractie:
            return f"{self.name} ({self.fractie})"
        return f"{self.name}, {self.functie}" if self.functie else self.name


def _fractie(spreker: etree._Element) -> str:
    f = _child(spreker, "fractie")
    if f is None:
        return ""
    if len(f):
        return text_of(f, "afkorting") or text_of(f, "naam")
    return " ".join((f.text or "").split())


def speaker_of(block: etree._Element) -> Speaker:
    """The speaker of a woordvoerder/interrumpant block."""
    s = _child(block, "spreker")
    chair = text_of(block, "isvoorzitter").lower() == "true"
    if s is None:
        return Speaker("", "", "", chair)
    name = text_of(s, "verslagnaam") or text_of(s, "weergavenaam") or text_of(s, "achternaam")
    return Speaker(name, _fractie(s), text_of(s, "functie"), chair)


class _Reader:
    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []

    def heading(self, tag: str, title: str) -> None:
        if title:
            self.html.append(element(tag, title))
            self.text.append(title)

    def alineas(self, tekst: etree._Element, skip_label: bool = False) -> None:
        for el in tekst:
            name = local_name(el)
            if name == "alineagroep":
                self.motion(el)
            elif name == "alinea":
                items = [_flat(i) for i in el]
                if skip_label and items and items[0].endswith(":") and len(items[0]) < 160:
                    items = items[1:]
                skip_label = False
                for item in filter(None, items):
                    self.html.append(element("p", item))
                    self.text.append(item)

    def motion(self, group: etree._Element) -> None:
        kind = group.get("type") or group.get("soort") or ""
        css = "motie" if kind.lower() == "motietekst" else "motie-info"
        start = len(self.html)
        self.alineas(group)
        inner = "".join(self.html[start:])
        del self.html[start:]
        label = "<p><strong>Motie</strong></p>" if css == "motie" else ""
        self.html.append(f'<div class="{css}">{label}{inner}</div>')

    def speech(self, block: etree._Element, interruption: bool = False) -> None:
        who = speaker_of(block)
        start = len(self.html)
        css = "voorzitter" if who.chair else "spreker"
        self.html.append(f"<p><strong>{_esc(who.label())}</strong></p>")
        self.text.append(who.label() + ":")
        tekst = _child(block, "tekst")
        if tekst is not None:
            self.alineas(tekst, skip_label=True)
        inner = "".join(self.html[start:])
        del self.html[start:]
        if interruption and who.chair:
            self.html.append(f'<blockquote class="voorzitter">{inner}</blockquote>')
        elif interruption:
            label = "<p><em>Interruptie</em></p>"
            self.html.append(f'<blockquote class="interruptie">{label}{inner}</blockquote>')
        else:
            self.html.append(f'<div class="speech {css}">{inner}</div>')
        for child in block:
            if local_name(child) == "interrumpant":
                self.speech(child, interruption=True)

    def walk(self, el: etree._Element) -> None:
        for child in el:
            name = local_name(child)
            if name == "activiteit":
                self.heading("h3", text_of(child, "onderwerp") or text_of(child, "titel"))
                self.walk(child)
            elif name in ("woordvoerder", "interrumpant"):
                self.speech(child, interruption=name == "interrumpant")
            elif name == "tekst":
                self.decision(el, child) if local_name(el) == "activiteititem" else self.alineas(
                    child
                )
            elif name not in _SKIP:
                self.walk(child)

    def decision(self, item: etree._Element, tekst: etree._Element) -> None:
        start = len(self.html)
        self.alineas(tekst)
        uitslag = text_of(item, "uitslag")
        if uitslag:
            self.html.append(element("p", f"Uitslag: {uitslag}"))
            self.text.append(f"Uitslag: {uitslag}")
        inner = "".join(self.html[start:])
        del self.html[start:]
        self.html.append(f'<div class="besluit">{inner}</div>')


def _esc(text: str) -> str:
    return element("span", text)[len("<span>") : -len("</span>")]


def convert_vlos(data: bytes) -> Conversion:
    """Render a verslag; XML that does not parse fails as corrupt."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        log.debug("vlos not parseable: %s", exc)
        return failed(METHOD, CORRUPT)
    r = _Reader()
    vergadering = next((c for c in root.iter() if local_name(c) == "vergadering"), root)
    r.heading("h2", text_of(vergadering, "titel"))
    r.walk(vergadering)
    return Conversion(text="\n\n".join(r.text), html=finish("".join(r.html)), method=METHOD)
