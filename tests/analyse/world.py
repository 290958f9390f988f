"""A constructed parliament for the analysis pages, small enough to count by hand: four
fracties, five votes (one a roll call, one with a vergissing), motions with co-signers,
written questions to two ministries and commitments in every state. The expected figures
are worked out in tests/analyse/test_pages.py, next to the assertions."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for

TODAY = date.today()


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-analyse-test/{name}"))


FRACTIES = {"VVD": 24, "PVV": 37, "SP": 5, "D66": 9}
BIZA = gid("commissie-biza")

Entity = tuple[str, str, dict[str, Any]]


def _fracties() -> list[Entity]:
    out: list[Entity] = []
    for n, (afk, zetels) in enumerate(FRACTIES.items(), start=1):
        out.append(
            (
                "Fractie",
                afk,
                {
                    "nummer": str(n),
                    "afkorting": afk,
                    "naam_nl": f"Fractie {afk}",
                    "aantal_zetels": zetels,
                },
            )
        )
        out.append(("FractieZetel", f"zetel-{afk}", {"fractie_id": gid(afk), "gewicht": 1}))
    return out


# members: (key, nummer, achternaam, fractie, since)
MEMBERS = [
    ("m1", "9001", "Eerste", "VVD", "2023-12-06"),
    ("m2", "9002", "Tweede", "VVD", "2023-12-06"),
    ("m3", "9003", "Derde", "VVD", "2024-06-01"),
    ("p1", "9011", "Pieters", "PVV", "2023-12-06"),
    ("p2", "9012", "Paulus", "PVV", "2023-12-06"),
    ("s1", "9021", "Smit", "SP", "2023-12-06"),
    ("s2", "9022", "Stam", "SP", "2023-12-06"),
]


def _members() -> list[Entity]:
    out: list[Entity] = []
    for key, nummer, naam, afk, van in MEMBERS:
        out.append(("Persoon", key, {"nummer": nummer, "roepnaam": "Lid", "achternaam": naam}))
        out.append(
            (
                "FractieZetelPersoon",
                f"fzp-{key}",
                {
                    "fractie_zetel_id": gid(f"zetel-{afk}"),
                    "persoon_id": gid(key),
                    "functie": "Lid",
                    "van": van,
                },
            )
        )
    # a former member: left SP before today
    out.append(("Persoon", "oud", {"nummer": "9029", "roepnaam": "Oud", "achternaam": "Lid"}))
    out.append(
        (
            "FractieZetelPersoon",
            "fzp-oud",
            {
                "fractie_zetel_id": gid("zetel-SP"),
                "persoon_id": gid("oud"),
                "functie": "Lid",
                "van": "2023-12-06",
                "tot_en_met": "2024-05-31",
            },
        )
    )
    return out


def _motie(
    key: str, nummer: str, soort: str, indiener: str, mede: list[str], commissie: bool = False
) -> list[Entity]:
    afk = next(m[3] for m in MEMBERS if m[0] == indiener)
    out: list[Entity] = [
        (
            "Zaak",
            key,
            {
                "nummer": nummer,
                "soort": soort,
                "onderwerp": f"{soort} {key}",
                "gestart_op": "2025-02-25T00:00:00",
                **({"kamerstukdossier_id": gid("ksd")} if commissie else {}),
            },
        ),
        (
            "ZaakActor",
            f"{key}-indiener",
            {
                "zaak_id": gid(key),
                "persoon_id": gid(indiener),
                "fractie_id": gid(afk),
                "actor_naam": indiener,
                "actor_fractie": afk,
                "relatie": "Indiener",
            },
        ),
    ]
    for m in mede:
        m_afk = next(x[3] for x in MEMBERS if x[0] == m)
        out.append(
            (
                "ZaakActor",
                f"{key}-mede-{m}",
                {
                    "zaak_id": gid(key),
                    "persoon_id": gid(m),
                    "fractie_id": gid(m_afk),
                    "actor_naam": m,
                    "actor_fractie": m_afk,
                    "relatie": "Medeindiener",
                },
            )
        )
    if commissie:
        out.append(
            (
                "ZaakActor",
                f"{key}-biza",
                {
                    "zaak_id": gid(key),
                    "commissie_id": BIZA,
                    "actor_naam": "Binnenlandse Zaken",
                    "relatie": "Voortouwcommissie",
                },
            )
        )
    return out


def _vote(
    key: str,
    day: str,
    zaak: str,
    soort: str,
    tekst: str,
    per_fractie: dict[str, str] | None = None,
    vergissing: tuple[str, ...] = (),
    per_lid: dict[str, str] | None = None,
) -> list[Entity]:
    out: list[Entity] = [
        (
            "Activiteit",
            f"act-{key}",
            {
                "nummer": f"2025A9{len(key):02d}{key[-2:]}".replace("v", "0"),
                "soort": "Stemmingen",
                "onderwerp": "Stemmingen",
                "datum": f"{day}T00:00:00",
            },
        ),
        (
            "Agendapunt",
            f"punt-{key}",
            {"activiteit_id": gid(f"act-{key}"), "onderwerp": "Stemming", "volgorde": 1},
        ),
        (
            "Besluit",
            key,
            {
                "agendapunt_id": gid(f"punt-{key}"),
                "zaak_ids": [gid(zaak)],
                "besluit_soort": soort,
                "besluit_tekst": tekst,
                "status": "Besluit",
                "stemmings_soort": "Hoofdelijk" if per_lid else "Met handopsteken",
            },
        ),
    ]
    for afk, stem in (per_fractie or {}).items():
        out.append(
            (
                "Stemming",
                f"{key}-{afk}",
                {
                    "besluit_id": gid(key),
                    "fractie_id": gid(afk),
                    "soort": stem,
                    "fractie_grootte": FRACTIES[afk],
                    "actor_naam": afk,
                    "actor_fractie": afk,
                    "vergissing": afk in vergissing,
                },
            )
        )
    for lid, stem in (per_lid or {}).items():
        afk = next(m[3] for m in MEMBERS if m[0] == lid)
        out.append(
            (
                "Stemming",
                f"{key}-{lid}",
                {
                    "besluit_id": gid(key),
                    "persoon_id": gid(lid),
                    "fractie_id": gid(afk),
                    "soort": stem,
                    "fractie_grootte": FRACTIES[afk],
                    "actor_naam": lid,
                    "actor_fractie": afk,
                    "vergissing": False,
                },
            )
        )
    return out


def _vraag(
    key: str,
    nummer: str,
    gesteld: str,
    aan: str,
    functie: str,
    antwoord: str | None = None,
    uitstel: str | None = None,
) -> list[Entity]:
    out: list[Entity] = [
        (
            "Zaak",
            key,
            {
                "nummer": nummer,
                "soort": "Schriftelijke vragen",
                "onderwerp": f"Vragen {key}",
                "gestart_op": f"{gesteld}T00:00:00",
                "afgedaan": antwoord is not None,
            },
        ),
        (
            "ZaakActor",
            f"{key}-aan",
            {"zaak_id": gid(key), "actor_naam": aan, "functie": functie, "relatie": "Gericht aan"},
        ),
        (
            "ZaakActor",
            f"{key}-door",
            {
                "zaak_id": gid(key),
                "persoon_id": gid("m1"),
                "actor_naam": "m1",
                "actor_fractie": "VVD",
                "relatie": "Indiener",
            },
        ),
    ]
    if antwoord:
        out.append(
            (
                "Document",
                f"{key}-antwoord",
                {
                    "document_nummer": f"2024D9{nummer[-4:]}",
                    "soort": "Antwoord schriftelijke vragen",
                    "onderwerp": "Antwoord",
                    "datum": f"{antwoord}T00:00:00",
                    "zaak_ids": [gid(key)],
                },
            )
        )
    if uitstel:
        out.append(
            (
                "Document",
                f"{key}-uitstel",
                {
                    "document_nummer": f"2024D8{nummer[-4:]}",
                    "soort": "Mededeling (uitstel antwoord)",
                    "onderwerp": "Uitstel",
                    "datum": f"{uitstel}T00:00:00",
                    "zaak_ids": [gid(key)],
                },
            )
        )
    return out


def _toezegging(
    key: str,
    nummer: str,
    status: str,
    made: str,
    due: str | None,
    brief: str | None = None,
    ministerie: str = "Ministerie van Defensie",
    naam: str = "Brekelmans",
) -> Entity:
    values: dict[str, Any] = {
        "nummer": nummer,
        "tekst": f"Toezegging {key}",
        "status": status,
        "achternaam": naam,
        "naam": naam,
        "functie": "minister",
        "ministerie": ministerie,
        "aanmaakdatum": f"{made}T00:00:00",
    }
    if due:
        values["datum_nakoming"] = f"{due}T00:00:00"
    if brief:
        values["kamerbrief_nakoming"] = brief
    return ("Toezegging", key, values)


RECENT = (TODAY - timedelta(days=5)).isoformat()  # a deadline that passed five days ago

ENTITIES: list[Entity] = [
    *_fracties(),
    *_members(),
    (
        "Commissie",
        "commissie-biza",
        {"nummer": "2019C00001", "afkorting": "BiZa", "naam_nl": "Binnenlandse Zaken"},
    ),
    ("Kamerstukdossier", "ksd", {"nummer": 36228, "titel": "Dossier"}),
    *_motie("M1", "2025Z00001", "Motie", "m1", ["p1"], commissie=True),
    *_motie("M2", "2025Z00002", "Motie", "m1", ["p1", "s1"], commissie=True),
    *_motie("M3", "2025Z00003", "Motie", "m1", []),
    *_motie("M4", "2025Z00004", "Motie", "p1", []),
    *_motie("M5", "2025Z00005", "Motie", "m2", []),
    *_motie("A1", "2025Z00006", "Amendement", "s1", []),
    *_vote(
        "v1",
        "2025-03-04",
        "M1",
        "Stemmen - aangenomen",
        "Aangenomen.",
        {"VVD": "Voor", "PVV": "Voor", "SP": "Tegen", "D66": "Tegen"},
    ),
    *_vote(
        "v2",
        "2025-03-04",
        "M2",
        "Stemmen - verworpen",
        "Verworpen.",
        {"VVD": "Tegen", "PVV": "Voor", "SP": "Voor", "D66": "Niet deelgenomen"},
    ),
    *_vote(
        "v3",
        "2025-03-04",
        "M4",
        "Stemmen - aangenomen",
        "Aangenomen.",
        {"VVD": "Voor", "PVV": "Tegen", "SP": "Tegen", "D66": "Voor"},
        vergissing=("VVD",),
    ),
    *_vote(
        "v4",
        "2025-03-04",
        "M5",
        "Stemmen - niet aangenomen",
        "Niet aangenomen.",
        per_lid={
            "m1": "Voor",
            "m2": "Voor",
            "m3": "Tegen",
            "p1": "Tegen",
            "p2": "Tegen",
            "s1": "Voor",
            "s2": "Tegen",
        },
    ),
    *_vote(
        "v5",
        "2025-09-10",
        "A1",
        "Stemmen - verworpen",
        "Verworpen.",
        {"VVD": "Tegen", "PVV": "Tegen", "SP": "Voor", "D66": "Tegen"},
    ),
    # not a vote: no position, never counted
    (
        "Besluit",
        "geen-stemming",
        {
            "agendapunt_id": gid("punt-v1"),
            "zaak_ids": [gid("M3")],
            "besluit_soort": "Stemmen - aangenomen",
            "besluit_tekst": "Aangenomen.",
            "stemmings_soort": "Zonder stemming",
        },
    ),
    *_vraag(
        "q1",
        "2024Z00001",
        "2024-01-02",
        "R. Brekelmans",
        "minister van Defensie",
        antwoord="2024-01-16",
    ),
    *_vraag(
        "q2",
        "2024Z00002",
        "2024-01-02",
        "R. Brekelmans",
        "minister van Defensie",
        antwoord="2024-02-12",
        uitstel="2024-01-20",
    ),
    *_vraag("q3", "2024Z00003", "2024-02-01", "R. Brekelmans", "minister van Defensie"),
    *_vraag(
        "q4",
        "2024Z00004",
        "2024-03-01",
        "E. Heinen",
        "minister van Financiën",
        antwoord="2024-03-22",
    ),
    *_vraag(
        "q5",
        "2024Z00005",
        "2024-03-01",
        "E. Heinen",
        "minister van Financiën",
        antwoord="2024-04-01",
    ),
    # toezeggingen (Defensie unless said): open in time, open overdue (recently and long
    # ago), fulfilled in time, fulfilled late, fulfilled without a dated letter, withdrawn
    _toezegging(
        "t1", "TZ-A1", "Openstaand", "2025-01-10", (TODAY + timedelta(days=30)).isoformat()
    ),
    _toezegging("t2", "TZ-A2", "Openstaand", "2025-01-10", RECENT),
    _toezegging("t3", "TZ-A3", "Deels voldaan", "2024-01-10", "2024-06-01"),
    _toezegging(
        "t4", "TZ-A4", "Voldaan", "2024-01-10", "2024-03-01", brief="Kamerbrief van 20-02-2024"
    ),
    _toezegging(
        "t5", "TZ-A5", "Voldaan", "2024-01-10", "2024-03-01", brief="Kamerbrief van 01-04-2024"
    ),
    _toezegging(
        "t6",
        "TZ-A6",
        "Voldaan",
        "2024-02-01",
        "2024-03-01",
        ministerie="Ministerie van Financiën",
        naam="Heinen",
    ),
    _toezegging(
        "t7",
        "TZ-A7",
        "Vervallen",
        "2024-02-01",
        "2024-03-01",
        ministerie="Ministerie van Financiën",
        naam="Heinen",
    ),
]


def write_feed(root: Path) -> Path:
    (root / "feed").mkdir(parents=True, exist_ok=True)
    entries = []
    for token, (category, name, values) in enumerate(ENTITIES, start=1000):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(name), bijgewerkt="2025-10-01T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2025-10-01T09:00:00.0000000Z", enclosure=False
            )
        )
    (root / "feed" / "analyse.xml").write_bytes(feed_page(None, entries, None))
    return root


# -- later changes (tests/analyse/test_update.py) -------------------------------------------------

# a vote changed (D66 on v5: Tegen → Voor), a new vote on a new motie (v6, after every other
# one), an answer to the open question q3 (9 days) and toezegging t1 fulfilled in time
CHANGES: list[Entity] = [
    (
        "Stemming",
        "v5-D66",
        {
            "besluit_id": gid("v5"),
            "fractie_id": gid("D66"),
            "soort": "Voor",
            "fractie_grootte": FRACTIES["D66"],
            "actor_naam": "D66",
            "actor_fractie": "D66",
            "vergissing": False,
        },
    ),
    *_motie("M6", "2025Z00007", "Motie", "m2", []),
    *_vote(
        "v6",
        "2025-10-01",
        "M6",
        "Stemmen - aangenomen",
        "Aangenomen.",
        {"VVD": "Voor", "PVV": "Voor", "SP": "Tegen", "D66": "Tegen"},
    ),
    (
        "Document",
        "q3-antwoord",
        {
            "document_nummer": "2024D90003",
            "soort": "Antwoord schriftelijke vragen",
            "onderwerp": "Antwoord",
            "datum": "2024-02-10T00:00:00",
            "zaak_ids": [gid("q3")],
        },
    ),
    _toezegging(
        "t1",
        "TZ-A1",
        "Voldaan",
        "2025-01-10",
        (TODAY + timedelta(days=30)).isoformat(),
        brief="Kamerbrief van 01-03-2025",
    ),
]


def write_changes(root: Path) -> Path:
    """:data:`CHANGES` as a later page of the feed written by :func:`write_feed`."""
    entries = []
    for token, (category, name, values) in enumerate(CHANGES, start=9000):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(name), bijgewerkt="2025-10-02T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2025-10-02T09:00:00.0000000Z", enclosure=False
            )
        )
    (root / "feed" / "changes.xml").write_bytes(feed_page(None, entries, None))
    return root
