"""Agendapunt: an item on the agenda of an Activiteit."""

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
    ref,
    text,
)


@dataclass(slots=True, kw_only=True)
class Agendapunt(Entity):
    CATEGORY = "Agendapunt"
    ELEMENT = "agendapunt"

    activiteit_id: str | None = ref()
    nummer: str | None = text()
    onderwerp: str | None = text()
    aanvangstijd: str | None = datetime_()
    eindtijd: str | None = datetime_()
    volgorde: int | None = integer()
    rubriek: str | None = text()
    noot: str | None = text()
    status: str | None = text()


SPEC: CategorySpec = make_spec(Agendapunt)


def parse(xml: bytes) -> Agendapunt | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Agendapunt` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
