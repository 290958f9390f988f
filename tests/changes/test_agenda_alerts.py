"""Agenda alerts (issue #27) through the loopback feed server, both engines: a followed zaak
placed on an agenda, the reminder the day before, the debate moved, then cancelled — each
mailed exactly once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from kamerwatch import alerts
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.parsers import spec_for
from tests.conftest import BACKENDS, kamerwatch

ZAAK = "2026Z70011"
ACT = "2026A70001"


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-agenda/{name}"))


def _page(
    root: Path, name: str, token: int, entities: list[tuple[str, str, dict[str, Any]]]
) -> None:
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    entries = []
    for i, (category, ident, values) in enumerate(entities):
        spec = spec_for(category)
        xml = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-20T10:00:00")
        entries.append(
            entry_xml(spec, xml, token=token + i, updated="2026-11-20T09:00:00", enclosure=False)
        )
    (root / "feed" / name).write_bytes(feed_page(None, entries, None))


def _activity(when: str, status: str) -> tuple[str, str, dict[str, Any]]:
    return (
        "Activiteit",
        "act",
        {
            "nummer": ACT,
            "soort": "Commissiedebat",
            "onderwerp": "Zorgverzekeringen",
            "datum": f"{when}T00:00:00",
            "aanvangstijd": f"{when}T10:00:00",
            "locatie": "Thorbeckezaal",
            "status": status,
            "voortouwnaam": "vaste commissie voor Volksgezondheid",
        },
    )


class Capture:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        self.sent.append(message)

    def lines(self) -> list[str]:
        out = []
        for raw in self.sent:
            body = message_from_bytes(raw, policy=default).get_body(("plain",))
            assert body is not None
            out += [line.strip() for line in body.get_content().splitlines()]
        self.sent.clear()
        return out


def _heads(lines: list[str]) -> list[str]:
    return [line.split(" - ", 1)[1].split(":")[0] for line in lines if line.startswith(ACT + " - ")]


@pytest.mark.parametrize("engine", BACKENDS)
def test_agenda_reminder_moved_cancelled_each_once(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("agenda")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with open_migrated(url):
        pass
    feed = tmp_path / "feed"

    def sync() -> None:
        with FeedServer(feed) as server:
            result = kamerwatch("sync", "--feed-url", server.url, data_dir=data, database_url=url)
        assert result.returncode == 0, result.stderr

    mail = Capture()

    def run(day: str) -> list[str]:
        with open_migrated(url) as db:
            alerts.run_alerts(
                db,
                mail,
                base_url="https://kw.example",
                mail_from="kw <kw@example.org>",
                now=datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC),
            )
        return _heads(mail.lines())

    zaak = ("Zaak", "zaak", {"nummer": ZAAK, "soort": "Wetgeving", "onderwerp": "Zorg"})
    _page(feed, "p1.xml", 1000, [zaak, _activity("2026-11-25", "Gepland")])
    sync()
    with open_migrated(url) as db:
        alerts.add_monitor_for_email(
            db, "a@example.org", "agenda", ZAAK, datetime(2026, 11, 20, tzinfo=UTC)
        )
    assert run("2026-11-20") == []
    # the zaak is put on the committee debate's agenda
    punt = ("Agendapunt", "punt", {"activiteit_id": gid("act"), "onderwerp": "Zorgpremies"})
    _page(
        feed, "p2.xml", 2000, [punt, ("Zaak", "zaak", {**zaak[2], "agendapunt_ids": [gid("punt")]})]
    )
    sync()
    assert run("2026-11-21") == ["Op de agenda"]
    assert run("2026-11-21") == [], "once"
    assert run("2026-11-24") == ["Binnenkort"], "the day before"
    assert run("2026-11-24") == [] and run("2026-11-25") == []
    # moved two days on
    _page(feed, "p3.xml", 3000, [_activity("2026-11-27", "Verplaatst")])
    sync()
    assert run("2026-11-25") == ["Verplaatst"]
    assert run("2026-11-25") == []
    assert run("2026-11-26") == ["Binnenkort"], "a reminder for the new date"
    # then cancelled
    _page(feed, "p4.xml", 4000, [_activity("2026-11-27", "Geannuleerd")])
    sync()
    assert run("2026-11-26") == ["Geannuleerd"]
    assert run("2026-11-27") == []
