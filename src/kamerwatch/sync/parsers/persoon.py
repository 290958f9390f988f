"""Persoon: a (former) member of parliament or government; the photo is downloadable."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    DownloadEntity,
    Tombstone,
    date_,
    make_spec,
    parse_entity_bytes,
    text,
)


@dataclass(slots=True, kw_only=True)
class Persoon(DownloadEntity):
    CATEGORY = "Persoon"
    ELEMENT = "persoon"

    nummer: str | None = text()
    titels: str | None = text()
    initialen: str | None = text()
    tussenvoegsel: str | None = text()
    achternaam: str | None = text()
    voornamen: str | None = text()
    roepnaam: str | None = text()
    geslacht: str | None = text()
    functie: str | None = text()
    geboortedatum: str | None = date_()
    geboorteplaats: str | None = text()
    geboorteland: str | None = text()
    overlijdensdatum: str | None = date_()
    overlijdensplaats: str | None = text()
    woonplaats: str | None = text()
    land: str | None = text()
    fractielabel: str | None = text()


SPEC: CategorySpec = make_spec(Persoon)


def parse(xml: bytes) -> Persoon | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Persoon` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
