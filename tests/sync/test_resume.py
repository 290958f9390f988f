"""kill -9 during a sync (a real signal to a real process): the rerun reaches the same state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from kamerwatch.sample import benchfeed
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sync.parsers import CATEGORIES
from tests.conftest import FAST_ENV, assert_same_after_reparse, connect, dump_state, kamerwatch
from tests.pgserver import PgServer


@pytest.fixture(scope="module")
def generated_feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("genfeed")
    benchfeed.generate(root, entries=6000, seed=7)
    return root


def _entries_committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            row = conn.execute("SELECT coalesce(sum(entries), 0) FROM sync_cursor").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0
    return int(row[0])


def _start_sync(
    url: str, data: Path, database_url: str | None = None, output: int = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    """`kamerwatch sync` in a subprocess (on ``database_url`` when given); ``output``:
    where its stdout and stderr go (text)."""
    env = {**os.environ, **FAST_ENV}
    if database_url:
        env["KAMERWATCH_DATABASE_URL"] = database_url
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "--data-dir",
            str(data),
            "-q",
            "sync",
            "--feed-url",
            url,
        ],
        env=env,
        stdout=output,
        stderr=output,
        text=True,
    )


def test_kill_9_mid_sync_then_rerun_reaches_identical_state(
    generated_feed: Path, tmp_path: Path
) -> None:
    data = tmp_path / "killed"
    db = data / "kamerwatch.sqlite3"
    with FeedServer(generated_feed, page_size=50) as server:
        faults = server.url.replace("/SyncFeed/2.0", "/_faults")
        # slow every page down a little so the kills land in the middle of the work
        httpx.post(faults, json=[{"mode": "delay", "seconds": 0.02, "times": -1}])
        kills = 0
        for threshold in (300, 1500, 3000):
            proc = _start_sync(server.url, data)
            deadline = time.monotonic() + 60
            while _entries_committed(db) < threshold and proc.poll() is None:
                assert time.monotonic() < deadline, "sync made no progress"
                time.sleep(0.02)
            if proc.poll() is None:
                children = psutil.Process(proc.pid).children(recursive=True)
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                kills += 1
                # orphaned workers notice their writer is gone and leave by themselves
                _gone, alive = psutil.wait_procs(children, timeout=15)
                assert not alive, f"workers left behind: {alive}"
        assert kills >= 1
        httpx.delete(faults)
        _rerun_equals_undisturbed(server.url, data, tmp_path)


def _rerun_equals_undisturbed(url: str, data: Path, tmp_path: Path) -> None:
    """One more sync of ``data`` and one from scratch: both succeed and end identical."""
    rerun = kamerwatch("sync", "--feed-url", url, data_dir=data)
    assert rerun.returncode == 0, rerun.stderr
    clean = tmp_path / "clean"
    undisturbed = kamerwatch("sync", "--feed-url", url, data_dir=clean)
    assert undisturbed.returncode == 0, undisturbed.stderr
    assert dump_state(data / "kamerwatch.sqlite3") == dump_state(clean / "kamerwatch.sqlite3")


def test_a_worker_killed_mid_sync_is_a_clear_error_and_the_rerun_completes(
    generated_feed: Path, tmp_path: Path
) -> None:
    """kill -9 of one fetch-and-parse process (not of the writer): the run stops soon with
    one clear line instead of waiting for it, and the next run completes as if undisturbed."""
    data = tmp_path / "worker-killed"
    db = data / "kamerwatch.sqlite3"
    with FeedServer(generated_feed, page_size=50) as server:
        faults = server.url.replace("/SyncFeed/2.0", "/_faults")
        httpx.post(faults, json=[{"mode": "delay", "seconds": 0.02, "times": -1}])
        proc = _start_sync(server.url, data, output=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _entries_committed(db) < 500 and proc.poll() is None:
            assert time.monotonic() < deadline, "sync made no progress"
            time.sleep(0.02)
        assert proc.poll() is None, "the sync ended before the kill"
        workers = [
            child
            for child in psutil.Process(proc.pid).children()
            if "resource_tracker" not in " ".join(child.cmdline())
        ]
        assert workers, "no worker processes"
        os.kill(workers[0].pid, signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)  # no hang
        assert proc.returncode != 0
        assert "Traceback" not in err, err
        assert "onverwacht gestopt" in err, err
        _gone, alive = psutil.wait_procs(workers[1:], timeout=15)
        assert not alive, f"workers left behind: {alive}"
        httpx.delete(faults)
        _rerun_equals_undisturbed(server.url, data, tmp_path)


def test_synced_state_matches_generator_expectation(generated_feed: Path, tmp_path: Path) -> None:
    import json

    expected = json.loads((generated_feed / "expected.json").read_text())
    live = expected.get("live", expected)
    data = tmp_path / "data"
    with FeedServer(generated_feed) as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=data)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    for category, count in live.items():
        table = category.lower()
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, category
    conn.close()
    # the re-parse replays only the newest version of each id: same state
    before = dump_state(data / "kamerwatch.sqlite3")
    reparse = kamerwatch("sync", "--reparse", data_dir=data)
    assert reparse.returncode == 0, reparse.stderr
    assert "6.000 entries in het logboek" in reparse.stdout  # Dutch numbers (#25.11)
    after = dump_state(data / "kamerwatch.sqlite3")
    assert_same_after_reparse(before, after, list(CATEGORIES))


def _pg_entries(url: str) -> int:
    try:
        conn = connect(url)
    except Exception:  # the server is restarting
        return 0
    try:
        return int(conn.execute("SELECT coalesce(sum(entries), 0) FROM sync_cursor").fetchone()[0])
    except Exception:  # before the first migration: no tables yet
        return 0
    finally:
        conn.close()


def test_postgresql_restart_mid_sync_is_a_clear_error_and_the_rerun_completes(
    generated_feed: Path, tmp_path: Path, pg_server: PgServer
) -> None:
    """The database server goes down (killed, as in a crash) in the middle of a sync: the run
    stops with one clear line, and the next run reaches the state of an undisturbed run."""
    url = pg_server.new_database("restart")
    data = tmp_path / "pg-data"
    try:
        with FeedServer(generated_feed, page_size=50) as server:
            faults = server.url.replace("/SyncFeed/2.0", "/_faults")
            httpx.post(faults, json=[{"mode": "delay", "seconds": 0.02, "times": -1}])
            proc = _start_sync(server.url, data, url, subprocess.PIPE)
            deadline = time.monotonic() + 60
            while _pg_entries(url) < 1000 and proc.poll() is None:
                assert time.monotonic() < deadline, "sync made no progress"
                time.sleep(0.05)
            assert proc.poll() is None, "the sync ended before the restart"
            pg_server.restart()
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode != 0
            assert "Traceback" not in err, err
            assert "verbroken" in err or "onbereikbaar" in err, err
            httpx.delete(faults)
            rerun = kamerwatch("sync", "--feed-url", server.url, data_dir=data, database_url=url)
            assert rerun.returncode == 0, rerun.stderr
            clean = tmp_path / "clean"
            undisturbed = kamerwatch("sync", "--feed-url", server.url, data_dir=clean)
            assert undisturbed.returncode == 0, undisturbed.stderr
        assert dump_state(url, search=False) == dump_state(
            clean / "kamerwatch.sqlite3", search=False
        )
    finally:
        pg_server.drop_database(url)
