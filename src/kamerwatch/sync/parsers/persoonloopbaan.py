"""PersoonLoopbaan: one step in the career of a Persoon."""

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
class PersoonLoopbaan(Entity):
    CATEGORY = "PersoonLoopbaan"
    ELEMENT = "persoonLoopbaan"

    persoon_id: str | None = ref()
    functie: str | None = text()
    werkgever: str | None = text()
    omschrijving_nl: str | None = text()
    omschrijving_en: str | None = text()
    plaats: str | None = text()
    van: str | None = datum()
    tot_en_met: str | None = datum()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonLoopbaan)


def parse(xml: bytes) -> PersoonLoopbaan | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonLoopbaan` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
