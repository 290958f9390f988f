"""Stemming: one vote — of a fractie, or of one member in a hoofdelijke stemming."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    boolean,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    text,
)


@dataclass(slots=True, kw_only=True)
class Stemming(Entity):
    CATEGORY = "Stemming"
    ELEMENT = "stemming"

    besluit_id: str | None = ref()
    persoon_id: str | None = ref()
    fractie_id: str | None = ref()
    soort: str | None = text()
    fractie_grootte: int | None = integer()
    actor_naam: str | None = text()
    actor_fractie: str | None = text()
    vergissing: bool | None = boolean()
    sid_actor_lid: str | None = text()
    sid_actor_fractie: str | None = text()


SPEC: CategorySpec = make_spec(Stemming)


def parse(xml: bytes) -> Stemming | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Stemming` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
