"""Zaak: a case (motie, wetsvoorstel, brief …) dealt with by the Kamer."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    boolean,
    datetime_,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    refs,
    text,
)


@dataclass(slots=True, kw_only=True)
class Zaak(Entity):
    CATEGORY = "Zaak"
    ELEMENT = "zaak"

    kamerstukdossier_id: str | None = ref()
    activiteit_ids: tuple[str, ...] = refs()
    agendapunt_ids: tuple[str, ...] = refs()
    gerelateerd_vanuit_ids: tuple[str, ...] = refs()
    vervangen_vanuit_ids: tuple[str, ...] = refs()
    nummer: str | None = text()
    soort: str | None = text()
    onderwerp: str | None = text()
    gestart_op: str | None = datetime_()
    organisatie: str | None = text()
    titel: str | None = text()
    citeertitel: str | None = text()
    alias: str | None = text()
    grondslagvoorhang: str | None = text()
    termijn: str | None = datetime_()
    vergaderjaar: str | None = text()
    volgnummer: int | None = integer()
    status: str | None = text()
    huidige_behandelstatus: str | None = text()
    afgedaan: bool | None = boolean()
    groot_project: bool | None = boolean()
    kabinetsappreciatie: str | None = text()


SPEC: CategorySpec = make_spec(Zaak)


def parse(xml: bytes) -> Zaak | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Zaak` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
