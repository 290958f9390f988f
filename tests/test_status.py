"""`kamerwatch status` and `/status` tell the truth about runs: a killed run is "afgebroken"
(not "bezig" forever), a failed or stale stage makes `status` exit 1 (`--json` for
monitoring), and the public page shows no internal URL or raw exception text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.web.app import create_app
from tests.conftest import FAST_ENV, connect, kamerwatch
from tests.mailserver import HangingSmtp, free_port


def _status(data: Path, db_url: str, *args: str) -> tuple[int, dict[str, Any]]:
    done = kamerwatch("status", "--json", *args, data_dir=data, database_url=db_url)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def _stage(doc: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [s for s in doc["stappen"] if s["stap"] == name]
    return found


def _runs(db_url: str) -> list[tuple[str, str]]:
    if db_url.startswith("sqlite:") and not Path(db_url.removeprefix("sqlite:///")).exists():
        return []  # not made yet (connecting would make it)
    conn = connect(db_url)
    try:
        return [tuple(r) for r in conn.execute("SELECT stage, status FROM sync_run ORDER BY id")]
    except Exception:  # not made yet
        return []
    finally:
        conn.close()


def test_a_killed_run_is_afgebroken_not_bezig(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, **FAST_ENV, "KAMERWATCH_REQUEST_TIMEOUT": "120"}
    if not db_url.startswith("sqlite:"):
        env["KAMERWATCH_DATABASE_URL"] = db_url
    with HangingSmtp() as feed:  # a feed that accepts and never answers
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "kamerwatch", "--data-dir", str(data), "-q", "sync"),
                *("--feed-url", f"http://127.0.0.1:{feed.port}/SyncFeed/2.0"),
            ],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while ("sync", "bezig") not in _runs(db_url) or not feed.held:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
            code, doc = _status(data, db_url)
            assert _stage(doc, "sync")["status"] == "bezig"  # really running: its lock is held
            assert code == 0 and doc["ok"], doc["problemen"]
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    deadline = time.monotonic() + 30  # PostgreSQL ends the dead session's lock at once
    while (code := _status(data, db_url))[1]["stappen"][0]["status"] == "bezig":
        assert time.monotonic() < deadline, "still bezig after the kill"
        time.sleep(0.2)
    code, doc = _status(data, db_url)
    sync = _stage(doc, "sync")
    assert code == 1 and not doc["ok"]
    assert sync["status"] == "afgebroken" and "bestaat niet meer" in sync["melding"]
    text = kamerwatch("status", data_dir=data, database_url=db_url)
    assert text.returncode == 1
    assert "kamerwatch: sync: laatste run afgebroken" in text.stderr
    with TestClient(create_app(db_url, data_dir=data)) as client:
        page = client.get("/status")
        assert "het proces bestaat niet meer" in page.text
        runs = client.get("/status.json").json()["runs"]
        assert runs[0]["status"] == "afgebroken"
    # the next run of the stage takes the lock and writes down what happened
    closed = f"http://127.0.0.1:{free_port()}/SyncFeed/2.0"
    again = kamerwatch("sync", "--feed-url", closed, data_dir=data, database_url=db_url)
    assert again.returncode == 1
    assert _runs(db_url) == [("sync", "afgebroken"), ("sync", "fout")]


def test_failures_and_staleness_exit_non_zero_and_stay_off_the_public_page(
    db_url: str, tmp_path: Path, sample_feed_dir: Path
) -> None:
    data = tmp_path / "data"
    code, doc = _status(data, db_url)
    assert code == 0 and doc["ok"] and doc["stappen"] == []  # nothing ran yet: nothing wrong
    assert {c["categorie"] for c in doc["categorieen"]} >= {"Zaak", "Document"}
    with FeedServer(sample_feed_dir) as server:
        ok = kamerwatch("sync", "--feed-url", server.url, data_dir=data, database_url=db_url)
        assert ok.returncode == 0, ok.stderr
    code, doc = _status(data, db_url)
    assert code == 0 and _stage(doc, "sync")["status"] == "ok", doc
    time.sleep(0.2)
    code, doc = _status(data, db_url, "--max-age", "0.00001")  # 36 ms
    assert code == 1 and _stage(doc, "sync")["verouderd"]
    assert "laatste geslaagde run" in doc["problemen"][0]
    # a failed run: its reason names the feed's internal address
    port = free_port()
    closed = f"http://127.0.0.1:{port}/SyncFeed/2.0"
    failed = kamerwatch("sync", "--feed-url", closed, data_dir=data, database_url=db_url)
    assert failed.returncode == 1
    code, doc = _status(data, db_url)
    assert code == 1 and _stage(doc, "sync")["status"] == "fout"
    assert str(port) in _stage(doc, "sync")["melding"]  # the operator sees the reason
    with TestClient(create_app(db_url, data_dir=data)) as client:
        for path in ("/status", "/status.json"):
            body = client.get(path).text
            assert f":{port}" not in body and "SyncFeed" not in body, body
            assert "fout" in body and "de beheerder ziet de reden in het log" in body
