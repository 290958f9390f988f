"""The meeting a VLOS verslag describes: speakers, speeches, interruptions, motions, votes.

Plain data for `vlos.vlos_xml`; the sample parliament builds these from its own people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class VlosSpeaker:
    """A person speaking; `persoon_id` is the Persoon GUID (the spreker's objectid)."""

    persoon_id: str
    voornaam: str
    achternaam: str
    tussenvoegsel: str = ""
    fractie: str | None = None  # afkorting; None for cabinet members and outsiders
    functie: str = "lid Tweede Kamer"  # or "minister van Defensie", "staatssecretaris van …"
    vrouw: bool = False

    @property
    def soort(self) -> str:
        f = self.functie.lower()
        if f.startswith(("minister", "minister-president")):
            return "Minister"
        if f.startswith("staatssecretaris"):
            return "Staatssecretaris"
        if "tweede kamer" in f or "kamerlid" in f or f == "voorzitter":
            return "Tweede Kamerlid"
        return "Externe spreker"

    @property
    def verslagnaam(self) -> str:
        """As the verslag names the speaker: "Van der Lee"."""
        if self.tussenvoegsel:
            return f"{self.tussenvoegsel[:1].upper()}{self.tussenvoegsel[1:]} {self.achternaam}"
        return self.achternaam

    @property
    def aanhef(self) -> str:
        return "Mevrouw" if self.vrouw else "De heer"


@dataclass(frozen=True)
class VlosInterruption:
    """An interruption of a speech; `reply` is the speaker's answer to it (may be empty)."""

    speaker: VlosSpeaker
    paragraphs: list[str]
    reply: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VlosSpeech:
    speaker: VlosSpeaker
    paragraphs: list[str]
    interruptions: list[VlosInterruption] = field(default_factory=list)


@dataclass(frozen=True)
class VlosMotion:
    """A motion submitted in the debate. `paragraphs` is the text from "De Kamer," on."""

    nummer: str  # stuknummer
    dossiernummer: str
    titel: str
    indieners: list[VlosSpeaker]
    paragraphs: list[str] = field(default_factory=list)
    zaak_id: str = ""  # Zaak GUID; derived when empty
    parlisid: str = ""  # Zaak nummer, e.g. "2026Z01234"


@dataclass(frozen=True)
class VlosVote:
    """A vote per fractie in a Stemmingen item."""

    titel: str
    uitslag: str  # "Aangenomen" or "Verworpen"
    stemmen: list[tuple[str, str]]  # (fractie afkorting, "Voor" | "Tegen")


@dataclass(frozen=True)
class VlosItem:
    """An agenda item: one `activiteit` of the verslag."""

    titel: str
    speeches: list[VlosSpeech] = field(default_factory=list)
    motions: list[VlosMotion] = field(default_factory=list)
    votes: list[VlosVote] = field(default_factory=list)
    soort: str = "Plenair debat"  # activiteitsoort: "Commissiedebat", "Stemmingen", …
    parlisid: str = ""  # Activiteit nummer, e.g. "2026A01234"
    onderwerp: str | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VlosCommissie:
    commissie_id: str
    afkorting: str
    naam: str  # "vaste commissie voor Defensie"
    voortouw: bool = True


@dataclass(frozen=True)
class VlosMeeting:
    vergadering_id: str
    soort: str  # "Plenair" or "Commissie"
    datum: date
    aanvang: datetime
    sluiting: datetime
    titel: str
    zaal: str
    voorzitter: VlosSpeaker
    vergaderjaar: str
    nummer: int
    items: list[VlosItem]
    aanwezig: list[VlosSpeaker] = field(default_factory=list)  # default: everyone who speaks
    commissies: list[VlosCommissie] = field(default_factory=list)
    verslag_id: str = ""  # derived when empty
    status: str = "Ongecorrigeerd"
    publicatie: str = "Tussenpublicatie"
