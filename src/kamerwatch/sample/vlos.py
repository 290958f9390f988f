"""Verslag XML (VLOS) of a sample meeting, in the structure of the real verslagen.

The real files (tests/data/verslag-vlos) and the official schema (xsd/vlos/VLOS2.0.xsd)
disagree in two places, so `vlos_xml` writes one of two dialects from the same tree:

- ``"feed"`` (default) — as the SyncFeed serves them: root ``vlosCoreDocument`` in namespace
  ``http://www.tweedekamer.nl/ggm/vergaderverslag/v1.0`` with MessageID/Source/Timestamp
  attributes, and ``spreker/fractie`` and ``stemming/fractie`` as plain text (the afkorting);
- ``"xsd"`` — valid against VLOS2.0.xsd: root ``vlosdocument`` in ``http://www.tweedekamer.nl/vlos2``
  with objectid/datum/source attributes, and ``fractie`` as ``<fractie objectid><naam/><afkorting/>``.

Below the root everything else is identical and follows the real files: Opening, one
``activiteit`` per agenda item with ``activiteithoofd`` → ``activiteitdeel`` (Spreekbeurt) →
``activiteititem`` (Woordvoerder) → ``woordvoerder`` blocks, each followed by the
``interrumpant`` blocks that interrupted it; motions as ``alineagroep`` Motieinfo/Motietekst
in the speech of their first indiener and as ``zaak`` soort Motie; votes as
``activiteithoofd`` Stemming → ``activiteitdeel`` "Stemming item" → ``activiteititem`` Besluit;
Sluiting; ``commissies``. Times are spread over the meeting in proportion to the text.
Pure: the same meeting gives the same bytes (object ids are derived from the vergadering id).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from lxml import etree

from kamerwatch.sample.texts import datum_nl
from kamerwatch.sample.vlosmodel import (
    VlosCommissie,
    VlosInterruption,
    VlosItem,
    VlosMeeting,
    VlosMotion,
    VlosSpeaker,
    VlosSpeech,
    VlosVote,
)

__all__ = [
    "VlosCommissie",
    "VlosInterruption",
    "VlosItem",
    "VlosMeeting",
    "VlosMotion",
    "VlosSpeaker",
    "VlosSpeech",
    "VlosVote",
    "vlos_xml",
]

FEED_NS = "http://www.tweedekamer.nl/ggm/vergaderverslag/v1.0"
XSD_NS = "http://www.tweedekamer.nl/vlos2"
Dialect = Literal["feed", "xsd"]


# --- helpers ---------------------------------------------------------------------------------

_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _amsterdam_offset(moment: datetime) -> str:
    """ "+02:00" in summer time (last Sunday of March – last Sunday of October), else "+01:00"."""

    def last_sunday(month: int) -> date:
        d = date(moment.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    summer = last_sunday(3) <= moment.date() < last_sunday(10)
    return "+02:00" if summer else "+01:00"


class _Ids:
    """Deterministic object ids, derived from the vergadering id and a counter."""

    def __init__(self, seed: str) -> None:
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-vlos:{seed}")
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return str(uuid.uuid5(self.ns, str(self.n)))

    def of(self, name: str) -> str:
        return str(uuid.uuid5(self.ns, name))


class _Clock:
    """Spreads the meeting's duration over its text, in order."""

    def __init__(self, start: datetime, end: datetime, total_weight: int) -> None:
        self.now = start
        self.end = end
        seconds = max((end - start).total_seconds(), 1.0)
        self.rate = seconds / max(total_weight, 1)

    def span(self, weight: int) -> tuple[datetime, datetime]:
        begin = self.now
        step = timedelta(seconds=int(weight * self.rate))
        self.now = min(self.now + step, self.end)
        return begin, self.now


def _weight(paragraphs: Sequence[str]) -> int:
    return sum(len(p) for p in paragraphs) + 40


def _speech_weight(speech: VlosSpeech) -> int:
    total = _weight(speech.paragraphs) + 40
    for it in speech.interruptions:
        total += _weight(it.paragraphs) + _weight(it.reply)
    return total


