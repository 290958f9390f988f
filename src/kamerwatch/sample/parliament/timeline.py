"""The living part of the sample parliament, day by day from the past into the coming weeks.

Each working day publishes letters, written questions and gifts; Tuesday to Thursday have
plenary sittings (debates, motions, votes on Tuesday) and committee debates and procedure
meetings. Later consequences (an answer, a postponement notice, a vote, a committee report)
are scheduled as events and emitted when the day loop reaches them — if that day is not in
the future. Memory stays bounded by what is pending, never by the span.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .meetings import (
    Item,
    Meeting,
    MotionRef,
    Speech,
    VoteRef,
    emit_activity,
    emit_meeting,
    speeches,
    update_activity,
)
from .world import Commissie, Person
from .zaken import (
    Ctx,
    DocRef,
    Dossier,
    ZaakRef,
    emit_besluit,
    emit_besluit_with_votes,
    emit_document,
    emit_zaak,
    midnight,
    new_version,
    update_zaak,
    withdraw,
)

Subject = Callable[..., tuple[str, list[str]]]
Verslag = Callable[[Meeting, str, str], bytes]


@dataclass
class Motion:
    zaak: ZaakRef
    doc: DocRef | None  # None for a bill
    fractie: str | None


@dataclass
class Debate:
    commissie: Commissie
    thema: str
    dossier: Dossier
    wet: ZaakRef | None = None  # a bill debated in plenary


@dataclass
class Timeline:
    c: Ctx
    subject: Subject
    verslag: Verslag
    dossiers: dict[str, list[Dossier]]
    events: list[tuple[date, int, Callable[[], object]]] = field(default_factory=list)
    seq: itertools.count[int] = field(default_factory=itertools.count)
    motions: list[tuple[Motion, str]] = field(default_factory=list)  # waiting for a vote
    debates: deque[Debate] = field(default_factory=deque)  # waiting for plenary time
    recent_letters: dict[str, deque[ZaakRef]] = field(default_factory=dict)
    recent_docs: deque[DocRef] = field(default_factory=lambda: deque(maxlen=60))
    day_votes: list[VoteRef] = field(default_factory=list)
    pace: AnswerPace = field(default_factory=lambda: AnswerPace(0))

    # -- plumbing ---------------------------------------------------------------------

    def later(self, day: date, fn: Callable[[], object]) -> None:
        heapq.heappush(self.events, (day, next(self.seq), fn))

    def run_due(self, day: date) -> None:
        while self.events and self.events[0][0] <= day:
            _, _, fn = heapq.heappop(self.events)
            fn()

    def members(self, cie: Commissie, n: int) -> list[Person]:
        """Members who speak in a debate (never the committee's chair, who chairs it)."""
        chair = self.chair(cie)
        pool = [p for p, _ in cie.members if p.sitting and p is not chair] or self.c.world.sitting
        return self.c.rng.sample(pool, min(n, len(pool)))

    def chair(self, cie: Commissie) -> Person:
        return next((p for p, f in cie.members if f == "Voorzitter"), self.c.world.sitting[0])

    def dossier(self, cie: Commissie) -> Dossier:
        return self.c.rng.choice(self.dossiers[cie.afkorting])

    # -- the day loop -------------------------------------------------------------------

    def run(self, start: date, end: date, on_day: Callable[[date], None] | None = None) -> None:
        day = start
        while day <= end:
            c = self.c
            c.w.at(datetime.combine(day, time(7, 0)))
            if day <= c.today:
                self.run_due(day)
            recess = _recess(day)
            if day.weekday() < 5 and day <= c.today:
                self.publish_day(day)
            if day.weekday() in (1, 2, 3) and not recess:
                self.committee_day(day)
                self.plenary_day(day)
            if day.weekday() == 4 and day <= c.today:
                self.republish_dossiers()
                if c.rng.random() < 0.18:
                    self.bill(day)
            if on_day is not None:
                on_day(day)
            day += timedelta(days=1)
        self.unplanned()

    # -- documents of a working day -------------------------------------------------------

    def publish_day(self, day: date) -> None:
        rng = self.c.rng
        for _ in range(rng.choice((1, 2, 2, 3))):
            self.letter(day)
        for _ in range(rng.choice((0, 1, 1, 2, 2))):
            self.question(day)
        if rng.random() < 0.35:
            self.gift(day)
        if rng.random() < 0.08 and self.recent_docs:
            new_version(self.c, rng.choice(list(self.recent_docs)))
        if rng.random() < 0.02 and self.recent_docs and not self.recent_docs[-1].bijlagen:
            withdraw(self.c, self.recent_docs.pop())

    def letter(self, day: date) -> None:
        c = self.c
        cie = c.rng.choice(c.world.active_commissies)
        minister = cie.bewindspersoon
        assert minister is not None
        dossier = self.dossier(cie)
        onderwerp, words = self.subject(c.rng, "Brief regering", commissie=cie.naam)
        zaak = emit_zaak(
            c,
            soort="Brief regering",
            onderwerp=onderwerp,
            day=day,
            dossier=dossier,
            actors=[(minister, "Indiener"), (cie, "Voortouwcommissie")],
        )
        doc = emit_document(
            c,
            soort="Brief regering",
            onderwerp=onderwerp,
            day=day,
            zaken=[zaak],
            dossier=dossier,
            actors=[(minister, "Eerste ondertekenaar")],
            distinctive=words,
            afzender=f"De {minister.bewindspersoon}, {minister.volledige_naam}",
        )
        self.recent_docs.append(doc)
        self.recent_letters.setdefault(cie.afkorting, deque(maxlen=6)).append(zaak)
        if c.rng.random() < 0.12:
            doc.bijlagen += 1
            emit_document(
                c,
                soort="Bijlage",
                onderwerp=f"Bijlage bij {onderwerp[:1].lower() + onderwerp[1:]}",
                day=day,
                zaken=[zaak],
                actors=[],
                distinctive=words[:1],
                afzender=cie.ministerie or "",
                bron=[doc.id],
            )

    def question(self, day: date) -> None:
        c = self.c
        rng = c.rng
        cie = rng.choice(c.world.active_commissies)
        minister = cie.bewindspersoon
        assert minister is not None
        asker = rng.choice(c.world.sitting)
        co = [p for p in rng.sample(c.world.sitting, 1) if p is not asker and rng.random() < 0.3]
        onderwerp, words = self.subject(rng, "", commissie=cie.naam)
        onderwerp = f"Vragen van het lid {asker.aanhef} ({asker.fractie}) over {onderwerp[:1].lower() + onderwerp[1:]}"
        actors: list[tuple[Person | Commissie, str]] = [(asker, "Indiener")]
        actors += [(p, "Medeindiener") for p in co]
        actors.append((minister, "Gericht aan"))
        zaak = emit_zaak(
            c, soort="Schriftelijke vragen", onderwerp=onderwerp, day=day, actors=actors
        )
        emit_document(
            c,
            soort="Schriftelijke vragen",
            onderwerp=onderwerp,
            day=day,
            zaken=[zaak],
            actors=[(asker, "Eerste ondertekenaar")] + [(p, "Mede ondertekenaar") for p in co],
            distinctive=words,
            afzender=asker.volledige_naam,
            geadresseerde=f"De {minister.bewindspersoon}",
            fmt="docx" if rng.random() < 0.5 else None,
        )
        r = rng.random()
        if r < 0.1:
            return  # never answered
        delay = rng.randint(8, 20) if r < 0.65 else rng.randint(22, 70)
        postponed = delay > 21 and rng.random() < 0.75
        # the ministry's own pace (separate draws: the stream above stays as it was drawn)
        pace = self.pace.of(cie.ministerie or "")
        answered = day + timedelta(days=pace.delay(delay))
        if postponed:
            notice = day + timedelta(days=20)
            sent = answered - day > timedelta(days=21) and pace.postpones()
            self.later(notice, lambda: self.postpone(notice, zaak, minister, words, sent=sent))
        self.later(
            day + timedelta(days=delay),
            lambda: self.answer(day + timedelta(days=delay), answered, zaak, minister, words),
        )

    def postpone(
        self, day: date, zaak: ZaakRef, minister: Person, words: list[str], *, sent: bool
    ) -> None:
        """A postponement notice; drawn but left out of the feed when not ``sent``."""
        with contextlib.nullcontext() if sent else self.c.w.ghost():
            emit_document(
                self.c,
                soort="Mededeling (uitstel antwoord)",
                onderwerp=f"Uitstel beantwoording {zaak.onderwerp[:1].lower() + zaak.onderwerp[1:]}",
                day=day,
                zaken=[zaak],
                actors=[(minister, "Eerste ondertekenaar")],
                distinctive=words[:1],
                afzender=f"De {minister.bewindspersoon}, {minister.volledige_naam}",
            )

    def answer(
        self, day: date, answered: date, zaak: ZaakRef, minister: Person, words: list[str]
    ) -> None:
        """The answer, drawn on the day the sample's stream scheduled it (``day``) and dated
        the day the ministry's pace gives (``answered``); left out of the feed while that day
        is still to come."""
        with contextlib.nullcontext() if answered <= self.c.today else self.c.w.ghost():
            emit_document(
                self.c,
                soort="Antwoord schriftelijke vragen",
                onderwerp=f"Antwoord op {zaak.onderwerp[:1].lower() + zaak.onderwerp[1:]}",
                day=day,
                dated=answered,
                zaken=[zaak],
                actors=[(minister, "Eerste ondertekenaar")],
                distinctive=words,
                afzender=f"De {minister.bewindspersoon}, {minister.volledige_naam}",
            )
            update_zaak(self.c, zaak, afgedaan=True)

    def gift(self, day: date) -> None:
        c = self.c
        p = c.rng.choice(c.world.sitting)
        c.w.emit(
            "PersoonGeschenk",
            c.ids.next("PersoonGeschenk"),
            {
                "persoon_id": p.id,
                "omschrijving": c.rng.choice(_gifts()),
                "datum": day - timedelta(days=c.rng.randint(3, 30)),
                "gewicht": 1,
            },
        )

    def republish_dossiers(self) -> None:
        for dossiers in self.dossiers.values():
            for d in dossiers:
                if d.changed:
                    emit_dossier(self.c, d, new=False)

    # -- committees -------------------------------------------------------------------------

    def committee_day(self, day: date) -> None:
        c = self.c
        rng = c.rng
        for _ in range(rng.choice((1, 1, 2))):
            self.committee_debate(day, rng.choice(c.world.active_commissies))
        if rng.random() < 0.7:
            self.procedure_meeting(day, rng.choice(c.world.active_commissies))

    def committee_debate(self, day: date, cie: Commissie) -> None:
        c = self.c
        rng = c.rng
        start = datetime.combine(day, time(rng.choice((10, 13, 14, 16)), 0))
        thema = rng.choice(cie.themes)
        letters = list(self.recent_letters.get(cie.afkorting, ()))[-3:]
        members = self.members(cie, rng.randint(3, 6))
        minister = cie.bewindspersoon
        zaal = rng.choice(c.world.zalen[:7])
        participants = [(p, "Deelnemer") for p in members]
        if minister:
            participants.append((minister, "Bewindspersoon c.a."))
        act = emit_activity(
            c,
            soort="Commissiedebat",
            onderwerp=thema[:1].upper() + thema[1:],
            start=start,
            minutes=rng.choice((120, 180, 240)),
            commissie=cie,
            zaal=zaal,
            noot="Spreektijd maximaal 4 minuten per fractie." if rng.random() < 0.5 else None,
            participants=participants,
            agenda=[z.onderwerp for z in letters],
        )
        for z, ap in zip(letters, act.agendapunten, strict=False):
            acts = [*z.values["activiteit_ids"], act.id]  # type: ignore[misc]
            aps = [*z.values["agendapunt_ids"], ap]  # type: ignore[misc]
            update_zaak(c, z, activiteit_ids=acts, agendapunt_ids=aps)
        if day > c.today:
            if rng.random() < 0.15:
                update_activity(
                    c,
                    act,
                    status="Verplaatst",
                    datum=start + timedelta(days=7),
                    aanvangstijd=start + timedelta(days=7),
                    eindtijd=start + timedelta(days=7, hours=3),
                )
            return
        if rng.random() < 0.05:
            update_activity(c, act, status="Geannuleerd")
            return
        dossier = self.dossier(cie)

        def meeting_of(vid: str, nummer: int) -> Meeting:
            return Meeting(
                vid,
                "Commissie",
                day,
                start,
                start + timedelta(hours=3),
                f"Commissiedebat {thema}",
                zaal[1],
                nummer,
                self.chair(cie),
                cie,
                [
                    Item(
                        f"Commissiedebat {thema}",
                        act.nummer,
                        speeches(c, thema, members, minister),
                        soort="Commissiedebat",
                    )
                ],
            )

        emit_meeting(
            c,
            meeting_of,
            soort="Commissie",
            titel=f"Commissiedebat {thema}",
            start=start,
            minutes=180,
            zaal=zaal[1],
            make_verslag=self.verslag,
        )
        for _ in range(rng.choice((0, 1, 2, 3))):
            self.commitment(day, act.id, act.nummer, cie, thema, members)
        verslag_day = day + timedelta(days=rng.randint(14, 35))
        self.later(
            verslag_day, lambda: self.debate_report(verslag_day, cie, thema, dossier, act.id)
        )
        self.debates.append(Debate(cie, thema, dossier))

    def debate_report(
        self, day: date, cie: Commissie, thema: str, dossier: Dossier, act_id: str
    ) -> None:
        onderwerp = f"Verslag van een commissiedebat, gehouden over {thema}"
        zaak = emit_zaak(
            self.c,
            soort="Overig",
            onderwerp=onderwerp,
            day=day,
            dossier=dossier,
            actors=[(cie, "Voortouwcommissie")],
            activiteiten=[act_id],
        )
        emit_document(
            self.c,
            soort="Verslag van een commissiedebat",
            onderwerp=onderwerp,
            day=day,
            zaken=[zaak],
            dossier=dossier,
            actors=[(cie, "")],
            distinctive=[thema],
            afzender=cie.naam,
            activiteiten=[act_id],
        )

    def commitment(
        self,
        day: date,
        act_id: str,
        act_nummer: str,
        cie: Commissie,
        thema: str,
        members: list[Person],
    ) -> None:
        c = self.c
        rng = c.rng
        minister = cie.bewindspersoon
        assert minister is not None
        to = rng.choice(members)
        r = rng.random()
        status = "Openstaand" if r < 0.6 else "Voldaan" if r < 0.9 else "Deels Voldaan"
        tid = c.ids.next("Toezegging")
        values: dict[str, object] = {
            "toegezegd_aan_fractie_id": c.world.fractie(to.fractie).id if to.fractie else None,
            "toegezegd_aan_persoon_id": to.id,
            "is_herhaling_van_ids": [],
            "is_aanvulling_op_ids": [],
            "is_wijziging_van_ids": [],
            "aanmaakdatum": datetime.combine(day, time(17, 0)),
            "nummer": f"TZ{day:%Y%m}-{c.ids.counter(f'tz{day:%Y%m}'):03d}",
            "activiteit_id": act_id,
            "activiteit_nummer": act_nummer,
            "naam": minister.achternaam_vol,
            "achternaam": minister.achternaam,
            "initialen": minister.initialen,
            "tussenvoegsel": minister.tussenvoegsel or None,
            "voornaam": minister.voornaam,
            "achtervoegsel": None,
            "titulatuur": None,
            "functie": minister.bewindspersoon,
            "status": status,
            "datum_nakoming": datetime.combine(day + timedelta(days=rng.randint(20, 120)), time()),
            "kamerbrief_nakoming": None,
            "ministerie": cie.ministerie,
            "tekst": f"De {minister.bewindspersoon} zegt toe de Kamer "
            f"{rng.choice(('voor de zomer', 'voor het einde van het jaar', 'in het voorjaar', 'binnen drie maanden'))} "
            f"schriftelijk te informeren over {thema}, naar aanleiding van een vraag van het lid {to.aanhef}.",
        }
        c.w.emit("Toezegging", tid, values)
        if status == "Openstaand" and rng.random() < 0.3:
            done = day + timedelta(days=rng.randint(20, 90))

            def fulfil() -> None:
                values["status"] = "Voldaan"
                values["kamerbrief_nakoming"] = f"Kamerbrief van {done:%d-%m-%Y}"
                c.w.emit("Toezegging", tid, values, new=False)

            self.later(done, fulfil)

    def procedure_meeting(self, day: date, cie: Commissie) -> None:
        c = self.c
        letters = list(self.recent_letters.get(cie.afkorting, ()))[-4:]
        act = emit_activity(
            c,
            soort="Procedurevergadering",
            onderwerp="Procedurevergadering",
            start=datetime.combine(day, time(c.rng.choice((9, 12)), 30)),
            minutes=30,
            commissie=cie,
            besloten=c.rng.random() < 0.5,
            zaal=c.rng.choice(c.world.zalen[:7]),
            agenda=[f"Brief regering: {z.onderwerp}" for z in letters],
        )
        if day > c.today:
            return
        for z, ap in zip(letters, act.agendapunten, strict=False):
            if c.rng.random() < 0.6:
                emit_besluit(
                    c,
                    agendapunt=ap,
                    zaken=[z],
                    soort="V.k.a. - voor kennisgeving aannemen (commissie)",
                    tekst="Voor kennisgeving aangenomen.",
                )
            else:
                emit_besluit(
                    c,
                    agendapunt=ap,
                    zaken=[z],
                    soort="Agenderen - commissiedebat",
                    tekst="Agenderen voor het eerstvolgende commissiedebat.",
                )

    # -- plenary ---------------------------------------------------------------------------

    def plenary_day(self, day: date) -> None:
        c = self.c
        rng = c.rng
        zaal = (c.world.zalen[7][0], c.world.zalen[7][1])  # Plenaire zaal
        start = datetime.combine(day, time(14 if day.weekday() == 1 else 10, 0))
        items: list[Item] = []
        if day.weekday() == 1:
            stemmingen = self.votes(day, zaal)
            if self.day_votes:
                items.append(
                    Item("Stemmingen", stemmingen, [], votes=self.day_votes, soort="Stemmingen")
                )
        for _ in range(rng.choice((1, 2, 2))):
            if not self.debates:
                break
            debate = self.debates.popleft()
            items.append(self.plenary_debate(day, start, debate, zaal))
        if not items or day > c.today:
            return
        chair = rng.choice(c.world.sitting[:30])

        def meeting_of(vid: str, nummer: int) -> Meeting:
            return Meeting(
                vid,
                "Plenair",
                day,
                start,
                start + timedelta(hours=9),
                f"Plenaire vergadering {day:%d-%m-%Y}",
                zaal[1],
                nummer,
                chair,
                None,
                items,
            )

        emit_meeting(
            c,
            meeting_of,
            soort="Plenair",
            titel=f"Plenaire vergadering {day:%d-%m-%Y}",
            start=start,
            minutes=540,
            zaal=zaal[1],
            make_verslag=self.verslag,
        )

    def plenary_debate(
        self, day: date, start: datetime, debate: Debate, zaal: tuple[str, str]
    ) -> Item:
        c = self.c
        rng = c.rng
        cie = debate.commissie
        members = self.members(cie, rng.randint(2, 5))
        if debate.wet is not None:
            soort, onderwerp = "Plenair debat (wetgeving)", debate.wet.onderwerp
        else:
            soort, onderwerp = (
                "Plenair debat (tweeminutendebat)",
                f"Tweeminutendebat {debate.thema}",
            )
        act = emit_activity(
            c,
            soort=soort,
            onderwerp=onderwerp,
            start=start + timedelta(hours=rng.randint(0, 5)),
            minutes=60 if debate.wet is None else 300,
            commissie=cie,
            zaal=zaal,
            participants=[(p, "Deelnemer") for p in members]
            + ([(cie.bewindspersoon, "Bewindspersoon c.a.")] if cie.bewindspersoon else []),
        )
        item = Item(
            onderwerp,
            act.nummer,
            speeches(c, debate.thema, members, cie.bewindspersoon),
            soort=soort,
        )
        if day > c.today:
            return item
        for p in members[: rng.randint(1, 3)]:
            motion = self.motion(day, p, debate, act.id)
            assert motion.doc is not None
            item.motions.append(
                MotionRef(
                    motion.doc.values["volgnummer"],  # type: ignore[arg-type]
                    debate.dossier.label,
                    motion.doc.onderwerp,
                    [p],
                    motion.zaak.id,
                    motion.zaak.nummer,
                )
            )
            self.motions.append((motion, onderwerp))
        if debate.wet is not None:
            for p in members[:2]:
                self.amendment(day, p, debate, act.id)
            self.motions.append((Motion(debate.wet, None, None), onderwerp))
        return item

    def motion(self, day: date, p: Person, debate: Debate, act_id: str) -> Motion:
        appreciatie = self.c.rng.choice(("Oordeel Kamer", "Ontraden", "Overgenomen", None))
        return self._proposal("Motie", day, p, debate, act_id, appreciatie)

    def amendment(self, day: date, p: Person, debate: Debate, act_id: str) -> None:
        proposal = self._proposal("Amendement", day, p, debate, act_id, None)
        assert proposal.doc is not None
        self.motions.append((proposal, proposal.doc.onderwerp))

    def _proposal(
        self,
        soort: str,
        day: date,
        p: Person,
        debate: Debate,
        act_id: str,
        appreciatie: str | None,
    ) -> Motion:
        """A motion or amendment of member ``p`` in a debate: its zaak and document."""
        c = self.c
        onderwerp, words = self.subject(c.rng, "", commissie=debate.commissie.naam)
        onderwerp = f"{soort} van het lid {p.aanhef} over {onderwerp[:1].lower() + onderwerp[1:]}"
        zaak = emit_zaak(
            c,
            soort=soort,
            onderwerp=onderwerp,
            day=day,
            dossier=debate.dossier,
            actors=[(p, "Indiener")],
            activiteiten=[act_id] if soort == "Motie" else [],
            kabinetsappreciatie=appreciatie,
        )
        doc = emit_document(
            c,
            soort=soort,
            onderwerp=onderwerp,
            day=day,
            zaken=[zaak],
            dossier=debate.dossier,
            actors=[(p, "Eerste ondertekenaar")],
            distinctive=words,
            afzender=p.volledige_naam,
            activiteiten=[act_id],
        )
        return Motion(zaak, doc, p.fractie)

    def votes(self, day: date, zaal: tuple[str, str]) -> str | None:
        """Tuesday: the Stemmingen activity with one agendapunt per debate of last week;
        returns its nummer (the outcomes are collected in ``day_votes``)."""
        c = self.c
        self.day_votes = []
        if not self.motions:
            return None
        by_debate: dict[str, list[Motion]] = {}
        for motion, debate in self.motions:
            by_debate.setdefault(debate, []).append(motion)
        self.motions = []
        act = emit_activity(
            c,
            soort="Stemmingen",
            onderwerp="Stemmingen",
            start=datetime.combine(day, time(15, 0)),
            minutes=45,
            commissie=None,
            zaal=zaal,
            agenda=[
                f"Stemmingen over moties ingediend bij het {d[:1].lower() + d[1:]}"
                for d in by_debate
            ],
        )
        for ap, motions in zip(act.agendapunten, by_debate.values(), strict=True):
            for i, m in enumerate(motions, 1):
                if day > c.today:
                    emit_besluit(
                        c,
                        agendapunt=ap,
                        zaken=[m.zaak],
                        soort="Stemmen - aangenomen/verworpen",
                        tekst="Stemmen.",
                        status="Voorstel",
                        volgorde=i,
                    )
                    continue
                hoofdelijk = c.rng.random() < 0.02
                adopted, stemmen = emit_besluit_with_votes(
                    c,
                    agendapunt=ap,
                    zaak=m.zaak,
                    indiener=m.fractie,
                    hoofdelijk=hoofdelijk,
                    volgorde=i,
                )
                self.day_votes.append(VoteRef(m.zaak.onderwerp, adopted, stemmen))
                update_zaak(
                    c,
                    m.zaak,
                    afgedaan=True,
                    huidige_behandelstatus="Aangenomen" if adopted else "Verworpen",
                )
        return act.nummer

    def bill(self, day: date) -> None:
        """A government bill: new dossier, bill + explanatory memorandum + advice, then the
        committee report, the memorandum in reply and the plenary debate weeks later."""
        c = self.c
        cie = c.rng.choice(c.world.active_commissies)
        minister = cie.bewindspersoon
        assert minister is not None
        onderwerp, words = self.subject(c.rng, "Voorstel van wet", commissie=cie.naam)
        dossier = new_dossier(c, cie, onderwerp, bill=True)
        zaak = emit_zaak(
            c,
            soort="Wetgeving",
            onderwerp=onderwerp,
            day=day,
            dossier=dossier,
            actors=[(minister, "Indiener"), (cie, "Voortouwcommissie")],
            titel=onderwerp,
        )
        afzender = f"De {minister.bewindspersoon}, {minister.volledige_naam}"
        for soort in (
            "Voorstel van wet",
            "Memorie van toelichting",
            "Advies Afdeling advisering Raad van State en Nader rapport",
        ):
            emit_document(
                c,
                soort=soort,
                onderwerp=onderwerp,
                day=day,
                zaken=[zaak],
                dossier=dossier,
                actors=[(minister, "Eerste ondertekenaar")],
                distinctive=words,
                afzender=afzender,
            )
        d1, d2, d3 = (day + timedelta(days=n) for n in (28, 49, 63))
        self.later(
            d1,
            lambda: emit_document(
                c,
                soort="Verslag",
                onderwerp=f"Verslag {onderwerp}",
                day=d1,
                zaken=[zaak],
                dossier=dossier,
                actors=[(cie, "")],
                distinctive=words[:1],
                afzender=cie.naam,
            ),
        )
        self.later(
            d2,
            lambda: emit_document(
                c,
                soort="Nota naar aanleiding van het verslag",
                onderwerp=f"Nota naar aanleiding van het verslag {onderwerp}",
                day=d2,
                zaken=[zaak],
                dossier=dossier,
                actors=[(minister, "Eerste ondertekenaar")],
                distinctive=words[:1],
                afzender=afzender,
            ),
        )
        self.later(d3, lambda: self.debates.append(Debate(cie, onderwerp, dossier, wet=zaak)))

    def unplanned(self) -> None:
        """Activities that have no date yet (the page "ongeplande activiteiten")."""
        c = self.c
        for cie in c.world.active_commissies:
            if c.rng.random() < 0.6:
                thema = c.rng.choice(cie.themes)
                emit_activity(
                    c,
                    soort=c.rng.choice(
                        ("Commissiedebat", "Rondetafelgesprek", "Technische briefing")
                    ),
                    onderwerp=thema[:1].upper() + thema[1:],
                    start=None,
                    minutes=0,
                    commissie=cie,
                    noot="Datum wordt later bepaald.",
                )


# Begroting chapters (toevoeging of the yearly budget dossier) per committee.
HOOFDSTUK = {
    "FIN": "IX",
    "BIZA": "VII",
    "DEF": "X",
    "EZ": "XIII",
    "IenW": "XII",
    "JenV": "VI",
    "LVVN": "XIV",
    "OCW": "VIII",
    "SZW": "XV",
    "VWS": "XVI",
    "BuZa": "V",
    "KGG": "XXIII",
    "VRO": "XXII",
    "AenM": "XIX",
    "DiZa": "VII",
}


def new_dossier(c: Ctx, cie: Commissie, titel: str, *, bill: bool = False) -> Dossier:
    nummer = c.ids.counter("dossier.wet", 36500) if bill else c.ids.counter("dossier.beleid", 31000)
    d = Dossier(
        c.ids.next("Kamerstukdossier"), nummer, None, titel, cie, volgnummer=1 if bill else 0
    )
    emit_dossier(c, d, new=True)
    return d


def budget_dossier(c: Ctx, cie: Commissie, year: int) -> Dossier:
    """The budget of a ministry for next year: one number for all, a chapter per ministry
    (e.g. 36800-XVI), so documents in it are cited as "36800-XVI, nr. 12"."""
    titel = (
        f"Vaststelling van de begrotingsstaten van het {cie.ministerie} voor het jaar {year + 1}"
    )
    nummer = 36800 - 200 * (c.today.year - year)
    d = Dossier(
        c.ids.next("Kamerstukdossier"),
        nummer,
        HOOFDSTUK.get(cie.afkorting, "I"),
        titel,
        cie,
        volgnummer=0,
    )
    emit_dossier(c, d, new=True)
    return d


def emit_dossier(c: Ctx, d: Dossier, *, new: bool) -> None:
    c.w.emit(
        "Kamerstukdossier",
        d.id,
        {
            "titel": d.titel,
            "citeertitel": None,
            "alias": None,
            "nummer": d.nummer,
            "toevoeging": d.toevoeging,
            "hoogste_volgnummer": d.volgnummer,
            "afgesloten": d.afgesloten,
            "kamer": "Tweede Kamer",
        },
        new=new,
    )
    d.changed = False


def _recess(day: date) -> bool:
    summer = (day.month == 7 and day.day > 4) or day.month == 8
    christmas = (day.month == 12 and day.day > 19) or (day.month == 1 and day.day < 12)
    return summer or christmas


def _gifts() -> tuple[str, ...]:
    from . import names

    return names.GIFTS


@dataclass(frozen=True)
class Pace:
    """How one ministry answers written questions: ``factor`` on the drawn delay and the
    chance that a late answer is announced by an uitstelbrief."""

    factor: float
    uitstel: float
    rng: random.Random

    def delay(self, drawn: int) -> int:
        return max(3, round(drawn * self.factor * self.rng.uniform(0.85, 1.2)))

    def postpones(self) -> bool:
        return self.rng.random() < self.uitstel


class AnswerPace:
    """Each ministry's pace of answering (issue #26: some answer in time, some are slow and
    send uitstelbrieven, some are slow and send none), drawn from random streams of their
    own — a ministry's profile from the seed and its name, each question's variation from
    one stream per sample — so the rest of the sample parliament stays as it was drawn."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(f"kamerwatch-sample/{seed}/antwoorden")
        self.paces: dict[str, Pace] = {}

    def of(self, ministerie: str) -> Pace:
        pace = self.paces.get(ministerie)
        if pace is None:
            own = random.Random(f"kamerwatch-sample/{self.seed}/antwoordtempo/{ministerie}")
            slow = own.random() < 0.4
            factor = own.uniform(1.5, 2.2) if slow else own.uniform(0.6, 1.0)
            pace = self.paces[ministerie] = Pace(factor, own.uniform(0.2, 1.0), self.rng)
        return pace


__all__ = ["Speech", "Timeline", "emit_dossier", "midnight", "new_dossier"]
