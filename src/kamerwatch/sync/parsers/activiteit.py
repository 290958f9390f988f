"""Activiteit: a debate, meeting or other scheduled parliamentary activity."""

from __future__ import annotations

from dataclasses import dataclass

from .base import (
    CategorySpec,
    Entity,
    Tombstone,
    boolean,
    datetime_,
    make_spec,
    parse_entity_bytes,
    ref,
    refs,
    text,
)


@dataclass(slots=True, kw_only=True)
class Activiteit(Entity):
    CATEGORY = "Activiteit"
    ELEMENT = "activiteit"

    voortouwcommissie_id: str | None = ref()
    # 0..1 in the XSD, but repeated in real data (spec §3.1 rule 6): kept as 0..n
    voortgezet_vanuit_ids: tuple[str, ...] = refs()
    vervangen_vanuit_ids: tuple[str, ...] = refs()
    soort: str | None = text()
    nummer: str | None = text()
    onderwerp: str | None = text()
    datum_soort: str | None = text()
    datum: str | None = datetime_()
    aanvangstijd: str | None = datetime_()
    eindtijd: str | None = datetime_()
    locatie: str | None = text()
    besloten: bool | None = boolean()
    status: str | None = text()
    vergaderjaar: str | None = text()
    kamer: str | None = text()
    noot: str | None = text()
    vrs_nummer: str | None = text()
    sid_voortouw: str | None = text()
    voortouwnaam: str | None = text()
    voortouwafkorting: str | None = text()
    voortouwkortenaam: str | None = text()
    aanvraagdatum: str | None = datetime_()
    datum_verzoek_eerste_verlenging: str | None = datetime_()
    datum_mededeling_eerste_verlenging: str | None = datetime_()
    datum_verzoek_tweede_verlenging: str | None = datetime_()
    datum_mededeling_tweede_verlenging: str | None = datetime_()
    vervaldatum: str | None = datetime_()


SPEC: CategorySpec = make_spec(Activiteit)


def parse(xml: bytes) -> Activiteit | Tombstone:
    """Pure: entity or ``<entry>`` XML → :class:`Activiteit` or :class:`Tombstone`."""
    return parse_entity_bytes(SPEC, xml)  # type: ignore[return-value]
