"""Vergadering: a plenary or committee sitting (``ns1:`` prefixed in the feed)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    datetime_,
    integer,
    make_spec,
    parse_entity_bytes,
    text,
)


@dataclass(slots=True, kw_only=True)
class Vergadering(Entity):
    CATEGORY = "Vergadering"
    ELEMENT = "vergadering"

    soort: str | None = text()
    titel: str | None = text()
    zaal: str | None = text()
    vergaderjaar: str | None = text()
    vergadering_nummer: int | None = integer()
    datum: str | None = datetime_()
    aanvangstijd: str | None = datetime_()
    sluiting: str | None = datetime_()
    kamer: str | None = text()


SPEC: CategorySpec = make_spec(Vergadering)


def parse(xml: bytes) -> Vergadering | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Vergadering` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
