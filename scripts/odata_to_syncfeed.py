"""Write real OData v4 JSON records in the SyncFeed's XML form (tests/data/real/).

    python scripts/odata_to_syncfeed.py tests/data/real/odata tests/data/real/syncfeed

Input: one ``<Category>.json`` per category, a list of OData records as the API returned them
(``Document`` records nested in their ``Zaak`` under ``"Document"``), and in ``../derived/``
records in the same shape derived from real files (a ``Verslag`` from its VLOS file). Output: one feed page per
category (``NN-<category>.xml``) in the live feed's form, written by the project's own XML
writer, plus ``conversion.json`` (what was mapped, what was not).

The conversion is mechanical and keeps every value:

* an OData property maps to the XML element of the same name (first letter lower case; the
  comparison ignores case, so ``NaamNL`` → ``naamNl``); ``X_Id`` maps to the relation ``x``;
* ``GewijzigdOp`` → the entity's ``bijgewerkt`` in its category's style, ``ApiGewijzigdOp``
  → the entry's ``<updated>``, ``Verwijderd`` → ``verwijderd``, ``ContentType`` /
  ``ContentLength`` → the attributes of a downloadable entity;
* business times with an offset (``2025-06-24T14:00:00+02:00``) become the Dutch wall-clock
  time without offset the feed writes (``2025-06-24T14:00:00``); ``date`` fields keep the day;
* relations that OData gives as an expansion are written where the XML keeps them: an
  ``Agendapunt``'s ``Zaak`` list becomes each zaak's ``<agendapunt ref>``, a ``Zaak``'s
  ``Document`` list each document's ``<zaak ref>``;
* a record whose every value is null (the API's answer for a Persoon id it does not know)
  has no feed entry and is left out (listed under ``skipped``).

Skiptokens are invented (one increasing sequence); nothing else is.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kamerwatch.sample.xmlwriter import (
    bijgewerkt_style,
    entity_xml,
    entry_xml,
    feed_page,
)
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.parsers.base import (
    KIND_REF,
    KIND_REFS,
    KIND_REFS_BIJGEWERKT,
    CategorySpec,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ORDER = (
    "Fractie",
    "Persoon",
    "FractieZetelPersoon",
    "Activiteit",
    "Agendapunt",
    "Zaak",
    "Commissie",
    "ZaakActor",
    "Document",
    "Besluit",
    "Stemming",
    "Vergadering",
    "Verslag",
)
SPECIAL = {"Id", "GewijzigdOp", "ApiGewijzigdOp", "Verwijderd", "ContentType", "ContentLength"}
DOWNLOADABLE = {"Document", "Persoon", "Fractie", "Verslag"}
FIRST_TOKEN = 1_000_000


def wall_clock(value: str) -> str:
    """``2025-06-24T14:00:00+02:00`` → ``2025-06-24T14:00:00`` (Amsterdam time)."""
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(AMSTERDAM).replace(tzinfo=None)
    return stamp.isoformat(timespec="seconds")


def bijgewerkt(category: str, gewijzigd_op: str) -> str:
    """OData ``GewijzigdOp`` in the style the feed writes for the category (spec §2.7)."""
    stamp = datetime.fromisoformat(gewijzigd_op.replace("Z", "+00:00"))
    style = bijgewerkt_style(category)
    frac = f"{stamp.microsecond:06d}0"
    if style == "utc":
        return stamp.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    local = stamp.astimezone(AMSTERDAM)
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + "." + frac
    if style == "offset":
        offset = local.strftime("%z")
        text += offset[:3] + ":" + offset[3:]
    return text


def field_map(spec: CategorySpec) -> dict[str, Any]:
    """OData property name (case-folded) → FieldSpec."""
    out: dict[str, Any] = {}
    for fs in spec.fields:
        if "/" in fs.xml:
            continue
        if fs.kind in (KIND_REF, KIND_REFS, KIND_REFS_BIJGEWERKT):
            out[(fs.xml + "_id").casefold()] = fs
        else:
            out[fs.xml.casefold()] = fs
    return out


def convert_value(fs: Any, value: Any) -> Any:
    if value is None:
        return None
    if fs.kind == "datetime" and isinstance(value, str):
        return wall_clock(value)
    if fs.kind == "date" and isinstance(value, str):
        return value[:10]
    if fs.kind == KIND_REFS:
        return tuple(value) if isinstance(value, list) else (value,)
    return value


def load(src: Path) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    # the OData records, and records derived from real files where no OData record exists
    # (``../derived``: a Verslag from its VLOS file)
    for path in [*sorted(src.glob("*.json")), *sorted((src.parent / "derived").glob("*.json"))]:
        records[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    # expansions → the relation where the XML keeps it
    zaak_agendapunten: dict[str, list[str]] = {}
    for punt in records.get("Agendapunt", []):
        for zaak in punt.get("Zaak") or []:
            zaak_agendapunten.setdefault(zaak["Id"], []).append(punt["Id"])
    documents: dict[str, dict[str, Any]] = {}
    document_zaken: dict[str, list[str]] = {}
    for zaak in records.get("Zaak", []):
        zaak["Agendapunt_Id"] = sorted(zaak_agendapunten.get(zaak["Id"], []))
        for doc in zaak.get("Document") or []:
            documents.setdefault(doc["Id"], doc)
            document_zaken.setdefault(doc["Id"], []).append(zaak["Id"])
    for ident, doc in documents.items():
        doc = dict(doc)
        doc["Zaak_Id"] = sorted(set(document_zaken[ident]))
        records.setdefault("Document", []).append(doc)
    records.get("Document", []).sort(key=lambda r: r["Id"])
    return records


def convert(src: Path, dst: Path) -> dict[str, Any]:
    records = load(src)
    dst.mkdir(parents=True, exist_ok=True)
    token = FIRST_TOKEN
    report: dict[str, Any] = {}
    for number, category in enumerate(c for c in ORDER if c in records):
        spec = spec_for(category)
        fields = field_map(spec)
        entries: list[bytes] = []
        unmapped: dict[str, int] = {}
        skipped: list[str] = []
        for record in records[category]:
            if not record.get("GewijzigdOp"):  # an all-null record: the feed has no entry
                skipped.append(record["Id"])
                continue
            values: dict[str, Any] = {}
            for key, value in record.items():
                if key in SPECIAL or key.startswith("_"):  # "_bron": provenance only
                    continue
                fs = fields.get(key.casefold())
                if fs is None:
                    if not isinstance(value, list | dict):  # expansions were used above
                        unmapped[key] = unmapped.get(key, 0) + 1
                    continue
                if value is None and fs.kind in (KIND_REF, KIND_REFS):
                    continue  # the live feed leaves an absent relation out
                values[fs.attr] = convert_value(fs, value)
            downloadable = category in DOWNLOADABLE and record.get("ContentType") is not None
            entity = entity_xml(
                spec,
                values,
                id=record["Id"],
                bijgewerkt=bijgewerkt(category, record["GewijzigdOp"]),
                verwijderd=bool(record.get("Verwijderd")),
                content_type=record.get("ContentType") if downloadable else None,
                content_length=record.get("ContentLength") if downloadable else None,
            )
            token += 1
            entries.append(
                entry_xml(
                    spec,
                    entity,
                    token=token,
                    updated=record["ApiGewijzigdOp"],
                    enclosure=downloadable,
                )
            )
        first = FIRST_TOKEN if not number else None
        page = feed_page(category, entries, first, updated="2025-10-03T00:00:00.000000+02:00")
        (dst / f"{number:02d}-{category.lower()}.xml").write_bytes(page)
        report[category] = {"records": len(entries), "unmapped": unmapped, "skipped": skipped}
    (dst / "conversion.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    return report


if __name__ == "__main__":
    print(json.dumps(convert(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
