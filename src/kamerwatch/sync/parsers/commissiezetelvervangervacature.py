"""CommissieZetelVervangerVacature: a substitute seat in a Commissie vacant for a Fractie."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, date_, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class CommissieZetelVervangerVacature(Entity):
    CATEGORY = "CommissieZetelVervangerVacature"
    ELEMENT = "commissieZetelVervangerVacature"

    commissie_zetel_id: str | None = ref()
    fractie_id: str | None = ref()
    functie: str | None = text()
    van: str | None = date_()
    tot_en_met: str | None = date_()


SPEC: CategorySpec = make_spec(CommissieZetelVervangerVacature)


def parse(xml: bytes) -> CommissieZetelVervangerVacature | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`CommissieZetelVervangerVacature` or tombstone."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
