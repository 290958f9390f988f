"""Official publications (officiële bekendmakingen) → typed records (pure: bytes in,
dataclasses out; see docs/media.md).

* :func:`parse_xml`: the publication XML (root ``<officiele-publicatie>``): written
  questions and answers (``<kamervragen>``: ``<vraag>``/``<antwoord>`` blocks in order, the
  ``<kamervraagomschrijving>`` lines) and, for every kind, a readable body — headings,
  numbered paragraphs and footnotes — for the document page.
* :func:`parse_metadata`: ``metadata.xml`` (``<metadata name= content=>``) or
  ``metadata_owms.xml`` (namespaced OWMS elements): identifier, title, ``vraagnummer`` (the
  Tweede Kamer zaak nummer), ``aanhangsel``, indieners, dossier and ondernummer.

XML that is not well-formed, or not what it should be, raises :class:`PublicatieParseError`
with a Dutch reason. Entities are never resolved and nothing is fetched while parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
_EID = re.compile(r"^[a-z][a-z0-9]*(?:-[A-Za-z0-9]+){1,6}$")
_SPACE = re.compile(r"\s+")
OFFICIELE_BEKENDMAKINGEN = "https://zoek.officielebekendmakingen.nl"
# Elements whose text is a heading of the readable body
_HEADINGS = {"titel": 2, "kop": 3, "tussenkop": 4, "stuknr": 3, "dossiernr": 2}
_SKIP = {"metadata", "meta", "kamerstukkop", "kamervraagkop", "noot"}


class PublicatieParseError(ValueError):
    """XML that cannot be read as an official publication (the reason is Dutch)."""


def valid_eid(value: str) -> bool:
    """An externe identifier that is safe as a path segment: lower-case prefix, then
    ``-``-separated letters and digits (``kst-36200-VII-12``, ``ah-tk-20232024-1234``,
    ``kv-tk-2024Z01234``, ``blg-1007826``); no ``/``, ``.`` or spaces."""
    return len(value) <= 80 and bool(_EID.match(value))


def publication_url(eid: str) -> str:
    return f"{OFFICIELE_BEKENDMAKINGEN}/{eid}.html"


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _itertext(el: etree._Element) -> str:
    return "".join(str(t) for t in el.itertext())


def _text(el: etree._Element, notes: list[str] | None = None) -> str:
    """The text of an element; ``<noot>`` children become ``[n]`` markers (their text is
    appended to ``notes``)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if _local(child) == "noot" and notes is not None:
                pieces = [c for c in child if isinstance(c.tag, str) and _local(c) != "noot.nr"]
                notes.append(
                    " ".join(_norm(_itertext(c)) for c in pieces)
                    if pieces
                    else _norm(_itertext(child))
                )
                parts.append(f"[{len(notes)}]")
            elif isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _norm("".join(parts))


