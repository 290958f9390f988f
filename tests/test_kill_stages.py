"""SIGKILL in the middle of ``convert`` and of ``index`` (real processes, real signal, the
whole process group so the converter workers die too): a rerun reaches the same state as
an undisturbed run — nothing lost, nothing twice. (The sync, download and alert-delivery
kills are in tests/sync, tests/documents and tests/alerts.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import FAST_ENV, kamerwatch

DB = "kamerwatch.sqlite3"


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample parliament synced with its files downloaded, not yet converted."""
    root = tmp_path_factory.mktemp("kill-stages")
    generate(root / "feed", seed=3, today=date(2026, 11, 28), weeks=3)
    with FeedServer(root / "feed") as server:
        for command in ("sync", "fetch-documents"):
            result = kamerwatch(command, "--feed-url", server.url, data_dir=root / "data")
            assert result.returncode == 0, result.stderr
    return root / "data"


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _count(data: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{data / DB}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # table not made yet / busy
        return 0
    finally:
        conn.close()


def _kill_when(
    data: Path, command: str, ready: Callable[[], bool], env: dict[str, str] | None = None
) -> None:
    """Start ``kamerwatch COMMAND`` in its own process group; SIGKILL the group as soon as
    ``ready()`` (work committed, more to come) — or after 60 s."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "--data-dir", str(data), "-q", command],
        env={**os.environ, **FAST_ENV, **(env or {})},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the stage finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _conversions(data: Path) -> set[tuple[object, ...]]:
    conn = sqlite3.connect(data / DB)
    try:
        return {
            (e, v, m, f, hashlib.sha256((t or "").encode()).hexdigest()[:16])
            for e, v, m, f, t in conn.execute(
                "SELECT entity_id, version, method, failure, text FROM conversion"
            )
        }
    finally:
        conn.close()


def test_sigkill_during_convert_then_rerun_equals_undisturbed(
    fetched: Path, tmp_path: Path
) -> None:
    clean = _copy(fetched, tmp_path / "clean")
    assert kamerwatch("convert", data_dir=clean).returncode == 0
    expected = _conversions(clean)
    assert len(expected) > 100

    killed = _copy(fetched, tmp_path / "killed")
    _kill_when(
        killed,
        "convert",
        lambda: 0 < _count(killed, "SELECT count(*) FROM conversion") < len(expected),
    )
    partial = _count(killed, "SELECT count(*) FROM conversion")
    assert 0 < partial < len(expected)
    rerun = kamerwatch("convert", data_dir=killed)
    assert rerun.returncode == 0, rerun.stderr
    assert _conversions(killed) == expected
    assert not list((killed / "files").rglob("*.part"))


def _index_state(data: Path) -> tuple[set[tuple[object, ...]], list[int]]:
    conn = sqlite3.connect(data / DB)
    try:
        docs = set(conn.execute("SELECT kind, ref, version, rowid >> 20 FROM search_doc"))
        counts = [
            conn.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (word,)
            ).fetchone()[0]
            for word in ('stem:"motie"', 'body:"de"', 'stem:"kamer"')
        ]
        return docs, counts
    finally:
        conn.close()


def test_sigkill_during_index_then_rerun_equals_undisturbed(fetched: Path, tmp_path: Path) -> None:
    converted = _copy(fetched, tmp_path / "converted")
    assert kamerwatch("convert", data_dir=converted).returncode == 0
    clean = _copy(converted, tmp_path / "clean")
    assert kamerwatch("index", data_dir=clean).returncode == 0
    expected = _index_state(clean)
    total = len(expected[0])
    assert total > 200 and all(expected[1])

    killed = _copy(converted, tmp_path / "killed")
    _kill_when(
        killed,
        "index",
        lambda: 0 < _count(killed, "SELECT count(*) FROM search_doc") < total,
        env={"KAMERWATCH_INDEX_BATCH": "5"},  # many small transactions: a kill between them
    )
    assert 0 < _count(killed, "SELECT count(*) FROM search_doc") < total
    rerun = kamerwatch("index", data_dir=killed)
    assert rerun.returncode == 0, rerun.stderr
    assert _index_state(killed) == expected


def _runs(data: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(f"file:{data / DB}?mode=ro", uri=True, timeout=5)
    try:
        return list(conn.execute("SELECT stage, status, message FROM sync_run ORDER BY id"))
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("command", "sig", "group", "code", "why"),
    [
        ("convert", signal.SIGTERM, False, 143, "SIGTERM"),  # a service manager stops it
        ("index", signal.SIGTERM, False, 143, "SIGTERM"),
        ("convert", signal.SIGINT, True, 130, "Ctrl-C"),  # Ctrl-C in a terminal: the group
        ("index", signal.SIGINT, True, 130, "Ctrl-C"),
    ],
)
def test_sigterm_and_ctrl_c_mark_the_stage_onderbroken(
    fetched: Path,
    tmp_path: Path,
    command: str,
    sig: signal.Signals,
    group: bool,
    code: int,
    why: str,
) -> None:
    """A real process, a real signal in the middle of the work: the stage's run is closed
    "onderbroken" (it used to stay "bezig" for convert and index), the exit code says how."""
    data = _copy(fetched, tmp_path / "data")
    if command == "index":
        assert kamerwatch("convert", data_dir=data).returncode == 0
    table = "conversion" if command == "convert" else "search_doc"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "--data-dir", str(data), "-q", command],
        env={**os.environ, **FAST_ENV, "KAMERWATCH_INDEX_BATCH": "5"},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and _count(data, f"SELECT count(*) FROM {table}") == 0:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert proc.poll() is None, "the stage finished before the signal"
        assert (command, "bezig", None) in _runs(data)
        if group:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr, stderr
    assert _runs(data)[-1] == (command, "onderbroken", why)
    assert not [r for r in _runs(data) if r[1] == "bezig"]
    # and the next run finishes the work and closes "ok"
    again = kamerwatch(command, data_dir=data)
    assert again.returncode == 0, again.stderr
    assert _runs(data)[-1][:2] == (command, "ok")


def _loads_libraries(pid: int) -> bool:
    """Whether a process has mapped a compiled module of an installed package (the first
    comes with the program's own imports, after the interpreter's start-up)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return any("site-packages/" in line and ".so" in line for line in maps.splitlines())


def test_ctrl_c_while_the_program_starts_ends_quietly(tmp_path: Path) -> None:
    """Ctrl-C while the program still loads its modules (about a second) or, on a fast
    machine, while it already waits for a feed that never answers: exit code 130 and one
    Dutch line, never a Python traceback."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        feed = f"http://127.0.0.1:{port}/SyncFeed/2.0"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "--data-dir",
                str(tmp_path),
                "sync",
                "--feed-url",
                feed,
            ],
            env={**os.environ, **FAST_ENV},
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while not _loads_libraries(proc.pid):  # inside the entry point's import
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.005)
            os.killpg(proc.pid, signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "onderbroken" in stderr, stderr
