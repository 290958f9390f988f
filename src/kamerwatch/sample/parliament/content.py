"""The content layer of the sample parliament: subjects, document files, photos, verslagen.

Bridges the parliament's own records (people, meetings) to the pure writers in
:mod:`kamerwatch.sample.texts`, :mod:`kamerwatch.sample.files` and
:mod:`kamerwatch.sample.vlos`.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date

from .. import files, texts, vlos, words
from . import Content
from .meetings import Meeting, MotionRef, Speech
from .world import Person
from .zaken import DOCX

RTF = "application/rtf"
PDF = "application/pdf"
_THEMES_BY_COMMISSIE = {t.commissie: t for t in words.THEMES}


def subject(rng: random.Random, soort: str, commissie: str | None = None) -> tuple[str, list[str]]:
    """An onderwerp and its distinctive words, in the committee's policy field where known."""
    return texts.subject(rng, soort, _THEMES_BY_COMMISSIE.get(commissie or ""))


def make_file(
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
    fmt: str | None,
    versie: int = 1,
) -> tuple[str, bytes]:
    """The file of a document: (content type, bytes); mostly PDF, some DOCX and RTF."""
    doc = texts.document_text(
        rng,
        soort=soort,
        nummer=nummer,
        datum=datum,
        onderwerp=onderwerp,
        titel=titel,
        afzender=afzender,
        geadresseerde=geadresseerde,
        distinctive=list(distinctive),
    )
    if versie > 1:
        note = f"Deze versie {versie} vervangt de eerder gepubliceerde versie van dit stuk."
        doc = dataclasses.replace(doc, paragraphs=[*doc.paragraphs, note])
    r = rng.random()
    if fmt == "docx" or (fmt is None and r < 0.08):
        return DOCX, files.docx_bytes(doc)
    if r > 0.97:
        return RTF, files.rtf_bytes(doc)
    if is_scan(nummer):
        return PDF, files.scanned_pdf_bytes(doc)
    return PDF, files.pdf_bytes(doc)


SCAN_AT = 50  # the 50th document number of every year is a scanned PDF (needs OCR)


def is_scan(nummer: str) -> bool:
    """Whether document `nummer` (e.g. 2026D01234) is the scanned one of its year: a handful
    per sample whatever its scale, so the demo shows OCR without slowing large samples."""
    try:
        year, serial = int(nummer[:4]), int(nummer[5:])
    except ValueError:
        return False
    return serial == 1000 + 37 * (year % 10) + SCAN_AT - 1


def _speaker(p: Person) -> vlos.VlosSpeaker:
    return vlos.VlosSpeaker(
        persoon_id=p.id,
        voornaam=p.voornaam,
        achternaam=p.achternaam,
        tussenvoegsel=p.tussenvoegsel,
        fractie=p.fractie if p.bewindspersoon is None else None,
        functie=p.bewindspersoon or "lid Tweede Kamer",
        vrouw=p.geslacht == "vrouw",
    )


def _speech(s: Speech) -> vlos.VlosSpeech:
    return vlos.VlosSpeech(
        _speaker(s.speaker),
        list(s.paragraphs),
        [vlos.VlosInterruption(_speaker(p), list(text)) for p, text in s.interruptions],
    )


def _motion(m: MotionRef) -> vlos.VlosMotion:
    return vlos.VlosMotion(
        nummer=str(m.volgnummer or ""),
        dossiernummer=m.dossier,
        titel=m.titel,
        indieners=[_speaker(p) for p in m.indieners],
        zaak_id=m.zaak_id,
        parlisid=m.zaak_nummer,
    )


def verslag(meeting: Meeting, publicatie: str, status: str) -> bytes:
    """The VLOS XML of a meeting at one stage (a Casco file has the agenda but no speeches)."""
    casco = status == "Casco"
    items = [
        vlos.VlosItem(
            titel=item.titel,
            speeches=[] if casco else [_speech(s) for s in item.speeches],
            motions=[] if casco else [_motion(m) for m in item.motions],
            votes=[]
            if casco
            else [
                vlos.VlosVote(v.titel, "Aangenomen" if v.adopted else "Verworpen", v.stemmen)
                for v in item.votes
            ],
            soort=item.soort.split(" (")[0],  # VLOS knows "Plenair debat", not its variants
            parlisid=item.activiteit_nummer or "",
        )
        for item in meeting.items
    ]
    cie = meeting.commissie
    return vlos.vlos_xml(
        vlos.VlosMeeting(
            vergadering_id=meeting.vergadering_id,
            soort=meeting.soort,
            datum=meeting.datum,
            aanvang=meeting.aanvang,
            sluiting=meeting.sluiting,
            titel=meeting.titel,
            zaal=meeting.zaal,
            voorzitter=dataclasses.replace(_speaker(meeting.voorzitter), functie="voorzitter"),
            vergaderjaar=texts.vergaderjaar(meeting.datum),
            nummer=meeting.nummer,
            items=items,
            commissies=[vlos.VlosCommissie(cie.id, cie.afkorting, cie.naam)] if cie else [],
            status=status,
            publicatie=publicatie,
        )
    )


CONTENT = Content(subject, make_file, files.photo_jpeg, verslag)
