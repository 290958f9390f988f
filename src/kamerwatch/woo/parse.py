"""open.overheid.nl answers → typed records (pure: bytes in, dataclasses out).

Two shapes (see docs/woo.md): the listing (``GET …/api/v0/zoek?…``: ``{totaal, resultaten:
[{document: {...}, bestandsgrootte, aantalPaginas, bestandsType}]}``) and the detail
(``GET …/api/v0/zoek/{uuid}``: ``{document, plooiIntern, documentrelaties, versies}``).
Fields we do not know are kept in ``extra`` (name → JSON value); JSON that cannot be read,
or lacks what makes a record a record (an id), raises :class:`WooParseError` with a Dutch
reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

OPEN_OVERHEID = "https://open.overheid.nl"
ROLE_BIJLAGE = "https://identifier.overheid.nl/tooi/def/thes/kern/c_4d1ea9ba"  # is bijlage bij
ROLE_BUNDEL = "https://identifier.overheid.nl/plooi/def/thes/documentrelatie/bundel"
ROLE_ONDERDEEL = "https://identifier.overheid.nl/plooi/def/thes/documentrelatie/onderdeel"
ROLE_LABELS = {
    ROLE_BIJLAGE: "is bijlage bij",
    ROLE_BUNDEL: "hoort bij bundel",
    ROLE_ONDERDEEL: "heeft onderdeel",
}
PARENT_ROLES = frozenset({ROLE_BIJLAGE, ROLE_BUNDEL})  # relation points at the parent

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


class WooParseError(ValueError):
    """An answer that cannot be read as what it should be (the reason is Dutch)."""


def valid_id(value: str) -> bool:
    """An id that is safe as a path segment and URL part: letters, digits, ``-`` and ``_``
    (no ``/``, no ``.``, so no ``..``), at most 128 characters."""
    return bool(_ID.match(value))


def uuid_of(listing_id: str) -> str:
    """``"<uuid>_<n>"`` (the listing's id) → ``"<uuid>"`` (what the detail URL takes)."""
    base, sep, n = listing_id.rpartition("_")
    return base if sep and n.isdigit() and base else listing_id


def id_of_url(url: str) -> str:
    """The last path segment of a ``…/documenten/<id>`` URL (or a bare id)."""
    return url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Label:
    """An organisation or a classification: ``{type, id, label}``."""

    label: str
    id: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class WooFile:
    url: str | None  # download URL (``id`` in the public API, ``url`` in PLOOI's records)
    label: str | None
    mime_type: str | None
    bestandsnaam: str | None
    grootte: int | None
    paginas: int | None
    hash: str | None  # SHA-1, hex
    gepubliceerd: bool
    mutatiedatumtijd: str | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WooVersion:
    nummer: int | None
    oorzaak: str | None
    openbaarmakingsdatum: str | None
    mutatiedatumtijd: str | None
    bestanden: tuple[WooFile, ...]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WooRelation:
    target: str  # the other publication's id
    role: str
    titel: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role.rsplit("/", 1)[-1])


