"""Document: a parliamentary document; the file is downloadable."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    DownloadEntity,
    Tombstone,
    datetime_,
    integer,
    make_spec,
    parse_entity_bytes,
    ref,
    refs,
    text,
)


@dataclass(slots=True, kw_only=True)
class Document(DownloadEntity):
    CATEGORY = "Document"
    ELEMENT = "document"

    huidige_document_versie_id: str | None = ref()
    bron_document_ids: tuple[str, ...] = refs()
    activiteit_ids: tuple[str, ...] = refs()
    agendapunt_ids: tuple[str, ...] = refs()
    zaak_ids: tuple[str, ...] = refs()
    kamerstukdossier_id: str | None = ref()
    soort: str | None = text()
    document_nummer: str | None = text()
    titel: str | None = text()
    onderwerp: str | None = text()
    datum: str | None = datetime_()
    volgnummer: int | None = integer()
    vergaderjaar: str | None = text()
    kamer: int | None = integer()
    citeertitel: str | None = text()
    alias: str | None = text()
    datum_registratie: str | None = datetime_()
    datum_ontvangst: str | None = datetime_()
    aanhangselnummer: str | None = text()
    kenmerk_afzender: str | None = text()
    organisatie: str | None = text()


SPEC: CategorySpec = make_spec(Document)


def parse(xml: bytes) -> Document | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Document` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
