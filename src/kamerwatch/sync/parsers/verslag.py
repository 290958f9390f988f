"""Verslag: the VLOS report of a Vergadering, downloadable (``ns1:`` prefixed in the feed)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import CategorySpec, DownloadEntity, Tombstone, make_spec, parse_entity_bytes, ref, text


@dataclass(slots=True, kw_only=True)
class Verslag(DownloadEntity):
    CATEGORY = "Verslag"
    ELEMENT = "verslag"

    vergadering_id: str | None = ref()
    soort: str | None = text()
    status: str | None = text()


SPEC: CategorySpec = make_spec(Verslag)


def parse(xml: bytes) -> Verslag | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Verslag` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
