"""PersoonContactinformatie: one contact channel (e-mail, website, social media) of a Persoon."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class PersoonContactinformatie(Entity):
    CATEGORY = "PersoonContactinformatie"
    ELEMENT = "persoonContactinformatie"

    persoon_id: str | None = ref()
    soort: str | None = text()
    waarde: str | None = text()
    gewicht: int | None = integer()


SPEC: CategorySpec = make_spec(PersoonContactinformatie)


def parse(xml: bytes) -> PersoonContactinformatie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonContactinformatie` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
