"""PersoonReis: a trip of a member paid for by a third party."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    datum,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    text,
)


@dataclass(slots=True, kw_only=True)
class PersoonReis(Entity):
    CATEGORY = "PersoonReis"
    ELEMENT = "persoonReis"

    persoon_id: str | None = ref()
    doel: str | None = text()
    bestemming: str | None = text()
    van: str | None = datum()
    tot_en_met: str | None = datum()
    betaald_door: str | None = text()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonReis)


def parse(xml: bytes) -> PersoonReis | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonReis` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
