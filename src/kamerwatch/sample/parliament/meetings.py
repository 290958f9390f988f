"""Activities, agenda items, rooms, meetings and their verslagen of the sample parliament."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..texts import vergaderjaar
from .world import Commissie, Person
from .zaken import Ctx

SPEECH_OPENERS = (
    "Voorzitter, dank u wel.",
    "Dank u wel, voorzitter.",
    "Voorzitter, ik wil beginnen met een compliment aan de mensen in het veld.",
    "Voorzitter, dit debat gaat over de vraag wat er nodig is om de problemen echt op te lossen.",
)
SPEECH_LINES = (
    "Wij krijgen veel signalen dat het rond {thema} vastloopt, en dat raakt mensen direct.",
    "Kan de minister toezeggen dat de Kamer voor de zomer een brief krijgt over {thema}?",
    "Mijn fractie vindt dat de aanpak van {thema} te traag gaat.",
    "Hoe verhoudt het voorstel over {thema} zich tot de afspraken in het hoofdlijnenakkoord?",
    "De uitvoering van {thema} moet eenvoudiger, voor burgers én voor ambtenaren.",
    "Ik overweeg op dit punt een motie in te dienen over {thema}.",
    "De cijfers over {thema} laten zien dat het kabinet zijn doelen niet haalt.",
)
ANSWER_LINES = (
    "Ik deel de zorg van de leden over {thema}.",
    "Ik zeg toe dat ik de Kamer voor de zomer schriftelijk informeer over {thema}.",
    "Over {thema} ben ik in gesprek met de provincies en gemeenten.",
    "Ik wil niet vooruitlopen op de evaluatie van {thema}, die dit najaar verschijnt.",
)


@dataclass
class Speech:
    speaker: Person
    paragraphs: list[str]
    interruptions: list[tuple[Person, list[str]]] = field(default_factory=list)


@dataclass
class MotionRef:
    """A motion as the verslag mentions it."""

    volgnummer: int | None
    dossier: str
    titel: str
    indieners: list[Person]
    zaak_id: str
    zaak_nummer: str


@dataclass
class VoteRef:
    """The outcome of one vote as the verslag of the Stemmingen mentions it."""

    titel: str
    adopted: bool
    stemmen: list[tuple[str, str]]  # (fractie afkorting, Voor/Tegen/Niet deelgenomen)


@dataclass
class Item:
    titel: str
    activiteit_nummer: str | None
    speeches: list[Speech]
    motions: list[MotionRef] = field(default_factory=list)
    votes: list[VoteRef] = field(default_factory=list)
    soort: str = "Plenair debat"


@dataclass
class Meeting:
    """What a verslag describes; turned into VLOS XML by the content layer."""

    vergadering_id: str
    soort: str  # Plenair / Commissie
    datum: date
    aanvang: datetime
    sluiting: datetime
    titel: str
    zaal: str
    nummer: int
    voorzitter: Person
    commissie: Commissie | None
    items: list[Item]


@dataclass
class Act:
    id: str
    nummer: str
    values: dict[str, object]
    agendapunten: list[str] = field(default_factory=list)


def emit_activity(
    c: Ctx,
    *,
    soort: str,
    onderwerp: str,
    start: datetime | None,
    minutes: int,
    commissie: Commissie | None,
    besloten: bool = False,
    zaal: tuple[str, str] | None = None,
    noot: str | None = None,
    participants: Sequence[tuple[Person, str]] = (),
    agenda: Sequence[str] = (),
    status: str | None = None,
) -> Act:
    aid = c.ids.next("Activiteit")
    year = start.year if start else c.today.year
    nummer = c.ids.number("A", year)
    if status is None:
        status = "Gepland" if start is None or start.date() >= c.today else "Uitgevoerd"
    values: dict[str, object] = {
        "voortouwcommissie_id": commissie.id if commissie else None,
        "voortgezet_vanuit_ids": [],
        "vervangen_vanuit_ids": [],
        "soort": soort,
        "nummer": nummer,
        "onderwerp": onderwerp,
        "datum_soort": "Dag" if start else "Nog geen datum bekend",
        "datum": start,
        "aanvangstijd": start,
        "eindtijd": start + timedelta(minutes=minutes) if start else None,
        "locatie": zaal[1] if zaal else None,
        "besloten": besloten,
        "status": status,
        "vergaderjaar": vergaderjaar(start.date() if start else c.today),
        "kamer": "Tweede Kamer",
        "noot": noot,
        "vrs_nummer": None,
        "sid_voortouw": None,
        "voortouwnaam": commissie.naam if commissie else "Tweede Kamer",
        "voortouwafkorting": commissie.afkorting if commissie else "TK",
        "voortouwkortenaam": commissie.afkorting if commissie else "TK",
        "aanvraagdatum": None,
        "datum_verzoek_eerste_verlenging": None,
        "datum_mededeling_eerste_verlenging": None,
        "datum_verzoek_tweede_verlenging": None,
        "datum_mededeling_tweede_verlenging": None,
        "vervaldatum": None,
    }
    act = Act(aid, nummer, values)
    c.w.emit("Activiteit", aid, values)
    for i, onderwerp_punt in enumerate(agenda, 1):
        pid = c.ids.next("Agendapunt")
        act.agendapunten.append(pid)
        c.w.emit(
            "Agendapunt",
            pid,
            {
                "activiteit_id": aid,
                "nummer": c.ids.number("P", year),
                "onderwerp": onderwerp_punt,
                "aanvangstijd": None,
                "eindtijd": None,
                "volgorde": i,
                "rubriek": None,
                "noot": None,
                "status": "Vrijgegeven",
            },
        )
    if commissie is not None:
        _actor(c, aid, None, commissie, "Voortouwcommissie", 0)
    for i, (p, relatie) in enumerate(participants, 1):
        _actor(c, aid, p, None, relatie, i)
    if zaal is not None and start is not None:
        c.w.emit(
            "Reservering",
            c.ids.next("Reservering"),
            {
                "activiteit_ids": [aid],
                "zaal_id": zaal[0],
                "nummer": f"RES{c.ids.counter('reservering', 100000)}",
                "status_code": "R",
                "status_naam": "Gereserveerd",
                "activiteit_nummer": nummer,
            },
        )
    return act


def _actor(
    c: Ctx, aid: str, p: Person | None, cie: Commissie | None, relatie: str, volgorde: int
) -> None:
    f = c.world.fractie(p.fractie) if p is not None and p.fractie else None
    c.w.emit(
        "ActiviteitActor",
        c.ids.next("ActiviteitActor"),
        {
            "activiteit_id": aid,
            "persoon_id": p.id if p else None,
            "fractie_id": f.id if f else None,
            "commissie_id": cie.id if cie else None,
            "actor_naam": p.naam if p else cie.naam if cie else None,
            "actor_fractie": p.fractie if p else None,
            "relatie": relatie,
            "volgorde": volgorde,
            "functie": (p.bewindspersoon or "Tweede Kamerlid") if p else None,
            "spreektijd": "4 minuten" if p and relatie == "Deelnemer" else None,
            "sid_actor": None,
        },
    )


def update_activity(c: Ctx, act: Act, **changes: object) -> None:
    act.values.update(changes)
    c.w.emit("Activiteit", act.id, act.values, new=False)


def speeches(
    c: Ctx, thema: str, members: Sequence[Person], bewindspersoon: Person | None
) -> list[Speech]:
    """A debate: a few members speak (with interruptions), then the bewindspersoon answers."""
    rng = c.rng
    out: list[Speech] = []
    for p in members:
        lines = [rng.choice(SPEECH_OPENERS)] + [
            rng.choice(SPEECH_LINES).format(thema=thema) for _ in range(rng.randint(2, 4))
        ]
        sp = Speech(p, lines)
        if len(members) > 1 and rng.random() < 0.5:
            other = rng.choice([m for m in members if m is not p])
            sp.interruptions.append(
                (
                    other,
                    [
                        f"Is de heer of mevrouw {p.aanhef} het met mij eens dat {thema} urgenter is dan dit?"
                    ],
                )
            )
        out.append(sp)
    if bewindspersoon is not None:
        out.append(
            Speech(
                bewindspersoon,
                [rng.choice(ANSWER_LINES).format(thema=thema) for _ in range(rng.randint(2, 4))],
            )
        )
    return out


def emit_meeting(
    c: Ctx,
    meeting_of: Callable[[str, int], Meeting],
    *,
    soort: str,
    titel: str,
    start: datetime,
    minutes: int,
    zaal: str,
    make_verslag: Callable[[Meeting, str, str], bytes],
) -> Meeting:
    """A Vergadering and, for a meeting in the past, its verslagen (casco → final)."""
    vid = c.ids.next("Vergadering")
    nummer = c.ids.counter(f"vergadering/{soort}/{vergaderjaar(start.date())}")
    meeting = meeting_of(vid, nummer)
    c.w.emit(
        "Vergadering",
        vid,
        {
            "soort": soort,
            "titel": titel,
            "zaal": zaal,
            "vergaderjaar": vergaderjaar(start.date()),
            "vergadering_nummer": nummer,
            "datum": datetime.combine(start.date(), datetime.min.time()),
            "aanvangstijd": start,
            "sluiting": start + timedelta(minutes=minutes),
            "kamer": "Tweede Kamer",
        },
    )
    age = (c.today - start.date()).days
    if age < 0:
        return meeting
    stages = [("Voorpublicatie", "Casco"), ("Tussenpublicatie", "Ongecorrigeerd")]
    if age > 14:
        stages.append(("Eindpublicatie", "Gecorrigeerd"))
    for vs, status in stages:
        body = make_verslag(meeting, vs, status)
        c.w.emit(
            "Verslag",
            c.ids.next("Verslag"),
            {"vergadering_id": vid, "soort": vs, "status": status},
            resource=("text/xml", body),
        )
    return meeting
