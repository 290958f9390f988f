"""DocumentActor: an actor (author, signer …) of a Document."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class DocumentActor(Entity):
    CATEGORY = "DocumentActor"
    ELEMENT = "documentActor"

    document_id: str | None = ref()
    persoon_id: str | None = ref()
    fractie_id: str | None = ref()
    commissie_id: str | None = ref()
    actor_naam: str | None = text()
    actor_fractie: str | None = text()
    functie: str | None = text()
    relatie: str | None = text()
    sid_actor: str | None = text()


SPEC: CategorySpec = make_spec(DocumentActor)


def parse(xml: bytes) -> DocumentActor | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`DocumentActor` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
