"""Plausible Dutch document text for the sample parliament, from templates and word lists.

Pure and deterministic: everything random comes from the `random.Random` the caller passes.
People's names are given by the caller (invented); the texts never name real politicians.
`subject()` invents an onderwerp with rare compound words; `document_text()` writes the body
of a document of a given soort in which every distinctive word occurs verbatim.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kamerwatch.dutch import MAANDEN
from kamerwatch.sample import words as w
from kamerwatch.sample.words import Theme

FRACTIES = ("VVD", "GroenLinks-PvdA", "PVV", "CDA", "D66", "NSC", "SP", "ChristenUnie", "SGP")


@dataclass(frozen=True)
class DocText:
    """The text of one document; the file writers lay it out.

    `koppen` holds the indexes of the paragraphs that are headings.
    """

    soort: str
    nummer: str
    datum: date
    onderwerp: str
    titel: str | None
    afzender: str
    geadresseerde: str
    kenmerk: str | None
    paragraphs: list[str]
    koppen: tuple[int, ...] = ()


def datum_nl(d: date) -> str:
    """`date(2026, 11, 3)` → "3 november 2026"."""
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def vergaderjaar(d: date) -> str:
    """The parliamentary year (starts on the third Tuesday of September, roughly 1 September)."""
    start = d.year if d.month >= 9 else d.year - 1
    return f"{start}-{start + 1}"


# --- subjects ------------------------------------------------------------------------------


def lidwoord(word: str) -> str:
    """ "het" for an invented compound with a neuter tail ("het zeewierprotocol"), else "de"."""
    return "het" if any(word.endswith(t) for t in w.HET_TAILS) else "de"


def distinctive_word(rng: random.Random, theme: Theme | None = None) -> str:
    """An invented compound noun such as "grondwaterboekhouding" or "kwelderbeleidsnota"."""
    theme = theme or rng.choice(w.THEMES)
    return rng.choice(theme.stammen) + rng.choice(w.COMPOUND_MIDDLES) + rng.choice(w.COMPOUND_TAILS)


_SUBJECTS: dict[str, tuple[str, ...]] = {
    "Brief regering": (
        "Voortgangsbrief over {ond} en de {w}",
        "Kabinetsreactie op het advies over de {w}",
        "Stand van zaken {ond} en de {w}",
        "Uitwerking van de {w}",
    ),
    "Schriftelijke vragen": ("Vragen over {ond} en de {w}", "Vragen over de {w}"),
    "Antwoord schriftelijke vragen": ("Antwoord op vragen over {ond} en de {w}",),
    "Mededeling uitstel antwoord": ("Uitstel beantwoording vragen over de {w}",),
    "Motie": ("Motie over {ond} en de {w}", "Motie over het versnellen van de {w}"),
    "Amendement": ("Amendement over de {w}", "Amendement over de financiering van de {w}"),
    "Voorstel van wet": (
        "Regels over de {w} (Wet {w})",
        "Wijziging van enkele wetten in verband met de invoering van de {w}",
    ),
    "Memorie van toelichting": ("Regels over de {w} (Wet {w}); memorie van toelichting",),
    "Verslag": ("Verslag over het wetsvoorstel over de {w}",),
    "Nota naar aanleiding van het verslag": ("Nota naar aanleiding van het verslag over de {w}",),
    "Lijst van vragen en antwoorden": ("Lijst van vragen en antwoorden over de {w}",),
    "Verslag van een commissiedebat": ("Verslag van een commissiedebat over {ond}",),
}
_GENERIC_SUBJECTS = ("{Ond} en de {w}", "De {w}")


def subject(rng: random.Random, soort: str, theme: Theme | None = None) -> tuple[str, list[str]]:
    """A plausible onderwerp for a document of `soort` (in `theme`, else a random one) and
    1–3 distinctive rare words."""
    theme = theme or rng.choice(w.THEMES)
    first = distinctive_word(rng, theme)
    distinctive = [first]
    for chance in (0.5, 0.2):
        if rng.random() < chance:
            extra = distinctive_word(rng)
            if extra not in distinctive:
                distinctive.append(extra)
    ond = rng.choice(theme.onderwerpen)
    template = rng.choice(_SUBJECTS.get(soort, _GENERIC_SUBJECTS))
    onderwerp = template.replace("de {w}", "{dw}").format(
        ond=ond, Ond=_cap(ond), w=first, dw=f"{lidwoord(first)} {first}"
    )
    return onderwerp, distinctive


# --- document bodies -----------------------------------------------------------------------


@dataclass
class _Ctx:
    rng: random.Random
    theme: Theme
    onderwerp: str
    datum: date
    afzender: str
    geadresseerde: str
    personen: list[str]
    titel: str | None
    nummer: str
    todo: list[str]  # distinctive words not yet used
    lines: list[str] = field(default_factory=list)
    koppen: list[int] = field(default_factory=list)

    def kern(self) -> str:
        if self.todo and self.rng.random() < 0.7:
            word = self.todo.pop(0)
            return f"{lidwoord(word)} {word}"
        return self.rng.choice(self.theme.onderwerpen)

    def fill(self, template: str, fixed: dict[str, str] | None = None) -> str:
        """`template` with its fields filled; `fixed` values (kern, partij) are kept."""
        values: dict[str, str] = dict(fixed or {})
        if "{kern}" in template and "kern" not in values:
            values["kern"] = self.kern()
        if ("{partij}" in template or "{Partij}" in template) and "partij" not in values:
            values["partij"] = self.rng.choice(self.theme.partijen)
        if "partij" in values:
            values["Partij"] = _cap(values["partij"])
        if "{bedrag}" in template:
            values["bedrag"] = str(self.rng.randrange(5, 900))
        if "{kop}" in template:
            kop = self.rng.choice(w.BERICHT_KOPPEN).replace("{onderwerp}", "{kern}")
            values["kop"] = self.fill(kop, fixed)
        if "{medium}" in template:
            values["medium"] = self.rng.choice(w.MEDIA)
        if "{datum}" in template:
            values["datum"] = datum_nl(self.datum)
        if "{onderwerp}" in template:
            values["onderwerp"] = self.onderwerp
        return _cap(template.format(**values))

    def say(self, *paragraphs: str) -> None:
        self.lines.extend(p for p in paragraphs if p)

    def kop(self, text: str) -> None:
        self.koppen.append(len(self.lines))
        self.lines.append(text)

    def sentences(self, pool: Sequence[str], n: int) -> str:
        return " ".join(self.fill(t) for t in self.rng.sample(list(pool), min(n, len(pool))))

    @property
    def zaak(self) -> str:
        """The onderwerp as it reads after "over": without "Vragen over" and the like."""
        head, sep, tail = self.onderwerp.partition(" over ")
        if sep and len(head) < 45 and head.split(" ")[0] in _PREFIXES:
            return tail
        if self.onderwerp[1:2].islower():
            return _lower(self.onderwerp)
        return self.onderwerp

    @property
    def bewindspersoon(self) -> str:
        return f"de minister van {self.theme.ministerie}"

    @property
    def leden(self) -> str:
        return _names(self.personen)


_PREFIXES = frozenset({"Vragen", "Antwoord", "Uitstel", "Lijst", "Verslag", "Nota", "Motie"})


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _brief(c: _Ctx) -> None:
    c.say("Geachte voorzitter,", c.fill(c.rng.choice(w.BRIEF_OPENINGEN)))
    for kop in c.rng.sample(["Aanleiding", "Stand van zaken", "Vervolg", "Financiën"], 2):
        c.kop(kop)
        c.say(c.sentences(w.BRIEF_ZINNEN, 3), c.sentences(w.BRIEF_ZINNEN, 2))
    c.say(c.rng.choice(w.SLOTZINNEN), f"De minister van {c.theme.ministerie},", c.afzender)


def _vragen(c: _Ctx) -> None:
    c.say(
        f"Vragen van het lid {c.personen[0]} aan {c.bewindspersoon} over {c.zaak} "
        f"(ingezonden {datum_nl(c.datum)})."
    )
    for i, q in enumerate(_questions(c), 1):
        c.say(f"Vraag {i} {c.fill(w.VRAAG_ZINNEN[q])}")


def _questions(c: _Ctx) -> list[int]:
    """Indexes into VRAAG_ZINNEN: the news item first, the request for quick answers last."""
    last = len(w.VRAAG_ZINNEN) - 1
    middle = c.rng.sample(range(1, last), c.rng.randrange(2, last))
    return [0, *middle, last]


def _qa(c: _Ctx, vraag: int) -> tuple[str, str]:
    """Question `vraag` and an answer to it, about the same thing."""
    fixed = {"kern": c.kern(), "partij": c.rng.choice(c.theme.partijen)}
    answer = c.fill(c.rng.choice(w.ANTWOORDEN[vraag]), fixed)
    return c.fill(w.VRAAG_ZINNEN[vraag], fixed), answer


def _antwoord(c: _Ctx) -> None:
    c.say(
        f"Antwoord van {c.afzender}, {c.bewindspersoon} (ontvangen {datum_nl(c.datum)}).",
        f"Antwoord op vragen van het lid {c.personen[0]} over {c.zaak}.",
    )
    for i, q in enumerate(_questions(c), 1):
        vraag, antwoord = _qa(c, q)
        c.say(f"Vraag {i} {vraag}", f"Antwoord op vraag {i} {antwoord}")


def _uitstel(c: _Ctx) -> None:
    c.say(
        f"Mededeling van {c.afzender}, {c.bewindspersoon} (ontvangen {datum_nl(c.datum)}).",
        f"De vragen van het lid {c.personen[0]} over {c.zaak} (kenmerk {c.nummer}) kunnen niet "
        "binnen de gebruikelijke termijn van drie weken worden beantwoord.",
        c.fill(
            "De reden van het uitstel is dat voor de beantwoording informatie nodig is van "
            "{partij} over {kern}."
        ),
        "Ik streef ernaar de vragen zo spoedig mogelijk te beantwoorden.",
    )


def _motie(c: _Ctx) -> None:
    wie = "HET LID" if len(c.personen) == 1 else "DE LEDEN"
    c.kop(f"MOTIE VAN {wie} {c.leden.upper()}")
    c.say(f"Voorgesteld {datum_nl(c.datum)}", "De Kamer,", "gehoord de beraadslaging,")
    for pool, n in ((w.CONSTATERINGEN, c.rng.randrange(1, 3)), (w.OVERWEGINGEN, 1)):
        for t in c.rng.sample(pool, n):
            c.say(_lower(c.fill(t)))
    c.say(_lower(c.fill(c.rng.choice(w.VERZOEKEN))), "en gaat over tot de orde van de dag.")
    c.say(*c.personen)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _amendement(c: _Ctx) -> None:
    wie = "HET LID" if len(c.personen) == 1 else "DE LEDEN"
    c.kop(f"AMENDEMENT VAN {wie} {c.leden.upper()}")
    c.say(f"Ontvangen {datum_nl(c.datum)}", "De ondergetekende stelt het volgende amendement voor:")
    c.kop("I")
    c.say(
        f"In artikel {c.rng.randrange(1, 9)} wordt na het {c.rng.choice(['eerste', 'tweede', 'derde'])} "
        f"lid een lid ingevoegd, luidende: Bij de uitvoering wordt rekening gehouden met {c.kern()}."
    )
    c.kop("Toelichting")
    c.say(
        f"Dit amendement regelt dat {c.kern()} een vaste plaats krijgt in de wet.",
        c.fill("Indiener vindt het van belang dat {partij} zekerheid krijgen over {kern}."),
    )
    c.say(*c.personen)


def _wetsvoorstel(c: _Ctx) -> None:
    c.kop("VOORSTEL VAN WET")
    c.say(
        "Allen, die deze zullen zien of horen lezen, saluut! doen te weten:",
        f"Alzo Wij in overweging genomen hebben, dat het wenselijk is regels te stellen over "
        f"{c.kern()};",
        "Zo is het, dat Wij, de Afdeling advisering van de Raad van State gehoord, en met gemeen "
        "overleg der Staten-Generaal, hebben goedgevonden en verstaan, gelijk Wij goedvinden en "
        "verstaan bij deze:",
    )
    for i in range(1, c.rng.randrange(3, 6)):
        c.kop(f"Artikel {i}")
        c.say(
            c.fill(
                c.rng.choice(
                    (
                        "In deze wet wordt verstaan onder {kern}: het geheel van maatregelen van de overheid.",
                        "Onze Minister stelt regels over {kern}.",
                        "Bij ministeriële regeling kunnen nadere regels worden gesteld over {kern}.",
                        "Onze Minister zendt binnen vijf jaar na de inwerkingtreding een verslag over {kern} aan de Staten-Generaal.",
                    )
                )
            )
        )
    c.kop(f"Artikel {i + 1}")
    c.say("Deze wet treedt in werking op een bij koninklijk besluit te bepalen tijdstip.")
    c.say(
        f"Gegeven te ’s-Gravenhage, {datum_nl(c.datum)}",
        f"De minister van {c.theme.ministerie},",
        c.afzender,
    )


def _mvt(c: _Ctx) -> None:
    c.kop("MEMORIE VAN TOELICHTING")
    for kop, pool, n in (
        ("1. Inleiding", w.BRIEF_ZINNEN, 3),
        ("2. Hoofdlijnen van het voorstel", w.BRIEF_ZINNEN, 4),
        ("3. Gevolgen voor de uitvoering", w.BRIEF_ZINNEN, 2),
        ("4. Financiële gevolgen", w.BRIEF_ZINNEN, 2),
    ):
        c.kop(kop)
        c.say(c.sentences(pool, n))
    c.kop("II. Artikelsgewijs")
    c.say(f"Artikel 1: dit artikel bevat de begripsbepalingen, waaronder {c.kern()}.")
    c.say(f"De minister van {c.theme.ministerie},", c.afzender)


def _fractie_inbreng(c: _Ctx, n: int) -> list[tuple[str, str, str]]:
    """(fractie, inbreng, the government's answer) for `n` fracties."""
    out = []
    for fractie in c.rng.sample(FRACTIES, n):
        vraag, antwoord = _qa(c, c.rng.randrange(1, len(w.VRAAG_ZINNEN) - 1))
        tekst = (
            f"De leden van de {fractie}-fractie hebben kennisgenomen van het wetsvoorstel. "
            f"Zij hebben nog enkele vragen. {vraag}"
        )
        out.append((fractie, tekst, antwoord))
    return out


def _verslag(c: _Ctx) -> None:
    c.kop("VERSLAG")
    c.say(
        f"Vastgesteld {datum_nl(c.datum)}",
        f"De {c.theme.commissie}, belast met het voorbereidend onderzoek van dit wetsvoorstel, "
        "heeft de eer als volgt verslag uit te brengen van haar bevindingen.",
    )
    for fractie, tekst, _ in _fractie_inbreng(c, c.rng.randrange(2, 5)):
        c.kop(f"Inbreng van de leden van de {fractie}-fractie")
        c.say(tekst)
    c.say("De voorzitter van de commissie,", c.afzender)


def _nota(c: _Ctx) -> None:
    c.kop("NOTA NAAR AANLEIDING VAN HET VERSLAG")
    c.say(
        f"Ontvangen {datum_nl(c.datum)}",
        "De regering dankt de leden van de fracties voor hun inbreng bij dit wetsvoorstel.",
    )
    for fractie, tekst, antwoord in _fractie_inbreng(c, c.rng.randrange(2, 4)):
        c.kop(f"Vragen van de leden van de {fractie}-fractie")
        c.say(tekst, antwoord + " " + c.sentences(w.BRIEF_ZINNEN, 1))
    c.say(f"De minister van {c.theme.ministerie},", c.afzender)


def _lijst(c: _Ctx) -> None:
    c.kop("LIJST VAN VRAGEN EN ANTWOORDEN")
    c.say(
        f"Vastgesteld {datum_nl(c.datum)}",
        f"De {c.theme.commissie} heeft een aantal vragen voorgelegd aan {c.bewindspersoon} over "
        f"{c.zaak}. De vragen zijn, met de daarop gegeven antwoorden, hieronder afgedrukt.",
    )
    for i, q in enumerate(_questions(c)[1:-1], 1):
        c.kop(str(i))
        vraag, antwoord = _qa(c, q)
        c.say(f"Vraag: {vraag}", f"Antwoord: {antwoord}")
    c.say("De griffier van de commissie,", c.afzender)


def _commissiedebat(c: _Ctx) -> None:
    c.kop("VERSLAG VAN EEN COMMISSIEDEBAT")
    c.say(
        f"Vastgesteld {datum_nl(c.datum)}",
        f"De {c.theme.commissie} heeft overleg gevoerd met {c.bewindspersoon} over {c.zaak}.",
        "Van dit overleg brengt de commissie bijgaand geredigeerd woordelijk verslag uit.",
        f"Voorzitter: {c.afzender}",
    )
    c.say("De voorzitter:", "Goedemorgen. Ik open dit commissiedebat en heet iedereen welkom.")
    for naam, fractie in zip(c.personen or ["Een lid"], c.rng.sample(FRACTIES, 5), strict=False):
        c.say(f"{naam} ({fractie}):", c.sentences(w.DEBAT_ZINNEN, 3))
    c.say("Minister:", c.sentences(w.BRIEF_ZINNEN, 3))
    c.say(
        "De voorzitter:",
        "Ik dank de minister en de leden voor hun inbreng. Ik sluit de vergadering.",
    )


def _generic(c: _Ctx) -> None:
    if c.titel:
        c.kop(c.titel)
    c.say(f"Dit document gaat over {c.zaak}.", c.sentences(w.BRIEF_ZINNEN, 3))
    c.say(c.sentences(w.BRIEF_ZINNEN, 2), c.afzender)


_WRITERS: dict[str, Callable[[_Ctx], None]] = {
    "Brief regering": _brief,
    "Schriftelijke vragen": _vragen,
    "Antwoord schriftelijke vragen": _antwoord,
    "Mededeling uitstel antwoord": _uitstel,
    "Motie": _motie,
    "Amendement": _amendement,
    "Voorstel van wet": _wetsvoorstel,
    "Memorie van toelichting": _mvt,
    "Verslag": _verslag,
    "Nota naar aanleiding van het verslag": _nota,
    "Lijst van vragen en antwoorden": _lijst,
    "Verslag van een commissiedebat": _commissiedebat,
}
SOORTEN: tuple[str, ...] = tuple(_WRITERS)


def _theme_for(rng: random.Random, onderwerp: str, distinctive: Sequence[str]) -> Theme:
    for hay in (onderwerp.lower(), " ".join(distinctive).lower()):
        for theme in w.THEMES:
            if theme.naam in hay or any(s in hay for s in theme.stammen):
                return theme
    return rng.choice(w.THEMES)


def _kenmerk(rng: random.Random, soort: str, datum: date) -> str | None:
    if soort in ("Brief regering", "Antwoord schriftelijke vragen", "Mededeling uitstel antwoord"):
        return f"{datum.year}-{rng.randrange(10**10):010d}"
    return None


def _ensure_words(c: _Ctx, distinctive: Sequence[str]) -> None:
    """Every distinctive word must occur verbatim; weave missing ones into the body."""
    text = "\n".join(c.lines)
    missing = [d for d in distinctive if d and d not in text]
    if not missing:
        return
    sentence = " ".join(f"Dit raakt ook aan het dossier {d}." for d in missing)
    at = min(len(c.lines), 2)
    c.lines.insert(at, sentence)
    c.koppen = [k + 1 if k >= at else k for k in c.koppen]


def document_text(
    rng: random.Random,
    *,
    soort: str,
    nummer: str,
    datum: date,
    onderwerp: str,
    titel: str | None,
    afzender: str,
    geadresseerde: str,
    distinctive: list[str],
    personen: Sequence[str] = (),
) -> DocText:
    """The body of a document of `soort`; every word of `distinctive` occurs in it verbatim.

    `personen` are the (invented) people who sign or speak: the indieners of a motie or
    amendement, the vragensteller of schriftelijke vragen, the members in a debate. When
    empty, `afzender` is used.
    """
    ctx = _Ctx(
        rng=rng,
        theme=_theme_for(rng, onderwerp, distinctive),
        onderwerp=onderwerp,
        datum=datum,
        afzender=afzender,
        geadresseerde=geadresseerde,
        personen=list(personen) or [afzender],
        titel=titel,
        nummer=nummer,
        todo=[d for d in distinctive if d],
    )
    _WRITERS.get(soort, _generic)(ctx)
    _ensure_words(ctx, distinctive)
    return DocText(
        soort=soort,
        nummer=nummer,
        datum=datum,
        onderwerp=onderwerp,
        titel=titel,
        afzender=afzender,
        geadresseerde=geadresseerde,
        kenmerk=_kenmerk(rng, soort, datum),
        paragraphs=ctx.lines,
        koppen=tuple(ctx.koppen),
    )
