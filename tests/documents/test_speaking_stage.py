"""Speaking time through the real stages: a real verslag synced, downloaded and read by
``kamerwatch convert``, its speakers matched to Personen by id or by name, stored once per
vergadering, replaced by a newer file, and shown on the verslag and persoon pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import html
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for
from kamerwatch.web.app import create_app
from tests.conftest import DATA, kamerwatch
from tests.documents.test_fetch import gid, rows

VLOS = sorted((DATA / "verslag-vlos").glob("*.xml"))
MIVD = next(p for p in VLOS if "29d8cf68" in p.name).read_bytes()  # commissiedebat MIVD
OTHER = next(p for p in VLOS if "e2903f19" in p.name).read_bytes()  # two speakers


def _entry(category: str, ident: str, values: dict[str, Any], token: int, body: bytes | None):
    spec = spec_for(category)
    extra: dict[str, Any] = {}
    if body is not None:
        extra = {"content_type": "text/xml", "content_length": len(body)}
    xml = entity_xml(spec, values, id=ident, bijgewerkt="2026-11-25T10:00:00", **extra)
    return entry_xml(
        spec, xml, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=body is not None
    )


def _write(root: Path, verslag: bytes, token: int, page: str, people: bool) -> None:
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    entries = []
    if people:
        entries += [
            _entry(
                "Vergadering",
                gid("vergadering"),
                {"soort": "Commissie", "titel": "MIVD", "datum": "2025-07-02T00:00:00"},
                token,
                None,
            ),
            _entry(
                "Persoon",
                gid("van dijk"),
                {
                    "nummer": "4321",
                    "achternaam": "Dijk",
                    "tussenvoegsel": "van",
                    "roepnaam": "Olger",
                    "functie": "Tweede Kamerlid",
                },
                token + 1,
                None,
            ),
            _entry(
                "Persoon",
                gid("nordkamp"),
                {"nummer": "4322", "achternaam": "Nordkamp", "roepnaam": "Jimme"},
                token + 2,
                None,
            ),
        ]
    (root / "resources" / gid("verslag")).write_bytes(verslag)
    values = {
        "vergadering_id": gid("vergadering"),
        "soort": "Eindpublicatie",
        "status": "Gecorrigeerd",
    }
    entries.append(_entry("Verslag", gid("verslag"), values, token + 3, verslag))
    (root / "feed" / page).write_bytes(feed_page(None, entries, None))


def _stages(feed: Path, data: Path) -> None:
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            result = kamerwatch(command, "--feed-url", server.url, data_dir=data)
            assert result.returncode == 0, (command, result.stderr)
    result = kamerwatch("convert", data_dir=data)
    assert result.returncode == 0, result.stderr


def test_speaking_time_read_matched_replaced_and_shown(tmp_path: Path) -> None:
    feed, data = tmp_path / "feed", tmp_path / "data"
    _write(feed, MIVD, 1000, "p1.xml", people=True)
    _stages(feed, data)
    stored = {
        r[0]: r[1:]
        for r in rows(
            data, "SELECT naam, persoon_id, woordvoerder, interrumpant, voorzitter FROM spreektijd"
        )
    }
    assert stored["Nordkamp"][0] == gid("nordkamp"), "matched by roepnaam + achternaam"
    assert stored["Olger van Dijk"][0] == gid("van dijk"), "'Dijk van' is Dijk, tussenvoegsel van"
    assert stored["Kahraman"][0] is None and stored["Kahraman"][3] > 0, "unmatched chair kept"
    assert stored["Nordkamp"][1] >= 214
    (seq,) = rows(data, "SELECT seq FROM spreektijd_bron")[0]

    # nothing new: nothing read again
    again = kamerwatch("convert", data_dir=data)
    assert again.returncode == 0 and "spreektijd" not in again.stdout
    assert rows(data, "SELECT seq FROM spreektijd_bron") == [(seq,)]

    url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with TestClient(create_app(url)) as client:
        verslag = client.get(f"/verslag/{gid('vergadering')}")
        assert verslag.status_code == 200
        assert "Spreektijd" in verslag.text and 'href="/persoon/4321"' in verslag.text
        assert "3 min" in verslag.text  # Nordkamp's 3 min 34 s and more
        # a picture of the same figures: a bar per speaker, longest first, linked (#25.12)
        chart = html.fromstring(verslag.text).xpath("//svg[contains(@class, 'staafdiagram')]")
        assert chart and chart[0].get("role") == "group"  # its bars link to the speakers
        assert chart[0].get("aria-label").startswith("Spreektijd per spreker. ")
        assert chart[0].xpath(".//a[@href='/persoon/4322']")
        persoon = client.get("/persoon/4322")
        assert "Gesproken (1 vergadering)" in persoon.text  # one plural helper (#25.11)
        assert f'href="/verslag/{gid("vergadering")}"' in persoon.text
        bars = html.fromstring(persoon.text).xpath("//svg[contains(@class, 'staafdiagram')]//a")
        assert [a.get("href") for a in bars] == [f"/verslag/{gid('vergadering')}"]
        twin = client.get("/persoon/4322.json").json()
        assert twin["spreektijd"][0]["woordvoerder"] >= 214

    # a new version of the verslag file replaces the numbers of its vergadering
    _write(feed, OTHER, 2000, "p2.xml", people=False)
    _stages(feed, data)
    names = {r[0] for r in rows(data, "SELECT naam FROM spreektijd")}
    assert "Nordkamp" not in names and names, names
    (new_seq,) = rows(data, "SELECT seq FROM spreektijd_bron")[0]
    assert new_seq > seq


def test_unreadable_verslag_is_recorded_not_fatal(tmp_path: Path) -> None:
    feed, data = tmp_path / "feed", tmp_path / "data"
    _write(feed, MIVD[: len(MIVD) // 2], 1000, "p1.xml", people=True)
    _stages(feed, data)
    assert rows(data, "SELECT count(*) FROM spreektijd") == [(0,)]
    (failure,) = rows(data, "SELECT failure FROM spreektijd_bron")[0]
    assert failure and "verslag-XML" in failure
