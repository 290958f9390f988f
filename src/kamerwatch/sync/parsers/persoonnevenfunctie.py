"""PersoonNevenfunctie: a side job of a member; ``periode`` and ``vergoeding`` are nested."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    boolean,
    datum,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    text,
)


@dataclass(slots=True, kw_only=True)
class PersoonNevenfunctie(Entity):
    CATEGORY = "PersoonNevenfunctie"
    ELEMENT = "persoonNevenfunctie"

    persoon_id: str | None = ref()
    omschrijving: str | None = text()
    is_actief: bool | None = boolean()
    periode_van: str | None = datum("periode/van")
    periode_tot_en_met: str | None = datum("periode/totEnMet")
    vergoeding_soort: str | None = text("vergoeding/soort")
    vergoeding_toelichting: str | None = text("vergoeding/toelichting")
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonNevenfunctie)


def parse(xml: bytes) -> PersoonNevenfunctie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonNevenfunctie` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
