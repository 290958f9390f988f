"""A believable Debat Direct search and official-publications repository for the sample
parliament served by the feed server (issue #24; see docs/media.md).

Both are derived from the feed directory itself, so they agree with what a sync of it holds:

* **Debat Direct**: a broadcast for every public activity with a start and end time in a
  room (the first reservation's zaal, else "Plenaire zaal"), except every tenth (no
  broadcast), with the room's slug as ``locationId``, a category, a slug ending in the
  scheduled start ``-HH-MM``, scheduled times = the activity's, actual times a few minutes
  later; times with a ``+0100``/``+0200`` offset (no colon), as the real CDN sends them.
  ``GET /search?van=&tot=&vanaf=`` answers 20 per page in Elasticsearch form.
* **Official publications**: for every ``externeidentifier`` of a document version
  (``kv-tk-<zaak>``: written questions, ``ah-tk-…``: their answers, ``kst-…``: kamerstukken)
  ``GET /officielepublicaties/{eid}/{eid}.xml`` in the structure of the real samples, and
  ``GET /{eid}/metadata.xml`` (the ``externMetadataRecord``). A set of questions has 2-9
  ``<vraag>`` (from its zaak nummer), and its answer as many ``<antwoord>``; an answer
  appears ``answer_delay_days`` after its document's date (before: a redirect to
  ``…/fout404``, as the real repository does).
* **SRU search** (``GET /sru?…&query=<CQL with dt.modified=="D">&startRecord=&maximumRecords=``):
  the publications of day D in the structure of the real ``gzd`` records (identifier,
  type, ``vraagnummer`` of written questions, item URLs on the simulator's root), a
  publication's day being its document's date (an answer's: ``answer_delay_days`` later;
  none after ``today``), plus one publication per day that is not in the feed (as the
  real listing has); paged (at most 1,000 a page, ``nextRecordPosition``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CATEGORIES = ("economie", "zorg", "onderwijs", "huisvesting", "justitie", "overig")
PAGE = 20


def _h(value: str) -> int:
    return int.from_bytes(hashlib.sha1(value.encode()).digest()[:4], "big")


def slugify(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80].rstrip("-") or "debat"


def _offset_time(wall: str) -> str:
    """Dutch wall-clock ``YYYY-MM-DDTHH:MM:SS`` → the CDN's ``…+0200`` style."""
    stamp = datetime.fromisoformat(wall[:19]).replace(tzinfo=AMSTERDAM)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass
class _Doc:
    id: str
    nummer: str | None = None
    soort: str | None = None
    onderwerp: str | None = None
    titel: str | None = None
    datum: str | None = None
    zaak_ids: tuple[str, ...] = ()
    dossier_id: str | None = None
    volgnummer: int | None = None


