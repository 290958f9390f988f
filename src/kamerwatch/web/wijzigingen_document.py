"""``/document/{nummer}/wijzigingen?van=V&naar=W``: what changed between two versions of a
document, word by word (issue #27), with a JSON twin (``…/wijzigingen.json``).

``van``/``naar`` are version numbers: the feed's (``DocumentVersie.versienummer``) when the
feed lists several versions of the document, else those of the document's file as kamerwatch
downloaded it (1 = the first file, +1 for every changed file). ``van`` may also be another
document's number (a gewijzigde motie against the motie it replaces, which is the default for
a gewijzigde motie with one version). Without them: the newest version against the one
before it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kamerwatch.diffs import WordDiff, word_diff
from kamerwatch.kinds import KINDS
from kamerwatch.store import diffs as q
from kamerwatch.store.db import Connection

from . import respond

_VERSION = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True, slots=True)
class Side:
    nummer: str
    onderwerp: str
    soort: str
    versie: int | None
    url: str


class BadRequest(ValueError):
    """A parameter that cannot be used (Dutch message)."""


def _side(doc: q.DiffDocument, version: int | None) -> Side:
    return Side(doc.nummer, doc.onderwerp, doc.soort, version, KINDS["document"].url(doc.nummer))


def _pick(
    conn: Connection, doc: q.DiffDocument, found: q.Versions, van: str | None, naar: str | None
) -> tuple[Side, str | None, Side, str | None, str | None]:
    """(from side, its text, to side, its text, a notice)."""
    own = found.texts
    known = [v.version for v in found.versions] or sorted(own)
    if naar is not None and not _VERSION.fullmatch(naar):
        raise BadRequest(f"ongeldige versie naar={naar[:20]!r}: gebruik een versienummer (1, 2, …)")
    to_version = int(naar) if naar else (max(known) if known else None)
    if to_version is not None and known and to_version not in known:
        raise BadRequest(f"versie {to_version} van {doc.nummer} bestaat niet")
    to_side = _side(doc, to_version)
    to_text = own.get(to_version) if to_version is not None else None
    if van is not None and KINDS["document"].matches(van.upper()):
        other = q.document(conn, van.upper())
        if other is None:
            raise BadRequest(f"document {van[:20]} bestaat niet")
        other_texts = q.texts(conn, other.id)
        newest = max(other_texts) if other_texts else None
        return (
            _side(other, newest),
            other_texts.get(newest) if newest else None,
            to_side,
            to_text,
            None,
        )
    if van is not None and not _VERSION.fullmatch(van):
        raise BadRequest(
            f"ongeldige versie van={van[:20]!r}: gebruik een versienummer of een documentnummer"
        )
    if van is None:
        earlier = [v for v in known if to_version is not None and v < to_version]
        if not earlier:
            replaced = q.replaced_motie(conn, doc)
            if replaced is not None:
                other_texts = q.texts(conn, replaced.id)
                newest = max(other_texts) if other_texts else None
                text = other_texts.get(newest) if newest else None
                return _side(replaced, newest), text, to_side, to_text, None
            return to_side, to_text, to_side, to_text, "Van dit document is maar één versie bekend."
        from_version = max(earlier)
    else:
        from_version = int(van)
        if known and from_version not in known:
            raise BadRequest(f"versie {from_version} van {doc.nummer} bestaat niet")
    return _side(doc, from_version), own.get(from_version), to_side, to_text, None


def _data(
    doc: q.DiffDocument,
    van: Side,
    naar: Side,
    diff: WordDiff | None,
    notice: str | None,
    versions: q.Versions,
    replaced: q.DiffDocument | None,
    replacing: q.DiffDocument | None,
) -> dict[str, Any]:
    return {
        "nummer": doc.nummer,
        "onderwerp": doc.onderwerp,
        "soort": doc.soort,
        "van": van,
        "naar": naar,
        "melding": notice,
        "erbij": diff.inserted if diff else 0,
        "eraf": diff.deleted if diff else 0,
        "ingekort": diff.cut if diff else False,
        "stukken": [{"soort": p.op, "tekst": p.text} for p in diff.pieces] if diff else [],
        "versiesVolgens": versions.numbering,
        "versies": [
            {
                "versie": v.version,
                "datum": v.datum or None,
                "status": v.status or None,
                "opgehaald": v.fetched_at,
                "tekst": v.has_text,
            }
            for v in versions.versions
        ],
        "vervangt": None if replaced is None else _side(replaced, None),
        "vervangenDoor": None if replacing is None else _side(replacing, None),
    }


def page(conn_of: Callable[[Request], Connection]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        raw = request.path_params["nummer"]
        as_json = raw.endswith(".json") or request.url.path.endswith(".json")
        nummer = raw.removesuffix(".json").upper()
        conn = conn_of(request)
        kind = KINDS["document"]
        doc = q.document(conn, nummer) if kind.matches(nummer) else None
        if doc is None:
            return respond.error(request, conn, 404, "Document niet gevonden")
        params = request.query_params
        found = q.versioned(conn, doc.id)
        try:
            van, van_text, naar, naar_text, notice = _pick(
                conn, doc, found, params.get("van") or None, params.get("naar") or None
            )
        except BadRequest as exc:
            return respond.error(request, conn, 400, str(exc))
        diff = None
        if notice is None:
            if van_text is None or naar_text is None:
                missing = van if van_text is None else naar
                notice = (
                    f"De tekst van {missing.nummer}"
                    + (f" versie {missing.versie}" if missing.versie else "")
                    + " is (nog) niet bekend: het bestand is niet omgezet, of het werd omgezet"
                    " voordat kamerwatch versies bewaarde."
                )
            else:
                diff = word_diff(van_text, naar_text)
        data = _data(
            doc,
            van,
            naar,
            diff,
            notice,
            found,
            q.replaced_motie(conn, doc),
            q.replacing_motie(conn, doc),
        )
        if as_json:
            return respond.json(request, data)
        return respond.html(
            request,
            conn,
            "wijzigingen.html",
            title=f"Wijzigingen in {doc.nummer}",
            description=f"Wat er veranderde in {doc.nummer} {doc.onderwerp}"[:300],
            d=data,
            document_url=kind.url(doc.nummer),
        )

    return endpoint


def routes(conn_of: Callable[[Request], Connection]) -> list[Route]:
    endpoint = page(conn_of)
    return [
        Route("/document/{nummer}/wijzigingen.json", endpoint, name="wijzigingen-document.json"),
        Route("/document/{nummer}/wijzigingen", endpoint, name="wijzigingen-document"),
    ]
