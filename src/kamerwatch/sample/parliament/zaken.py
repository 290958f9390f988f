"""Zaken, documents, besluiten and votes of the sample parliament (one emit per entity)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..texts import vergaderjaar
from .feed import FeedWriter
from .ids import Ids
from .world import Commissie, Fractie, Person, World

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {
    "application/pdf": ".pdf",
    DOCX: ".docx",
    "application/rtf": ".rtf",
    "application/msword": ".doc",
}


def midnight(day: date) -> datetime:
    return datetime.combine(day, time())


@dataclass
class Dossier:
    id: str
    nummer: int
    toevoeging: str | None
    titel: str
    commissie: Commissie
    volgnummer: int = 1
    changed: bool = True
    afgesloten: bool = False

    def next_volgnummer(self) -> int:
        self.volgnummer += 1
        self.changed = True
        return self.volgnummer

    @property
    def label(self) -> str:
        return f"{self.nummer}-{self.toevoeging}" if self.toevoeging else str(self.nummer)


@dataclass
class DocRef:
    id: str
    nummer: str
    soort: str
    onderwerp: str
    datum: date
    values: dict[str, object]
    versie: int = 1
    actors: list[str] = field(default_factory=list)  # DocumentActor ids
    versie_ids: list[str] = field(default_factory=list)
    bijlagen: int = 0  # documents that name this one as their bron


@dataclass
class ZaakRef:
    id: str
    nummer: str
    soort: str
    onderwerp: str
    values: dict[str, object]
    indiener: Person | None = None


# One function that renders a document file: (rng, soort, nummer, datum, onderwerp, titel,
# afzender, geadresseerde, distinctive words, preferred content type) → (content type, bytes).
FileMaker = Callable[..., tuple[str, bytes]]


@dataclass
class Ctx:
    w: FeedWriter
    world: World
    ids: Ids
    rng: random.Random
    make_file: FileMaker
    today: date

    def actor_values(self, who: Person | Fractie | Commissie) -> dict[str, object]:
        if isinstance(who, Person):
            f = self.world.fractie(who.fractie) if who.fractie else None
            return {
                "persoon_id": who.id,
                "fractie_id": f.id if f else None,
                "actor_naam": who.naam,
                "actor_fractie": who.fractie,
                "functie": who.bewindspersoon
                or ("Tweede Kamerlid" if who.sitting else "Oud Kamerlid"),
            }
        if isinstance(who, Fractie):
            return {"fractie_id": who.id, "actor_naam": who.naam, "actor_fractie": who.afkorting}
        return {"commissie_id": who.id, "actor_naam": who.naam, "functie": None}


def emit_zaak(
    c: Ctx,
    *,
    soort: str,
    onderwerp: str,
    day: date,
    actors: Sequence[tuple[Person | Fractie | Commissie, str]],
    dossier: Dossier | None = None,
    volgnummer: int | None = None,
    titel: str | None = None,
    activiteiten: Sequence[str] = (),
    agendapunten: Sequence[str] = (),
    afgedaan: bool = False,
    kabinetsappreciatie: str | None = None,
) -> ZaakRef:
    zid = c.ids.next("Zaak")
    nummer = c.ids.number("Z", day.year)
    values: dict[str, object] = {
        "kamerstukdossier_id": dossier.id if dossier else None,
        "activiteit_ids": list(activiteiten),
        "agendapunt_ids": list(agendapunten),
        "nummer": nummer,
        "soort": soort,
        "onderwerp": onderwerp,
        "gestart_op": midnight(day),
        "organisatie": "Tweede Kamer",
        "titel": titel or (dossier.titel if dossier else None),
        "citeertitel": None,
        "alias": None,
        "grondslagvoorhang": None,
        "termijn": None,
        "vergaderjaar": vergaderjaar(day),
        "volgnummer": volgnummer,
        "status": "Vrijgegeven",
        "huidige_behandelstatus": None,
        "afgedaan": afgedaan,
        "groot_project": False,
        "kabinetsappreciatie": kabinetsappreciatie,
    }
    c.w.emit("Zaak", zid, values)
    indiener = None
    for who, relatie in actors:
        av = c.actor_values(who)
        if isinstance(who, Person) and relatie == "Indiener" and indiener is None:
            indiener = who
        c.w.emit(
            "ZaakActor",
            c.ids.next("ZaakActor"),
            {
                "zaak_id": zid,
                "persoon_id": av.get("persoon_id"),
                "fractie_id": av.get("fractie_id"),
                "commissie_id": av.get("commissie_id"),
                "actor_naam": av["actor_naam"],
                "actor_fractie": av.get("actor_fractie"),
                "actor_afkorting": who.afkorting if isinstance(who, Commissie | Fractie) else None,
                "functie": av.get("functie"),
                "relatie": relatie,
                "sid_actor": None,
            },
        )
    return ZaakRef(zid, nummer, soort, onderwerp, values, indiener)


def update_zaak(c: Ctx, zaak: ZaakRef, **changes: object) -> None:
    zaak.values.update(changes)
    c.w.emit("Zaak", zaak.id, zaak.values, new=False)


def _externe_id(
    soort: str,
    dossier: Dossier | None,
    volgnummer: int | None,
    zaak_nummer: str | None,
    nummer: str,
) -> str | None:
    if soort == "Schriftelijke vragen" and zaak_nummer:
        return f"kv-tk-{zaak_nummer}"
    if soort.startswith("Antwoord schriftelijke vragen") or soort.startswith("Mededeling"):
        return f"ah-tk-{nummer}"
    if dossier and volgnummer:
        return f"kst-{dossier.label}-{volgnummer}"
    return None


def emit_document(
    c: Ctx,
    *,
    soort: str,
    onderwerp: str,
    day: date,
    zaken: Sequence[ZaakRef],
    actors: Sequence[tuple[Person | Fractie | Commissie, str]],
    distinctive: Sequence[str],
    afzender: str,
    geadresseerde: str = "Voorzitter van de Tweede Kamer der Staten-Generaal",
    dossier: Dossier | None = None,
    titel: str | None = None,
    bron: Sequence[str] = (),
    activiteiten: Sequence[str] = (),
    agendapunten: Sequence[str] = (),
    fmt: str | None = None,
    dated: date | None = None,
) -> DocRef:
    """A document emitted on ``day``; ``dated``: the date it carries when that is another
    day (its number is still drawn on ``day``, so later numbers stay as they were)."""
    did = c.ids.next("Document")
    nummer = c.ids.number("D", day.year)
    day = dated or day
    volgnummer = dossier.next_volgnummer() if dossier else None
    titel = titel if titel is not None else (dossier.titel if dossier else None)
    doc = DocRef(did, nummer, soort, onderwerp, day, {})
    doc.values = {
        "bron_document_ids": list(bron),
        "activiteit_ids": list(activiteiten),
        "agendapunt_ids": list(agendapunten),
        "zaak_ids": [z.id for z in zaken],
        "kamerstukdossier_id": dossier.id if dossier else None,
        "soort": soort,
        "document_nummer": nummer,
        "titel": titel,
        "onderwerp": onderwerp,
        "datum": midnight(day),
        "volgnummer": volgnummer,
        "vergaderjaar": vergaderjaar(day),
        "kamer": 2,
        "citeertitel": None,
        "alias": None,
        "datum_registratie": datetime.combine(
            day, time(c.rng.randint(9, 18), c.rng.randint(0, 59))
        ),
        "datum_ontvangst": midnight(day) if soort.startswith(("Brief", "Antwoord")) else None,
        "aanhangselnummer": None,
        "kenmerk_afzender": f"{day.year}-{c.rng.randint(100000, 999999)}"
        if soort.startswith(("Brief regering", "Antwoord", "Mededeling"))
        else None,
        "organisatie": "Tweede Kamer",
    }
    doc.values["_externe"] = _externe_id(
        soort, dossier, volgnummer, zaken[0].nummer if zaken else None, nummer
    )
    doc.values["_distinctive"] = list(distinctive)
    doc.values["_afzender"] = afzender
    doc.values["_geadresseerde"] = geadresseerde
    doc.values["_fmt"] = fmt
    _publish_document(c, doc, new=True)
    for i, (who, relatie) in enumerate(actors):
        av = c.actor_values(who)
        aid = c.ids.next("DocumentActor")
        doc.actors.append(aid)
        c.w.emit(
            "DocumentActor",
            aid,
            {
                "document_id": did,
                "persoon_id": av.get("persoon_id"),
                "fractie_id": av.get("fractie_id"),
                "commissie_id": av.get("commissie_id"),
                "actor_naam": av["actor_naam"],
                "actor_fractie": av.get("actor_fractie"),
                "functie": av.get("functie"),
                "relatie": relatie or ("Eerste ondertekenaar" if i == 0 else "Mede ondertekenaar"),
                "sid_actor": None,
            },
        )
    return doc


def _publish_document(c: Ctx, doc: DocRef, *, new: bool) -> None:
    """The file, a DocumentVersie and the Document itself (again, for a new version)."""
    v = doc.values
    content_type, body = c.make_file(
        c.rng,
        soort=doc.soort,
        nummer=doc.nummer,
        datum=doc.datum,
        onderwerp=doc.onderwerp,
        titel=v["titel"],
        afzender=v["_afzender"],
        geadresseerde=v["_geadresseerde"],
        distinctive=v["_distinctive"],
        fmt=v["_fmt"],
        versie=doc.versie,
    )
    vid = c.ids.next("DocumentVersie")
    doc.versie_ids.append(vid)
    c.w.emit(
        "DocumentVersie",
        vid,
        {
            "document_id": doc.id,
            "status": "Vrijgegeven",
            "versienummer": doc.versie,
            "bestandsgrootte": len(body),
            "extensie": EXTENSIONS.get(content_type, ".pdf"),
            "datum": midnight(doc.datum),
            "externeidentifier": v["_externe"],
        },
    )
    public = {k: val for k, val in v.items() if not k.startswith("_")}
    public["huidige_document_versie_id"] = vid
    c.w.emit("Document", doc.id, public, new=new, resource=(content_type, body))


def new_version(c: Ctx, doc: DocRef) -> None:
    """A corrected version of a document: new file, new DocumentVersie, Document re-published."""
    doc.versie += 1
    _publish_document(c, doc, new=False)


def withdraw(c: Ctx, doc: DocRef) -> None:
    """The document disappears from the feed: tombstones for it, its actors and versions."""
    for aid in doc.actors:
        c.w.delete("DocumentActor", aid)
    for vid in doc.versie_ids:
        c.w.delete("DocumentVersie", vid)
    c.w.delete("Document", doc.id)


# Where the parties stand, left (0) to right (1): parties close to a motion's indiener vote
# with it more often, so the agreement heat map shows blocs (issue #26). Invented, rough.
SPECTRUM = {
    "SP": 0.1,
    "PvdD": 0.12,
    "GL-PvdA": 0.15,
    "DENK": 0.2,
    "Volt": 0.3,
    "D66": 0.35,
    "CU": 0.45,
    "50PLUS": 0.5,
    "CDA": 0.55,
    "NSC": 0.55,
    "BBB": 0.68,
    "VVD": 0.72,
    "SGP": 0.75,
    "JA21": 0.85,
    "PVV": 0.88,
    "FVD": 0.95,
}
COALITION_CENTRE = 0.7


def vote_chance(afkorting: str, indiener: str | None, coalition_motion: bool) -> float:
    """The chance that a fractie votes for a motion: coalition parties vote for the
    coalition's motions almost always and against most opposition motions (discipline);
    otherwise the closer a party stands to the indiener, the likelier it votes for."""
    here = SPECTRUM.get(afkorting, 0.5)
    in_coalition = afkorting in {"PVV", "VVD", "NSC", "BBB"}
    if coalition_motion:
        if in_coalition:
            return 0.95
        return min(0.85, max(0.05, 0.85 - 1.1 * abs(here - COALITION_CENTRE)))
    there = SPECTRUM.get(indiener or "", 0.5)
    chance = min(0.92, max(0.05, 0.92 - 1.2 * abs(here - there)))
    return chance * 0.45 if in_coalition else chance


def party_votes(c: Ctx, indiener: str | None, coalition_motion: bool) -> list[tuple[Fractie, str]]:
    """How each sitting fractie votes on a motion (Voor/Tegen/Niet deelgenomen)."""
    out = []
    for f in c.world.active_fracties:
        if f.afkorting == indiener:
            stem = "Voor"
        else:
            p_voor = vote_chance(f.afkorting, indiener, coalition_motion)
            stem = "Voor" if c.rng.random() < p_voor else "Tegen"
            if c.rng.random() < 0.03:
                stem = "Niet deelgenomen"
        out.append((f, stem))
    return out


def emit_besluit_with_votes(
    c: Ctx,
    *,
    agendapunt: str,
    zaak: ZaakRef,
    indiener: str | None,
    hoofdelijk: bool,
    volgorde: int,
) -> tuple[bool, list[tuple[str, str]]]:
    """A decided vote: Besluit plus one Stemming per fractie (or per member); returns whether
    it was adopted and each fractie's vote."""
    coalition = indiener in {"PVV", "VVD", "NSC", "BBB"}
    votes = party_votes(c, indiener, coalition)
    voor = sum(f.zetels for f, s in votes if s == "Voor")
    tegen = sum(f.zetels for f, s in votes if s == "Tegen")
    adopted = voor > tegen
    bid = c.ids.next("Besluit")
    c.w.emit(
        "Besluit",
        bid,
        {
            "agendapunt_id": agendapunt,
            "zaak_ids": [zaak.id],
            "stemmings_soort": "Hoofdelijk" if hoofdelijk else "Met handopsteken",
            "besluit_soort": "Stemmen - aangenomen" if adopted else "Stemmen - verworpen",
            "besluit_tekst": "Aangenomen." if adopted else "Verworpen.",
            "opmerking": None,
            "status": "Besluit",
            "agendapunt_zaak_besluit_volgorde": volgorde,
        },
    )
    for f, stem in votes:
        if hoofdelijk:
            for p in f.members:
                if not p.sitting:
                    continue
                own = stem if c.rng.random() > 0.04 else ("Tegen" if stem == "Voor" else "Voor")
                c.w.emit(
                    "Stemming",
                    c.ids.next("Stemming"),
                    {
                        "besluit_id": bid,
                        "persoon_id": p.id,
                        "fractie_id": f.id,
                        "soort": own,
                        "fractie_grootte": f.zetels,
                        "actor_naam": p.naam,
                        "actor_fractie": f.afkorting,
                        "vergissing": False,
                        "sid_actor_lid": None,
                        "sid_actor_fractie": None,
                    },
                )
            continue
        c.w.emit(
            "Stemming",
            c.ids.next("Stemming"),
            {
                "besluit_id": bid,
                "persoon_id": None,
                "fractie_id": f.id,
                "soort": stem,
                "fractie_grootte": f.zetels,
                "actor_naam": f.naam,
                "actor_fractie": f.afkorting,
                "vergissing": False,
                "sid_actor_lid": None,
                "sid_actor_fractie": None,
            },
        )
    return adopted, [(f.afkorting, stem) for f, stem in votes]


def emit_besluit(
    c: Ctx,
    *,
    agendapunt: str,
    zaken: Sequence[ZaakRef],
    soort: str,
    tekst: str,
    status: str = "Besluit",
    volgorde: int = 1,
) -> str:
    """A besluit without a vote (procedure, or a vote still to come)."""
    bid = c.ids.next("Besluit")
    c.w.emit(
        "Besluit",
        bid,
        {
            "agendapunt_id": agendapunt,
            "zaak_ids": [z.id for z in zaken],
            "stemmings_soort": "Zonder stemming" if status == "Besluit" else None,
            "besluit_soort": soort,
            "besluit_tekst": tekst,
            "opmerking": None,
            "status": status,
            "agendapunt_zaak_besluit_volgorde": volgorde,
        },
    )
    return bid
