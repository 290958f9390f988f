"""A believable open.overheid.nl for tests, benchmarks and the demo (served by
:class:`kamerwatch.sample.feedserver.FeedServer` beside the SyncFeed).

The shapes are those of the real answers (``tests/data/woo/``): the listing
``GET /overheid/openbaarmakingen/api/v0/zoek?…`` (paging with ``start`` and
``aantalResultaten`` ∈ {10, 20, 50}; ``publicatiedatumVan``/``-Tot`` as ``DD-MM-YYYY``;
``sort=publicatiedatum|laatst-gewijzigd``, ``order=asc|desc``), the detail
``GET …/zoek/{uuid}``, the relations ``GET /publicatie/{uuid}/_relaties`` and the files
``GET /documenten/{uuid}/file``. The world: the sample parliament's ministries publishing
letters, reports and Woo decisions (some with attachments, which are publications of their
own with an "is bijlage bij" relation), the Eerste Kamer, and copies of Tweede Kamer
documents (``oep-…``) — on the working days of the ``days`` days up to ``today``.

Tests change the world in place: :meth:`WooWorld.change`, :meth:`WooWorld.withdraw`,
:meth:`WooWorld.put` (any detail and files, also malformed ones).
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .parliament.names import COMMISSIES
from .pdfwriter import Layout, render

REAL_ROOT = "https://open.overheid.nl"
API = "/overheid/openbaarmakingen/api/v0/zoek"
ROLE_BIJLAGE = "https://identifier.overheid.nl/tooi/def/thes/kern/c_4d1ea9ba"
PAGE_SIZES = (10, 20, 50)

CATEGORIES = (
    ("c_3baef532", "Woo-verzoeken en -besluiten"),
    ("c_db4862df", "Kamerstukken aan het parlement"),
    ("c_fdaee95e", "onderzoeksrapporten"),
    ("c_99a836c7", "adviezen"),
    ("c_cf268088", "convenanten"),
    ("c_c76862ab", "jaarplannen en jaarverslagen"),
)
SOORTEN = {
    "Woo-verzoeken en -besluiten": ("c_dfd1b0bd", "Woo-besluit"),
    "Kamerstukken aan het parlement": ("c_5f4fd1a2", "brief"),
    "onderzoeksrapporten": ("c_8d1b6b3d", "rapport"),
    "adviezen": ("c_d60a93f7", "advies"),
    "convenanten": ("c_e7b1b0b4", "convenant"),
    "jaarplannen en jaarverslagen": ("c_b53a9a1c", "jaarverslag"),
}
TOOI = "https://identifier.overheid.nl/tooi"


def _mutatie(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def pdf_of(title: str, body: list[str], day: date) -> bytes:
    layout = Layout()
    layout.para(title, 14, bold=True)
    layout.gap(8)
    for para in body:
        layout.para(para)
        layout.gap(4)
    return render(layout, title[:60], title, day)


@dataclass
class Publication:
    id: str
    detail: dict[str, Any]
    listed: dict[str, Any]  # the listing result (document + file summary)
    files: dict[str, bytes] = field(default_factory=dict)  # URL path → bytes
    withdrawn: bool = False

    @property
    def day(self) -> str:
        return str(self.listed["document"]["openbaarmakingsdatum"])

    @property
    def mutatie(self) -> str:
        return str(self.listed["document"]["mutatiedatumtijd"])


class WooWorld:
    """The publications of the simulated open.overheid.nl (thread-safe)."""

    def __init__(
        self, *, seed: int = 1, today: date | None = None, days: int = 21, per_day: int = 4
    ) -> None:
        self.today = today or date.today()
        self.seed = seed
        self._lock = threading.Lock()
        self.pubs: dict[str, Publication] = {}
        self.files: dict[str, bytes] = {}
        rng = random.Random(seed)
        first = self.today - timedelta(days=days - 1)
        for i in range(days):
            day = first + timedelta(days=i)
            if day.weekday() >= 5:
                continue
            for k in range(rng.randint(max(1, per_day - 2), per_day + 2)):
                self._generate(rng, day, k)

    # ------------------------------------------------------------ generation

    def _uuid(self, rng: random.Random) -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def _generate(self, rng: random.Random, day: date, k: int) -> None:
        roll = rng.random()
        if roll < 0.08:
            self._eerste_kamer(rng, day)
            return
        if roll < 0.16:
            self._tk_copy(rng, day)
            return
        afk, _cie, ministerie, _title, words = rng.choice(COMMISSIES)
        org = ministerie[0].lower() + ministerie[1:]  # "ministerie van …" as the API writes it
        org_id = f"{TOOI}/id/ministerie/mnre{1000 + COMMISSIES.index((afk, _cie, ministerie, _title, words))}"
        cat_code, cat = rng.choice(CATEGORIES)
        soort_code, soort = SOORTEN[cat]
        word = rng.choice(words)
        if soort == "Woo-besluit":
            titel = f"Besluit op Woo-verzoek over {word}"
        elif soort == "brief":
            titel = f"Kamerbrief over {word}"
        else:
            titel = f"{soort[0].upper()}{soort[1:]} {word} {day.year}"
        omschrijving = (
            f"Het {org} maakt de {soort} over {word} openbaar. "
            f"Het document gaat over {word} en {rng.choice(words)}."
        )
        moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 480), milliseconds=rng.randint(0, 999)
        )
        parent = self._publication(
            rng,
            day,
            moment,
            titel,
            omschrijving,
            (org, org_id, "overheid:Ministerie"),
            (soort_code, soort),
            (cat_code, cat),
            body=[omschrijving, f"Kenmerk {rng.randint(100000, 999999)}.", *_filler(rng, words)],
        )
        if soort == "Woo-besluit" or rng.random() < 0.25:
            for b in range(rng.randint(1, 3)):
                self._publication(
                    rng,
                    day,
                    moment + timedelta(seconds=b + 1),
                    f"Bijlage {b + 1} bij {titel}",
                    f"Bijlage {b + 1}: documenten over {word}.",
                    (org, org_id, "overheid:Ministerie"),
                    ("c_f0a0a1c1", "bijlage"),
                    (cat_code, cat),
                    body=[f"Inventaris en documenten over {word}.", *_filler(rng, words)],
                    parent=parent.id,
                )

    def _eerste_kamer(self, rng: random.Random, day: date) -> None:
        afk, _c, _m, _t, words = rng.choice(COMMISSIES)
        word = rng.choice(words)
        moment = datetime(day.year, day.month, day.day, 11, tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 300)
        )
        self._publication(
            rng,
            day,
            moment,
            f"Brief van de Eerste Kamer over {word}",
            f"De commissie {afk} van de Eerste Kamer schrijft over {word}.",
            ("Eerste Kamer", f"{TOOI}/id/oorg/oorg10001", "overheid:AndereOrganisatie"),
            ("c_5f4fd1a2", "brief"),
            ("c_db4862df", "Kamerstukken aan het parlement"),
            body=[f"Over {word}.", *_filler(rng, words)],
        )

    def _tk_copy(self, rng: random.Random, day: date) -> None:
        """A copy of a Tweede Kamer publication: ``oep-<sha1>``, a weblocatie at
        zoek.officielebekendmakingen.nl, files on repository.overheid.nl."""
        dossier, nr = 36000 + rng.randint(100, 900), rng.randint(1, 80)
        kst = f"kst-{dossier}-{nr}"
        ident = "oep-" + hashlib.sha1(f"{self.seed}-{kst}".encode()).hexdigest()
        moment = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        titel = f"{dossier}, nr. {nr} - Brief van de minister"
        detail = {
            "document": {
                "pid": f"{REAL_ROOT}/documenten/{ident}",
                "weblocatie": f"https://zoek.officielebekendmakingen.nl/{kst}.html",
                "identifiers": [kst],
                "verantwoordelijke": {
                    "type": "overheid:AndereOrganisatie",
                    "id": f"{TOOI}/id/oorg/oorg10002",
                    "label": "Tweede Kamer",
                },
                "publisher": {"id": f"{TOOI}/id/organisatie_onbekend", "label": "Onbekend"},
                "omschrijvingen": [titel],
                "titelcollectie": {"officieleTitel": titel},
                "classificatiecollectie": {
                    "documentsoorten": [
                        {
                            "type": "overheid:Informatietype",
                            "id": f"{TOOI}/def/thes/kern/c_056a75e1",
                            "label": "Kamerstuk",
                        }
                    ],
                    "themas": [],
                },
            },
            "plooiIntern": {
                "dcnId": ident,
                "aanbieder": "officielebekendmakingen.nl",
                "extId": [kst],
                "sourceLabel": "oep",
                "publicatiestatus": "gepubliceerd",
            },
            "documentrelaties": [],
            "versies": [
                {
                    "nummer": 1,
                    "oorzaak": "aanlevering",
                    "openbaarmakingsdatum": day.isoformat(),
                    "mutatiedatumtijd": _mutatie(moment),
                    "bestanden": [
                        {
                            "gepubliceerd": True,
                            "label": "pdf",
                            "url": f"https://repository.overheid.nl/frbr/officielepublicaties/kst/{dossier}/{kst}/1/pdf/{kst}.pdf",
                            "mime-type": "application/pdf",
                            "bestandsnaam": f"{kst}.pdf",
                        }
                    ],
                }
            ],
        }
        listed = {
            "document": {
                "id": f"{ident}_1",
                "pid": f"{REAL_ROOT}/documenten/{ident}",
                "titel": titel,
                "openbaarmakingsdatum": day.isoformat(),
                "weblocatie": f"https://zoek.officielebekendmakingen.nl/{kst}.html",
                "publisher": "Onbekend",
                "aanbieder": "officielebekendmakingen.nl",
                "mutatiedatumtijd": _mutatie(moment),
            },
            "bestandsType": "application/pdf",
        }
        self.pubs[ident] = Publication(ident, detail, listed)

    def _publication(
        self,
        rng: random.Random,
        day: date,
        moment: datetime,
        titel: str,
        omschrijving: str,
        org: tuple[str, str, str],
        soort: tuple[str, str],
        cat: tuple[str, str],
        *,
        body: list[str],
        parent: str | None = None,
    ) -> Publication:
        ident = self._uuid(rng)
        data = pdf_of(titel, body, day)
        path = f"/documenten/{ident}/file"
        label, org_id, org_type = org
        organisation = {"type": org_type, "id": org_id, "label": label}
        mutatie = _mutatie(moment)
        detail = {
            "document": {
                "pid": f"{REAL_ROOT}/documenten/{ident}",
                "identifiers": ["nvt"],
                "verantwoordelijke": organisation,
                "medeverantwoordelijken": [],
                "publisher": organisation,
                "opsteller": {"id": f"{TOOI}/id/organisatie_onbekend", "label": "Onbekend"},
                "language": {
                    "type": "eu:Taal",
                    "id": "http://publications.europa.eu/resource/authority/language/NLD",
                    "label": "Nederlands",
                },
                "omschrijvingen": [omschrijving],
                "titelcollectie": {
                    "officieleTitel": titel,
                    "verkorteTitels": [],
                    "alternatieveTitels": [],
                },
                "classificatiecollectie": {
                    "documentsoorten": [
                        {
                            "type": "overheid:Informatietype",
                            "id": f"{TOOI}/def/thes/kern/{soort[0]}",
                            "label": soort[1],
                        }
                    ],
                    "themas": [{"id": f"{TOOI}/id/thema_onbekend", "label": "Onbekend"}],
                    "informatiecategorieen": [
                        {
                            "type": "woo:Informatiecategorie",
                            "id": f"{TOOI}/def/thes/kern/{cat[0]}",
                            "label": cat[1],
                        }
                    ],
                    "trefwoorden": [],
                },
                "publicatiebestemming": ["open.overheid.nl"],
            },
            "plooiIntern": {
                "dcnId": f"plooi-api-{ident}",
                "aanbieder": "Aanleverloket",
                "extId": [ident],
                "sourceLabel": "plooi-api",
                "publicatiestatus": "gepubliceerd",
            },
            "documentrelaties": (
                [{"relation": f"{REAL_ROOT}/documenten/{parent}", "role": ROLE_BIJLAGE}]
                if parent
                else []
            ),
            "versies": [
                {
                    "nummer": 1,
                    "oorzaak": "aanlevering",
                    "openbaarmakingsdatum": day.isoformat(),
                    "mutatiedatumtijd": mutatie,
                    "blokkades": [],
                    "bestanden": [
                        {
                            "id": f"{REAL_ROOT}{path}",
                            "gepubliceerd": True,
                            "label": "file",
                            "mime-type": "application/pdf",
                            "bestandsnaam": f"{titel[:40].replace(' ', '_')}.pdf",
                            "mutatiedatumtijd": mutatie,
                            "grootte": len(data),
                            "paginas": 1,
                            "hash": hashlib.sha1(data).hexdigest(),
                        }
                    ],
                }
            ],
        }
        listed = {
            "document": {
                "id": f"{ident}_1",
                "pid": f"{REAL_ROOT}/documenten/{ident}",
                "titel": titel,
                "omschrijving": omschrijving,
                "openbaarmakingsdatum": day.isoformat(),
                "publisher": label,
                "aanbieder": "Aanleverloket",
                "mutatiedatumtijd": mutatie,
            },
            "bestandsgrootte": f"{len(data) / 1e6:.2f} MB",
            "aantalPaginas": 1,
            "bestandsType": "application/pdf",
        }
        pub = Publication(ident, detail, listed, {path: data})
        self.pubs[ident] = pub
        self.files[path] = data
        return pub

    # ------------------------------------------------------------ changes (tests)

    def ids(self) -> list[str]:
        with self._lock:
            return sorted(self.pubs)

    def visible(self) -> list[Publication]:
        with self._lock:
            return [p for p in self.pubs.values() if not p.withdrawn]

    def change(self, ident: str, titel: str, *, file: bytes | None = None) -> None:
        """A new version: new title (and file), later ``mutatiedatumtijd``."""
        with self._lock:
            pub = self.pubs[ident]
            old = pub.detail["versies"][-1]
            newest = max(p.mutatie for p in self.pubs.values())  # a change is the newest
            moment = datetime.fromisoformat(newest.replace("Z", "+00:00")) + timedelta(minutes=1)
            new = json.loads(json.dumps(old))
            new["nummer"] = int(old.get("nummer") or 1) + 1
            new["oorzaak"] = "wijziging"
            new["mutatiedatumtijd"] = _mutatie(moment)
            if file is not None and new["bestanden"]:
                path = "/documenten/" + ident + f"/file/v{new['nummer']}"
                new["bestanden"][0].update(
                    id=REAL_ROOT + path, grootte=len(file), hash=hashlib.sha1(file).hexdigest()
                )
                self.files[path] = file
            pub.detail["versies"].append(new)
            pub.detail["document"]["titelcollectie"]["officieleTitel"] = titel
            pub.listed["document"]["titel"] = titel
            pub.listed["document"]["mutatiedatumtijd"] = new["mutatiedatumtijd"]

    def publish(self, titel: str, organisatie: str, omschrijving: str, body: list[str]) -> str:
        """A new publication of ``organisatie`` today (newest change of all); its id."""
        with self._lock:
            rng = random.Random(f"{self.seed}-{titel}")
            newest = max((p.mutatie for p in self.pubs.values()), default="2000-01-01T00:00:00Z")
            moment = datetime.fromisoformat(newest.replace("Z", "+00:00")) + timedelta(minutes=1)
            pub = self._publication(
                rng,
                self.today,
                moment,
                titel,
                omschrijving,
                (organisatie, f"{TOOI}/id/organisatie_onbekend", "overheid:Ministerie"),
                ("c_5f4fd1a2", "brief"),
                CATEGORIES[1],
                body=body,
            )
            return pub.id

    def withdraw(self, ident: str) -> None:
        with self._lock:
            self.pubs[ident].withdrawn = True

    def put(
        self,
        ident: str,
        detail: dict[str, Any] | bytes,
        listed: dict[str, Any],
        files: dict[str, bytes] | None = None,
    ) -> None:
        """Any publication, also a broken one: ``detail`` as an object or raw bytes."""
        with self._lock:
            pub = Publication(ident, detail if isinstance(detail, dict) else {}, listed)
            if isinstance(detail, bytes):
                pub.files["__raw_detail__"] = detail
            self.pubs[ident] = pub
            self.files.update(files or {})

    # ------------------------------------------------------------ answers

    def listing(self, query: dict[str, str]) -> tuple[int, bytes]:
        try:
            start = int(query.get("start", "0") or 0)
            size = int(query.get("aantalResultaten", "10") or 10)
        except ValueError:
            return 400, b'{"error":"ongeldige parameter"}'
        if size not in PAGE_SIZES or start < 0:
            return 400, b'{"error":"aantalResultaten moet 10, 20 of 50 zijn"}'
        low = _day(query.get("publicatiedatumVan"))
        high = _day(query.get("publicatiedatumTot"))
        with self._lock:
            pubs = [
                p
                for p in self.pubs.values()
                if not p.withdrawn
                and (low is None or p.day >= low)
                and (high is None or p.day <= high)
            ]
            if query.get("sort") == "laatst-gewijzigd":
                pubs.sort(key=lambda p: (p.mutatie, p.id))
            else:
                pubs.sort(key=lambda p: (p.day, p.mutatie, p.id))
            if query.get("order") == "desc":
                pubs.reverse()
            page = [p.listed for p in pubs[start : start + size]]
            body = {"totaal": len(pubs), "resultaten": page}
        return 200, json.dumps(body, ensure_ascii=False).encode()

    def detail(self, ident: str) -> bytes | None:
        with self._lock:
            pub = self.pubs.get(ident)
            if pub is None or pub.withdrawn:
                return None
            raw = pub.files.get("__raw_detail__")
            return raw if raw is not None else json.dumps(pub.detail, ensure_ascii=False).encode()

    def relations(self, ident: str) -> bytes | None:
        with self._lock:
            pub = self.pubs.get(ident)
            if pub is None or pub.withdrawn:
                return None
            out = []
            for other in self.pubs.values():
                for rel in other.detail.get("documentrelaties", []) if other.detail else []:
                    if rel.get("relation", "").endswith("/" + ident) and not other.withdrawn:
                        out.append(
                            {
                                "relation": f"{REAL_ROOT}/documenten/{other.id}",
                                "role": "https://identifier.overheid.nl/plooi/def/thes/documentrelatie/onderdeel",
                                "titel": other.listed["document"].get("titel"),
                            }
                        )
            out.sort(key=lambda r: r["relation"])
            return json.dumps(out, ensure_ascii=False).encode()

    def file(self, path: str) -> bytes | None:
        with self._lock:
            return self.files.get(path)


def _day(value: str | None) -> str | None:
    """``DD-MM-YYYY`` → ``YYYY-MM-DD`` (None when absent or not a date)."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%d-%m-%Y").date().isoformat()
    except ValueError:
        return None


def _filler(rng: random.Random, words: tuple[str, ...]) -> list[str]:
    return [
        f"Dit stuk gaat in op {rng.choice(words)} en de gevolgen voor {rng.choice(words)}."
        for _ in range(rng.randint(1, 3))
    ]
