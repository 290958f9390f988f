"""The sample parliament: determinism, XSD validity, coherence, and a real sync of it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

import kamerwatch
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.sync.parsers import CATEGORIES, spec_for
from kamerwatch.sync.parsers.base import KIND_REF
from tests.conftest import kamerwatch as run_cli

TODAY = date(2026, 11, 28)
XSD_DIR = Path(kamerwatch.__file__).parent / "xsd"
ATOM = "{http://www.w3.org/2005/Atom}"


def _digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("parliament")
    summary = generate(out, seed=7, today=TODAY, weeks=8)
    return out, summary


def _entities(out: Path) -> list[tuple[str, etree._Element, etree._Element]]:
    """(category, entry, entity element) of every entry in every page."""
    found = []
    for page in sorted((out / "feed").glob("page-*.xml")):
        root = etree.parse(str(page)).getroot()
        for entry in root.iter(f"{ATOM}entry"):
            term = entry.find(f"{ATOM}category").get("term")
            entity = entry.find(f"{ATOM}content")[0]
            found.append((term, entry, entity))
    return found


def test_same_seed_and_day_give_the_same_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=3, today=TODAY, weeks=2)
    b = generate(tmp_path / "b", seed=3, today=TODAY, weeks=2)
    assert a == b
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    generate(tmp_path / "c", seed=4, today=TODAY, weeks=2)
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_every_entity_is_valid_against_the_official_xsd(
    sample: tuple[Path, dict[str, object]],
) -> None:
    out, _ = sample
    schema = etree.XMLSchema(etree.parse(str(XSD_DIR / "tkData-v1-0.xsd")))
    seen: Counter[str] = Counter()
    for term, _, entity in _entities(out):
        schema.assertValid(etree.fromstring(etree.tostring(entity)))
        seen[term] += 1
    assert {spec_for(c).element for c in CATEGORIES} <= set(seen), "every category appears"


def test_skiptokens_grow_and_pages_chain(sample: tuple[Path, dict[str, object]]) -> None:
    out, summary = sample
    tokens = []
    for _, entry, _ in _entities(out):
        nxt = next(link for link in entry.iter(f"{ATOM}link") if link.get("rel") == "next")
        tokens.append(int(nxt.get("href").split("skiptoken=")[1].split("&")[0]))
    assert tokens == sorted(tokens) and len(set(tokens)) == len(tokens)
    assert tokens[-1] == summary["last_token"]


def test_world_is_coherent(sample: tuple[Path, dict[str, object]]) -> None:
    out, summary = sample
    live: dict[str, set[str]] = {}
    entities: dict[str, etree._Element] = {}
    for term, _, entity in _entities(out):
        ident = entity.get("id")
        deleted = any(k.endswith("verwijderd") and v == "true" for k, v in entity.attrib.items())
        if deleted:
            live.get(term, set()).discard(ident)
            entities.pop(ident, None)
        else:
            live.setdefault(term, set()).add(ident)
            entities[ident] = entity
    every = set(entities)
    # Every reference points at an entity that exists (and is not deleted).
    for ident, entity in entities.items():
        for el in entity.iter():
            target = el.get("ref")
            if target is not None:
                assert target in every, (
                    etree.QName(entity).localname,
                    ident,
                    etree.QName(el).localname,
                )
    # Every downloadable live entity has its file, of the announced size.
    for ident, entity in entities.items():
        length = next((v for k, v in entity.attrib.items() if k.endswith("contentLength")), None)
        if length is not None:
            assert (out / "resources" / ident).stat().st_size == int(length)
    assert summary["sitting_members"] == 150
    # Votes per fractie: the sizes of the fracties voting on one besluit add up to 150.
    sizes: dict[str, dict[str, int]] = {}
    for entity in entities.values():
        if etree.QName(entity).localname != "stemming":
            continue
        vals = {etree.QName(c).localname: c for c in entity}
        if vals.get("persoon") is not None:
            continue
        besluit = vals["besluit"].get("ref")
        sizes.setdefault(besluit, {})[vals["fractie"].get("ref")] = int(vals["fractieGrootte"].text)
    assert sizes, "there are votes"
    assert all(sum(s.values()) == 150 for s in sizes.values())
    # The sitting members: 150 open seat memberships.
    open_seats = [
        e
        for e in entities.values()
        if etree.QName(e).localname == "fractieZetelPersoon"
        and any(etree.QName(c).localname == "totEnMet" and c.text is None for c in e)
    ]
    assert len(open_seats) == 150
    # Numbers are unique: dossiers (nummer + toevoeging), documents, zaken, activities.
    keys: dict[str, Counter[tuple[str | None, ...]]] = {}
    fields = {
        "kamerstukdossier": ("nummer", "toevoeging"),
        "document": ("documentNummer",),
        "zaak": ("nummer",),
        "activiteit": ("nummer",),
    }
    for entity in entities.values():
        name = etree.QName(entity).localname
        if name in fields:
            vals = {etree.QName(c).localname: c.text for c in entity}
            keys.setdefault(name, Counter())[tuple(vals.get(f) for f in fields[name])] += 1
    for name, counter in keys.items():
        assert counter.most_common(1)[0][1] == 1, (name, counter.most_common(1))


def test_real_sync_of_the_sample_gives_the_expected_counts(
    sample: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    out, _summary = sample
    with FeedServer(out) as server:
        url = server.start()
        result = run_cli("sync", "--feed-url", url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "kamerwatch.sqlite3")
    expected = json.loads((out / "expected.json").read_text())["live"]
    for category in CATEGORIES:
        table = spec_for(category).table
        (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert count == expected[category], category
    # Relations resolve inside the mirror too (the sync keeps every reference).
    ids = {
        row[0]
        for spec in map(spec_for, CATEGORIES)
        for row in db.execute(f"SELECT id FROM {spec.table}")
    }
    for spec in map(spec_for, CATEGORIES):
        for f in spec.columns:
            if f.kind == KIND_REF:
                for (target,) in db.execute(
                    f"SELECT {f.column} FROM {spec.table} WHERE {f.column} IS NOT NULL"
                ):
                    assert target in ids, (spec.name, f.column)
    assert all(dst in ids for (dst,) in db.execute("SELECT dst_id FROM link"))


def test_verslagen_are_vlos_and_files_match_their_content_type(
    sample: tuple[Path, dict[str, object]],
) -> None:
    from tests.sample.test_vlos import XSD, to_schema_form

    out, _ = sample
    vlos_schema = etree.XMLSchema(etree.parse(str(XSD)))
    magic = {
        "application/pdf": b"%PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
        "application/rtf": b"{\\rtf",
        "image/jpeg": b"\xff\xd8\xff",
        "text/xml": b"<?xml",
    }
    checked: Counter[str] = Counter()
    for term, _, entity in _entities(out):
        ctype = next((v for k, v in entity.attrib.items() if k.endswith("contentType")), None)
        if ctype is None:
            continue
        # every entry, earlier ones included, announces the file that is there (#20.9)
        body = (out / "resources" / entity.get("id")).read_bytes()
        checked[ctype] += 1
        if term == "verslag":
            vlos_schema.assertValid(to_schema_form(body))
        else:
            assert body.startswith(magic[ctype]), (term, entity.get("id"), ctype)
    assert set(checked) == set(magic), checked