def _item_weight(item: VlosItem) -> int:
    return (
        200
        + sum(_speech_weight(s) for s in item.speeches)
        + sum(_weight(m.paragraphs) + 200 for m in item.motions)
        + 300 * len(item.votes)
    )


# --- the writer ------------------------------------------------------------------------------


class _Writer:
    def __init__(self, meeting: VlosMeeting, dialect: Dialect) -> None:
        self.m = meeting
        self.dialect = dialect
        self.ns = FEED_NS if dialect == "feed" else XSD_NS
        self.ids = _Ids(meeting.vergadering_id)
        total = 600 + sum(_item_weight(i) for i in meeting.items)
        self.clock = _Clock(meeting.aanvang, meeting.sluiting, total)

    # elements
    def el(
        self, parent: etree._Element, tag: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        e = etree.SubElement(parent, f"{{{self.ns}}}{tag}", attrs)
        if text is not None:
            e.text = _clean(text)
        return e

    def times(
        self, parent: etree._Element, begin: datetime, end: datetime, names: tuple[str, str]
    ) -> None:
        self.el(parent, names[0], _ts(begin))
        self.el(parent, names[1], _ts(end))

    def fractie(self, parent: etree._Element, afkorting: str) -> None:
        if self.dialect == "feed":
            self.el(parent, "fractie", afkorting)
            return
        f = self.el(parent, "fractie", objectid=self.ids.of(f"fractie:{afkorting}"))
        self.el(f, "naam", afkorting)
        self.el(f, "afkorting", afkorting)

    def spreker(self, parent: etree._Element, s: VlosSpeaker, tag: str = "spreker") -> None:
        e = self.el(parent, tag, soort=s.soort, objectid=s.persoon_id)
        if s.fractie:
            self.fractie(e, s.fractie)
        self.el(e, "aanhef", s.aanhef)
        self.el(e, "verslagnaam", s.verslagnaam)
        tv = f" {s.tussenvoegsel}" if s.tussenvoegsel else ""
        self.el(e, "weergavenaam", f"{s.achternaam}{tv}")
        self.el(e, "voornaam", s.voornaam)
        self.el(e, "achternaam", f"{s.achternaam}{tv}")
        self.el(e, "functie", s.functie)

    def alinea(self, parent: etree._Element, *items: str) -> etree._Element:
        a = self.el(parent, "alinea")
        for text in items:
            self.el(a, "alineaitem", text)
        return a

    def nadruk(self, parent: etree._Element, before: str, bold: str, after: str) -> None:
        """An alineaitem "before <nadruk type=Vet>bold</nadruk>after"."""
        item = self.el(parent, "alineaitem", before)
        self.el(item, "nadruk", bold, type="Vet").tail = _clean(after)

    # document
    def build(self) -> etree._Element:
        m = self.m
        root = self.root()
        v = self.el(
            root, "vergadering", soort=m.soort, objectid=m.vergadering_id, kamer="Tweede Kamer"
        )
        self.el(v, "titel", m.titel)
        self.el(v, "zaal", m.zaal)
        self.el(v, "vergaderjaar", m.vergaderjaar)
        self.el(v, "vergaderingnummer", str(m.nummer))
        self.el(v, "datum", f"{m.datum:%Y-%m-%d}T00:00:00")
        self.el(v, "aanvangstijd", _ts(m.aanvang))
        self.el(v, "sluiting", _ts(m.sluiting))
        self.opening(v)
        for item in m.items:
            self.item(v, item)
        self.closing(v)
        if m.commissies:
            cs = self.el(v, "commissies")
            for i, c in enumerate(m.commissies, 1):
                ctype = "Voortouwcommissie" if c.voortouw else "Volgcommissie"
                e = self.el(
                    cs,
                    "commissie",
                    soort="Vaste commissies",
                    type=ctype,
                    objectid=c.commissie_id,
                    volgorde=str(i),
                )
                self.el(e, "afkorting", c.afkorting)
                self.el(e, "verslagnaam", c.naam)
        return root

    def root(self) -> etree._Element:
        m = self.m
        verslag_id = m.verslag_id or self.ids.of("verslag")
        published = m.sluiting + timedelta(hours=2)
        attrs: dict[str, str]
        if self.dialect == "feed":
            tag = "vlosCoreDocument"
            attrs = {
                "MessageID": verslag_id,
                "Source": "VLOS2.0",
                "MessageType": "vlos2document",
                "Timestamp": _ts(published) + _amsterdam_offset(published),
                "soort": m.publicatie,
                "status": m.status,
                "technischeaanpassing": "false",
                "publiceren": "Ja",
                "versie": "1.3",
            }
        else:
            tag = "vlosdocument"
            attrs = {
                "soort": m.publicatie,
                "objectid": verslag_id,
                "datum": _ts(published) + "Z",
                "source": "VLOS2",
                "status": m.status,
                "technischeaanpassing": "false",
                "versie": "1.3",
            }
        return etree.Element(f"{{{self.ns}}}{tag}", attrs, nsmap={None: self.ns})  # type: ignore[dict-item]

    def activiteit(
        self, parent: etree._Element, soort: str, titel: str, parlisid: str = ""
    ) -> etree._Element:
        """An activiteit starting now; `finish()` sets its end once its children are written."""
        a = self.el(parent, "activiteit", soort=soort, objectid=self.ids.next())
        self.el(a, "titel", titel)
        self.el(a, "onderwerp", titel)
        self.el(a, "parlisid", parlisid)
        self.times(a, self.clock.now, self.clock.now, ("aanvangstijd", "eindtijd"))
        self.el(a, "voortzetting", "false")
        return a

    def finish(self, *elements: etree._Element) -> None:
        """Set the end time of `elements` (activiteit, hoofd, deel, item) to now."""
        for e in elements:
            for tag in ("eindtijd", "markeertijdeind"):
                end = e.find(f"{{{self.ns}}}{tag}")
                if end is not None:
                    end.text = _ts(self.clock.now)

    def hoofd(self, a: etree._Element, soort: str, titel: str, onderwerp: str) -> etree._Element:
        h = self.el(a, "activiteithoofd", soort=soort, objectid=self.ids.next())
        self.el(h, "titel", titel)
        self.el(h, "onderwerp", onderwerp)
        self.times(h, self.clock.now, self.clock.now, ("markeertijdbegin", "markeertijdeind"))
        return h

    def deel(
        self, h: etree._Element, soort: str, titel: str, spreker: VlosSpeaker | None
    ) -> etree._Element:
        d = self.el(h, "activiteitdeel", soort=soort, objectid=self.ids.next())
        if spreker is not None:
            self.spreker(d, spreker)
        self.el(d, "titel", titel)
        self.times(d, self.clock.now, self.clock.now, ("markeertijdbegin", "markeertijdeind"))
        return d

    def activiteititem(self, d: etree._Element, soort: str, titel: str) -> etree._Element:
        i = self.el(d, "activiteititem", soort=soort, objectid=self.ids.next())
        self.el(i, "titel", titel)
        self.times(i, self.clock.now, self.clock.now, ("markeertijdbegin", "markeertijdeind"))
        return i

    def draadboek(self, parent: etree._Element, soort: str, *lines: str) -> etree._Element:
        f = self.el(parent, "draadboekfragment", soort=soort, objectid=self.ids.next())
        self.times(f, *self.clock.span(_weight(lines)), ("markeertijdbegin", "markeertijdeind"))
        self.el(f, "isdraad", "true")
        if lines:
            self.alinea(self.el(f, "tekst"), *lines)
        return f

    # opening and closing
    def opening(self, v: etree._Element) -> None:
        a = self.activiteit(v, "Opening", "Opening")
        h = self.hoofd(a, "Algemeen", "Opening", "Opening")
        tekst = self.el(h, "tekst")
        present = self.present()
        if self.m.soort == "Commissie":
            self.opening_commissie(tekst, present)
        else:
            self.nadruk(
                self.el(tekst, "alinea"), "", f"Voorzitter: {self.m.voorzitter.verslagnaam}", ""
            )
            self.opening_aanwezig(tekst, present)
        sprekers = self.el(h, "sprekers")
        for s in present:
            self.spreker(sprekers, s)
        chair = self.draadboek(h, "Voorzitter selectie")
        self.spreker(self.el(chair, "sprekers"), self.m.voorzitter)
        self.speech(h, VlosSpeech(self.m.voorzitter, ["Ik open de vergadering."]), [], None)
        self.finish(a, h)

    def opening_commissie(self, tekst: etree._Element, present: list[VlosSpeaker]) -> None:
        m = self.m
        self.nadruk(self.el(tekst, "alinea"), "", "Verslag van een commissiedebat", "")
        commissie = m.commissies[0].naam if m.commissies else "commissie"
        cabinet = _names(
            [_cabinet_title(s) for s in present if s.soort in ("Minister", "Staatssecretaris")]
        )
        met = f" met {cabinet}" if cabinet else ""
        self.alinea(
            tekst,
            f"De {commissie} heeft op {datum_nl(m.datum)} overleg gevoerd{met} over {m.titel}.",
        )
        self.alinea(tekst, f"De voorzitter van de {commissie},", m.voorzitter.verslagnaam)
        self.nadruk(self.el(tekst, "alinea"), "", f"Voorzitter: {m.voorzitter.verslagnaam}", "")
        self.opening_aanwezig(tekst, present)
        self.alinea(tekst, f"Aanvang {m.aanvang:%H.%M} uur.")

    def opening_aanwezig(self, tekst: etree._Element, present: list[VlosSpeaker]) -> None:
        leden = sorted(s.verslagnaam for s in present if s.soort == "Tweede Kamerlid")
        cabinet = [
            _cabinet_title(s) for s in present if s.soort in ("Minister", "Staatssecretaris")
        ]
        self.alinea(
            tekst, f"Aanwezig zijn {len(leden)} leden der Kamer, te weten: {_names(leden)},"
        )
        if cabinet:
            self.alinea(tekst, f"en {_names(cabinet)}.")

    def closing(self, v: etree._Element) -> None:
        a = self.activiteit(v, "Sluiting", "Sluiting")
        h = self.hoofd(a, "Algemeen", "Sluiting", "Sluiting")
        self.clock.now = max(self.clock.now, self.m.sluiting)
        self.finish(h)
        self.draadboek(a, "Tekst", f"Sluiting {self.m.sluiting:%H.%M} uur.")
        self.finish(a)

    def present(self) -> list[VlosSpeaker]:
        seen: dict[str, VlosSpeaker] = {self.m.voorzitter.persoon_id: self.m.voorzitter}
        people = list(self.m.aanwezig)
        for item in self.m.items:
            for sp in item.speeches:
                people.append(sp.speaker)
                people.extend(i.speaker for i in sp.interruptions)
            for mo in item.motions:
                people.extend(mo.indieners)
        for s in people:
            seen.setdefault(s.persoon_id, s)
        return list(seen.values())

    # agenda items
    def item(self, v: etree._Element, item: VlosItem) -> None:
        a = self.activiteit(v, item.soort, item.titel, item.parlisid)
        if item.onderwerp:
            a.find(f"{{{self.ns}}}onderwerp").text = _clean(item.onderwerp)  # type: ignore[union-attr]
        if item.categories:
            index = self.el(a, "activiteitenindex")
            for c in item.categories:
                self.el(index, "category", c)
        if item.speeches or item.motions or not item.votes:
            self.debate(a, item)
        for vote in item.votes:
            self.vote(a, vote)
        self.finish(a)

    def debate(self, a: etree._Element, item: VlosItem) -> None:
        h = self.hoofd(a, "Algemeen", item.titel, item.onderwerp or item.titel)
        tekst = self.el(h, "tekst")
        self.alinea(tekst, "Aan de orde is de behandeling van:")
        self.nadruk(self.el(tekst, "alinea"), "", item.titel, ".")
        if item.motions:
            zaken = self.el(h, "zaken")
            for mo in item.motions:
                self.zaak(zaken, mo)
        speeches = list(item.speeches)
        todo = list(item.motions)
        for mo in item.motions:  # a motion without a speech of its indiener gets one
            if mo.indieners and not any(
                s.speaker.persoon_id == mo.indieners[0].persoon_id for s in speeches
            ):
                speeches.append(
                    VlosSpeech(mo.indieners[0], ["Voorzitter. Ik dien de volgende motie in."])
                )
        for i, sp in enumerate(speeches):
            mine = [
                mo
                for mo in todo
                if mo.indieners and mo.indieners[0].persoon_id == sp.speaker.persoon_id
            ]
            todo = [mo for mo in todo if mo not in mine]
            nxt = speeches[i + 1].speaker if i + 1 < len(speeches) else None
            self.speech(h, sp, mine, nxt)
        self.finish(h)

    def zaak(self, zaken: etree._Element, mo: VlosMotion) -> None:
        z = self.el(
            zaken, "zaak", soort="Motie", objectid=mo.zaak_id or self.ids.of(f"motie:{mo.nummer}")
        )
        self.el(z, "titel", f"{mo.titel} ({mo.dossiernummer}, nr. {mo.nummer})")
        self.el(z, "onderwerp", mo.titel)
        self.el(z, "dossiernummer", mo.dossiernummer)
        self.el(z, "stuknummer", mo.nummer)
        self.el(z, "sequeel", "")
        self.el(z, "parlisid", mo.parlisid)

    # speeches
    def speech(
        self, h: etree._Element, sp: VlosSpeech, motions: list[VlosMotion], nxt: VlosSpeaker | None
    ) -> None:
        chair = sp.speaker.persoon_id == self.m.voorzitter.persoon_id
        label = "De voorzitter" if chair else _label(sp.speaker)
        d = self.deel(h, "Spreekbeurt", f"Spreekbeurt - {label}", sp.speaker)
        ai = self.activiteititem(d, "Woordvoerder", f"Woordvoerder - {label}")
        wv = self.block(ai, "woordvoerder", sp.speaker, sp.paragraphs, motions)
        for it in sp.interruptions:
            self.block(wv, "interrumpant", it.speaker, it.paragraphs)
            if it.reply:
                wv = self.block(ai, "woordvoerder", sp.speaker, it.reply)
        if not chair:
            thanks = (
                f"Dank u wel. Dan geef ik het woord aan {_naming(nxt)}." if nxt else "Dank u wel."
            )
            self.block(wv, "interrumpant", self.m.voorzitter, [thanks])
        self.finish(d, ai)

    def block(
        self,
        parent: etree._Element,
        tag: str,
        s: VlosSpeaker,
        paragraphs: Sequence[str],
        motions: Sequence[VlosMotion] = (),
    ) -> etree._Element:
        """A woordvoerder or interrumpant: who, when, and the text."""
        chair = s.persoon_id == self.m.voorzitter.persoon_id
        b = self.el(parent, tag, objectid=self.ids.next())
        self.spreker(b, s)
        weight = _weight(paragraphs) + sum(_weight(m.paragraphs) + 200 for m in motions)
        self.times(b, *self.clock.span(weight), ("markeertijdbegin", "markeertijdeind"))
        self.el(b, "isvoorzitter", "true" if chair else "false")
        self.el(b, "isdraad", "false")
        tekst = self.el(b, "tekst")
        first = self.el(tekst, "alinea")
        if chair:
            self.nadruk(first, "De ", "voorzitter", ":")
        else:
            self.nadruk(first, *_intro(s))
        for i, p in enumerate(paragraphs):
            self.el(first if i == 0 else self.el(tekst, "alinea"), "alineaitem", p)
        for mo in motions:
            self.motion(tekst, mo)
        return b

    def motion(self, tekst: etree._Element, mo: VlosMotion) -> None:
        who = "het lid" if len(mo.indieners) == 1 else "de leden"
        info = self.el(tekst, "alineagroep", type="Motieinfo")
        names = _names([s.verslagnaam for s in mo.indieners])
        self.alinea(info, f"Door {who} {names} wordt de volgende motie voorgesteld:")
        body = self.el(tekst, "alineagroep", type="Motietekst")
        for p in mo.paragraphs or _default_motion(mo.titel):
            self.alinea(body, p)
        info = self.el(tekst, "alineagroep", type="Motieinfo")
        item = self.el(self.el(info, "alinea"), "alineaitem", "Zij krijgt nr. ")
        self.el(item, "stuknummer", mo.nummer).tail = " ("
        self.el(item, "dossiernummer", mo.dossiernummer).tail = ")."

    # votes
    def vote(self, a: etree._Element, vote: VlosVote) -> None:
        h = self.hoofd(a, "Stemming", f"Stemming {vote.titel}", vote.titel)
        self.alinea(self.el(h, "tekst"), f"Aan de orde is de stemming over {vote.titel}.")
        d = self.deel(h, "Stemming item", vote.titel, None)
        self.alinea(self.el(d, "tekst"), "In stemming komt het voorstel.")
        ai = self.activiteititem(d, "Besluit", "Besluit")
        self.clock.span(300)
        tekst = self.el(ai, "tekst")
        voor = [f for f, stem in vote.stemmen if stem == "Voor"]
        result = "aangenomen" if vote.uitslag == "Aangenomen" else "verworpen"
        line = (
            f"Ik constateer dat de leden van de fracties van {_names(voor)} voor het voorstel hebben "
            f"gestemd en de leden van de overige fracties ertegen, zodat het is {result}."
            if voor
            else f"Ik constateer dat alle fracties tegen het voorstel hebben gestemd, zodat het is {result}."
        )
        self.nadruk(self.el(tekst, "alinea"), "De ", "voorzitter", ":")
        tekst[-1].append(self._item(line))
        self.el(ai, "besluitvorm", "Fractie")
        self.el(ai, "uitslag", vote.uitslag)
        if vote.stemmen:
            stemmingen = self.el(ai, "stemmingen")
            for fractie, stem in vote.stemmen:
                st = self.el(stemmingen, "stemming")
                self.fractie(st, fractie)
                self.el(st, "stem", stem)
        self.finish(h, d, ai)

    def _item(self, text: str) -> etree._Element:
        e = etree.Element(f"{{{self.ns}}}alineaitem")
        e.text = _clean(text)
        return e


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _label(s: VlosSpeaker) -> str:
    if s.soort in ("Minister", "Staatssecretaris"):
        return f"{s.soort} {s.verslagnaam}"
    return s.verslagnaam


def _intro(s: VlosSpeaker) -> tuple[str, str, str]:
    """The speaker line: ("De heer ", "Jansen", " (VVD):") or ("Minister ", "Jansen", ":")."""
    if s.soort in ("Minister", "Staatssecretaris"):
        return f"{s.soort} ", s.verslagnaam, ":"
    party = f" ({s.fractie})" if s.fractie else ""
    return f"{s.aanhef} ", s.verslagnaam, f"{party}:"


def _naming(s: VlosSpeaker) -> str:
    if s.soort in ("Minister", "Staatssecretaris"):
        return f"de {s.soort.lower()}"
    return f"{'mevrouw' if s.vrouw else 'de heer'} {s.verslagnaam}"


def _cabinet_title(s: VlosSpeaker) -> str:
    return f"{s.aanhef[0].lower()}{s.aanhef[1:]} {s.verslagnaam}, {s.functie}"


def _default_motion(titel: str) -> list[str]:
    return [
        "De Kamer,",
        "gehoord de beraadslaging,",
        f"constaterende dat het onderwerp ‘{titel}’ de aandacht van de Kamer vraagt;",
        "verzoekt de regering de Kamer hierover voor het einde van het jaar te informeren,",
        "en gaat over tot de orde van de dag.",
    ]


def vlos_xml(meeting: VlosMeeting, dialect: Dialect = "feed") -> bytes:
    """The verslag of `meeting` as VLOS XML bytes (UTF-8, with XML declaration)."""
    root = _Writer(meeting, dialect).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)
