"""Version diffs (issue #27) through the loopback feed server and the real stages: a document
whose file changes gets a word diff page (HTML + JSON twin) and the mail about the new
version a "wat is er veranderd" excerpt; a gewijzigde motie is compared with the motie it
replaces (same zaak). Both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch import alerts
from kamerwatch.diffs import excerpt, word_diff
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.files import pdf_bytes
from kamerwatch.sample.texts import DocText
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.parsers import spec_for
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS, kamerwatch

MOTIE = (
    "De Kamer, gehoord de beraadslaging, verzoekt de regering de zorgpremie te verlagen"
    " en gaat over tot de orde van de dag."
)
BRIEF_1 = "Geachte voorzitter, hierbij zend ik u het rapport over de dijkversterking. Hoogachtend."
BRIEF_2 = (
    "Geachte voorzitter, hierbij zend ik u het herziene rapport over de dijkversterking."
    " Hoogachtend."
)


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-diff/{name}"))


def _pdf(nummer: str, text: str) -> bytes:
    return pdf_bytes(
        DocText(
            "Brief",
            nummer,
            date(2026, 11, 20),
            "onderwerp",
            None,
            "minister",
            "Kamer",
            None,
            [text],
        )
    )


# A real DocumentVersie record (tests/data/real/odata/Zaak.json: the HuidigeDocumentVersie of
# document bc0b92e5-…, OData names), in the feed's field names. Note Bestandsgrootte 36 for a
# 20,780-byte file: the feed's size is not the file's, so versions are tied to files by the
# document's huidigeDocumentVersie when a file is downloaded, never by size.
REAL_VERSIE = {
    "id": "1bacc4fb-fb90-434d-8125-c3ab58564d25",
    "status": "Vrijgegeven",
    "versienummer": 3,
    "bestandsgrootte": 36,
    "extensie": ".pdf",
    "datum": "2023-12-13T11:43:07.793+01:00",
    "externeidentifier": "kst-21501-20-2001",
}


def _versie_entry(doc: str, values: dict[str, Any], token: int) -> bytes:
    spec = spec_for("DocumentVersie")
    fields = {k: v for k, v in values.items() if k != "id"}
    xml = entity_xml(
        spec, {**fields, "document_id": gid(doc)}, id=values["id"], bijgewerkt="2026-11-20T10:00:00"
    )
    return entry_xml(
        spec, xml, token=token, updated="2026-11-20T09:00:00.0000000Z", enclosure=False
    )


def _page(
    root: Path,
    name: str,
    token: int,
    docs: list[tuple[str, str, str, str, bytes]],
    versies: dict[str, dict[str, Any]] | None = None,
) -> None:
    """docs: (name, nummer, soort, datum, file); all in zaak 2026Z70001. ``versies``: per
    document name its DocumentVersie (in the feed before it, and its huidigeDocumentVersie)."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    entries = []
    zaak = spec_for("Zaak")
    entries.append(
        entry_xml(
            zaak,
            entity_xml(
                zaak,
                {"nummer": "2026Z70001", "soort": "Motie", "onderwerp": "zorgpremie"},
                id=gid("zaak"),
                bijgewerkt="2026-11-20T10:00:00",
            ),
            token=token,
            updated="2026-11-20T09:00:00.0000000Z",
            enclosure=False,
        )
    )
    spec = spec_for("Document")
    for i, (doc, nummer, soort, datum, body) in enumerate(docs, 1):
        (root / "resources" / gid(doc)).write_bytes(body)
        versie = (versies or {}).get(doc)
        if versie is not None:
            entries.append(_versie_entry(doc, versie, token + 100 + i))
        xml = entity_xml(
            spec,
            {
                "soort": soort,
                "document_nummer": nummer,
                "onderwerp": f"{soort} over de zorgpremie",
                "datum": datum,
                "zaak_ids": [gid("zaak")],
                **({"huidige_document_versie_id": versie["id"]} if versie else {}),
            },
            id=gid(doc),
            bijgewerkt="2026-11-20T10:00:00",
            content_type="application/pdf",
            content_length=len(body),
        )
        entries.append(
            entry_xml(
                spec,
                xml,
                token=token + 200 + i,
                updated="2026-11-20T09:00:00.0000000Z",
                enclosure=True,
            )
        )
    (root / "feed" / name).write_bytes(feed_page(None, entries, None))


