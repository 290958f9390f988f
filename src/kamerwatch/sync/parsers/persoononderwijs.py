"""PersoonOnderwijs: one education (opleiding) of a Persoon."""

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
class PersoonOnderwijs(Entity):
    CATEGORY = "PersoonOnderwijs"
    ELEMENT = "persoonOnderwijs"

    persoon_id: str | None = ref()
    opleiding_nl: str | None = text()
    opleiding_en: str | None = text()
    instelling: str | None = text()
    plaats: str | None = text()
    van: str | None = datum()
    tot_en_met: str | None = datum()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonOnderwijs)


def parse(xml: bytes) -> PersoonOnderwijs | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonOnderwijs` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
