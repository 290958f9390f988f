"""Kamerstukdossier: a dossier of parliamentary papers (number plus optional toevoeging)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    boolean,
    integer,
    make_spec,
    parse_entity_bytes,
    text,
)


@dataclass(slots=True, kw_only=True)
class Kamerstukdossier(Entity):
    CATEGORY = "Kamerstukdossier"
    ELEMENT = "kamerstukdossier"

    titel: str | None = text()
    citeertitel: str | None = text()
    alias: str | None = text()
    nummer: int | None = integer()
    toevoeging: str | None = text()
    hoogste_volgnummer: int | None = integer()
    afgesloten: bool | None = boolean()
    kamer: str | None = text()


SPEC: CategorySpec = make_spec(Kamerstukdossier)


def parse(xml: bytes) -> Kamerstukdossier | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Kamerstukdossier` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
