"""Emits the static world (:mod:`.world`) as feed entries: parties, people, seats, committees."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from . import names
from .feed import FeedWriter
from .ids import Ids
from .world import Commissie, Fractie, Person, World

Photo = Callable[[int, str], bytes]  # (seed, initials) → JPEG bytes


def emit_world(w: FeedWriter, world: World, ids: Ids, rng: random.Random, photo: Photo) -> None:
    """Everything that exists before the weekly timeline starts."""
    for zid, naam in world.zalen:
        w.emit("Zaal", zid, {"naam": naam, "sys_code": 1000 + len(naam)})
    for f in world.fracties:
        _fractie(w, f, world.today)
    for p in world.persons:
        _person(w, p, ids, rng, photo)
    for f in world.fracties:
        _seats(w, f, ids, world.today)
    for c in world.commissies:
        _commissie(w, c, ids, world)


def _fractie(w: FeedWriter, f: Fractie, today: date) -> None:
    w.emit(
        "Fractie",
        f.id,
        {
            "nummer": f.nummer,
            "afkorting": f.afkorting,
            "naam_nl": f.naam,
            "naam_en": f.naam_en,
            "aantal_zetels": f.zetels if f.actief else None,
            "aantal_stemmen": None,
            "datum_actief": today - timedelta(days=3000),
            "datum_inactief": None if f.actief else today - timedelta(days=700),
        },
    )


def _person(w: FeedWriter, p: Person, ids: Ids, rng: random.Random, photo: Photo) -> None:
    functie = p.bewindspersoon or ("Tweede Kamerlid" if p.sitting else "Oud Kamerlid")
    seed = int(p.nummer)
    image = photo(seed, p.voornaam[0] + p.achternaam[0])
    w.emit(
        "Persoon",
        p.id,
        {
            "nummer": p.nummer,
            "titels": None,
            "initialen": p.initialen,
            "tussenvoegsel": p.tussenvoegsel or None,
            "achternaam": p.achternaam,
            "voornamen": p.voornaam,
            "roepnaam": p.voornaam,
            "geslacht": p.geslacht,
            "functie": functie,
            "geboortedatum": p.geboortedatum,
            "geboorteplaats": rng.choice(names.PLACES),
            "geboorteland": "Nederland",
            "overlijdensdatum": None,
            "overlijdensplaats": None,
            "woonplaats": p.woonplaats,
            "land": "NL",
            "fractielabel": p.fractie,
        },
        resource=("image/jpeg", image),
    )
    if p.sitting:
        w.emit(
            "PersoonContactinformatie",
            ids.next("PersoonContactinformatie"),
            {
                "persoon_id": p.id,
                "soort": "E-mail",
                "waarde": f"{p.achternaam.lower()}@example.org",
                "gewicht": 1,
            },
        )
    job = rng.choice(names.JOBS)
    w.emit(
        "PersoonLoopbaan",
        ids.next("PersoonLoopbaan"),
        {
            "persoon_id": p.id,
            "functie": job,
            "werkgever": rng.choice(names.EMPLOYERS),
            "omschrijving_nl": job,
            "omschrijving_en": None,
            "plaats": rng.choice(names.PLACES),
            "van": str(p.geboortedatum.year + rng.randint(23, 30)),
            "tot_en_met": str(p.van.year),
            "gewicht": 1,
        },
    )
    study, study_en = rng.choice(names.STUDIES)
    w.emit(
        "PersoonOnderwijs",
        ids.next("PersoonOnderwijs"),
        {
            "persoon_id": p.id,
            "opleiding_nl": study,
            "opleiding_en": study_en,
            "instelling": rng.choice(names.INSTITUTIONS),
            "plaats": rng.choice(names.PLACES),
            "van": str(p.geboortedatum.year + 18),
            "tot_en_met": str(p.geboortedatum.year + 22),
            "gewicht": 1,
        },
    )
    if p.sitting and rng.random() < 0.4:
        nf = ids.next("PersoonNevenfunctie")
        w.emit(
            "PersoonNevenfunctie",
            nf,
            {
                "persoon_id": p.id,
                "omschrijving": rng.choice(names.SIDE_JOBS),
                "is_actief": True,
                "periode_van": p.van.isoformat(),
                "periode_tot_en_met": None,
                "vergoeding_soort": rng.choice(("Onbezoldigd", "Bezoldigd")),
                "vergoeding_toelichting": None,
                "gewicht": 1,
            },
        )
        if rng.random() < 0.3:
            w.emit(
                "PersoonNevenfunctieInkomsten",
                ids.next("PersoonNevenfunctieInkomsten"),
                {
                    "persoon_nevenfunctie_id": nf,
                    "jaar": str(p.van.year),
                    "bedrag_soort": "Vast",
                    "bedrag_voorvoegsel": None,
                    "bedrag_valuta": "EUR",
                    "bedrag": f"{rng.randint(5, 90) * 100}.00",
                    "bedrag_achtervoegsel": None,
                    "frequentie": "Jaar",
                    "frequentie_beschrijving": None,
                    "opmerking": None,
                },
            )
    if p.sitting and rng.random() < 0.15:
        dest, payer = rng.choice(names.TRIPS)
        start = p.van + timedelta(days=rng.randint(20, 200))
        w.emit(
            "PersoonReis",
            ids.next("PersoonReis"),
            {
                "persoon_id": p.id,
                "doel": f"Werkbezoek in {dest}",
                "bestemming": dest,
                "van": start.isoformat(),
                "tot_en_met": (start + timedelta(days=2)).isoformat(),
                "betaald_door": payer,
                "gewicht": 1,
            },
        )


def _seats(w: FeedWriter, f: Fractie, ids: Ids, today: date) -> None:
    if not f.actief:
        for p in f.members:
            zetel = ids.next("FractieZetel")
            w.emit("FractieZetel", zetel, {"fractie_id": f.id, "gewicht": 0})
            w.emit(
                "FractieZetelPersoon",
                ids.next("FractieZetelPersoon"),
                {
                    "fractie_zetel_id": zetel,
                    "persoon_id": p.id,
                    "functie": "Lid",
                    "van": p.van,
                    "tot_en_met": p.tot,
                },
            )
        return
    sitting = [p for p in f.members if p.sitting]
    former = [p for p in f.members if not p.sitting]
    for i, p in enumerate(sitting):
        zetel = ids.next("FractieZetel")
        w.emit("FractieZetel", zetel, {"fractie_id": f.id, "gewicht": i + 1})
        functie = "Fractievoorzitter" if i == 0 else "Lid"
        if former and i == len(sitting) - 1:
            # The seat of a member who left: predecessor, a short vacancy, then the successor.
            old = former[0]
            w.emit(
                "FractieZetelPersoon",
                ids.next("FractieZetelPersoon"),
                {
                    "fractie_zetel_id": zetel,
                    "persoon_id": old.id,
                    "functie": "Lid",
                    "van": old.van,
                    "tot_en_met": old.tot,
                },
            )
            w.emit(
                "FractieZetelVacature",
                ids.next("FractieZetelVacature"),
                {"fractie_zetel_id": zetel, "functie": "Lid", "van": old.tot, "tot_en_met": p.van},
            )
        w.emit(
            "FractieZetelPersoon",
            ids.next("FractieZetelPersoon"),
            {
                "fractie_zetel_id": zetel,
                "persoon_id": p.id,
                "functie": functie,
                "van": p.van,
                "tot_en_met": None,
            },
        )


def _commissie(w: FeedWriter, c: Commissie, ids: Ids, world: World) -> None:
    w.emit(
        "Commissie",
        c.id,
        {
            "nummer": c.nummer,
            "soort": "Dienst Commissieondersteuning",
            "afkorting": c.afkorting,
            "naam_nl": c.naam,
            "naam_en": None,
            "naam_web_nl": c.naam[:1].upper() + c.naam[1:],
            "naam_web_en": None,
            "inhoudsopgave": c.soort,
            "datum_actief": world.today - timedelta(days=2500),
            "datum_inactief": None if c.actief else world.today - timedelta(days=300),
        },
    )
    w.emit(
        "CommissieContactinformatie",
        ids.next("CommissieContactinformatie"),
        {
            "commissie_id": c.id,
            "soort": "E-mail",
            "waarde": f"cie.{c.afkorting.lower()}@example.org",
            "gewicht": 1,
        },
    )
    start = world.today - timedelta(days=400)
    end = None if c.actief else world.today - timedelta(days=300)
    for i, (p, functie) in enumerate(c.members):
        zetel = ids.next("CommissieZetel")
        w.emit("CommissieZetel", zetel, {"commissie_id": c.id, "gewicht": i + 1})
        w.emit(
            "CommissieZetelVastPersoon",
            ids.next("CommissieZetelVastPersoon"),
            {
                "commissie_zetel_id": zetel,
                "persoon_id": p.id,
                "functie": functie,
                "van": start,
                "tot_en_met": end,
            },
        )
        if i % 4 == 3:
            sub = world.sitting[(i * 7 + len(c.nummer)) % len(world.sitting)]
            w.emit(
                "CommissieZetelVervangerPersoon",
                ids.next("CommissieZetelVervangerPersoon"),
                {
                    "commissie_zetel_id": zetel,
                    "persoon_id": sub.id,
                    "functie": "Plv. lid",
                    "van": start,
                    "tot_en_met": end,
                },
            )
    if c.actief and c.ministerie:
        zetel = ids.next("CommissieZetel")
        w.emit("CommissieZetel", zetel, {"commissie_id": c.id, "gewicht": len(c.members) + 1})
        f = world.active_fracties[len(c.members) % len(world.active_fracties)]
        w.emit(
            "CommissieZetelVastVacature",
            ids.next("CommissieZetelVastVacature"),
            {
                "commissie_zetel_id": zetel,
                "fractie_id": f.id,
                "functie": "Lid",
                "van": start,
                "tot_en_met": None,
            },
        )
        w.emit(
            "CommissieZetelVervangerVacature",
            ids.next("CommissieZetelVervangerVacature"),
            {
                "commissie_zetel_id": zetel,
                "fractie_id": f.id,
                "functie": "Plv. lid",
                "van": start,
                "tot_en_met": None,
            },
        )
