"""Zaal: a meeting room of the Kamer."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, Entity, Tombstone, integer, make_spec, parse_entity_bytes, text


@dataclass(slots=True, kw_only=True)
class Zaal(Entity):
    CATEGORY = "Zaal"
    ELEMENT = "zaal"

    naam: str | None = text()
    sys_code: int | None = integer()


SPEC: CategorySpec = make_spec(Zaal)


def parse(xml: bytes) -> Zaal | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Zaal` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
