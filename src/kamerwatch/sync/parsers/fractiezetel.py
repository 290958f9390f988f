"""FractieZetel: one seat of a Fractie (``gewicht`` = seat ordinal)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, ref


@dataclass(slots=True, kw_only=True)
class FractieZetel(Entity):
    CATEGORY = "FractieZetel"
    ELEMENT = "fractieZetel"

    fractie_id: str | None = ref()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(FractieZetel)


def parse(xml: bytes) -> FractieZetel | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`FractieZetel` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
