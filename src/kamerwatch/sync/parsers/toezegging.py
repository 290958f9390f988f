"""Toezegging: a commitment made by a bewindspersoon (``ns1:`` prefixed in the feed)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    datetime_,
    make_spec,
    parse_entity_bytes,
    ref,
    refs_bijgewerkt,
    text,
)


@dataclass(slots=True, kw_only=True)
class Toezegging(Entity):
    CATEGORY = "Toezegging"
    ELEMENT = "toezegging"

    toegezegd_aan_fractie_id: str | None = ref()
    toegezegd_aan_persoon_id: str | None = ref()
    is_herhaling_van_ids: tuple[tuple[str, str | None], ...] = refs_bijgewerkt()
    is_aanvulling_op_ids: tuple[tuple[str, str | None], ...] = refs_bijgewerkt()
    is_wijziging_van_ids: tuple[tuple[str, str | None], ...] = refs_bijgewerkt()
    aanmaakdatum: str | None = datetime_()
    nummer: str | None = text()
    activiteit_id: str | None = ref()
    activiteit_nummer: str | None = text()
    naam: str | None = text()
    achternaam: str | None = text()
    initialen: str | None = text()
    tussenvoegsel: str | None = text()
    voornaam: str | None = text()
    achtervoegsel: str | None = text()
    titulatuur: str | None = text()
    functie: str | None = text()
    status: str | None = text()
    datum_nakoming: str | None = datetime_()
    kamerbrief_nakoming: str | None = text()
    ministerie: str | None = text()
    tekst: str | None = text()


SPEC: CategorySpec = make_spec(Toezegging)


def parse(xml: bytes) -> Toezegging | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Toezegging` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
