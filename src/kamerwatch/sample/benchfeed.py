"""A large, deterministic, generated SyncFeed for benchmarks and end-to-end tests.

:func:`generate` streams ``outdir/feed/page-NNNNNN.xml`` (250 entries per file, all
categories mixed, one global increasing token sequence from ``FIRST_TOKEN``; tokens grow by
1–3 per entry) in the directory format of :mod:`kamerwatch.sample.feedserver`, and
``outdir/expected.json`` with the counts and the expected final state. With
``resources=True`` it also writes a small file with the right magic bytes for every
downloadable entity (Document, Persoon, Fractie, Verslag) to ``outdir/resources/<guid>``;
its size is the entity's ``contentLength``. A re-publication keeps the file and announces it
again (every entry's ``contentLength``/``contentType`` is true of the file served, #20.9).

The mix: the first 35 entries create one entity of every category (registry order), the
rest are drawn with weights like the real feed. Of those, about 10 % re-publish an earlier
live entity of the drawn category (same GUID, newer token, new values) and about 2 % are
tombstones of an earlier live entity (never re-published afterwards). Field values come
from each category's ``CategorySpec.fields`` by kind; relations point at entities generated
earlier in the target category (possibly deleted since: dangling refs are normal).
``bijgewerkt`` uses the three styles of spec §2.7: ``ns1:`` categories local time with
offset, Sesam categories (Persoon*, Fractie*, Commissie*) UTC ``Z`` without decimals,
all others local time without offset with 7 decimals.

Memory: one byte per generated entity (a liveness flag) plus one page; GUIDs are derived
from (seed, category, serial number) and never stored.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kamerwatch.sync.parsers import CATEGORIES, spec_for
from kamerwatch.sync.parsers.base import (
    KIND_BOOL,
    KIND_DATE,
    KIND_DATETIME,
    KIND_DATUM,
    KIND_DECIMAL,
    KIND_INT,
    KIND_REF,
    KIND_REFS,
    KIND_REFS_BIJGEWERKT,
    CategorySpec,
    FieldSpec,
)

from .xmlwriter import bijgewerkt_stamp, entity_xml, entry_xml, feed_page, stamp_local, stamp_utc

FIRST_TOKEN = 20_000_000
PAGE_SIZE = 250
UPDATE_SHARE = 0.10
TOMBSTONE_SHARE = 0.02
START_TIME = datetime(2024, 1, 2, 6, 0, tzinfo=UTC).timestamp()

# Relative share of each category in the feed (roughly the real proportions).
WEIGHTS: dict[str, float] = {
    "Stemming": 30.0,
    "Document": 12.0,
    "DocumentActor": 11.0,
    "DocumentVersie": 7.0,
    "Zaak": 8.0,
    "ZaakActor": 8.0,
    "Besluit": 8.0,
    "Activiteit": 6.0,
    "Agendapunt": 6.0,
    "ActiviteitActor": 5.0,
    "Reservering": 1.5,
    "Kamerstukdossier": 1.0,
    "Verslag": 1.5,
    "Vergadering": 0.8,
    "Toezegging": 0.8,
    "Persoon": 0.4,
    "PersoonContactinformatie": 0.2,
    "PersoonGeschenk": 0.3,
    "PersoonLoopbaan": 0.3,
    "PersoonNevenfunctie": 0.4,
    "PersoonNevenfunctieInkomsten": 0.3,
    "PersoonOnderwijs": 0.2,
    "PersoonReis": 0.2,
    "Fractie": 0.03,
    "FractieZetel": 0.2,
    "FractieZetelPersoon": 0.4,
    "FractieZetelVacature": 0.05,
    "Commissie": 0.03,
    "CommissieContactinformatie": 0.05,
    "CommissieZetel": 0.2,
    "CommissieZetelVastPersoon": 0.4,
    "CommissieZetelVastVacature": 0.05,
    "CommissieZetelVervangerPersoon": 0.3,
    "CommissieZetelVervangerVacature": 0.05,
    "Zaal": 0.02,
}

# How many targets a 0..n relation has, drawn uniformly from these tuples: roughly the
# real feed (a document belongs to one or two zaken; most other 0..n relations are rare).
MULTI_REF_COUNTS: dict[tuple[str, str], tuple[int, ...]] = {
    ("Document", "zaak"): (1, 1, 1, 2),
    ("Document", "activiteit"): (0, 0, 0, 1),
    ("Document", "agendapunt"): (0, 0, 0, 1),
    ("Document", "bronDocument"): (0, 0, 0, 1),
    ("Zaak", "activiteit"): (0, 1, 1, 2),
    ("Zaak", "agendapunt"): (0, 1, 1, 2),
    ("Besluit", "zaak"): (1,),
    ("Reservering", "activiteit"): (1,),
}

WORDS = (
    "motie",
    "amendement",
    "brief",
    "regering",
    "kamer",
    "commissie",
    "debat",
    "wet",
    "voorstel",
    "minister",
    "staatssecretaris",
    "begroting",
    "zorg",
    "onderwijs",
    "wonen",
    "stikstof",
    "asiel",
    "migratie",
    "defensie",
    "klimaat",
    "energie",
    "landbouw",
    "gemeente",
    "provincie",
    "toezegging",
    "vergadering",
    "verslag",
    "stemming",
    "fractie",
    "lid",
    "verzoek",
    "antwoord",
    "vragen",
    "schriftelijk",
    "overleg",
    "notaoverleg",
    "wetgevingsoverleg",
    "rondetafelgesprek",
    "procedure",
    "jeugd",
    "pensioen",
    "belasting",
    "toeslagen",
    "rechtsstaat",
    "politie",
    "justitie",
    "verkeer",
    "spoor",
    "water",
    "natuur",
    "visserij",
    "cultuur",
    "media",
    "sport",
    "gezondheid",
    "veiligheid",
    "digitalisering",
    "europa",
    "handel",
)
PLACES = ("Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht", "Groningen", "Zwolle", "Delft")
NAMES = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Dekker")
HINTS: dict[tuple[str | None, str], tuple[str, ...]] = {
    ("Stemming", "soort"): ("Voor", "Tegen", "Niet deelgenomen"),
    ("Document", "soort"): ("Motie", "Brief regering", "Amendement", "Verslag", "Kamervragen"),
    ("Zaak", "soort"): (
        "Motie",
        "Wetgeving",
        "Brief regering",
        "Amendement",
        "Schriftelijke vragen",
    ),
    ("Activiteit", "soort"): ("Commissiedebat", "Plenair debat", "Procedurevergadering"),
    ("Verslag", "soort"): ("Voorpublicatie", "Tussenpublicatie", "Eindpublicatie"),
    ("Verslag", "status"): ("Casco", "Ongecorrigeerd", "Gecorrigeerd"),
    ("Vergadering", "soort"): ("Plenair", "Commissie"),
    ("Toezegging", "status"): ("Openstaand", "Voldaan", "Deels voldaan", "Vervallen"),
    ("Besluit", "status"): ("Voorstel", "Besluit"),
    (None, "relatie"): ("Indiener", "Medeindiener", "Voortouwcommissie", "Eerste ondertekenaar"),
    (None, "functie"): ("Tweede Kamerlid", "Lid", "Voorzitter", "minister", "Ondervoorzitter"),
    (None, "kamer"): ("Tweede Kamer",),
    (None, "organisatie"): ("Tweede Kamer",),
    (None, "vergaderjaar"): ("2023-2024", "2024-2025", "2025-2026"),
    (None, "geslacht"): ("man", "vrouw"),
    (None, "achternaam"): NAMES,
    (None, "actorNaam"): NAMES,
    (None, "naam"): NAMES,
    (None, "afkorting"): ("VVD", "PVV", "GL-PvdA", "NSC", "D66", "CDA", "SP", "BBB", "FvD"),
    (None, "actorFractie"): ("VVD", "PVV", "GL-PvdA", "NSC", "D66", "CDA", "SP", "BBB", "FvD"),
    (None, "plaats"): PLACES,
    (None, "woonplaats"): PLACES,
    (None, "geboorteplaats"): PLACES,
}
NUMBER_LETTER = {"Document": "D", "Zaak": "Z", "Activiteit": "A", "Agendapunt": "P"}
RESOURCE_TYPES: dict[str, tuple[tuple[str, bytes, float], ...]] = {
    # category: (content type, magic, cumulative probability)
    "Document": (
        ("application/pdf", b"%PDF-1.7\n", 0.7),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK\x03\x04",
            0.95,
        ),
        ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 1.0),
    ),
    "Persoon": (("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 1.0),),
    "Fractie": (("image/png", b"\x89PNG\r\n\x1a\n", 1.0),),
    "Verslag": (("text/xml", b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n', 1.0),),
}


def guid(seed: int, category: str, serial: int) -> str:
    """The GUID of the ``serial``-th entity of a category (deterministic, version-4 shaped)."""
    h = hashlib.blake2b(f"{seed}/{category}/{serial}".encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def _random_guid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _ref_target(category: str, xml: str) -> str:
    """The category a relation element points at (by its name; else the own category)."""
    local = xml.rsplit("/", 1)[-1].lower()
    best = ""
    for name in CATEGORIES:
        if local.endswith(name.lower()) and len(name) > len(best):
            best = name
    return best or category


class _State:
    def __init__(self, seed: int, rng: random.Random) -> None:
        self.seed = seed
        self.rng = rng
        self.live: dict[str, bytearray] = {name: bytearray() for name in CATEGORIES}

    def some_ref(self, target: str) -> str:
        n = len(self.live[target])
        if n == 0:
            return _random_guid(self.rng)
        return guid(self.seed, target, int(self.rng.random() * n))

    def pick_live(self, category: str) -> int | None:
        flags = self.live[category]
        if not flags:
            return None
        for _ in range(8):
            serial = int(self.rng.random() * len(flags))
            if flags[serial]:
                return serial
        return None


def _ri(rng: random.Random, lo: int, hi: int) -> int:
    """``rng.randint`` but cheaper (deterministic per seed all the same)."""
    return lo + int(rng.random() * (hi - lo + 1))


def _pick(rng: random.Random, seq: Sequence[Any]) -> Any:
    return seq[int(rng.random() * len(seq))]


def _words(rng: random.Random, lo: int, hi: int) -> str:
    text = " ".join([WORDS[int(rng.random() * len(WORDS))] for _ in range(_ri(rng, lo, hi))])
    return text[:1].upper() + text[1:]


def _date(rng: random.Random, first_year: int) -> str:
    return f"{_ri(rng, first_year, 2026)}-{_ri(rng, 1, 12):02d}-{_ri(rng, 1, 28):02d}"


def _scalar(category: str, fs: FieldSpec, rng: random.Random) -> Any:
    kind = fs.kind
    local = fs.xml.rsplit("/", 1)[-1]
    if kind == KIND_INT:
        return _ri(rng, 0, 250) if local != "nummer" else _ri(rng, 10000, 99999)
    if kind == KIND_BOOL:
        return rng.random() < 0.5
    if kind == KIND_DECIMAL:
        return f"{_ri(rng, 0, 2_000_000) / 100:.2f}"
    if kind == KIND_DATETIME:
        return f"{_date(rng, 2008)}T{_ri(rng, 8, 22):02d}:{_pick(rng, (0, 15, 30, 45)):02d}:00"
    if kind == KIND_DATE:
        return _date(rng, 1950)
    if kind == KIND_DATUM:
        shape = rng.random()
        if shape < 0.3:
            return str(_ri(rng, 1980, 2026))
        if shape < 0.5:
            return f"{_ri(rng, 1980, 2026)}-{_ri(rng, 1, 12):02d}"
        return _date(rng, 1980)
    # text (and any kind this generator does not know)
    choices = HINTS.get((category, local)) or HINTS.get((None, local))
    if choices:
        return _pick(rng, choices)
    if local in ("nummer", "documentNummer") and category in NUMBER_LETTER:
        return f"{_ri(rng, 2008, 2026)}{NUMBER_LETTER[category]}{_ri(rng, 0, 99999):05d}"
    if local == "nummer":
        return str(_ri(rng, 1, 99999))
    if local.startswith("sid"):
        return "S-1-365867521-" + "-".join([str(_ri(rng, 10**8, 4 * 10**9)) for _ in range(5)])
    if local in ("onderwerp", "titel", "omschrijving", "tekst", "noot", "opmerking"):
        return _words(rng, 3, 14)
    return _words(rng, 1, 3)


def _values(
    category: str,
    plan: list[tuple[FieldSpec, str]],
    state: _State,
    ts: float,
) -> dict[str, Any]:
    rng = state.rng
    values: dict[str, Any] = {}
    for fs, target in plan:
        kind = fs.kind
        if kind == KIND_REF:
            values[fs.attr] = state.some_ref(target) if rng.random() < 0.8 else None
        elif kind == KIND_REFS:
            counts = MULTI_REF_COUNTS.get((category, fs.xml), (0, 0, 0, 1))
            values[fs.attr] = [state.some_ref(target) for _ in range(_pick(rng, counts))]
        elif kind == KIND_REFS_BIJGEWERKT:
            values[fs.attr] = [
                (state.some_ref(target), bijgewerkt_stamp(category, ts - rng.uniform(1e5, 1e7)))
                for _ in range(_pick(rng, (0, 0, 0, 1, 2)))
            ]
        elif rng.random() < 0.1:
            values[fs.attr] = None
        else:
            values[fs.attr] = _scalar(category, fs, rng)
    return values


def _resource_body(category: str, ident: str, rng: random.Random) -> tuple[str, bytes]:
    options = RESOURCE_TYPES[category]
    r = rng.random()
    content_type, magic, _ = next(o for o in options if r <= o[2])
    filler = f" kamerwatch benchfeed {ident} ".encode() * _ri(rng, 2, 30)
    if content_type == "text/xml":
        body = magic + b"<verslag><!--" + filler + b"--></verslag>\n"
    else:
        body = magic + filler
    return content_type, body


def generate(
    outdir: str | os.PathLike[str], entries: int, seed: int = 1, resources: bool = False
) -> dict[str, Any]:
    """Write a generated feed of ``entries`` entries to ``outdir``; returns the summary that
    is also written to ``outdir/expected.json``."""
    out = Path(outdir)
    feed_dir = out / "feed"
    feed_dir.mkdir(parents=True, exist_ok=True)
    for old in feed_dir.glob("page-*.xml"):
        old.unlink()
    res_dir = out / "resources"
    if resources:
        res_dir.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    state = _State(seed, rng)
    specs: dict[str, CategorySpec] = {name: spec_for(name) for name in CATEGORIES}
    plans = {
        name: [(fs, _ref_target(name, fs.xml)) for fs in spec.fields]
        for name, spec in specs.items()
    }
    names = list(CATEGORIES)
    cumulative: list[float] = []
    total_weight = 0.0
    for name in names:
        total_weight += WEIGHTS.get(name, 0.1)
        cumulative.append(total_weight)
    stats: dict[str, dict[str, int]] = {
        name: {"entries": 0, "created": 0, "updates": 0, "tombstones": 0, "live": 0}
        for name in names
    }
    last_token_of: dict[str, int] = {}
    first_entry_token: int | None = None

    token = FIRST_TOKEN
    ts = START_TIME
    page: list[bytes] = []
    page_no = 0
    page_first: int | None = None
    resource_files = 0
    files: dict[str, tuple[str, int]] = {}  # id → (type, length) of the file written

    def flush() -> None:
        nonlocal page, page_no, page_first
        updated = stamp_local(ts + 600, offset=True)
        body = feed_page(None, page, page_first, updated=updated)
        (feed_dir / f"page-{page_no:06d}.xml").write_bytes(body)
        page_first = token
        page_no += 1
        page = []

    for n in range(entries):
        if n < len(names):
            category = names[n]
            action = "create"
        else:
            category = names[bisect.bisect_left(cumulative, rng.random() * total_weight)]
            r = rng.random()
            action = "tombstone" if r < TOMBSTONE_SHARE else "update" if r < 0.12 else "create"
        spec = specs[category]
        flags = state.live[category]
        serial = None if action == "create" else state.pick_live(category)
        if serial is None:
            action = "create"
            serial = len(flags)
            flags.append(1)
        token += _ri(rng, 1, 3)
        if first_entry_token is None:
            first_entry_token = token
        ts += rng.uniform(0.05, 20.0)
        ident = guid(seed, category, serial)
        bijgewerkt = bijgewerkt_stamp(category, ts - rng.uniform(1.0, 60.0))
        st = stats[category]
        st["entries"] += 1
        if action == "tombstone":
            flags[serial] = 0
            st["tombstones"] += 1
            entity = entity_xml(spec, {}, id=ident, bijgewerkt=bijgewerkt, verwijderd=True)
            enclosure = False
        else:
            st["created" if action == "create" else "updates"] += 1
            values = _values(category, plans[category], state, ts)
            content_type = content_length = None
            if spec.download:
                content_type, body = _resource_body(category, ident, rng)
                if resources:
                    if ident in files:  # an update keeps the file its entries announce (#20.9)
                        content_type, content_length = files[ident]
                    else:
                        (res_dir / ident).write_bytes(body)
                        resource_files += 1
                        content_length = len(body)
                        files[ident] = (content_type, content_length)
                else:
                    content_length = _ri(rng, 1_000, 2_000_000)
            entity = entity_xml(
                spec,
                values,
                id=ident,
                bijgewerkt=bijgewerkt,
                content_type=content_type,
                content_length=content_length,
            )
            enclosure = spec.download
        page.append(
            entry_xml(
                spec,
                entity,
                token=token,
                updated=stamp_utc(ts, decimals=True),
                enclosure=enclosure,
                id=ident,
            )
        )
        last_token_of[category] = token
        if len(page) == PAGE_SIZE:
            flush()
    if page:
        flush()

    categories: dict[str, dict[str, int | None]] = {}
    for name in names:
        st = stats[name]
        st["live"] = st["created"] - st["tombstones"]
        categories[name] = {**st, "last_token": last_token_of.get(name)}
    summary: dict[str, Any] = {
        "seed": seed,
        "entries": entries,
        "pages": page_no,
        "page_size": PAGE_SIZE,
        "first_token": first_entry_token,
        "last_token": token if entries else None,
        "resources": resource_files,
        "live": {name: categories[name]["live"] for name in names},
        "total_live": sum(stats[name]["live"] for name in names),
        "categories": categories,
    }
    (out / "expected.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary
