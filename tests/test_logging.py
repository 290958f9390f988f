"""One logging set-up: timestamps and levels (text or `--log-format json`), summaries on
stdout and problems on stderr, one line per failed item, `-q` errors only; `serve` logs
each request (method, path, status, ms, cache) and each 500 once."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import FAST_ENV, kamerwatch
from tests.ports import free_port
from tests.web.test_serve import _first_answer

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (WARNING|ERROR|INFO) ")


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample parliament synced, its files not downloaded."""
    root = tmp_path_factory.mktemp("logging")
    generate(root / "feed", seed=3, today=date(2026, 11, 28), weeks=1)
    with FeedServer(root / "feed") as server:
        done = kamerwatch("sync", "--feed-url", server.url, data_dir=root / "data")
        assert done.returncode == 0, done.stderr
    return root / "data"


def _fetch_from_nowhere(
    data: Path, tmp_path: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """fetch-documents against a feed host that refuses: every file fails."""
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "--data-dir",
            str(copy),
            *options,
            "fetch-documents",
            "--feed-url",
            f"http://127.0.0.1:{free_port()}/SyncFeed/2.0",
        ],
        env={**os.environ, **FAST_ENV, "KAMERWATCH_MAX_RETRIES": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_failed_items_once_each_with_time_and_level(synced: Path, tmp_path: Path) -> None:
    done = _fetch_from_nowhere(synced, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "bestanden nodig" in done.stdout and "bestanden nodig" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(STAMP.match(line) for line in lines), lines[:3]
    ids = [re.search(r"(Document|Verslag|Persoon) ([0-9a-f-]{36})", line) for line in lines]
    assert all(ids), lines[:3]
    keys = [m.group(2) for m in ids if m]
    assert len(keys) == len(set(keys)), "an item was reported twice"
    failed = int(re.search(r"(\d+) mislukt", done.stdout).group(1))  # type: ignore[union-attr]
    assert len(keys) == failed


def test_quiet_prints_only_errors_and_json_is_one_object_per_line(
    synced: Path, tmp_path: Path
) -> None:
    quiet = _fetch_from_nowhere(synced, tmp_path / "q", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""  # was: one warning per file
    assert "bestanden nodig" in quiet.stdout
    as_json = _fetch_from_nowhere(synced, tmp_path / "j", "--log-format", "json")
    records = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert records and {r["level"] for r in records} == {"WARNING"}
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)


def test_serve_access_log_and_each_500_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert kamerwatch("status", data_dir=data).returncode == 0  # a migrated, empty database
    conn = sqlite3.connect(data / "kamerwatch.sqlite3", isolation_level=None)
    conn.execute("ALTER TABLE zaak RENAME TO zaak_weg")  # every zaak page fails inside: a 500
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "--data-dir",
            str(data),
            "--log-format",
            "json",
            "serve",
            "--port",
            str(port),
        ],
        env={**os.environ, **FAST_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _first_answer(proc, f"{base}/healthz", 60)  # type: ignore[arg-type]
        for _ in range(2):
            assert httpx.get(f"{base}/uitleg", timeout=10).status_code == 200
        broken = httpx.get(f"{base}/zaak/2023Z00001?geheim=1", timeout=10)
        assert broken.status_code == 500 and "Interne fout" in broken.text
        assert "Traceback" not in broken.text and "zaak" not in broken.headers.get("x-error", "")
        twin = httpx.get(f"{base}/zaak/2023Z00001.json", timeout=10)
        assert twin.status_code == 500 and twin.json()["ok"] is False
        conn.execute("ALTER TABLE zaak_weg RENAME TO zaak")  # /metrics counts its rows
        conn.close()
        exposed = httpx.get(f"{base}/metrics", timeout=10).text
        assert 'kamerwatch_http_errors_total{kind="zaak"} 2.0' in exposed
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [r for r in records if r["logger"] == "kamerwatch.access"]
    assert [(r["method"], r["path"], r["status"]) for r in access if r["path"] != "/healthz"] == [
        ("GET", "/uitleg", 200),
        ("GET", "/uitleg", 200),
        ("GET", "/zaak/2023Z00001", 500),  # never the query string
        ("GET", "/zaak/2023Z00001.json", 500),
        ("GET", "/metrics", 200),
    ]
    assert all(
        isinstance(r["ms"], float) and r["cache"] in ("hit", "miss", "bypass", "-") for r in access
    )
    assert [r["cache"] for r in access if r["path"] == "/uitleg"] == ["miss", "hit"]
    errors = [r for r in records if r["level"] == "ERROR"]
    assert len(errors) == 2, errors  # each 500 once (it used to be logged twice)
    assert all("no such table" in r["exception"] for r in errors)
    assert "Traceback" not in "".join(line for line in err.splitlines() if not line.startswith("{"))


def test_the_same_line_once_per_run_and_again_in_the_next_cycle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import logging

    from kamerwatch import logs

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logs.setup(logging.WARNING)
        feed = logging.getLogger("kamerwatch.test")
        for _ in range(3):
            feed.warning("feed onbereikbaar: %s", "verbinding geweigerd")
        feed.warning("iets anders")
        logs.new_run()  # the next cycle of update --loop
        feed.warning("feed onbereikbaar: %s", "verbinding geweigerd")
        lines = capsys.readouterr().err.splitlines()
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        os.environ.pop(logs.ENV_FORMAT, None)  # setup() passes itself on to child processes
        os.environ.pop(logs.ENV_LEVEL, None)
    assert [line.split(": ", 1)[1] for line in lines] == [
        "feed onbereikbaar: verbinding geweigerd",
        "iets anders",
        "feed onbereikbaar: verbinding geweigerd",
    ]
