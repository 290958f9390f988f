"""CommissieZetelVastPersoon: a member holding a CommissieZetel as full member over a period."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, date_, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class CommissieZetelVastPersoon(Entity):
    CATEGORY = "CommissieZetelVastPersoon"
    ELEMENT = "commissieZetelVastPersoon"

    commissie_zetel_id: str | None = ref()
    persoon_id: str | None = ref()
    functie: str | None = text()
    van: str | None = date_()
    tot_en_met: str | None = date_()


SPEC: CategorySpec = make_spec(CommissieZetelVastPersoon)


def parse(xml: bytes) -> CommissieZetelVastPersoon | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`CommissieZetelVastPersoon` or tombstone."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
