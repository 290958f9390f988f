"""PersoonGeschenk: a gift a member received and registered."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    date_,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    text,
)


@dataclass(slots=True, kw_only=True)
class PersoonGeschenk(Entity):
    CATEGORY = "PersoonGeschenk"
    ELEMENT = "persoonGeschenk"

    persoon_id: str | None = ref()
    omschrijving: str | None = text()
    datum: str | None = date_()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonGeschenk)


def parse(xml: bytes) -> PersoonGeschenk | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonGeschenk` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