class MediaWorld:
    """Built once, lazily, from the feed server's index (newest version of each entity)."""

    def __init__(self, index: Any, today: date | None = None, answer_delay_days: int = 2):
        self._index = index
        self.today = today
        self.answer_delay_days = answer_delay_days
        self._lock = threading.Lock()
        self._built = False
        self.broadcasts: list[dict[str, Any]] = []
        self.publications: dict[str, tuple[_Doc, str]] = {}  # eid → (document, kind)
        self._zaak_nummer: dict[str, str] = {}
        self._dossier: dict[str, tuple[str, str]] = {}
        self._answers_of: dict[str, str] = {}  # zaak nummer → ah eid

    # ------------------------------------------------------------ building

    def warm(self) -> None:
        """Build the world now rather than on the first request (a benchmark times the
        client's stage, not the simulator's one-off reading of the feed)."""
        self._build()

    def _build(self) -> None:
        with self._lock:
            if self._built:
                return
            from kamerwatch.sync.parsers import (
                activiteit,
                base,
                document,
                documentversie,
                kamerstukdossier,
                reservering,
                zaak,
                zaal,
            )

            modules = {
                "Activiteit": activiteit,
                "Reservering": reservering,
                "Zaal": zaal,
                "Document": document,
                "DocumentVersie": documentversie,
                "Zaak": zaak,
                "Kamerstukdossier": kamerstukdossier,
            }
            held: dict[str, dict[str, Any]] = {name: {} for name in modules}
            for name, module in modules.items():
                code = self._index.category_code(name)
                if code is None:
                    continue
                positions = self._index.select(code, None, 1 << 30)
                for raw in self._index.read(positions):
                    try:
                        record = module.parse(raw)
                    except Exception:  # a broken entry is the feed tests' business
                        continue
                    if isinstance(record, base.Tombstone):
                        held[name].pop(record.id, None)
                    else:
                        held[name][record.id] = record
            self._build_broadcasts(held)
            self._build_publications(held)
            if self.today is None:
                self.today = date.today()
            self._built = True

    def _build_broadcasts(self, held: dict[str, dict[str, Any]]) -> None:
        rooms: dict[str, str] = {}
        for r in sorted(held["Reservering"].values(), key=lambda r: (r.nummer or "", r.id)):
            z = held["Zaal"].get(r.zaal_id or "")
            for act_id in r.activiteit_ids:
                if z is not None and z.naam:
                    rooms.setdefault(act_id, z.naam)
        out = []
        for act in held["Activiteit"].values():
            if not act.aanvangstijd or not act.eindtijd or act.besloten:
                continue
            if _h(act.id) % 10 == 0:
                continue  # not every activity is broadcast
            room = rooms.get(act.id, "Plenaire zaal")
            start, end = act.aanvangstijd[:19], act.eindtijd[:19]
            late = _h(act.id + "late") % 20
            started = (datetime.fromisoformat(start) + timedelta(minutes=late)).isoformat()
            onderwerp = act.onderwerp or act.soort or "Debat"
            out.append(
                {
                    "id": hashlib.sha1(act.id.encode()).hexdigest()[:24],
                    "name": onderwerp,
                    "slug": f"{slugify(onderwerp)}-{start[11:13]}-{start[14:16]}",
                    "debateDate": start[:10],
                    "debateType": act.soort or "Debat",
                    "startsAt": _offset_time(start),
                    "endsAt": _offset_time(end),
                    "startedAt": _offset_time(started),
                    "endedAt": _offset_time(end),
                    "locationId": slugify(room),
                    "locationName": room,
                    "categoryIds": [CATEGORIES[_h(act.id) % len(CATEGORIES)]],
                    "categoryNames": [CATEGORIES[_h(act.id) % len(CATEGORIES)].capitalize()],
                    "introduction": f"Debat over {onderwerp}.",
                }
            )
        out.sort(key=lambda b: (b["startsAt"], b["id"]))
        self.broadcasts = out

    def _build_publications(self, held: dict[str, dict[str, Any]]) -> None:
        self._zaak_nummer = {z.id: z.nummer for z in held["Zaak"].values() if z.nummer}
        self._dossier = {
            d.id: (str(d.nummer or ""), str(d.titel or ""))
            for d in held["Kamerstukdossier"].values()
        }
        docs = {
            d.id: _Doc(
                d.id,
                d.document_nummer,
                d.soort,
                d.onderwerp,
                d.titel,
                (d.datum or "")[:10] or None,
                tuple(d.zaak_ids),
                d.kamerstukdossier_id,
                getattr(d, "volgnummer", None),
            )
            for d in held["Document"].values()
        }
        for v in held["DocumentVersie"].values():
            eid = v.externeidentifier
            doc = docs.get(v.document_id or "")
            if not eid or doc is None:
                continue
            kind = eid.split("-", 1)[0]
            self.publications[eid] = (doc, kind)
            if kind == "ah":
                for z in doc.zaak_ids:
                    if z in self._zaak_nummer:
                        self._answers_of[self._zaak_nummer[z]] = eid

    # ------------------------------------------------------------ Debat Direct

    def search(self, query: dict[str, str]) -> bytes:
        self._build()
        van = query.get("van") or "0000-00-00"
        tot = query.get("tot") or "9999-99-99"
        try:
            vanaf = max(0, int(query.get("vanaf") or 0))
        except ValueError:
            vanaf = 0
        chosen = [b for b in self.broadcasts if van <= b["debateDate"] <= tot]
        page = chosen[vanaf : vanaf + PAGE]
        body = {
            "hits": {
                "total": {"value": len(chosen), "relation": "eq"},
                "hits": [{"_index": "debates", "_id": b["id"], "_source": b} for b in page],
            }
        }
        return json.dumps(body, ensure_ascii=False).encode()

    # ------------------------------------------------------------ official publications

    def official_word(self, eid: str) -> str:
        """An invented word that only the official text of ``eid`` holds (not the feed, not
        its file): a search for it finds the document only through its publication."""
        n = _h("op" + eid)
        letters = "".join(chr(ord("a") + (n >> (5 * i)) % 26) for i in range(6))
        return f"staatsblad{letters}"

    def question_count(self, zaak_nummer: str) -> int:
        return 2 + _h(zaak_nummer) % 8

    def _day(self, doc: _Doc, kind: str) -> date | None:
        """The day a publication appears: its document's date, an answer's
        ``answer_delay_days`` later (its SRU listing is of that day); ``None``: no date."""
        if doc.datum is None:
            return None
        day = date.fromisoformat(doc.datum)
        if kind == "ah":
            day += timedelta(days=self.answer_delay_days)
        return day

    def _published(self, doc: _Doc, kind: str) -> bool:
        """Whether a publication is there: from its day on."""
        day = self._day(doc, kind)
        if day is None:
            return True
        assert self.today is not None
        return day <= self.today

    def _zaak_of(self, doc: _Doc) -> str | None:
        for z in doc.zaak_ids:
            if z in self._zaak_nummer:
                return self._zaak_nummer[z]
        return None

    def xml(self, eid: str, base: str) -> bytes | None:
        """The publication XML, or ``None`` when it is not (yet) there."""
        self._build()
        found = self.publications.get(eid)
        if found is None or not self._published(*found):
            return None
        doc, kind = found
        meta = (
            f'<metadata><meta name="OVERHEIDop.externMetadataRecord" scheme="" '
            f"content={quoteattr(f'https://zoek.officielebekendmakingen.nl/{eid}/metadata.xml')}/>"
            "</metadata>"
        )
        jaar = self._vergaderjaar(doc)
        kop = (
            f'<tekstregel inhoud="vergaderjaar">Vergaderjaar {jaar}</tekstregel>'
            '<tekstregel inhoud="kameraanduiding">Tweede Kamer der Staten-Generaal</tekstregel>'
            '<tekstregel inhoud="kamernummer">2</tekstregel>'
        )
        onderwerp = escape(doc.onderwerp or doc.titel or "")
        if kind in ("kv", "ah"):
            zaak = self._zaak_of(doc) or "onbekend"
            n = self.question_count(zaak)
            blocks = []
            for i in range(1, n + 1):
                blocks.append(
                    f'<vraag><nr status="officieel">Vraag {i}</nr><al>Vraag {i} over '
                    f"{onderwerp}: kunt u dit toelichten?</al></vraag>"
                )
                if kind == "ah":
                    blocks.append(
                        f'<antwoord><nr status="officieel">Antwoord {i}</nr><al>Antwoord '
                        f"{i}: het kabinet heeft dit onderzocht"
                        + (f" ({self.official_word(eid)})" if i == 1 else "")
                        + ".</al>"
                        f"<al>Zie ook het antwoord op vraag {max(1, i - 1)}.</al></antwoord>"
                    )
            datum = doc.datum or ""
            omschrijving = (
                f'<kamervraagomschrijving type="vraag">Vragen over <kamervraagonderwerp>'
                f'{onderwerp}</kamervraagonderwerp> (ingezonden <datum isodatum="{datum}">'
                f"{datum}</datum>).</kamervraagomschrijving>"
            )
            if kind == "ah":
                omschrijving += (
                    f'<kamervraagomschrijving type="antwoord">Antwoord (ontvangen '
                    f'<datum isodatum="{datum}">{datum}</datum>).</kamervraagomschrijving>'
                )
            body = (
                f"<kamervragen><kamervraagkop>{kop}</kamervraagkop>"
                f"<kamervraagnummer>{_h(eid) % 4000}</kamervraagnummer>{omschrijving}"
                + "".join(blocks)
                + "</kamervragen>"
            )
        else:
            dossier_nr, dossier_titel = self._dossier.get(doc.dossier_id or "", ("", ""))
            nr = eid.rsplit("-", 1)[-1]
            body = (
                f"<kamerstuk><kamerstukkop>{kop}</kamerstukkop><dossier><dossiernummer>"
                f"<dossiernr>{escape(dossier_nr)}</dossiernr></dossiernummer>"
                f"<titel>{escape(dossier_titel)}</titel></dossier><stuk><stuknr>Nr. "
                f'<ondernummer kamer="2">{escape(nr)}</ondernummer></stuknr>'
                f"<titel>{escape((doc.soort or '').upper())}</titel>"
                f'<datumtekst>Voorgesteld <datum isodatum="{doc.datum}">{doc.datum}</datum>'
                f"</datumtekst><algemeen><vrije-tekst><tekst>"
                f"<al>De Kamer,</al><al>gehoord de beraadslaging,</al>"
                f"<al>overwegende dat {onderwerp}<noot><noot.nr>1</noot.nr><noot.al>Kamerstuk "
                f"{escape(dossier_nr)}, nr. {escape(nr)}</noot.al></noot>;</al>"
                f"<al>en gaat over tot de orde van de dag.</al>"
                f"<al>Vastgesteld als {self.official_word(eid)}.</al></tekst></vrije-tekst>"
                f"</algemeen></stuk></kamerstuk>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<officiele-publicatie>'
            + meta
            + body
            + "</officiele-publicatie>"
        ).encode()

    # ------------------------------------------------------------ SRU

    def published_on(self, eid: str) -> str | None:
        """The day a publication appears (its listing's ``dt.modified``); ``None`` when it
        has no date."""
        self._build()
        day = self._day(*self.publications[eid])
        return None if day is None else day.isoformat()

    def sru(self, query: dict[str, str], base: str) -> bytes:
        """One page of the SRU search ``searchRetrieve`` for ``dt.modified=="D"``."""
        self._build()
        assert self.today is not None
        found = re.search(r'dt\.modified\s*==\s*"?(\d{4}-\d{2}-\d{2})"?', query.get("query", ""))
        if query.get("operation") != "searchRetrieve" or found is None:
            return _sru_diagnostic('Query syntax error: dt.modified=="JJJJ-MM-DD" verwacht')
        day = found.group(1)
        try:
            start = max(1, int(query.get("startRecord") or 1))
            maximum = min(1000, max(0, int(query.get("maximumRecords") or 10)))
        except ValueError:
            return _sru_diagnostic("Unsupported parameter value: startRecord/maximumRecords")
        chosen: list[tuple[str, _Doc | None, str]] = []
        if day <= self.today.isoformat():
            for eid in sorted(self.publications):
                if self.published_on(eid) == day:
                    doc, kind = self.publications[eid]
                    chosen.append((eid, doc, kind))
            if chosen:  # the real listing also holds publications the feed does not
                chosen.append((f"blg-{900000 + _h(day) % 99999}", None, "blg"))
        page = chosen[start - 1 : start - 1 + maximum]
        records = "".join(
            self._sru_record(eid, doc, kind, day, base, start + i)
            for i, (eid, doc, kind) in enumerate(page)
        )
        after = start + len(page)
        following = (
            f"<sru:nextRecordPosition>{after}</sru:nextRecordPosition>"
            if after <= len(chosen)
            else ""
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<sru:searchRetrieveResponse {_SRU_NS}><sru:version>2.0</sru:version>"
            f"<sru:numberOfRecords>{len(chosen)}</sru:numberOfRecords>"
            f"<sru:records>{records}</sru:records>{following}"
            f"<sru:echoedSearchRetrieveRequest><sru:query>{escape(query.get('query', ''))}</sru:query>"
            f"<sru:startRecord>{start}</sru:startRecord><sru:maximumRecords>{maximum}"
            "</sru:maximumRecords></sru:echoedSearchRetrieveRequest></sru:searchRetrieveResponse>"
        ).encode()

    def _sru_record(
        self, eid: str, doc: _Doc | None, kind: str, day: str, base: str, position: int
    ) -> str:
        types = {
            "kv": "Kamervragen zonder antwoord",
            "ah": "Aanhangsel van de Handelingen",
            "kst": "Kamerstuk",
            "blg": "Bijlage",
            "h": "Handeling",
        }
        title = escape((doc.onderwerp or doc.titel or eid) if doc else "Bijlage")
        tpmeta = (
            "<c:product-area>officielepublicaties</c:product-area>"
            f"<c:content-area>officielepublicaties/{escape(kind)}</c:content-area>"
            '<overheidwetgeving:organisatietype scheme="OVERHEID.Organisatietype">staten generaal'
            "</overheidwetgeving:organisatietype>"
        )
        zaak = self._zaak_of(doc) if doc is not None else None
        if kind in ("kv", "ah") and zaak:
            tpmeta += (
                f"<overheidwetgeving:vraagnummer>{escape(zaak)}</overheidwetgeving:vraagnummer>"
            )
        items = f'<gzd:itemUrl manifestation="metadata">{escape(base)}/{escape(eid)}/metadata.xml</gzd:itemUrl>'
        if doc is not None:
            xml_url = f"{base}/officielepublicaties/{eid}/{eid}.xml"
            items += f'<gzd:itemUrl manifestation="xml">{escape(xml_url)}</gzd:itemUrl>'
        return (
            "<sru:record><sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>"
            "<sru:recordPacking>xml</sru:recordPacking><sru:recordData><gzd:gzd>"
            "<gzd:originalData><overheidwetgeving:meta><overheidwetgeving:owmskern>"
            f"<dcterms:identifier>{escape(eid)}</dcterms:identifier>"
            f"<dcterms:title>{title}</dcterms:title><dcterms:language>nl</dcterms:language>"
            f'<dcterms:type scheme="OVERHEIDop.Parlementair">{types.get(kind, "Kamerstuk")}'
            "</dcterms:type>"
            '<dcterms:creator scheme="OVERHEID.StatenGeneraal">Tweede Kamer der Staten-Generaal'
            f"</dcterms:creator><dcterms:modified>{day}</dcterms:modified>"
            "</overheidwetgeving:owmskern><overheidwetgeving:owmsmantel>"
            f"<dcterms:available>{day}</dcterms:available></overheidwetgeving:owmsmantel>"
            f"<overheidwetgeving:tpmeta>{tpmeta}</overheidwetgeving:tpmeta>"
            "</overheidwetgeving:meta></gzd:originalData><gzd:enrichedData>"
            f"<gzd:preferredUrl>https://zoek.officielebekendmakingen.nl/{escape(eid)}.html"
            f"</gzd:preferredUrl>{items}</gzd:enrichedData></gzd:gzd></sru:recordData>"
            f"<sru:recordPosition>{position}</sru:recordPosition></sru:record>"
        )

    def _vergaderjaar(self, doc: _Doc) -> str:
        d = date.fromisoformat(doc.datum) if doc.datum else date(2026, 1, 1)
        y = d.year if d.month >= 9 else d.year - 1
        return f"{y}-{y + 1}"

    def metadata(self, eid: str) -> bytes | None:
        self._build()
        found = self.publications.get(eid)
        if found is None or not self._published(*found):
            return None
        doc, kind = found
        items = [("DC.identifier", eid), ("DC.title", doc.onderwerp or doc.titel or eid)]
        zaak = self._zaak_of(doc)
        if kind in ("kv", "ah") and zaak:
            items.append(("OVERHEIDop.vraagnummer", zaak))
            if kind == "kv" and zaak in self._answers_of:
                items.append(("OVERHEIDop.aanhangsel", self._answers_of[zaak]))
        if doc.datum:
            items.append(("DCTERMS.issued", doc.datum))
        lines = "".join(
            f'<metadata name={quoteattr(k)} scheme="" content={quoteattr(v)}/>\n' for k, v in items
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata_gegevens>\n{lines}</metadata_gegevens>'
        ).encode()


_SRU_NS = (
    'xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
    'xmlns:gzd="http://standaarden.overheid.nl/sru" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:overheidwetgeving="http://standaarden.overheid.nl/wetgeving/" '
    'xmlns:c="http://standaarden.overheid.nl/collectie/" '
    'xmlns:diag="http://docs.oasis-open.org/ns/search-ws/diagnostic"'
)


def _sru_diagnostic(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<sru:searchRetrieveResponse {_SRU_NS}><sru:version>2.0</sru:version>"
        "<sru:numberOfRecords>0</sru:numberOfRecords><sru:diagnostics><diag:diagnostic>"
        "<diag:uri>info:srw/diagnostic/1/10</diag:uri>"
        f"<diag:message>{escape(message)}</diag:message></diag:diagnostic></sru:diagnostics>"
        "</sru:searchRetrieveResponse>"
    ).encode()


def today_of(directory: Path) -> date | None:
    """The sample's own ``today`` (``expected.json``), if it has one."""
    try:
        data = json.loads((directory / "expected.json").read_text())
        return date.fromisoformat(str(data["today"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
