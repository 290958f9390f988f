"""CommissieContactinformatie: one contact channel of a Commissie."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class CommissieContactinformatie(Entity):
    CATEGORY = "CommissieContactinformatie"
    ELEMENT = "commissieContactinformatie"

    commissie_id: str | None = ref()
    soort: str | None = text()
    waarde: str | None = text()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(CommissieContactinformatie)


def parse(xml: bytes) -> CommissieContactinformatie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`CommissieContactinformatie` or tombstone."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
