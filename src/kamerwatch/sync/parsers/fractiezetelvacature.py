"""FractieZetelVacature: a FractieZetel left vacant over a period."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, date_, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class FractieZetelVacature(Entity):
    CATEGORY = "FractieZetelVacature"
    ELEMENT = "fractieZetelVacature"

    fractie_zetel_id: str | None = ref()
    functie: str | None = text()
    van: str | None = date_()
    tot_en_met: str | None = date_()


SPEC: CategorySpec = make_spec(FractieZetelVacature)


def parse(xml: bytes) -> FractieZetelVacature | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`FractieZetelVacature` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