@dataclass(frozen=True, slots=True)
class Block:
    """A numbered question or answer: ``label`` ("Vraag 1") and its paragraphs."""

    label: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of the readable body: ``kind`` is ``kop`` (with ``level`` 2-4) or ``al``."""

    kind: str
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Publication:
    kind: str  # the root's child: kamervragen, kamerstuk, handelingen, …
    questions: tuple[Block, ...] = ()
    answers: tuple[Block, ...] = ()
    omschrijving_vraag: str | None = None
    omschrijving_antwoord: str | None = None
    kamervraagnummer: str | None = None
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()
    metadata_url: str | None = None  # OVERHEIDop.externMetadataRecord

    @property
    def pairs(self) -> list[tuple[Block | None, Block | None]]:
        """Questions and answers side by side, in document order (n-th with n-th)."""
        n = max(len(self.questions), len(self.answers))
        return [
            (
                self.questions[i] if i < len(self.questions) else None,
                self.answers[i] if i < len(self.answers) else None,
            )
            for i in range(n)
        ]


def _root(body: bytes) -> etree._Element:
    if not body.strip():
        raise PublicatieParseError("leeg antwoord")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PublicatieParseError(f"geen goedgevormde XML: {exc}") from exc
    if root is None:
        raise PublicatieParseError("geen XML-element")
    return root


def _block(el: etree._Element, fallback: str, notes: list[str]) -> Block:
    label = fallback
    paragraphs: list[str] = []
    for child in el:
        name = _local(child)
        if name == "nr":
            label = _text(child) or fallback
        elif isinstance(child.tag, str):
            text = _text(child, notes)
            if text:
                paragraphs.append(text)
    return Block(label, tuple(paragraphs))


def _readable(el: etree._Element, parts: list[Part], notes: list[str]) -> None:
    for child in el:
        name = _local(child)
        if not name or name in _SKIP:
            continue
        if name in _HEADINGS:
            text = _text(child, notes)
            if text:
                parts.append(Part("kop", text, _HEADINGS[name]))
        elif name in ("al", "datumtekst", "kamervraagomschrijving"):
            text = _text(child, notes)
            if text:
                parts.append(Part("al", text))
        elif name in ("vraag", "antwoord"):
            nr = child.find("nr")
            label = _text(nr) if nr is not None else name.capitalize()
            parts.append(Part("kop", label, 4))
            for sub in child:
                if _local(sub) != "nr":
                    text = _text(sub, notes)
                    if text:
                        parts.append(Part("al", text))
        else:
            _readable(child, parts, notes)


def parse_xml(body: bytes) -> Publication:
    """The publication XML → :class:`Publication`."""
    root = _root(body)
    if _local(root) != "officiele-publicatie":
        raise PublicatieParseError(f"wortel is <{_local(root)}>, geen <officiele-publicatie>")
    main = next((c for c in root if isinstance(c.tag, str) and _local(c) != "metadata"), None)
    if main is None:
        raise PublicatieParseError("geen inhoud naast <metadata>")
    notes: list[str] = []
    parts: list[Part] = []
    _readable(main, parts, notes)
    kind = _local(main)
    metadata_url = None
    for meta in root.iter("meta"):
        if meta.get("name") == "OVERHEIDop.externMetadataRecord" and meta.get("content"):
            metadata_url = str(meta.get("content")).strip()
            break
    if kind != "kamervragen":
        return Publication(
            kind=kind, parts=tuple(parts), notes=tuple(notes), metadata_url=metadata_url
        )
    questions: list[Block] = []
    answers: list[Block] = []
    omschrijving: dict[str, str] = {}
    for el in main.iter("vraag", "antwoord", "kamervraagomschrijving"):
        name = _local(el)
        if name == "vraag":
            questions.append(_block(el, f"Vraag {len(questions) + 1}", notes))
        elif name == "antwoord":
            answers.append(_block(el, f"Antwoord {len(answers) + 1}", notes))
        else:
            omschrijving.setdefault(str(el.get("type") or "vraag"), _text(el))
    nummer = main.find("kamervraagnummer")
    return Publication(
        kind=kind,
        questions=tuple(questions),
        answers=tuple(answers),
        omschrijving_vraag=omschrijving.get("vraag"),
        omschrijving_antwoord=omschrijving.get("antwoord"),
        kamervraagnummer=_text(nummer) or None if nummer is not None else None,
        parts=tuple(parts),
        notes=tuple(notes),
        metadata_url=metadata_url,
    )


@dataclass(frozen=True, slots=True)
class Metadata:
    identifier: str | None = None
    title: str | None = None
    vraagnummer: str | None = None
    aanhangsel: str | None = None
    indieners: tuple[str, ...] = ()
    ontvanger: str | None = None
    dossiernummer: str | None = None
    ondernummer: str | None = None
    issued: str | None = None
    publication_name: str | None = None
    values: dict[str, list[str]] = field(default_factory=dict)


_META_KEYS = {
    "identifier": "identifier",
    "title": "title",
    "vraagnummer": "vraagnummer",
    "aanhangsel": "aanhangsel",
    "ontvanger": "ontvanger",
    "dossiernummer": "dossiernummer",
    "ondernummer": "ondernummer",
    "issued": "issued",
    "publicationname": "publication_name",
}


def parse_metadata(body: bytes) -> Metadata:
    """``metadata.xml`` or ``metadata_owms.xml`` → :class:`Metadata` (names compared without
    their ``DC.``/``OVERHEIDop.`` prefix and case)."""
    root = _root(body)
    values: dict[str, list[str]] = {}
    if _local(root) == "metadata_gegevens":
        for el in root.iter("metadata"):
            name = str(el.get("name") or "").rsplit(".", 1)[-1].lower()
            content = _norm(str(el.get("content") or ""))
            if name and content:
                values.setdefault(name, []).append(content)
    elif _local(root) == "owms-metadata":
        for el in root.iter():
            name = _local(el).rsplit(".", 1)[-1].lower()
            if not name or len(el):
                continue
            content = _norm(el.text or "")
            if content:
                values.setdefault(name, []).append(content)
    else:
        raise PublicatieParseError(f"wortel is <{_local(root)}>, geen metadata")
    picked: dict[str, str | None] = {
        attr: values[key][0] if values.get(key) else None for key, attr in _META_KEYS.items()
    }
    return Metadata(indieners=tuple(values.get("indiener", [])), values=values, **picked)


# ------------------------------------------------------------------ SRU (repository.overheid.nl)

SRU_MAX_RECORDS = 1000  # the most records one SRU page may hold


def sru_query(day: str) -> str:
    """The CQL asking for every official publication of the States General (both chambers)
    changed on ``day`` (``YYYY-MM-DD``): only indexes the real service's own echoed query
    uses (``tests/data/officielebekendmakingen/sru_page1_of_76.xml``)."""
    return (
        'c.product-area=="officielepublicaties" and '
        'w.organisatietype=="staten generaal" and '
        f'dt.modified=="{day}"'
    )


def sru_params(day: str, start: int, maximum: int = SRU_MAX_RECORDS) -> dict[str, str]:
    """The query string of one SRU page (``start`` counts from 1)."""
    return {
        "operation": "searchRetrieve",
        "version": "2.0",
        "recordSchema": "gzd",
        "query": sru_query(day),
        "startRecord": str(start),
        "maximumRecords": str(maximum),
    }


@dataclass(frozen=True, slots=True)
class SruRecord:
    """One publication of an SRU answer: what the listing says about it."""

    identifier: str
    modified: str | None = None  # dcterms:modified (YYYY-MM-DD)
    type: str | None = None  # dcterms:type, e.g. "Aanhangsel van de Handelingen"
    vraagnummer: str | None = None  # the Tweede Kamer zaak nummer of written questions
    xml_url: str | None = None  # itemUrl manifestation="xml"
    metadata_url: str | None = None


@dataclass(frozen=True, slots=True)
class SruPage:
    total: int
    next_position: int | None  # startRecord of the next page; None on the last
    records: tuple[SruRecord, ...]
    skipped: tuple[str, ...] = ()  # reasons of records that could not be used


def _child_text(el: etree._Element, name: str) -> str | None:
    for sub in el.iter():
        if _local(sub) == name and sub.text and sub.text.strip():
            return _norm(sub.text)
    return None


def parse_sru(body: bytes) -> SruPage:
    """An SRU 2.0 ``searchRetrieveResponse`` (``recordSchema=gzd``) → :class:`SruPage`.
    A diagnostic answer (an error of the service) raises :class:`PublicatieParseError`."""
    root = _root(body)
    if _local(root) != "searchRetrieveResponse":
        raise PublicatieParseError(f"wortel is <{_local(root)}>, geen SRU-antwoord")
    total_text: str | None = None
    next_text: str | None = None
    diagnostics: list[str] = []
    records: list[SruRecord] = []
    skipped: list[str] = []
    for child in root:
        name = _local(child)
        if name == "numberOfRecords":
            total_text = (child.text or "").strip()
        elif name == "nextRecordPosition":
            next_text = (child.text or "").strip()
        elif name == "diagnostics":
            for diag in child:
                message = _child_text(diag, "message") or _child_text(diag, "details")
                diagnostics.append(message or _norm(_itertext(diag)))
        elif name == "records":
            for position, record in enumerate(child, start=1):
                if _local(record) != "record":
                    continue
                identifier = _child_text(record, "identifier")
                if not identifier:
                    skipped.append(f"record {position}: geen identifier")
                    continue
                xml_url = metadata_url = None
                for item in record.iter():
                    if _local(item) == "itemUrl" and item.text:
                        kind = item.get("manifestation")
                        if kind == "xml":
                            xml_url = item.text.strip()
                        elif kind == "metadata":
                            metadata_url = item.text.strip()
                records.append(
                    SruRecord(
                        identifier=identifier,
                        modified=_child_text(record, "modified"),
                        type=_child_text(record, "type"),
                        vraagnummer=_child_text(record, "vraagnummer"),
                        xml_url=xml_url,
                        metadata_url=metadata_url,
                    )
                )
    if diagnostics:
        raise PublicatieParseError("SRU-fout: " + "; ".join(diagnostics))
    if total_text is None:
        raise PublicatieParseError("geen numberOfRecords in het SRU-antwoord")
    try:
        total = int(total_text)
        next_position = int(next_text) if next_text else None
    except ValueError as exc:
        raise PublicatieParseError(f"onleesbaar aantal in het SRU-antwoord: {exc}") from exc
    return SruPage(total, next_position, tuple(records), tuple(skipped))


def plain_text(pub: Publication) -> str:
    """The text of a publication for the search index: its headings and paragraphs in
    order, then its footnotes."""
    return "\n".join([*(p.text for p in pub.parts), *pub.notes])
