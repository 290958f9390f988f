"""The command line as a user runs it (real subprocesses)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import kamerwatch


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = kamerwatch("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("sync", "status", "feedserver", "demo", "serve"):
        assert command in result.stdout


def test_status_of_a_new_database(tmp_path: Path) -> None:
    result = kamerwatch("status", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "Zaak" in result.stdout and "nooit" in result.stdout


def test_demo_runs_the_real_sync_and_reuses_its_data(tmp_path: Path) -> None:
    first = kamerwatch("demo", "--entries", "600", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    db = tmp_path / "demo" / "kamerwatch.sqlite3"
    count = sqlite3.connect(db).execute("SELECT count(*) FROM raw_entry").fetchone()[0]
    assert count == 600
    second = kamerwatch("demo", "--entries", "600", "--no-serve", data_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 entries nieuw" in second.stdout


def test_database_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kamerwatch.sqlite3").write_bytes(b"garbage" * 500)
    result = kamerwatch("status", data_dir=tmp_path / "data")
    assert result.returncode != 0
    assert result.stderr.startswith("kamerwatch: fout:") and "Traceback" not in result.stderr
