"""CommissieZetelVervangerPersoon: a member holding a CommissieZetel as substitute over a period."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, date_, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class CommissieZetelVervangerPersoon(Entity):
    CATEGORY = "CommissieZetelVervangerPersoon"
    ELEMENT = "commissieZetelVervangerPersoon"

    commissie_zetel_id: str | None = ref()
    persoon_id: str | None = ref()
    functie: str | None = text()
    van: str | None = date_()
    tot_en_met: str | None = date_()


SPEC: CategorySpec = make_spec(CommissieZetelVervangerPersoon)


def parse(xml: bytes) -> CommissieZetelVervangerPersoon | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`CommissieZetelVervangerPersoon` or tombstone."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