def _cycle(server: FeedServer, data: Path, url: str) -> None:
    for command in ("sync", "fetch-documents", "convert"):
        extra = ["--feed-url", server.url] if command != "convert" else []
        result = kamerwatch(command, *extra, data_dir=data, database_url=url)
        assert result.returncode == 0, (command, result.stderr)


class Capture:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        self.sent.append(message)


def test_word_diff_is_exact_and_bounded() -> None:
    old, new = BRIEF_1, BRIEF_2
    d = word_diff(old, new)
    assert "".join(p.text for p in d.pieces if p.op != "eraf") == new
    assert "".join(p.text for p in d.pieces if p.op != "erbij") == old
    assert d.inserted == 1 and d.deleted == 0
    assert "{+herziene+}" in excerpt(d)
    huge = " ".join(f"woord{i}." for i in range(120_000))
    assert word_diff(huge, huge.replace("woord7.", "anders7.")).inserted == 1


@pytest.mark.parametrize("engine", BACKENDS)
def test_new_version_diff_page_and_mail_excerpt(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("diff")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with open_migrated(url):
        pass
    feed = tmp_path / "feed"
    motie = ("motie", "2026D70001", "Motie", "2026-11-18", _pdf("2026D70001", MOTIE))
    gewijzigd = (
        "gewijzigd",
        "2026D70002",
        "Motie (gewijzigd/nader gewijzigd)",
        "2026-11-19",
        _pdf("2026D70002", MOTIE.replace("te verlagen", "te bevriezen")),
    )
    brief = ("brief", "2026D70003", "Brief regering", "2026-11-20", _pdf("2026D70003", BRIEF_1))
    _page(feed, "p1.xml", 1000, [motie, gewijzigd, brief])
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    with FeedServer(feed) as server:
        _cycle(server, data, url)
        with open_migrated(url) as db:
            alerts.add_monitor_for_email(db, "v@example.org", "zaak", "2026Z70001", now)
    # the letter's file changes: the feed republishes the document with the new file
    brief2 = (*brief[:4], _pdf("2026D70003", BRIEF_2))
    _page(feed, "p2.xml", 2000, [brief2])
    with FeedServer(feed) as server:  # reads the pages when it starts
        _cycle(server, data, url)
    mail = Capture()
    with open_migrated(url) as db:
        report = alerts.run_alerts(
            db, mail, base_url="https://kw.example", mail_from="kw <kw@example.org>", now=now
        )
    assert report.digests == 1
    text = message_from_bytes(mail.sent[0], policy=default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "wat is er veranderd (versie 1 → 2)" in text and "{+herziene+}" in text
    with TestClient(create_app(url, data_dir=data)) as client:
        page = client.get("/document/2026D70003/wijzigingen")
        assert page.status_code == 200
        assert "<ins>herziene </ins>" in page.text
        twin: Any = client.get("/document/2026D70003/wijzigingen.json?van=1&naar=2").json()
        assert twin["van"]["versie"] == 1 and twin["naar"]["versie"] == 2
        assert [s["tekst"] for s in twin["stukken"] if s["soort"] == "erbij"] == ["herziene "]
        assert twin["erbij"] == 1 and twin["eraf"] == 0
        # the gewijzigde motie against the motie it replaces (same zaak, earlier)
        motion: Any = client.get("/document/2026D70002/wijzigingen.json").json()
        assert (
            motion["van"]["nummer"] == "2026D70001" and motion["vervangt"]["nummer"] == "2026D70001"
        )
        changed = {s["tekst"].strip() for s in motion["stukken"] if s["soort"] != "gelijk"}
        assert changed - {"2026D70001", "2026D70002"} == {"verlagen", "bevriezen"}  # + numbers
        original: Any = client.get("/document/2026D70001/wijzigingen.json").json()
        assert original["vervangenDoor"]["nummer"] == "2026D70002"
        html = client.get("/document/2026D70002/wijzigingen").text
        assert "<del>verlagen" in html and "<ins>bevriezen" in html
        # the document pages link their diff: two files of the letter, the amended motie
        letter = client.get("/document/2026D70003").text
        assert '<a href="/document/2026D70003/wijzigingen">Bekijk wat er veranderd is' in letter
        amended = client.get("/document/2026D70002").text
        assert 'href="/document/2026D70002/wijzigingen">bekijk wat er veranderd is' in amended
        assert "/wijzigingen" not in client.get("/document/2026D70001").text
        # bad input: Dutch errors, no 500
        bad = client.get("/document/2026D70003/wijzigingen.json?van=x")
        assert bad.status_code == 400 and "versie" in bad.json()["error"]
        assert client.get("/document/2026D70003/wijzigingen?naar=9").status_code == 400
        assert client.get("/document/2026D79999/wijzigingen").status_code == 404
        assert client.get("/document/nonsense/wijzigingen.json").status_code == 404


@pytest.mark.parametrize("engine", BACKENDS)
def test_versions_follow_the_feeds_documentversie(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Where the feed lists several DocumentVersie of a document, the diff page, its twin,
    the document page and the mail number the versions as the feed does (3 → 4 here)."""
    data = tmp_path / "data"
    data.mkdir()
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("versie")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with open_migrated(url):
        pass
    feed = tmp_path / "feed"
    brief = ("brief", "2026D70003", "Brief regering", "2026-11-20", _pdf("2026D70003", BRIEF_1))
    _page(feed, "p1.xml", 1000, [brief], {"brief": REAL_VERSIE})
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    with FeedServer(feed) as server:
        _cycle(server, data, url)
        with open_migrated(url) as db:
            alerts.add_monitor_for_email(db, "v@example.org", "zaak", "2026Z70001", now)
    versie_4 = {**REAL_VERSIE, "id": gid("versie-4"), "versienummer": 4, "datum": "2026-11-20"}
    brief2 = (*brief[:4], _pdf("2026D70003", BRIEF_2))
    _page(feed, "p2.xml", 2000, [brief2], {"brief": versie_4})
    with FeedServer(feed) as server:
        _cycle(server, data, url)
    mail = Capture()
    with open_migrated(url) as db:
        alerts.run_alerts(
            db, mail, base_url="https://kw.example", mail_from="kw <kw@example.org>", now=now
        )
    text = message_from_bytes(mail.sent[0], policy=default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "wat is er veranderd (versie 3 → 4)" in text
    assert "/document/2026D70003/wijzigingen?van=3&naar=4" in text
    with TestClient(create_app(url, data_dir=data)) as client:
        twin: Any = client.get("/document/2026D70003/wijzigingen.json").json()
        assert twin["versiesVolgens"] == "DocumentVersie"
        assert [(v["versie"], v["status"], v["tekst"]) for v in twin["versies"]] == [
            (3, "Vrijgegeven", True),
            (4, "Vrijgegeven", True),
        ]
        assert twin["van"]["versie"] == 3 and twin["naar"]["versie"] == 4
        assert [s["tekst"] for s in twin["stukken"] if s["soort"] == "erbij"] == ["herziene "]
        same: Any = client.get("/document/2026D70003/wijzigingen.json?van=3&naar=4").json()
        assert same["stukken"] == twin["stukken"]
        # our file numbers (1, 2) are not the document's versions
        wrong = client.get("/document/2026D70003/wijzigingen.json?van=1&naar=2")
        assert wrong.status_code == 400 and "versie 2 van 2026D70003 bestaat niet" in wrong.text
        html = client.get("/document/2026D70003/wijzigingen").text
        assert "Versienummers zoals de Tweede Kamer ze geeft" in html
        page = client.get("/document/2026D70003").text
        assert '<a href="/document/2026D70003/wijzigingen">Bekijk wat er veranderd is' in page
