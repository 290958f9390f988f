"""PersoonNevenfunctieInkomsten: income from a member's side job, per year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .base import CategorySpec, Entity, Tombstone, decimal, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class PersoonNevenfunctieInkomsten(Entity):
    CATEGORY = "PersoonNevenfunctieInkomsten"
    ELEMENT = "persoonNevenfunctieInkomsten"

    persoon_nevenfunctie_id: str | None = ref()
    jaar: str | None = text()
    bedrag_soort: str | None = text()
    bedrag_voorvoegsel: str | None = text()
    bedrag_valuta: str | None = text()
    bedrag: Decimal | None = decimal()  # noqa: RUF009 (Decimal is immutable)
    bedrag_achtervoegsel: str | None = text()
    frequentie: str | None = text()
    frequentie_beschrijving: str | None = text()
    opmerking: str | None = text()


SPEC: CategorySpec = make_spec(PersoonNevenfunctieInkomsten)


def parse(xml: bytes) -> PersoonNevenfunctieInkomsten | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`PersoonNevenfunctieInkomsten` or tombstone."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
