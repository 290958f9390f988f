"""Toezegging: a commitment made by a bewindspersoon (``ns1:`` prefixed in the feed)."""

# To whom it was promised comes in two forms: the XSD's ``toegezegdAanPersoon`` /
# ``toegezegdAanFractie`` (0..1 each), and what the live feed writes instead,
# ``<toegezegdAan><persoon ref/><fractie ref/></toegezegdAan>``, possibly repeated (spec
# §3.2, OpenDataPortaal issue #180). Both are read; every occurrence of the nested form is
# kept in order (``link`` rows ``toegezegdAan/persoon`` and ``toegezegdAan/fractie``). A
# repeated ``kamerbriefNakoming`` keeps its further values in ``extra``
# (``kamerbriefNakoming#2`` …), where the toezegging page finds them all.

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
    refs,
    refs_bijgewerkt,
    text,
)


@dataclass(slots=True, kw_only=True)
class Toezegging(Entity):
    CATEGORY = "Toezegging"
    ELEMENT = "toezegging"

    toegezegd_aan_fractie_id: str | None = ref()
    toegezegd_aan_persoon_id: str | None = ref()
    # the live feed's nested form, every occurrence in order
    toegezegd_aan_persoon_ids: tuple[str, ...] = refs("toegezegdAan/persoon")
    toegezegd_aan_fractie_ids: tuple[str, ...] = refs("toegezegdAan/fractie")
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
