"""Reservering: a reservation of a Zaal for one or more activiteiten."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, make_spec, parse_entity_bytes, ref, refs, text


@dataclass(slots=True, kw_only=True)
class Reservering(Entity):
    CATEGORY = "Reservering"
    ELEMENT = "reservering"

    activiteit_ids: tuple[str, ...] = refs()
    zaal_id: str | None = ref()
    nummer: str | None = text()
    status_code: str | None = text()
    status_naam: str | None = text()
    activiteit_nummer: str | None = text()


SPEC: CategorySpec = make_spec(Reservering)


def parse(xml: bytes) -> Reservering | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Reservering` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
