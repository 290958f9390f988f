"""SIGKILL of ``kamerwatch update`` in the middle of the officiele-publicaties stage (a real
process, a real signal to its whole process group): the rerun loses nothing, does not
fetch again what was read before the kill, and ends where an undisturbed run ends."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import FAST_ENV, kamerwatch
from tests.ports import free_port

DB = "kamerwatch.sqlite3"


def _env(server: FeedServer, pause: str) -> dict[str, str]:
    return {
        "KAMERWATCH_FEED_URL": server.url,
        "KAMERWATCH_UPDATE_MEDIA": "1",
        "KAMERWATCH_DEBATDIRECT_URL": server.media_url,
        "KAMERWATCH_OFFICIELE_PUBLICATIES_URL": server.media_url,
        "KAMERWATCH_SRU_URL": server.media_url + "/sru",
        "KAMERWATCH_MEDIA_PAUSE": pause,
    }


def _query(data: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{data / DB}?mode=ro", uri=True, timeout=5)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    except sqlite3.OperationalError:  # not made yet / busy
        return []
    finally:
        conn.close()


def _held(data: Path) -> set[tuple[object, ...]]:
    """What the stage keeps of each publication (times and retry counts aside)."""
    return {
        (eid, state, kind, vragen, antwoorden, vraagnummer, listed, digest(xml), digest(text))
        for eid, state, kind, vragen, antwoorden, vraagnummer, listed, xml, text in _query(
            data,
            "SELECT eid, state, kind, vragen, antwoorden, vraagnummer, listed, xml, text "
            "FROM op_publication",
        )
    }


def digest(value: object) -> str | None:
    return hashlib.sha256(str(value).encode()).hexdigest()[:16] if value is not None else None


def test_sigkill_during_officiele_publicaties_then_rerun_refetches_nothing(
    tmp_path: Path,
) -> None:
    generate(tmp_path / "feed", seed=11, today=date.today(), weeks=3)
    data = tmp_path / "data"
    with FeedServer(tmp_path / "feed", port=free_port()) as server:
        synced = kamerwatch("sync", "--feed-url", server.url, data_dir=data)
        assert synced.returncode == 0, synced.stderr
        undisturbed = shutil.copytree(data, tmp_path / "undisturbed")
        whole = kamerwatch("update", data_dir=undisturbed, env=_env(server, "0"))
        assert whole.returncode == 0, whole.stderr
        expected = _held(undisturbed)
        total = sum(1 for h in expected if h[1] == "ok")
        assert total > 40

        proc = subprocess.Popen(
            [sys.executable, "-m", "kamerwatch", "--data-dir", str(data), "-q", "update"],
            env={**os.environ, **FAST_ENV, **_env(server, "0.05")},
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        done: list[tuple[object, ...]] = []
        while proc.poll() is None and time.monotonic() < deadline:
            done = _query(data, "SELECT eid FROM op_publication WHERE state = 'ok'")
            if len(done) >= 15:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the stage finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

        before = {
            str(r[0]) for r in _query(data, "SELECT eid FROM op_publication WHERE state = 'ok'")
        }
        assert 15 <= len(before) < total
        server.clear_requests()
        rerun = kamerwatch("update", data_dir=data, env=_env(server, "0"))
        assert rerun.returncode == 0, rerun.stderr
        asked = {
            r["path"].split("/")[2]
            for r in server.requests()
            if r["path"].startswith("/officielepublicaties/")
        }
        assert asked and not asked & before, sorted(asked & before)
    assert _held(data) == expected
    # the stage's run was left "bezig" by the kill; the rerun's is "ok"
    states = _query(
        data, "SELECT status FROM sync_run WHERE stage = 'officiele-publicaties' ORDER BY id"
    )
    assert states and states[-1] == ("ok",), states
