"""ActiviteitActor: a participant of an Activiteit (a Persoon, Fractie or Commissie)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class ActiviteitActor(Entity):
    CATEGORY = "ActiviteitActor"
    ELEMENT = "activiteitActor"

    activiteit_id: str | None = ref()
    persoon_id: str | None = ref()
    fractie_id: str | None = ref()
    commissie_id: str | None = ref()
    actor_naam: str | None = text()
    actor_fractie: str | None = text()
    relatie: str | None = text()
    volgorde: int | None = integer()
    functie: str | None = text()
    spreektijd: str | None = text()
    sid_actor: str | None = text()


SPEC: CategorySpec = make_spec(ActiviteitActor)


def parse(xml: bytes) -> ActiviteitActor | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`ActiviteitActor` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
