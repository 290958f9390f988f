"""Besluit: a decision taken on an Agendapunt about one or more zaken."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    refs,
    text,
)


@dataclass(slots=True, kw_only=True)
class Besluit(Entity):
    CATEGORY = "Besluit"
    ELEMENT = "besluit"

    agendapunt_id: str | None = ref()
    zaak_ids: tuple[str, ...] = refs()
    stemmings_soort: str | None = text()
    besluit_soort: str | None = text()
    besluit_tekst: str | None = text()
    opmerking: str | None = text()
    status: str | None = text()
    agendapunt_zaak_besluit_volgorde: int | None = integer()


SPEC: CategorySpec = make_spec(Besluit)


def parse(xml: bytes) -> Besluit | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Besluit` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
