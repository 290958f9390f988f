"""CommissieZetel: one seat in a Commissie."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, ref


@dataclass(slots=True, kw_only=True)
class CommissieZetel(Entity):
    CATEGORY = "CommissieZetel"
    ELEMENT = "commissieZetel"

    commissie_id: str | None = ref()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(CommissieZetel)


def parse(xml: bytes) -> CommissieZetel | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`CommissieZetel` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
