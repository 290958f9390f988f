"""The command line as a user runs it (real subprocesses)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import kamerwatch


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = kamerwatch("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("sync", "status", "feedserver", "demo", "sample", "serve", "update"):
        assert command in result.stdout


def test_status_of_a_new_database(tmp_path: Path) -> None:
    result = kamerwatch("status", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "Zaak" in result.stdout and "nooit" in result.stdout


def test_demo_runs_the_real_pipeline_and_reuses_its_data(tmp_path: Path) -> None:
    first = kamerwatch("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    expected = json.loads((tmp_path / "demo" / "sample" / "expected.json").read_text())
    db = tmp_path / "demo" / "kamerwatch.sqlite3"
    count = sqlite3.connect(db).execute("SELECT count(*) FROM raw_entry").fetchone()[0]
    assert count == expected["entries"]
    _demo_shows_video_and_question_counts(db, tmp_path)
    second = kamerwatch("demo", "--no-serve", data_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 entries nieuw" in second.stdout


def _demo_shows_video_and_question_counts(db: Path, tmp_path: Path) -> None:
    """Issue #24's "done when": the demo's plenary activities link their debate's video and
    its open questions say how many questions they hold."""
    import re

    from starlette.testclient import TestClient

    from kamerwatch.web.app import create_app

    conn = sqlite3.connect(db)
    plenary = conn.execute(
        "SELECT a.nummer, m.video_url FROM dd_match m JOIN activiteit a ON a.id = m.activiteit_id "
        "JOIN dd_broadcast b ON b.id = m.broadcast_id WHERE b.location_name = 'Plenaire zaal' "
        "ORDER BY a.nummer LIMIT 3"
    ).fetchall()
    conn.close()
    assert len(plenary) == 3
    with TestClient(create_app(f"sqlite:///{db}", data_dir=tmp_path / "web")) as client:
        for nummer, video in plenary:
            page = client.get(f"/activiteit/{nummer}")
            assert page.status_code == 200
            assert f'<a href="{video}">Bekijk het debat</a>' in page.text
        open_questions = client.get("/open-vragen")
        assert open_questions.status_code == 200
        assert re.search(r"<small>\(\d+ vragen\)</small>", open_questions.text)


def test_database_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kamerwatch.sqlite3").write_bytes(b"garbage" * 500)
    result = kamerwatch("status", data_dir=tmp_path / "data")
    assert result.returncode != 0
    assert result.stderr.startswith("kamerwatch: fout:") and "Traceback" not in result.stderr


def test_sample_writes_a_feed_directory(tmp_path: Path) -> None:
    out = tmp_path / "parlement"
    result = kamerwatch(
        "sample", str(out), "--seed", "2", "--today", "2026-11-28", data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    expected = json.loads((out / "expected.json").read_text())
    assert expected["today"] == "2026-11-28" and expected["sitting_members"] == 150
    assert len(list((out / "feed").glob("page-*.xml"))) == expected["pages"]
    assert len(list((out / "resources").iterdir())) == expected["resources"]


def test_sample_refuses_bad_arguments_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bestand").write_text("x")
    result = kamerwatch("sample", str(tmp_path / "bestand"), data_dir=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    result = kamerwatch("sample", str(tmp_path / "x"), "--scale", "0", data_dir=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_update_runs_a_cycle_and_reports_an_unreachable_feed(
    sample_feed_dir: Path, tmp_path: Path
) -> None:
    from kamerwatch.sample.feedserver import FeedServer

    with FeedServer(sample_feed_dir) as server:
        result = kamerwatch("update", "--feed-url", server.url, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "kamerwatch.sqlite3")
    assert db.execute("SELECT count(*) FROM activiteit").fetchone()[0] > 0
    dead = kamerwatch("update", "--feed-url", "http://127.0.0.1:9/SyncFeed/2.0", data_dir=tmp_path)
    assert dead.returncode != 0 and "Traceback" not in dead.stderr
    assert dead.stderr.strip().splitlines()[-1].startswith("kamerwatch: fout: sync:")


def test_the_stage_commands_on_either_engine(
    sample_feed_dir: Path, tmp_path: Path, db_url: str
) -> None:
    """Every stage and the status and monitor commands, through the real command line,
    on the database of the URL (the same commands on SQLite and PostgreSQL)."""
    data = tmp_path / "data"
    with FeedServer(sample_feed_dir) as server:
        for args in (
            ("sync", "--feed-url", server.url),
            ("fetch-documents", "--feed-url", server.url),
            ("convert",),
            ("monitor", "add", "lezer@example.org", "zaak", "2023Z00200"),
            ("monitor", "list"),
            ("alerts", "run", "--dry-run"),
            ("status",),
        ):
            result = kamerwatch(*args, data_dir=data, database_url=db_url)
            assert result.returncode == 0, (args, result.stderr)
            assert "Traceback" not in result.stderr
    listed = kamerwatch("monitor", "list", data_dir=data, database_url=db_url)
    assert "lezer@example.org" in listed.stdout


def test_ports_out_of_range_are_refused(tmp_path: Path) -> None:
    """`serve --port 99999` used to announce 99999 and listen on another port."""
    for args in (
        ("serve", "--port", "99999"),
        ("serve", "--port", "0"),
        ("feedserver", ".", "--port", "70000"),
    ):
        done = kamerwatch(*args, data_dir=tmp_path / "data", timeout=30)
        assert done.returncode == 2, done.stdout
        assert "bestaat niet (kies 1 t/m 65535)" in done.stderr
        assert "kamerwatch op http" not in done.stdout


def test_a_typo_in_kamerwatch_toml_stops_every_command(tmp_path: Path) -> None:
    (tmp_path / "kamerwatch.toml").write_text('smtp_ulr = "smtp://relay"\n')
    done = subprocess.run(
        [sys.executable, "-m", "kamerwatch", "status"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "onbekende instelling 'smtp_ulr'; bedoelt u 'smtp_url'?" in done.stderr
    assert "Traceback" not in done.stderr
