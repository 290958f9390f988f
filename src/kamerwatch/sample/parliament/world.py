"""The static part of the sample parliament: parties, people, seats, cabinet, committees.

Everything here is small (a few hundred records) and built once from the seed; the weekly
timeline (:mod:`.timeline`) refers to it. GUIDs come from :func:`ids.guid`, so the same
seed always yields the same identifiers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import names
from .ids import Ids


@dataclass
class Person:
    id: str
    nummer: str
    voornaam: str
    tussenvoegsel: str
    achternaam: str
    geslacht: str
    geboortedatum: date
    woonplaats: str
    fractie: str | None  # afkorting of the current or last fractie
    sitting: bool
    van: date  # start of the (last) membership
    tot: date | None = None
    bewindspersoon: str | None = None  # "minister van …" for cabinet members
    ministerie: str | None = None

    @property
    def initialen(self) -> str:
        return self.voornaam[0] + "."

    @property
    def achternaam_vol(self) -> str:
        return f"{self.tussenvoegsel} {self.achternaam}".strip()

    @property
    def naam(self) -> str:
        """How the feed names actors, e.g. B. van Dalhuis."""
        return f"{self.initialen} {self.achternaam_vol}"

    @property
    def volledige_naam(self) -> str:
        return f"{self.voornaam} {self.achternaam_vol}"

    @property
    def aanhef(self) -> str:
        """As in "het lid Van Dalhuis": the tussenvoegsel capitalised, as in Kamerstukken."""
        tv = self.tussenvoegsel
        return (tv[:1].upper() + tv[1:] + " " if tv else "") + self.achternaam


@dataclass
class Fractie:
    id: str
    nummer: str
    afkorting: str
    naam: str
    naam_en: str
    zetels: int
    actief: bool
    members: list[Person] = field(default_factory=list)


@dataclass
class Commissie:
    id: str
    nummer: str
    afkorting: str
    naam: str  # "vaste commissie voor Financiën"
    soort: str
    ministerie: str | None
    bewindspersoon: Person | None
    themes: tuple[str, ...]
    actief: bool
    members: list[tuple[Person, str]] = field(default_factory=list)  # (person, functie)


@dataclass
class World:
    today: date
    fracties: list[Fractie]
    persons: list[Person]
    sitting: list[Person]
    cabinet: list[Person]
    commissies: list[Commissie]
    zalen: list[tuple[str, str]]  # (id, naam)

    def fractie(self, afkorting: str) -> Fractie:
        return next(f for f in self.fracties if f.afkorting == afkorting)

    @property
    def active_fracties(self) -> list[Fractie]:
        return [f for f in self.fracties if f.actief]

    @property
    def active_commissies(self) -> list[Commissie]:
        return [c for c in self.commissies if c.actief and c.ministerie]


def _surname(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(names.SURNAME_HEADS) + rng.choice(names.SURNAME_TAILS)
        if name not in names.FORBIDDEN_SURNAMES and name not in used:
            used.add(name)
            return name


def _person(rng: random.Random, ids: Ids, used: set[str], today: date, **kw: object) -> Person:
    female = rng.random() < 0.45
    pid = ids.next("Persoon")
    born = today - timedelta(days=rng.randint(27 * 365, 68 * 365))
    return Person(
        id=pid,
        nummer=str(ids.counter("persoon.nummer", 7000)),
        voornaam=rng.choice(names.FIRST_NAMES_F if female else names.FIRST_NAMES_M),
        tussenvoegsel=rng.choice(names.TUSSENVOEGSELS),
        achternaam=_surname(rng, used),
        geslacht="vrouw" if female else "man",
        geboortedatum=born,
        woonplaats=rng.choice(names.PLACES),
        **kw,  # type: ignore[arg-type]
    )


def build_world(rng: random.Random, ids: Ids, today: date, span_days: int) -> World:
    """Parties with their members (150 sitting + former), the cabinet and the committees."""
    used: set[str] = set()
    term_start = today - timedelta(days=max(span_days + 60, 400))
    fracties: list[Fractie] = []
    persons: list[Person] = []
    for afk, naam, naam_en, zetels in names.FRACTIES:
        f = Fractie(
            ids.next("Fractie"),
            str(ids.counter("fractie.nummer", 3000)),
            afk,
            naam,
            naam_en,
            zetels,
            True,
        )
        for _ in range(zetels):
            p = _person(rng, ids, used, today, fractie=afk, sitting=True, van=term_start)
            f.members.append(p)
        fracties.append(f)
        persons.extend(f.members)
    sitting = list(persons)
    # Seat history: some members left during the term, succeeded in the same seat.
    for f in fracties:
        for _ in range(1 if f.zetels >= 9 else 0):
            successor = f.members[rng.randrange(len(f.members))]
            left = term_start + timedelta(
                days=rng.randint(30, max(31, (today - term_start).days - 30))
            )
            former = _person(
                rng,
                ids,
                used,
                today,
                fractie=f.afkorting,
                sitting=False,
                van=term_start,
                tot=left - timedelta(days=1),
            )
            successor.van = left
            f.members.append(former)
            persons.append(former)
    for afk, naam, naam_en in names.FORMER_FRACTIES:
        f = Fractie(
            ids.next("Fractie"),
            str(ids.counter("fractie.nummer", 3000)),
            afk,
            naam,
            naam_en,
            0,
            False,
        )
        for _ in range(rng.randint(1, 3)):
            p = _person(
                rng,
                ids,
                used,
                today,
                fractie=afk,
                sitting=False,
                van=term_start - timedelta(days=4 * 365),
                tot=term_start - timedelta(days=1),
            )
            f.members.append(p)
            persons.append(p)
        fracties.append(f)
    cabinet: list[Person] = []
    commissies: list[Commissie] = []
    for afk, naam, ministerie, titel, themes in names.COMMISSIES:
        minister = _person(
            rng,
            ids,
            used,
            today,
            fractie=None,
            sitting=False,
            van=term_start,
            bewindspersoon=titel,
            ministerie=ministerie,
        )
        cabinet.append(minister)
        persons.append(minister)
        c = Commissie(
            ids.next("Commissie"),
            str(ids.counter("commissie.nummer", 62000)),
            afk,
            f"vaste commissie voor {naam}",
            "Vaste commissies",
            ministerie,
            minister,
            themes,
            True,
        )
        commissies.append(c)
    for afk, naam, soort, dormant in names.OTHER_COMMISSIES:
        commissies.append(
            Commissie(
                ids.next("Commissie"),
                str(ids.counter("commissie.nummer", 62000)),
                afk,
                naam,
                soort,
                None,
                None,
                (),
                not dormant,
            )
        )
    for c in commissies:
        pool = rng.sample(sitting, 13 if c.ministerie else 7)
        for i, p in enumerate(pool):
            c.members.append(
                (p, "Voorzitter" if i == 0 else "Ondervoorzitter" if i == 1 else "Lid")
            )
    zalen = [(ids.next("Zaal"), z) for z in names.ZALEN]
    return World(today, fracties, persons, sitting, cabinet, commissies, zalen)
