"""DocumentVersie: one version of a Document."""

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
class DocumentVersie(Entity):
    CATEGORY = "DocumentVersie"
    ELEMENT = "documentVersie"

    document_id: str | None = ref()
    status: str | None = text()
    versienummer: int | None = integer()
    bestandsgrootte: int | None = integer()
    extensie: str | None = text()
    datum: str | None = datetime_()
    externeidentifier: str | None = text()


SPEC: CategorySpec = make_spec(DocumentVersie)


def parse(xml: bytes) -> DocumentVersie | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`DocumentVersie` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
