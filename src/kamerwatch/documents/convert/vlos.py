"""VLOS verslag XML → a readable HTML reader and plain text.

Handles both dialects (feed namespace ``.../ggm/vergaderverslag/v1.0`` and ``.../vlos2``) by
matching local names only. Per agenda item (activiteit) a heading; per speech the speaker
with party or function; interruptions as ``<blockquote class="interruptie">``; the chair
marked ``voorzitter`` (class of the speech block); every ``draadboekfragment`` (a motie read
out, a suspension, a change of chair …) wherever it sits, in ``<div class="fragment
fragment-<soort>">``, motions inside it in ``<div class="motie">``; a ``lijst`` as ``<ul>``;
vote decisions in ``<div class="besluit">``.
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
                items = list(el)
                first = _flat(items[0]) if items else ""
                if (
                    skip_label
                    and items
                    and local_name(items[0]) == "alineaitem"
                    and _is_label(first)
                ):
                    items = items[1:]
                skip_label = False
                for item in items:
                    if local_name(item) == "lijst":
                        self.bullets(item)
                        continue
                    line = _flat(item)
                    if line:
                        self.html.append(element("p", line))
                        self.text.append(line)
            elif name == "lijst":
                self.bullets(el)

    def bullets(self, lijst: etree._Element) -> None:
        """A VLOS ``lijst``: one list item per child, not one run-together paragraph."""
        lines = [line for line in (_flat(i) for i in lijst) if line]
        if lines:
            self.html.append("<ul>" + "".join(element("li", line) for line in lines) + "</ul>")
            self.text.extend(f"• {line}" for line in lines)

    def fragment(self, frag: etree._Element) -> None:
        """A ``draadboekfragment`` of any soort (a motie read out, a suspension, a change of
        chair, a notice of absence …): its text, marked with its soort."""
        soort = frag.get("soort") or ""
        start = len(self.html)
        for child in frag:
            if local_name(child) == "tekst":
                self.alineas(child)
        if len(self.html) == start:
            return
        inner = "".join(self.html[start:])
        del self.html[start:]
        css = "fragment-" + "-".join(soort.lower().split()) if soort else "fragment"
        self.html.append(f'<div class="fragment {_esc(css)}">{inner}</div>')

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
        first = True
        for child in block:  # its words and the fragments inside it, in document order
            name = local_name(child)
            if name == "tekst":
                self.alineas(child, skip_label=first)
                first = False
            elif name == "draadboekfragment":
                self.fragment(child)
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
            elif name == "draadboekfragment":
                self.fragment(child)
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


def _is_label(first: str) -> bool:
    """The speaker's name as the first item of a speech ("De heer Soepboer (NSC):"), which the
    speech's heading already shows."""
    return first.endswith(":") and len(first) < 160


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
