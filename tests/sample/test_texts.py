"""Sample document texts: per soort, deterministic, every distinctive word findable."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerwatch.sample.texts import (
    SOORTEN,
    DocText,
    datum_nl,
    document_text,
    lidwoord,
    subject,
    vergaderjaar,
)

ALL_SOORTEN = [*SOORTEN, "Brief commissie", "Rapport"]


def _doc(seed: int, soort: str, **kw: object) -> DocText:
    rng = random.Random(seed)
    onderwerp, distinctive = subject(rng, soort)
    args: dict[str, object] = {
        "soort": soort,
        "nummer": "2026Z01234",
        "datum": date(2026, 11, 3),
        "onderwerp": onderwerp,
        "titel": None,
        "afzender": "J.P. de Wit",
        "geadresseerde": "de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "distinctive": distinctive,
    }
    args.update(kw)
    return document_text(rng, **args)  # type: ignore[arg-type]


def test_the_real_feed_spellings_are_supported() -> None:
    assert set(SOORTEN) >= {
        "Brief regering",
        "Schriftelijke vragen",
        "Antwoord schriftelijke vragen",
        "Mededeling uitstel antwoord",
        "Motie",
        "Amendement",
        "Voorstel van wet",
        "Memorie van toelichting",
        "Verslag",
        "Nota naar aanleiding van het verslag",
        "Lijst van vragen en antwoorden",
        "Verslag van een commissiedebat",
    }


@pytest.mark.parametrize("soort", ALL_SOORTEN)
@pytest.mark.parametrize("seed", range(6))
def test_every_soort_has_text_with_its_distinctive_words(soort: str, seed: int) -> None:
    rng = random.Random(seed)
    onderwerp, distinctive = subject(rng, soort)
    assert 1 <= len(distinctive) <= 3
    assert all(re.fullmatch(r"[a-z0-9]+", w) for w in distinctive)
    doc = document_text(
        rng,
        soort=soort,
        nummer="36600-X-12",
        datum=date(2026, 3, 1),
        onderwerp=onderwerp,
        titel="Vaststelling van de begrotingsstaten",
        afzender="A. Bakker",
        geadresseerde="de Voorzitter",
        distinctive=distinctive,
    )
    text = "\n".join(doc.paragraphs)
    assert all(w in text for w in distinctive)
    assert len(doc.paragraphs) >= 3 and all(p.strip() for p in doc.paragraphs)
    assert all(0 <= k < len(doc.paragraphs) for k in doc.koppen)
    assert "{" not in text and "}" not in text  # no template left unfilled


@pytest.mark.parametrize("soort", ALL_SOORTEN)
def test_deterministic(soort: str) -> None:
    assert _doc(42, soort) == _doc(42, soort)
    assert _doc(42, soort).paragraphs != _doc(43, soort).paragraphs


def test_subject_is_deterministic_and_varied() -> None:
    one = [subject(random.Random(s), "Brief regering") for s in range(50)]
    assert one == [subject(random.Random(s), "Brief regering") for s in range(50)]
    assert len({o for o, _ in one}) > 40
    assert len({d[0] for _, d in one}) > 40
    assert all(d[0] in o for o, d in one)  # named in the onderwerp itself


def test_motie() -> None:
    doc = _doc(1, "Motie", personen=["Bakker", "Van Velzen"])
    p = doc.paragraphs
    assert p[0] == "MOTIE VAN DE LEDEN BAKKER EN VAN VELZEN" and doc.koppen == (0,)
    assert p[2:4] == ["De Kamer,", "gehoord de beraadslaging,"]
    assert any(x.startswith("constaterende dat") for x in p)
    assert any(x.startswith("overwegende dat") for x in p)
    assert any(x.startswith("verzoekt de regering") for x in p)
    assert p[-3:] == ["en gaat over tot de orde van de dag.", "Bakker", "Van Velzen"]


def test_schriftelijke_vragen_and_antwoorden_are_numbered() -> None:
    vragen = _doc(2, "Schriftelijke vragen", personen=["Mulder"])
    assert vragen.paragraphs[0].startswith("Vragen van het lid Mulder aan de minister van ")
    assert vragen.paragraphs[1].startswith("Vraag 1 Bent u bekend met het bericht ‘")
    numbers = [int(m.group(1)) for p in vragen.paragraphs if (m := re.match(r"Vraag (\d+) ", p))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 4

    antwoord = _doc(2, "Antwoord schriftelijke vragen", personen=["Mulder"])
    answers = [p for p in antwoord.paragraphs if p.startswith("Antwoord op vraag ")]
    assert answers[0].startswith("Antwoord op vraag 1 Ja, ik ben bekend met dit bericht.")
    assert len(answers) == sum(p.startswith("Vraag ") for p in antwoord.paragraphs)
    assert antwoord.kenmerk and re.fullmatch(r"2026-\d{10}", antwoord.kenmerk)


def test_uitstelbericht() -> None:
    doc = _doc(3, "Mededeling uitstel antwoord", personen=["Mulder"])
    text = " ".join(doc.paragraphs)
    assert "kunnen niet binnen de gebruikelijke termijn" in text and "2026Z01234" in text


def test_wetgeving() -> None:
    wet = _doc(4, "Voorstel van wet")
    assert "Artikel 1" in wet.paragraphs and wet.paragraphs[0] == "VOORSTEL VAN WET"
    assert any("koninklijk besluit" in p for p in wet.paragraphs)
    mvt = _doc(4, "Memorie van toelichting")
    assert mvt.paragraphs[0] == "MEMORIE VAN TOELICHTING"


def test_helpers() -> None:
    assert datum_nl(date(2026, 11, 3)) == "3 november 2026"
    assert vergaderjaar(date(2026, 11, 3)) == "2026-2027"
    assert vergaderjaar(date(2027, 6, 30)) == "2026-2027"
    assert lidwoord("zeewierprotocol") == "het" and lidwoord("grondwaterboekhouding") == "de"


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=3),
    onderwerp=st.text(max_size=80),
    soort=st.sampled_from(ALL_SOORTEN),
)
def test_any_distinctive_word_occurs_verbatim(words: list[str], onderwerp: str, soort: str) -> None:
    doc = document_text(
        random.Random(0),
        soort=soort,
        nummer="1",
        datum=date(2026, 1, 1),
        onderwerp=onderwerp,
        titel=None,
        afzender="X",
        geadresseerde="Y",
        distinctive=words,
    )
    text = "\n".join(doc.paragraphs)
    assert all(w in text for w in words)
