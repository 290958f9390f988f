"""`kamerwatch woo` and the woo stage of `update` as real subprocesses; kill -9 mid-harvest
and a rerun reach the state of an uninterrupted harvest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import FAST_ENV, connect, kamerwatch

# wall-clock columns left out of the comparison
STATE_SQL = {
    "woo_publication": "SELECT id, listing_id, listed_mutatie, listed_datum, listing_json, state,"
    " titel, omschrijvingen, openbaarmakingsdatum, mutatiedatumtijd, versie, verantwoordelijke,"
    " documentsoorten, informatiecategorieen, parent_id, tk_copy, detail_json FROM woo_publication",
    "woo_version": "SELECT id, seq, mutatiedatumtijd, versie, detail_json FROM woo_version",
    "woo_relation": "SELECT id, target, role, titel FROM woo_relation",
    "woo_file": "SELECT id, n, entity_id, url, grootte, hash, state, have_hash FROM woo_file",
    "resource_file": "SELECT entity_id, version, category, path, size, content_type"
    " FROM resource_file WHERE category = 'Woo'",
    "woo_problem": "SELECT key, reason FROM woo_problem",
    "meta": "SELECT key, value FROM meta WHERE key = 'woo_day'",
}


def woo_state(data_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = connect(data_dir / "kamerwatch.sqlite3")
    try:
        return {t: sorted(conn.execute(sql).fetchall(), key=repr) for t, sql in STATE_SQL.items()}
    finally:
        conn.close()


def env_for(server: FeedServer) -> dict[str, str]:
    return {
        "KAMERWATCH_WOO_URL": server.woo_url,
        "KAMERWATCH_WOO_START": "2026-11-21",
    }


def test_woo_command_and_kill_minus_nine(woo_server: FeedServer, tmp_path: Path) -> None:
    env = env_for(woo_server)
    reference = tmp_path / "reference"
    done = kamerwatch("woo", "--no-convert", data_dir=reference, env=env)
    assert done.returncode == 0, done.stderr
    expected = woo_state(reference)
    assert len(expected["woo_publication"]) == len(woo_server.woo.visible())
    assert expected["resource_file"]

    # the same harvest, slowed down, killed in the middle of the files
    woo_server.add_faults(
        [{"mode": "delay", "path": "woo", "category": "bestand", "times": -1, "seconds": 0.2}]
    )
    woo_server.clear_requests()
    victim = tmp_path / "killed"
    full_env = {**os.environ, **FAST_ENV, **env}
    full_env.pop("KAMERWATCH_DATABASE_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "--data-dir",
            str(victim),
            "-q",
            "woo",
            "--no-convert",
        ],
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            files = [r for r in woo_server.requests() if "/documenten/" in r["path"]]
            if len(files) >= 3:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "de harvest was al klaar"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    partial = woo_state(victim)
    assert len(partial["resource_file"]) < len(expected["resource_file"])
    woo_server.clear_faults()
    rerun = kamerwatch("woo", "--no-convert", data_dir=victim, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert woo_state(victim) == expected
    assert not list((victim / "files").rglob("*.part"))


def test_update_has_a_switchable_woo_stage(woo_server: FeedServer, tmp_path: Path) -> None:
    env = {**env_for(woo_server), "KAMERWATCH_UPDATE_WOO": "1"}
    feed = woo_server.url
    off = kamerwatch("update", "--no-woo", "--feed-url", feed, data_dir=tmp_path / "off", env=env)
    assert off.returncode == 0, off.stderr
    assert woo_state(tmp_path / "off")["woo_publication"] == []
    on = kamerwatch("update", "--feed-url", feed, data_dir=tmp_path / "on", env=env)
    assert on.returncode == 0, on.stderr
    state = woo_state(tmp_path / "on")
    assert len(state["woo_publication"]) == len(woo_server.woo.visible())
    conn = connect(tmp_path / "on" / "kamerwatch.sqlite3")
    try:  # converted and indexed by the stages after it
        converted = conn.execute(
            "SELECT count(*) FROM conversion WHERE category = 'Woo' AND text LIKE '%'"
        ).fetchone()[0]
        assert converted == len(state["resource_file"])
    finally:
        conn.close()
