"""A small crafted parliament around the seed document 2023D03702, written as live-style
SyncFeed XML (via the real xmlwriter) for the page tests."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for

XSS = '<script>alert("xss")</script>'
WORLD_DAY = date.today()  # the day the world is written: pages asked later pin it
BIJGEWERKT = "2024-02-19T10:56:00"  # Dutch local time, as the feed often writes it


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-test/{name}"))


COMMISSIE_ID = gid("commissie-biza")

ENTITIES: list[tuple[str, str, dict[str, Any]]] = [
    ("Fractie", "sp", {"nummer": "1", "afkorting": "SP", "naam_nl": "Socialistische Partij"}),
    ("Fractie", "vvd", {"nummer": "2", "afkorting": "VVD", "naam_nl": "VVD"}),
    ("Fractie", "pvv", {"nummer": "3", "afkorting": "PVV", "naam_nl": "PVV"}),
    (
        "Persoon",
        "leijten",
        {
            "nummer": "1234",
            "roepnaam": "Renske",
            "achternaam": "Leijten",
            "functie": "Oud Kamerlid",
            "geboortedatum": "1979-03-17",
        },
    ),
    ("Persoon", "rutte", {"nummer": "999", "roepnaam": "Mark", "achternaam": "Rutte"}),
    (
        "Persoon",
        "jarig",
        {
            "nummer": "777",
            "roepnaam": "Jan",
            "achternaam": "Jarig",
            "geboortedatum": WORLD_DAY.replace(year=1980).isoformat(),  # 1980: leap year
        },
    ),
    ("FractieZetel", "vvd-zetel", {"fractie_id": gid("vvd"), "gewicht": 1}),
    (
        "FractieZetelPersoon",
        "vvd-jarig",
        {"fractie_zetel_id": gid("vvd-zetel"), "persoon_id": gid("jarig"), "van": "2021-03-31"},
    ),
    ("FractieZetel", "sp-zetel", {"fractie_id": gid("sp"), "gewicht": 1}),
    (
        "FractieZetelPersoon",
        "sp-leijten",
        {
            "fractie_zetel_id": gid("sp-zetel"),
            "persoon_id": gid("leijten"),
            "functie": "Lid",
            "van": "2006-11-30",
            "tot_en_met": "2023-05-01",
        },
    ),
    (
        "Commissie",
        "commissie-biza",
        {"nummer": "2019C00001", "afkorting": "BiZa", "naam_nl": "Binnenlandse Zaken"},
    ),
    ("CommissieZetel", "biza-zetel", {"commissie_id": COMMISSIE_ID, "gewicht": 1}),
    (
        "CommissieZetelVastPersoon",
        "biza-leijten",
        {"commissie_zetel_id": gid("biza-zetel"), "persoon_id": gid("leijten"), "functie": "Lid"},
    ),
    (
        "Kamerstukdossier",
        "ksd",
        {"nummer": 36228, "titel": "Politiek-ambtelijke verhoudingen", "hoogste_volgnummer": 3},
    ),
    (
        "Kamerstukdossier",
        "ksd-r",
        {"nummer": 36300, "toevoeging": "R1234", "titel": "Rijkswet " + XSS},
    ),
    (
        "Zaak",
        "zaak-vragen",
        {
            "nummer": "2023Z00142",
            "soort": "Schriftelijke vragen",
            "onderwerp": "Vragen over de brandbrief van 50 topambtenaren",
            "gestart_op": "2023-01-11T00:00:00",
            "afgedaan": False,
            "kamerstukdossier_id": gid("ksd"),
        },
    ),
    (
        "ZaakActor",
        "za-leijten",
        {
            "zaak_id": gid("zaak-vragen"),
            "persoon_id": gid("leijten"),
            "actor_naam": "R.M. Leijten",
            "actor_fractie": "SP",
            "relatie": "Indiener",
        },
    ),
    (
        "ZaakActor",
        "za-rutte",
        {
            "zaak_id": gid("zaak-vragen"),
            "persoon_id": gid("rutte"),
            "actor_naam": "M. Rutte",
            "functie": "minister-president",
            "relatie": "Gericht aan",
        },
    ),
    (
        "ZaakActor",
        "za-biza",
        {
            "zaak_id": gid("zaak-vragen"),
            "commissie_id": COMMISSIE_ID,
            "actor_naam": "Binnenlandse Zaken",
            "relatie": "Voortouwcommissie",
        },
    ),
    (
        "DocumentVersie",
        "versie-3",
        {
            "document_id": gid("doc-antwoord"),
            "versienummer": 3,
            "extensie": ".pdf",
            "externeidentifier": "ah-tk-20222023-1429",
            "datum": "2023-02-01T00:00:00",
        },
    ),
    (
        "Document",
        "doc-antwoord",
        {
            "document_nummer": "2023D03702",
            "soort": "Antwoord schriftelijke vragen",
            "onderwerp": "Antwoord op vragen van het lid Leijten over de brandbrief van 50 "
            "topambtenaren over de verhouding tussen politiek en ambtenarij",
            "titel": "Antwoord schriftelijke vragen",
            "datum": "2023-02-01T00:00:00",
            "volgnummer": 3,
            "kamerstukdossier_id": gid("ksd"),
            "huidige_document_versie_id": gid("versie-3"),
            "zaak_ids": [gid("zaak-vragen")],
        },
    ),
    (
        "Document",
        "doc-vragen",
        {
            "document_nummer": "2023D00500",
            "soort": "Schriftelijke vragen",
            "onderwerp": "Vragen van het lid Leijten over de brandbrief",
            "datum": "2023-01-11T00:00:00",
            "zaak_ids": [gid("zaak-vragen")],
        },
    ),
    (
        "Document",
        "doc-bijlage",
        {
            "document_nummer": "2023D03703",
            "soort": "Bijlage",
            "onderwerp": "Brandbrief van 50 topambtenaren",
            "datum": "2023-02-01T00:00:00",
            "bron_document_ids": [gid("doc-antwoord")],
        },
    ),
    (
        "DocumentActor",
        "da-rutte",
        {
            "document_id": gid("doc-antwoord"),
            "persoon_id": gid("rutte"),
            "actor_naam": "M. Rutte",
            "actor_fractie": "VVD",
            "functie": "minister-president",
            "relatie": "Ondertekenaar",
        },
    ),
    (
        "DocumentActor",
        "da-leijten",
        {
            "document_id": gid("doc-vragen"),
            "persoon_id": gid("leijten"),
            "actor_naam": "R.M. Leijten",
            "relatie": "Indiener",
        },
    ),
    (
        "Document",
        "doc-open",
        {
            "document_nummer": "2023D09999",
            "soort": "Schriftelijke vragen",
            "onderwerp": "Vragen die nog open staan",
            "datum": "2023-02-12T00:00:00",
        },
    ),
    # a motie with a vote, an activity and XSS payloads
    (
        "Zaak",
        "zaak-motie",
        {
            "nummer": "2023Z00200",
            "soort": "Motie",
            "onderwerp": "Motie over ambtenaren " + XSS,
            "gestart_op": "2023-02-10T00:00:00",
            "kabinetsappreciatie": "Oordeel Kamer",
        },
    ),
    (
        "Document",
        "doc-motie",
        {
            "document_nummer": "2023D04000",
            "soort": "Motie",
            "onderwerp": "Motie van het lid Leijten " + XSS,
            "titel": "Titel " + XSS,
            "datum": "2023-02-10T00:00:00",
            "zaak_ids": [gid("zaak-motie")],
            "kamerstukdossier_id": gid("ksd"),
            "volgnummer": 4,
        },
    ),
    (
        "Activiteit",
        "act",
        {
            "nummer": "2023A00100",
            "soort": "Plenair debat",
            "onderwerp": "Stemmingen",
            "datum": "2023-02-14T00:00:00",
            "aanvangstijd": "2023-02-14T14:00:00",
            "eindtijd": "2023-02-14T15:00:00",
            "besloten": False,
            "voortouwcommissie_id": COMMISSIE_ID,
            "noot": '<p onclick="steal()">Noot ' + XSS + "<b>vet</b></p>",
        },
    ),
    (
        "ActiviteitActor",
        "aa-leijten",
        {
            "activiteit_id": gid("act"),
            "persoon_id": gid("leijten"),
            "actor_naam": "R.M. Leijten",
            "actor_fractie": "SP",
            "relatie": "Deelnemer",
            "volgorde": 1,
        },
    ),
    ("Zaal", "zaal", {"naam": "Plenaire zaal"}),
    ("Reservering", "res", {"zaal_id": gid("zaal"), "activiteit_ids": [gid("act")]}),
    (
        "Agendapunt",
        "punt",
        {"activiteit_id": gid("act"), "onderwerp": "Stemmingen over moties", "volgorde": 1},
    ),
    (
        "Besluit",
        "besluit",
        {
            "agendapunt_id": gid("punt"),
            "zaak_ids": [gid("zaak-motie")],
            "besluit_soort": "Stemmen - verworpen",
            "besluit_tekst": "Verworpen.",
            "status": "Besluit",
            "stemmings_soort": "Met handopsteken",
        },
    ),
    *[
        (
            "Stemming",
            f"stem-{afk}",
            {
                "besluit_id": gid("besluit"),
                "fractie_id": gid(afk.lower()),
                "soort": soort,
                "fractie_grootte": zetels,
                "actor_naam": afk,
                "actor_fractie": afk,
                "vergissing": False,
            },
        )
        for afk, soort, zetels in (("SP", "Voor", 9), ("PVV", "Voor", 17), ("VVD", "Tegen", 34))
    ],
    (
        "Toezegging",
        "tz",
        {
            "nummer": "TZ202302-001",
            "tekst": "De minister stuurt een brief " + XSS,
            "status": "Openstaand",
            "activiteit_id": gid("act"),
            "toegezegd_aan_persoon_id": gid("leijten"),
            "achternaam": "Rutte",
            "ministerie": "AZ",
            "aanmaakdatum": "2023-02-14T00:00:00",
        },
    ),
    (
        "PersoonGeschenk",
        "gift",
        {"persoon_id": gid("leijten"), "omschrijving": "Boek", "datum": "2022-05-01"},
    ),
]


def write_feed(root: Path) -> Path:
    """The crafted entities as one feed page file under ``root/feed``."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    entries = []
    for token, (category, name, values) in enumerate(ENTITIES, start=1000):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(name), bijgewerkt=BIJGEWERKT)
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2024-02-19T09:56:00.0000000Z", enclosure=False
            )
        )
    (root / "feed" / "crafted.xml").write_bytes(feed_page(None, entries, None))
    return root
