"""`kamerwatch update` keeps the analysis tables current, both engines: a changed vote, a new
vote, an answer and a fulfilled toezegging show on the pages after the next update; only the
parts whose inputs moved are computed again (the votes vote by vote); an update with nothing
new does no analysis work (its recorded run: no entries, "niets veranderd").

Figures (see tests/analyse/test_pages.py for the constructed parliament): before, VVD-PVV
agree in 2 of 5 votes, SP-D66 in 1 of 3, VVD-D66 in 2 of 3; D66 then votes Voor on v5 (SP
Voor, VVD and PVV Tegen) and v6 (VVD, PVV Voor; SP, D66 Tegen) is new: VVD-PVV 3/6, SP-D66
2/3, and 3/4 with v6 (both Tegen); VVD-D66 1/4. Defensie: q3 answered after 9 days -> no open question,
answered 3, within the term 2 (14 and 9 days), median of 9, 14 and 41 = 14; toezegging t1
fulfilled -> open 2, fulfilled 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.subsystems import open_migrated
from kamerwatch.web.app import create_app
from tests.analyse.world import write_changes, write_feed
from tests.conftest import kamerwatch


def _update(root: Path, data: Path, url: str) -> None:
    with FeedServer(root) as server:  # reads the feed's files when it starts
        result = kamerwatch(
            "update", "--feed-url", server.url, data_dir=data, database_url=url, timeout=240
        )
    assert result.returncode == 0, result.stdout + result.stderr


def _last_analyse_run(url: str) -> tuple[int, int, str]:
    """(number of analyse runs, entries and message of the last)."""
    with open_migrated(url) as db:
        rows = list(
            db.conn.execute(
                "SELECT entries, message FROM sync_run WHERE stage = 'analyse' ORDER BY id"
            )
        )
    return len(rows), int(rows[-1][0]), str(rows[-1][1])


def _pages(url: str, data: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    with TestClient(create_app(url, data_dir=data)) as client:
        return (
            client.get("/analyse/stemmingen.json").json(),
            client.get("/analyse/ministeries.json").json(),
        )


def _pair(data: dict[str, Any], a: str, b: str) -> tuple[int, int]:
    row = next(r for r in data["overeenstemming"] if r["fractie"] == a)
    cell = next(c for c in row["met"] if c["fractie"] == b)
    return cell["zelfde"], cell["samen"]


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write_feed(tmp_path / "feed")


def test_update_brings_changes_to_the_pages_and_a_no_op_does_no_work(
    db_url: str, tmp_path: Path, feed: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    _update(feed, data, db_url)
    runs, entries, message = _last_analyse_run(db_url)
    assert runs == 1 and entries > 0 and message.startswith("herberekend: stemmingen 5,")
    votes, ministries = _pages(db_url, data)
    assert (_pair(votes, "VVD", "PVV"), _pair(votes, "SP", "D66")) == ((2, 5), (1, 3))
    defensie = {g["naam"]: g["cijfers"] for g in ministries["vragen"]["per"]}["Defensie"]
    assert (defensie["open"], defensie["beantwoord"], defensie["mediaanDagen"]) == (1, 2, 27.5)
    tz = {g["naam"]: g["cijfers"] for g in ministries["toezeggingen"]["per"]}["Defensie"]
    assert (tz["open"], tz["voldaan"]) == (3, 2)

    write_changes(feed)
    _update(feed, data, db_url)
    runs, entries, message = _last_analyse_run(db_url)
    assert runs == 2
    # the two votes brought up to date one by one, the other parts whose inputs moved anew
    assert "stemmingen 2 (bijgewerkt)" in message, message
    assert "vragen" in message and "toezeggingen" in message and "indieningen" in message
    votes, ministries = _pages(db_url, data)
    assert votes["stemmingen"] == 6
    assert _pair(votes, "VVD", "PVV") == (3, 6)
    assert _pair(votes, "SP", "D66") == (3, 4)
    assert _pair(votes, "VVD", "D66") == (1, 4)
    defensie = {g["naam"]: g["cijfers"] for g in ministries["vragen"]["per"]}["Defensie"]
    assert (defensie["open"], defensie["beantwoord"], defensie["binnenTermijn"]) == (0, 3, 2)
    assert defensie["mediaanDagen"] == 14 and defensie["oudsteOpen"] is None
    tz = {g["naam"]: g["cijfers"] for g in ministries["toezeggingen"]["per"]}["Defensie"]
    assert (tz["open"], tz["voldaan"], tz["voldaanTeLaat"]) == (2, 3, 1)
    # the same as computing everything anew
    forced = kamerwatch("analyse", "--force", data_dir=data, database_url=db_url)
    assert forced.returncode == 0, forced.stderr
    assert _pages(db_url, data) == (votes, ministries)

    _update(feed, data, db_url)  # nothing new
    runs, entries, message = _last_analyse_run(db_url)
    assert (runs, entries, message) == (4, 0, "niets veranderd")
