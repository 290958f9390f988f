"""ZaakActor: an actor of a Zaak (indiener, voortouwcommissie …)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class ZaakActor(Entity):
    CATEGORY = "ZaakActor"
    ELEMENT = "zaakActor"

    zaak_id: str | None = ref()
    persoon_id: str | None = ref()
    fractie_id: str | None = ref()
    commissie_id: str | None = ref()
    actor_naam: str | None = text()
    actor_fractie: str | None = text()
    actor_afkorting: str | None = text()
    functie: str | None = text()
    relatie: str | None = text()
    sid_actor: str | None = text()


SPEC: CategorySpec = make_spec(ZaakActor)


def parse(xml: bytes) -> ZaakActor | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`ZaakActor` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