@dataclass(frozen=True, slots=True)
class WooDetail:
    id: str
    pid: str | None
    titel: str
    verkorte_titels: tuple[str, ...]
    alternatieve_titels: tuple[str, ...]
    omschrijvingen: tuple[str, ...]
    weblocatie: str | None
    identifiers: tuple[str, ...]
    verantwoordelijke: Label | None
    publisher: Label | None
    opsteller: Label | None
    medeverantwoordelijken: tuple[Label, ...]
    documentsoorten: tuple[Label, ...]
    themas: tuple[Label, ...]
    informatiecategorieen: tuple[Label, ...]
    trefwoorden: tuple[str, ...]
    aanbieder: str | None
    dcn_id: str | None
    source_label: str | None
    publicatiestatus: str | None
    relaties: tuple[WooRelation, ...]
    versies: tuple[WooVersion, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def versie(self) -> WooVersion | None:
        """The newest version (highest ``nummer``; the last one when unnumbered)."""
        if not self.versies:
            return None
        return max(enumerate(self.versies), key=lambda iv: (iv[1].nummer or 0, iv[0]))[1]

    @property
    def openbaarmakingsdatum(self) -> str | None:
        v = self.versie
        return v.openbaarmakingsdatum if v else None

    @property
    def mutatiedatumtijd(self) -> str | None:
        v = self.versie
        return v.mutatiedatumtijd if v else None

    @property
    def bestanden(self) -> tuple[WooFile, ...]:
        v = self.versie
        return v.bestanden if v else ()

    @property
    def parent(self) -> str | None:
        """The publication this one belongs to ("is bijlage bij", bundle), if any."""
        for r in self.relaties:
            if r.role in PARENT_ROLES:
                return r.target
        return None

    @property
    def is_tweede_kamer_copy(self) -> bool:
        """A copy of an officielebekendmakingen publication of the Tweede Kamer."""
        tk = self.verantwoordelijke is not None and self.verantwoordelijke.label == "Tweede Kamer"
        return self.id.startswith("oep-") and tk


@dataclass(frozen=True, slots=True)
class ListingItem:
    id: str  # "<uuid>_<n>"
    uuid: str
    pid: str | None
    titel: str | None
    omschrijving: str | None
    openbaarmakingsdatum: str | None
    weblocatie: str | None
    publisher: str | None
    aanbieder: str | None
    mutatiedatumtijd: str | None
    bestandsgrootte: str | None
    aantal_paginas: int | None
    bestandstype: str | None  # None: no file
    raw: dict[str, Any] = field(default_factory=dict)  # the result as received
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A listing result that cannot be used (the reason is Dutch); kept as received."""

    reason: str
    raw: Any


@dataclass(frozen=True, slots=True)
class Listing:
    totaal: int
    items: tuple[ListingItem, ...]
    rejected: tuple[Rejected, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ helpers


def load(data: bytes, what: str) -> Any:
    """JSON bytes → value; anything unreadable (truncated, not UTF-8, not JSON) raises."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WooParseError(f"{what}: geen UTF-8 ({exc.reason})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.msg.startswith("Unterminated") or exc.pos >= len(text.rstrip())
        kind = "afgebroken" if cut and text.lstrip()[:1] in ("{", "[") else "ongeldige"
        raise WooParseError(
            f"{what}: {kind} JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg})"
        ) from exc


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WooParseError(f"{what}: verwacht een JSON-object, kreeg {type(value).__name__}")
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(t for t in (_text(v) for v in value) if t)


def _label(value: Any) -> Label | None:
    if isinstance(value, str):
        return Label(value.strip()) if value.strip() else None
    if not isinstance(value, dict):
        return None
    label = _text(value.get("label")) or _text(value.get("bronwaarde"))
    if not label:
        return None
    return Label(label, _text(value.get("id")), _text(value.get("type")))


def _labels(value: Any) -> tuple[Label, ...]:
    if not isinstance(value, list):
        value = [value] if value else []
    return tuple(lab for lab in (_label(v) for v in value) if lab)


def _sub(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _rest(obj: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


# ------------------------------------------------------------------ detail

_TOP = frozenset({"document", "plooiIntern", "documentrelaties", "versies"})
_DOCUMENT = frozenset(
    {
        "pid",
        "id",
        "weblocatie",
        "identifiers",
        "verantwoordelijke",
        "medeverantwoordelijken",
        "publisher",
        "opsteller",
        "omschrijvingen",
        "titelcollectie",
        "classificatiecollectie",
    }
)
_CLASS = frozenset({"documentsoorten", "themas", "informatiecategorieen", "trefwoorden"})
_INTERN = frozenset({"dcnId", "aanbieder", "extId", "sourceLabel", "publicatiestatus"})
_VERSION = frozenset({"nummer", "oorzaak", "openbaarmakingsdatum", "mutatiedatumtijd", "bestanden"})
_FILE = frozenset(
    {
        "id",
        "url",
        "label",
        "mime-type",
        "bestandsnaam",
        "grootte",
        "paginas",
        "hash",
        "gepubliceerd",
        "mutatiedatumtijd",
    }
)


def _file(value: Any) -> WooFile | None:
    if not isinstance(value, dict):
        return None
    url = _text(value.get("id")) if "url" not in value else _text(value.get("url"))
    if url is not None and not url.startswith(("http://", "https://")):
        url = None  # PLOOI's records use "id" for a local name
    return WooFile(
        url=url,
        label=_text(value.get("label")),
        mime_type=_text(value.get("mime-type")),
        bestandsnaam=_text(value.get("bestandsnaam")),
        grootte=_int(value.get("grootte")),
        paginas=_int(value.get("paginas")),
        hash=(_text(value.get("hash")) or "").lower() or None,
        gepubliceerd=value.get("gepubliceerd") is not False,
        mutatiedatumtijd=_text(value.get("mutatiedatumtijd")),
        extra=_rest(value, _FILE),
    )


def _version(value: Any) -> WooVersion | None:
    if not isinstance(value, dict):
        return None
    files = value.get("bestanden")
    return WooVersion(
        nummer=_int(value.get("nummer")),
        oorzaak=_text(value.get("oorzaak")),
        openbaarmakingsdatum=_text(value.get("openbaarmakingsdatum")),
        mutatiedatumtijd=_text(value.get("mutatiedatumtijd")),
        bestanden=tuple(
            f for f in (_file(b) for b in (files if isinstance(files, list) else [])) if f
        ),
        extra=_rest(value, _VERSION),
    )


def _relation(value: Any) -> WooRelation | None:
    if not isinstance(value, dict):
        return None
    target = _text(value.get("relation"))
    role = _text(value.get("role"))
    if not target or not role:
        return None
    return WooRelation(id_of_url(target), role, _text(value.get("titel")))


def relations(data: bytes) -> tuple[WooRelation, ...]:
    """The ``/publicatie/{uuid}/_relaties`` answer: ``[{relation, role, titel?}]``."""
    value = load(data, "relaties")
    if not isinstance(value, list):
        raise WooParseError("relaties: verwacht een JSON-lijst")
    return tuple(r for r in (_relation(v) for v in value) if r)


def detail(data: bytes) -> WooDetail:
    """The detail answer (or a PLOOI record of the same model) → :class:`WooDetail`."""
    return detail_of(load(data, "detail"))


def detail_of(value: Any) -> WooDetail:
    top = _obj(value, "detail")
    doc = _obj(top.get("document"), "detail.document")
    intern = _sub(top, "plooiIntern")
    pid = _text(doc.get("pid"))
    ident = id_of_url(pid) if pid else _text(doc.get("id")) or _text(intern.get("dcnId"))
    if not ident:
        raise WooParseError("detail: geen pid of id")
    if not valid_id(ident):
        raise WooParseError(f"detail: ongeldig id {ident[:80]!r}")
    titels = _sub(doc, "titelcollectie")
    klass = _sub(doc, "classificatiecollectie")
    titel = _text(titels.get("officieleTitel")) or next(
        iter(_texts(titels.get("verkorteTitels"))), None
    )
    rels = top.get("documentrelaties")
    versies = top.get("versies")
    extra = _rest(top, _TOP)
    for k, v in _rest(doc, _DOCUMENT).items():
        extra[f"document.{k}"] = v
    for k, v in _rest(klass, _CLASS).items():
        extra[f"classificatiecollectie.{k}"] = v
    for k, v in _rest(intern, _INTERN).items():
        extra[f"plooiIntern.{k}"] = v
    trefwoorden = klass.get("trefwoorden")
    return WooDetail(
        id=ident,
        pid=pid,
        titel=titel or "(zonder titel)",
        verkorte_titels=_texts(titels.get("verkorteTitels")),
        alternatieve_titels=_texts(titels.get("alternatieveTitels")),
        omschrijvingen=_texts(doc.get("omschrijvingen")),
        weblocatie=_text(doc.get("weblocatie")),
        identifiers=_texts(doc.get("identifiers")),
        verantwoordelijke=_label(doc.get("verantwoordelijke")),
        publisher=_label(doc.get("publisher")),
        opsteller=_label(doc.get("opsteller")),
        medeverantwoordelijken=_labels(doc.get("medeverantwoordelijken")),
        documentsoorten=_labels(klass.get("documentsoorten")),
        themas=_labels(klass.get("themas")),
        informatiecategorieen=_labels(klass.get("informatiecategorieen")),
        trefwoorden=tuple(
            t.label if isinstance(t, Label) else t
            for t in (
                _label(v) if isinstance(v, dict) else _text(v)
                for v in (trefwoorden if isinstance(trefwoorden, list) else [])
            )
            if t
        ),
        aanbieder=_text(intern.get("aanbieder")),
        dcn_id=_text(intern.get("dcnId")),
        source_label=_text(intern.get("sourceLabel")),
        publicatiestatus=_text(intern.get("publicatiestatus")),
        relaties=tuple(
            r for r in (_relation(v) for v in (rels if isinstance(rels, list) else [])) if r
        ),
        versies=tuple(
            v for v in (_version(x) for x in (versies if isinstance(versies, list) else [])) if v
        ),
        extra=extra,
    )


# ------------------------------------------------------------------ listing

_RESULT = frozenset({"document", "bestandsgrootte", "aantalPaginas", "bestandsType"})
_LISTED = frozenset(
    {
        "id",
        "pid",
        "titel",
        "omschrijving",
        "openbaarmakingsdatum",
        "weblocatie",
        "publisher",
        "aanbieder",
        "mutatiedatumtijd",
    }
)


def _item(value: Any) -> ListingItem | Rejected:
    if not isinstance(value, dict) or not isinstance(value.get("document"), dict):
        return Rejected("resultaat zonder document-object", value)
    doc = value["document"]
    ident = _text(doc.get("id"))
    if not ident:
        return Rejected("resultaat zonder id", value)
    if not valid_id(ident):
        return Rejected(f"ongeldig id {ident[:80]!r} (alleen letters, cijfers, - en _)", value)
    extra = _rest(value, _RESULT)
    for k, v in _rest(doc, _LISTED).items():
        extra[f"document.{k}"] = v
    return ListingItem(
        id=ident,
        uuid=uuid_of(ident),
        pid=_text(doc.get("pid")),
        titel=_text(doc.get("titel")),
        omschrijving=_text(doc.get("omschrijving")),
        openbaarmakingsdatum=_text(doc.get("openbaarmakingsdatum")),
        weblocatie=_text(doc.get("weblocatie")),
        publisher=_text(doc.get("publisher")),
        aanbieder=_text(doc.get("aanbieder")),
        mutatiedatumtijd=_text(doc.get("mutatiedatumtijd")),
        bestandsgrootte=_text(value.get("bestandsgrootte")),
        aantal_paginas=_int(value.get("aantalPaginas")),
        bestandstype=_text(value.get("bestandsType")),
        raw=value,
        extra=extra,
    )


def listing(data: bytes) -> Listing:
    """A listing page → :class:`Listing`; results that cannot be used are in ``rejected``."""
    top = _obj(load(data, "lijst"), "lijst")
    results = top.get("resultaten")
    if results is None:
        results = []
    if not isinstance(results, list):
        raise WooParseError("lijst: 'resultaten' is geen lijst")
    totaal = _int(top.get("totaal"))
    if totaal is None:
        raise WooParseError("lijst: geen (geldig) 'totaal'")
    items: list[ListingItem] = []
    rejected: list[Rejected] = []
    for r in results:
        out = _item(r)
        if isinstance(out, Rejected):
            rejected.append(out)
        else:
            items.append(out)
    rest = _rest(top, frozenset({"totaal", "resultaten"}))
    return Listing(totaal, tuple(items), tuple(rejected), rest)
