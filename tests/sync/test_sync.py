"""End-to-end sync: the real client and CLI against the test feed server on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sync.parsers import CATEGORIES
from tests.conftest import assert_same_after_reparse, connect, dump_state, index_names, kamerwatch
from tests.sync.feedfiles import ACT, AGENDAPUNT, ZAAK_A


def test_sync_real_sample_pages(sample_feed_dir: Path, tmp_path: Path, db_url: str) -> None:
    with FeedServer(sample_feed_dir) as server:
        result = kamerwatch(
            "sync", "--feed-url", server.url, data_dir=tmp_path / "data", database_url=db_url
        )
    assert result.returncode == 0, result.stderr
    conn = connect(db_url)
    # Stemming page: 2 tombstones of never-seen votes + 3 fractie votes
    assert conn.execute("SELECT count(*) FROM stemming").fetchone()[0] == 3
    assert (
        conn.execute("SELECT count(*) FROM raw_entry WHERE category='Stemming'").fetchone()[0] == 5
    )
    row = conn.execute(
        "SELECT soort, fractie_grootte, actor_fractie, vergissing, besluit_id, fractie_id "
        "FROM stemming WHERE id = '80769453-41f8-4e01-8a10-f9da650fe3cb'"
    ).fetchone()
    assert row == (
        "Tegen",
        9,
        "PVV",
        0,
        "643f76ba-2d42-4d6f-b903-d71b0927144a",
        "65129918-f256-4975-9da4-488da34d6695",
    )
    act = conn.execute(
        "SELECT nummer, soort, datum, voortouwcommissie_id, bijgewerkt FROM activiteit"
    ).fetchone()
    assert act == (
        "2026A01315",
        "Commissiedebat",
        "2026-06-24T14:00:00",
        "befe416e-ca1b-4804-97d0-7aca1dcba888",
        "2026-09-10T11:30:01.867000Z",  # local time without offset, normalised to UTC
    )
    besluit_links = conn.execute("SELECT relation, dst_id FROM link WHERE src_category='Besluit'")
    assert besluit_links.fetchall() == [("zaak", "19214682-5078-4587-801f-dcd3d666a273")]
    cursor = conn.execute("SELECT skiptoken FROM sync_cursor WHERE category='Stemming'").fetchone()
    assert cursor == (3560440,)  # rel=next of the last stored entry
    assert "onbekend" not in result.stderr
    # the first sync loaded without secondary indexes and rebuilt them all at the end
    assert conn.execute("SELECT value FROM meta WHERE key='bulk_load_indexes'").fetchone() is None
    indexes = index_names(conn)
    assert {"link_dst", "stemming_besluit_id", "zaak_nummer", "raw_entry_category"} <= indexes


def test_update_then_delete_sequences(crafted_feed: Path, tmp_path: Path, db_url: str) -> None:
    with FeedServer(crafted_feed, page_size=2) as server:
        result = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "zaak",
            data_dir=tmp_path / "data",
            database_url=db_url,
        )
    assert result.returncode == 0, result.stderr
    conn = connect(db_url)
    rows = conn.execute("SELECT id, onderwerp, skiptoken, termijn FROM zaak").fetchall()
    assert rows == [(ZAAK_A, "Tweede versie & beter", 105, None)]  # newest version won
    links = conn.execute("SELECT src_id, relation, dst_id FROM link ORDER BY relation").fetchall()
    assert links == [(ZAAK_A, "activiteit", ACT), (ZAAK_A, "agendapunt", AGENDAPUNT)]
    assert conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0] == 7  # all kept
    assert conn.execute("SELECT skiptoken FROM sync_cursor").fetchone()[0] == 111


def test_rerun_is_idempotent_and_resumes(crafted_feed: Path, tmp_path: Path, db_url: str) -> None:
    with FeedServer(crafted_feed, page_size=3) as server:
        first = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "Zaak",
            data_dir=tmp_path / "data",
            database_url=db_url,
        )
        before = dump_state(db_url)
        httpx.delete(server.url.replace("/SyncFeed/2.0", "/_requests"))
        second = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "Zaak",
            data_dir=tmp_path / "data",
            database_url=db_url,
        )
        requests = httpx.get(server.url.replace("/SyncFeed/2.0", "/_requests")).json()
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert dump_state(db_url) == before
    zaak_requests = [r for r in _paths(requests) if "category=Zaak" in r]
    assert zaak_requests and all("skiptoken=111" in r for r in zaak_requests)


def _paths(requests: object) -> list[str]:
    items = requests if isinstance(requests, list) else []
    out = []
    for item in items:
        out.append(item if isinstance(item, str) else json.dumps(item))
    return out


def test_retries_on_500_then_succeeds(crafted_feed: Path, tmp_path: Path, db_url: str) -> None:
    with FeedServer(crafted_feed) as server:
        faults = server.url.replace("/SyncFeed/2.0", "/_faults")
        httpx.post(
            faults, json=[{"mode": "500", "times": 2, "category": "Zaak"}]
        ).raise_for_status()
        result = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "Zaak",
            data_dir=tmp_path / "data",
            database_url=db_url,
        )
    assert result.returncode == 0, result.stderr
    assert connect(db_url).execute("SELECT count(*) FROM zaak").fetchone()[0] == 1


def test_persistent_500_fails_with_one_line(crafted_feed: Path, tmp_path: Path) -> None:
    with FeedServer(crafted_feed) as server:
        faults = server.url.replace("/SyncFeed/2.0", "/_faults")
        httpx.post(
            faults, json=[{"mode": "500", "times": -1, "category": "Zaak"}]
        ).raise_for_status()
        result = kamerwatch(
            "sync", "--feed-url", server.url, "--category", "Zaak", data_dir=tmp_path / "data"
        )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("kamerwatch: fout")]
    assert len(lines) == 1 and "Zaak" in lines[0] and "500" in lines[0]
    assert "Traceback" not in result.stderr


def test_malformed_page_stops_and_resumes_at_same_place(
    crafted_feed: Path, tmp_path: Path, db_url: str
) -> None:
    data = tmp_path / "data"
    with FeedServer(crafted_feed, page_size=2) as server:
        faults = server.url.replace("/SyncFeed/2.0", "/_faults")
        # the first page is fine, every later one is broken
        httpx.post(
            faults,
            json=[{"mode": "delay", "seconds": 0, "times": 1}, {"mode": "malformed", "times": -1}],
        )
        broken = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "Zaak",
            data_dir=data,
            database_url=db_url,
        )
        assert broken.returncode != 0
        line = broken.stderr.strip().splitlines()[-1]
        assert "Zaak" in line and "skiptoken 101" in line and "XML" in line
        conn = connect(db_url)
        assert conn.execute("SELECT skiptoken FROM sync_cursor").fetchone()[0] == 101
        assert conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0] == 2
        conn.close()
        httpx.delete(faults)
        healed = kamerwatch(
            "sync",
            "--feed-url",
            server.url,
            "--category",
            "Zaak",
            data_dir=data,
            database_url=db_url,
        )
    assert healed.returncode == 0, healed.stderr
    undisturbed = tmp_path / "undisturbed"
    with FeedServer(crafted_feed, page_size=2) as server:
        kamerwatch("sync", "--feed-url", server.url, "--category", "Zaak", data_dir=undisturbed)
    # the same state as an undisturbed run (on SQLite: the engines agree, row for row)
    clean = dump_state(undisturbed / "kamerwatch.sqlite3", search=False)
    assert dump_state(db_url, search=False) == clean


def test_unreachable_feed_fails_fast(tmp_path: Path) -> None:
    result = kamerwatch(
        "sync",
        "--feed-url",
        "http://127.0.0.1:9/SyncFeed/2.0",
        "--category",
        "Zaal",
        data_dir=tmp_path / "data",
        env={"KAMERWATCH_MAX_RETRIES": "1"},
    )
    assert result.returncode != 0
    assert "Zaal" in result.stderr and "verbinding geweigerd" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_category_is_refused(tmp_path: Path) -> None:
    result = kamerwatch("sync", "--category", "Nonsens", data_dir=tmp_path / "data")
    assert result.returncode != 0
    assert "onbekende categorie" in result.stderr


def test_reparse_rebuilds_identical_state(
    sample_feed_dir: Path, tmp_path: Path, db_url: str
) -> None:
    with FeedServer(sample_feed_dir) as server:
        assert (
            kamerwatch(
                "sync", "--feed-url", server.url, data_dir=tmp_path / "data", database_url=db_url
            ).returncode
            == 0
        )
    before = dump_state(db_url)
    conn = connect(db_url)
    conn.execute("DELETE FROM stemming")
    conn.execute("UPDATE activiteit SET onderwerp = 'kapot'")
    conn.commit()
    conn.close()
    result = kamerwatch("sync", "--reparse", data_dir=tmp_path / "data", database_url=db_url)
    assert result.returncode == 0, result.stderr
    assert_same_after_reparse(before, dump_state(db_url), list(CATEGORIES))
