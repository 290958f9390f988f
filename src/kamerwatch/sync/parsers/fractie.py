"""Fractie: a parliamentary party group; the logo is downloadable."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    DownloadEntity,
    Tombstone,
    date_,
    integer,
    make_spec,
    parse_entity_bytes,
    text,
)


@dataclass(slots=True, kw_only=True)
class Fractie(DownloadEntity):
    CATEGORY = "Fractie"
    ELEMENT = "fractie"

    nummer: str | None = text()
    afkorting: str | None = text()
    naam_nl: str | None = text()
    naam_en: str | None = text()
    aantal_zetels: int | None = integer()
    aantal_stemmen: int | None = integer()
    datum_actief: str | None = date_()
    datum_inactief: str | None = date_()


SPEC: CategorySpec = make_spec(Fractie)


def parse(xml: bytes) -> Fractie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Fractie` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
