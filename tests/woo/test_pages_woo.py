"""The Woo pages on both engines, over a harvest from the simulated open.overheid.nl."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from starlette.testclient import TestClient

from kamerwatch.documents.run_convert import run_convert
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.woosim import Publication, WooWorld
from kamerwatch.search.index import run_index
from kamerwatch.subsystems import open_migrated
from kamerwatch.web.app import create_app

from .conftest import harvest


@dataclass
class Site:
    client: TestClient
    world: WooWorld
    withdrawn: Publication

    def shown(self) -> list[Publication]:
        """Top-level, not a Tweede Kamer copy, not withdrawn; newest first, then by id."""
        pubs = [
            p
            for p in self.world.visible()
            if not p.detail["documentrelaties"] and not p.id.startswith("oep-")
        ]
        return sorted(pubs, key=lambda p: (p.day, p.id), reverse=True)


@pytest.fixture
def site(db_url: str, woo_server: FeedServer, tmp_path: Path) -> Iterator[Site]:
    files = tmp_path / "files"
    world = woo_server.woo
    gone = next(p for p in world.visible() if p.files and not p.detail["documentrelaties"])
    harvest(db_url, woo_server, files)
    world.withdraw(gone.id)
    harvest(db_url, woo_server, files)
    with open_migrated(db_url) as db:
        run_convert(db, workers=1, files_dir=files)
        run_index(db.conn)
    app = create_app(db_url, data_dir=tmp_path, files_dir=files)
    with TestClient(app, follow_redirects=False) as client:
        yield Site(client, world, gone)


def test_the_list_its_twins_and_filters(site: Site) -> None:
    c = site.client
    shown = site.shown()
    page = c.get("/woo")
    assert page.status_code == 200
    assert shown[0].listed["document"]["titel"] in page.text
    assert site.withdrawn.listed["document"]["titel"] not in page.text
    data = c.get("/woo.json").json()
    assert [p["id"] for p in data["publicaties"]] == [p.id for p in shown]
    # per organisation (case-insensitive), with its bell
    org = shown[0].detail["document"]["verantwoordelijke"]["label"]
    own = c.get("/woo.json", params={"organisatie": org.upper()}).json()["publicaties"]
    assert own and all(p["organisatie"] == org for p in own)
    assert {p["id"] for p in own} == {
        p.id for p in shown if p.detail["document"]["verantwoordelijke"]["label"] == org
    }
    assert 'name="soort" value="organisatie"' in c.get("/woo", params={"organisatie": org}).text
    ek = c.get("/woo.json", params={"eerste_kamer": "1"}).json()["publicaties"]
    assert all(p["organisatie"] == "Eerste Kamer" for p in ek)
    besluiten = c.get("/woo.json", params={"woo_besluiten": "1"}).json()["publicaties"]
    assert besluiten and all("Woo" in p["titel"] for p in besluiten)
    cat = c.get("/woo.json", params={"categorie": "onderzoeksrapporten"}).json()["publicaties"]
    assert all(p["informatiecategorieen"] == ["onderzoeksrapporten"] for p in cat)
    day = shown[0].day
    one_day = c.get("/woo.json", params={"van": day, "tot": day}).json()["publicaties"]
    assert {p["id"] for p in one_day} == {p.id for p in shown if p.day == day}
    bad = c.get("/woo", params={"van": "gisteren"})
    assert bad.status_code == 200 and "Ongeldige datum" in bad.text
    # CSV and RSS of the same list
    rows = list(csv.reader(io.StringIO(c.get("/woo.csv").text.lstrip("\ufeff"))))
    assert rows[0][0] == "datum" and [r[5] for r in rows[1:]] == [p.id for p in shown]
    rss = etree.fromstring(c.get("/woo.xml").content)
    assert len(rss.findall("channel/item")) == len(shown)
    # the organisation autocomplete
    orgs = c.get("/woo/organisaties.json", params={"q": org[-8:].lower()}).json()["organisaties"]
    assert org in [o["naam"] for o in orgs]
    assert all(o["aantal"] > 0 for o in orgs)


def test_one_publication(site: Site) -> None:
    c = site.client
    parent = next(
        p
        for p in site.shown()
        if any(
            o.detail["documentrelaties"]
            and o.detail["documentrelaties"][0]["relation"].endswith(p.id)
            for o in site.world.visible()
        )
    )
    page = c.get(f"/woo/{parent.id}")
    assert page.status_code == 200
    d = parent.detail["document"]
    assert d["titelcollectie"]["officieleTitel"] in page.text
    assert d["verantwoordelijke"]["label"] in page.text
    assert d["omschrijvingen"][0] in page.text
    assert f"https://open.overheid.nl/documenten/{parent.id}" in page.text
    assert f"/woo/{parent.id}/bestand/1" in page.text
    assert "Kenmerk" in page.text  # the preview of the converted PDF
    twin = c.get(f"/woo/{parent.id}.json").json()
    assert twin["id"] == parent.id and twin["detail"] == parent.detail  # the whole record
    children = twin["children"]
    assert children
    child = c.get(f"/woo/{children[0]['id']}")
    assert child.status_code == 200 and f'href="/woo/{parent.id}"' in child.text
    got = c.get(f"/woo/{parent.id}/bestand/1")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.content == site.world.files[f"/documenten/{parent.id}/file"]


def test_errors_and_legacy_urls(site: Site) -> None:
    c = site.client
    gone = c.get(f"/woo/{site.withdrawn.id}")
    assert gone.status_code == 410 and "ingetrokken" in gone.text
    assert c.get(f"/woo/{site.withdrawn.id}.json").status_code == 410
    assert c.get(f"/woo/{site.withdrawn.id}/bestand/1").status_code == 404
    for bad in (
        "/woo/onbekend",
        "/woo/..%2F..%2Fetc",
        "/woo/a.b",
        "/woo/x/bestand/1",
        "/woo/x/bestand/abc",
        "/getrawoo/a.b",
        "/oo.html",
    ):
        assert c.get(bad).status_code == 404, bad
    odd = c.get("/oo.html?nummer=../x")  # quoted into one path segment: not found there
    assert odd.headers["location"] == "/woo/..%2Fx" and c.get("/woo/..%2Fx").status_code == 404
    some = site.shown()[0].id
    assert c.get("/oods.html").headers["location"] == "/woo"
    assert c.get(f"/oo.html?nummer={some}").headers["location"] == f"/woo/{some}"
    assert c.get(f"/getrawoo/{some}").headers["location"] == f"/woo/{some}/bestand/1"


def test_woo_in_the_search_page(site: Site) -> None:
    pub = site.shown()[0]
    found = site.client.get("/zoeken", params={"q": "Kenmerk", "categorie": "woo"})
    assert found.status_code == 200
    assert "/woo/" in found.text and "Woo-publicatie" in found.text
    twin = site.client.get("/zoeken.json", params={"q": f'"{pub.listed["document"]["titel"]}"'})
    assert pub.id in twin.text
