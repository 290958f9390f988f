"""Commissie: a parliamentary committee."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, date_, make_spec, parse_entity_bytes, text


@dataclass(slots=True, kw_only=True)
class Commissie(Entity):
    CATEGORY = "Commissie"
    ELEMENT = "commissie"

    nummer: str | None = text()
    soort: str | None = text()
    afkorting: str | None = text()
    naam_nl: str | None = text()
    naam_en: str | None = text()
    naam_web_nl: str | None = text()
    naam_web_en: str | None = text()
    inhoudsopgave: str | None = text()
    datum_actief: str | None = date_()
    datum_inactief: str | None = date_()


SPEC: CategorySpec = make_spec(Commissie)


def parse(xml: bytes) -> Commissie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Commissie` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
