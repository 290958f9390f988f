"""Shared fixtures: real feed servers on loopback, real subprocesses, real databases."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.store.rawlog import decompress_entry

DATA = Path(__file__).parent / "data"

# Fast but real: short backoff and no politeness pause for loopback tests.
FAST_ENV = {
    "KAMERWATCH_POLITENESS_PAUSE": "0",
    "KAMERWATCH_RETRY_BACKOFF": "0.01",
    "KAMERWATCH_REQUEST_TIMEOUT": "3",
    "KAMERWATCH_MAX_RETRIES": "3",
}


@pytest.fixture
def sample_feed_dir(tmp_path: Path) -> Path:
    """The real sample pages as a feed directory."""
    target = tmp_path / "feed-samples"
    (target / "feed").mkdir(parents=True)
    for page in sorted((DATA / "syncfeed").glob("*.xml")):
        shutil.copy(page, target / "feed" / page.name)
    (target / "resources").mkdir()
    for res in (DATA / "resources").iterdir():
        shutil.copy(res, target / "resources" / res.name)
    return target


def kamerwatch(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    full_env = {**os.environ, **FAST_ENV, **(env or {})}
    full_env.pop("KAMERWATCH_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "kamerwatch", "--data-dir", str(data_dir), "-q", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


VOLATILE = {"sync_cursor": ("updated_at",), "sync_run": None, "unknown_element": ("first_seen",)}


_LOOPBACK = re.compile(rb"http://127\.0\.0\.1:\d+")


def _normalise(value: object) -> object:
    """Raw-log XML decompressed, with the feed server's random port taken out."""
    if isinstance(value, bytes):
        try:
            value = decompress_entry(value)
        except ValueError:
            return value
        return _LOOPBACK.sub(b"http://127.0.0.1:PORT", value)
    return value


def dump_state(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, minus wall-clock columns: equal dumps = equal state."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        state: dict[str, list[tuple[object, ...]]] = {}
        # indexes too: a first sync loads without them and must always rebuild them
        state["(indexes)"] = sorted(
            conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type='index'")
        )
        for table in tables:
            if table in ("schema_migration", "sync_run"):
                continue
            cur = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            drop = VOLATILE.get(table) or ()
            keep = [i for i, n in enumerate(names) if n not in drop]
            rows = [tuple(_normalise(row[i]) for i in keep) for row in cur]
            state[table] = sorted(rows, key=repr)
        return state
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data" / "kamerwatch.sqlite3"


SAMPLE_TODAY_ISO = "2026-11-28"


@pytest.fixture(scope="session")
def synced_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample parliament (8 weeks, today = 2026-11-28) synced by the real command
    into a fresh data dir; returns the database path. Read-only for the tests."""
    from datetime import date

    from kamerwatch.sample.feedserver import FeedServer
    from kamerwatch.sample.parliament import generate

    root = tmp_path_factory.mktemp("synced-sample")
    generate(root / "feed", seed=11, today=date.fromisoformat(SAMPLE_TODAY_ISO), weeks=8)
    with FeedServer(root / "feed") as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=root / "data")
    assert result.returncode == 0, result.stderr
    return root / "data" / "kamerwatch.sqlite3"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Where tests left artifacts (the browser test's screenshots), also under xdist."""
    places = sorted(
        {
            f"{report.nodeid}: {value}"
            for reports in terminalreporter.stats.values()
            for report in reports
            for name, value in getattr(report, "user_properties", ())
            if name == "artifacts" and getattr(report, "when", "call") == "call"
        }
    )
    if places:
        terminalreporter.write_sep("-", "artifacts")
        for line in places:
            terminalreporter.write_line(line)
