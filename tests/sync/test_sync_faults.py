"""The client under faults: time-outs, dropped connections, truncated pages, duplicates,
unknown elements; politeness pause and User-Agent. Real server, real sockets."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import FAST_ENV, dump_state, kamerwatch
from tests.sync.feedfiles import ZAAK_A, page, zaak


def _control(server: FeedServer, what: str) -> str:
    return server.url.replace("/SyncFeed/2.0", f"/_{what}")


def _sync(server: FeedServer, data: Path, **env: str) -> tuple[int, str]:
    result = kamerwatch(
        "sync", "--feed-url", server.url, "--category", "Zaak", data_dir=data, env=env
    )
    return result.returncode, result.stderr


def _undisturbed(feed: Path, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    clean = tmp_path / "clean"
    with FeedServer(feed, page_size=2) as server:
        assert _sync(server, clean)[0] == 0
    return dump_state(clean / "kamerwatch.sqlite3")


@pytest.mark.parametrize(
    "rule",
    [
        {"mode": "hang", "seconds": 3, "times": 1},  # longer than the 1 s time-out: retried
        {"mode": "close", "times": 2},  # connection dropped mid-page
        {"mode": "truncate", "times": 1},  # a cut-off body with a valid HTTP frame
        {"mode": "500", "status": 503, "times": 2},
        {"mode": "duplicate", "times": -1},  # every page repeats its first entry
    ],
    ids=lambda rule: rule["mode"],
)
def test_transient_faults_reach_the_undisturbed_state(
    crafted_feed: Path,
    tmp_path: Path,
    rule: dict[str, object],
) -> None:
    data = tmp_path / "data"
    with FeedServer(crafted_feed, page_size=2) as server:
        httpx.post(_control(server, "faults"), json=[rule]).raise_for_status()
        code, stderr = _sync(server, data, KAMERWATCH_REQUEST_TIMEOUT="1")
    assert code == 0, stderr
    assert dump_state(data / "kamerwatch.sqlite3") == _undisturbed(crafted_feed, tmp_path)


def test_truncated_page_that_stays_truncated_fails_cleanly(
    crafted_feed: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with FeedServer(crafted_feed, page_size=2) as server:
        httpx.post(_control(server, "faults"), json=[{"mode": "truncate", "times": -1}])
        code, stderr = _sync(server, data)
    assert code != 0
    assert "Zaak" in stderr and "begin van de feed" in stderr and "Traceback" not in stderr
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    assert conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0] == 0


def test_politeness_pause_and_user_agent(crafted_feed: Path, tmp_path: Path) -> None:
    with FeedServer(crafted_feed, page_size=2) as server:
        code, stderr = _sync(server, tmp_path / "data", KAMERWATCH_POLITENESS_PAUSE="0.2")
        requests = httpx.get(_control(server, "requests")).json()
    assert code == 0, stderr
    feed = [r for r in requests if "/Feed" in r["path"]]
    assert len(feed) == 5  # 4 pages of 2 (7 entries) and the empty page that ends it
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise(feed)]
    assert min(gaps) >= 0.19
    assert all(r["agent"].startswith("kamerwatch/") for r in feed)


def test_unknown_element_kept_and_reported_once(tmp_path: Path) -> None:
    root = tmp_path / "feed"
    (root / "feed").mkdir(parents=True)
    odd = zaak(ZAAK_A, 100, "Met nieuw veld").replace(
        "<soort>Motie</soort>", "<soort>Motie</soort><nieuwVeld>x</nieuwVeld>"
    )
    odd2 = zaak(ZAAK_A, 101, "Nog eens").replace(
        "<soort>Motie</soort>", "<soort>Motie</soort><nieuwVeld>y</nieuwVeld>"
    )
    (root / "feed" / "p.xml").write_text(page([odd, odd2]), encoding="utf-8")
    data = tmp_path / "data"
    with FeedServer(root, page_size=1) as server:
        # the report is a warning, which -q (the tests' default) hides: run without it
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "--data-dir",
                str(data),
                "sync",
                "--feed-url",
                server.url,
                "--category",
                "Zaak",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **FAST_ENV},
            timeout=300,
            check=False,
        )
        code, stderr = done.returncode, done.stderr
    assert code == 0, stderr
    assert stderr.count("nieuwVeld") == 1  # reported once, not per entry
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    assert conn.execute("SELECT extra FROM zaak").fetchone()[0] == '{"nieuwVeld": "y"}'
    status = kamerwatch("status", data_dir=data)
    assert "nieuwVeld" in status.stdout
