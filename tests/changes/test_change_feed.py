"""The change feed ``/api/wijzigingen`` (issue #27): every change exactly once, in commit
order, across a SIGKILL of ``update`` (real subprocess, real signal) and across two web
servers (two ``kamerwatch serve`` processes) of the same database, on both engines;
out-of-order commits on PostgreSQL; a re-parse as one change per category."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.store import changes
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.parsers import spec_for
from kamerwatch.web.app import create_app
from tests.conftest import BACKENDS, FAST_ENV, connect, kamerwatch
from tests.ports import free_port


@pytest.fixture(scope="module")
def feed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("change-feed")
    generate(root, seed=5, today=date(2026, 11, 28), weeks=3)
    return root


def _read_all(clients: list[Any], cursor: str = "", size: int = 0) -> tuple[list[Any], str]:
    """Every change after ``cursor``, page by page, asking the servers in turn."""
    out: list[Any] = []
    turn = 0
    while True:
        query = f"?sinds={cursor}" + (f"&aantal={size}" if size else "")
        response = clients[turn % len(clients)].get(f"/api/wijzigingen{query}")
        turn += 1
        assert response.status_code == 200, response.text
        body = response.json()
        out += body["wijzigingen"]
        assert body["cursor"] == (str(out[-1]["volgnummer"]) if out else cursor or "0")
        cursor = body["cursor"]
        if not body["meer"]:
            return out, cursor


def _serve(data: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = ["-m", "kamerwatch", "--data-dir", str(data), "-q", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def _stopped(servers: list[tuple[subprocess.Popen[bytes], str]]) -> Iterator[None]:
    try:
        yield
    finally:
        for proc, _base in servers:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_for(client: httpx.Client, servers: list[tuple[subprocess.Popen[bytes], str]]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            client.get("/api/wijzigingen?aantal=1")
            return
        except httpx.TransportError:
            assert all(p.poll() is None for p, _ in servers), "a server exited"
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)


def _count(url: str, sql: str) -> int:
    conn = connect(url)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except Exception:  # table not there yet, or busy
        return 0
    finally:
        conn.close()


@pytest.mark.parametrize("engine", BACKENDS)
def test_every_change_once_across_kill_and_two_servers(
    engine: str, feed_dir: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data = tmp_path / "data"
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("changes")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    data.mkdir()
    with open_migrated(url):
        pass
    env = {**os.environ, **FAST_ENV, "KAMERWATCH_DATABASE_URL": url}
    # two real web server processes of one site (one base URL)
    servers = [_serve(data, {**env, "KAMERWATCH_BASE_URL": "https://kw.example"}) for _ in "ab"]
    with FeedServer(feed_dir) as server, _stopped(servers):
        a, b = (httpx.Client(base_url=base, timeout=30) for _, base in servers)
        for client in (a, b):
            _wait_for(client, servers)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "--data-dir",
                str(data),
                "-q",
                "update",
                "--feed-url",
                server.url,
            ],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # a reader follows the feed while `update` runs and is killed mid-sync
        seen: list[Any] = []
        cursor = ""
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            got, cursor = _read_all([a, b], cursor, size=97)
            seen += got
            if _count(url, "SELECT count(*) FROM change_log") > 0:
                break  # changes committed, more to come (the rest of sync, convert)
            time.sleep(0.01)
        assert proc.poll() is None, "update finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        got, cursor = _read_all([a, b], cursor, size=97)
        seen += got
        assert seen, "nothing was committed before the kill"
        result = kamerwatch("update", "--feed-url", server.url, data_dir=data, database_url=url)
        assert result.returncode == 0, result.stderr
        got, cursor = _read_all([b, a], cursor, size=1000)
        seen += got
        everything, _ = _read_all([a])
    # the reader that followed along saw exactly what a reader from the start sees
    assert seen == everything
    numbers = [c["volgnummer"] for c in everything]
    assert numbers == list(range(1, len(numbers) + 1))
    # and the log agrees with the mirror: every entity's last change says whether it exists
    conn = connect(url)
    try:
        last: dict[tuple[str, str], str] = {}
        first: dict[tuple[str, str], str] = {}
        for c in everything:
            first.setdefault((c["soort"], c["id"]), c["wat"])
            last[(c["soort"], c["id"])] = c["wat"]
        for category in ("Document", "Zaak", "Persoon", "Activiteit"):
            ids = {str(r[0]) for r in conn.execute(f"SELECT id FROM {spec_for(category).table}")}
            logged = {i for (k, i), what in last.items() if k == category and what != "verwijderd"}
            assert ids and logged == ids, category
            assert all(first[(category, i)] == "nieuw" for i in ids)
        converted = {str(r[0]) for r in conn.execute("SELECT entity_id FROM conversion")}
        assert converted and converted == {i for (k, i) in last if k == "Conversie"}
    finally:
        conn.close()
    docs = [c for c in everything if c["soort"] == "Document" and c["wat"] != "verwijderd"]
    assert docs and all(c["url"].startswith("http") and "/document/" in c["url"] for c in docs)
    assert all(c["url"].endswith(".json") for c in docs)


@pytest.mark.parametrize("engine", BACKENDS)
def test_bad_cursor_is_a_dutch_400(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("changes")
    else:
        url = f"sqlite:///{tmp_path / 'kamerwatch.sqlite3'}"
    with open_migrated(url):
        pass
    with TestClient(create_app(url, data_dir=tmp_path)) as client:
        for bad in ("abc", "-1", "1e5", "99999999999999999999", "１２"):
            response = client.get("/api/wijzigingen", params={"sinds": bad})
            assert response.status_code == 400
            body = response.json()
            assert body["ok"] is False and "cursor" in body["error"]
        response = client.get("/api/wijzigingen", params={"aantal": "5000"})
        assert response.status_code == 400 and "aantal" in response.json()["error"]
        empty = client.get("/api/wijzigingen?sinds=12").json()
        assert empty["wijzigingen"] == [] and empty["cursor"] == "12" and empty["meer"] is False
        spec = client.get("/api/openapi.json").json()
        assert "/api/wijzigingen" in spec["paths"]
    # the engine writes the JSON of each change: odd text survives exactly, numbers stay numbers
    odd = 'aan"hal\\ing é\n\t\u2028 <b>'
    with open_migrated(url) as db, db.transaction() as conn:
        changes.log(
            conn, [("Zaak", odd, changes.CHANGED, "/zaak/x.json"), ("Zaak", "b", "nieuw", None)]
        )
    with TestClient(create_app(url, data_dir=tmp_path)) as client:
        page = client.get("/api/wijzigingen?sinds=0&aantal=1")
        assert page.headers["content-type"].startswith("application/json")
        body = page.json()
        assert body["aantal"] == 1 and body["meer"] is True and body["cursor"] == "1"
        assert body["wijzigingen"] == [
            {
                "volgnummer": 1,
                "soort": "Zaak",
                "id": odd,
                "wat": "gewijzigd",
                "tijd": body["wijzigingen"][0]["tijd"],
                "url": "http://127.0.0.1:8000/zaak/x.json",
            }
        ]
        rest = client.get(body["volgende"].removeprefix("http://127.0.0.1:8000")).json()
        assert [c["url"] for c in rest["wijzigingen"]] == [None] and rest["meer"] is False


def test_out_of_order_commits_are_never_skipped(pg_server: Any) -> None:
    """Two writers on PostgreSQL: the one that numbers first commits last. A reader polling
    in between never sees a later number before an earlier one is visible."""
    url = pg_server.new_database("changes")
    with open_migrated(url):
        pass
    first = Database(url)
    second = Database(url)
    reader = Database(url)
    try:
        started = threading.Event()
        done = threading.Event()
        with first.transaction() as conn:
            changes.log(conn, [("Zaak", "een", changes.NEW, None)])

            def later() -> None:
                with second.transaction() as conn2:
                    started.set()
                    changes.log(conn2, [("Zaak", "twee", changes.NEW, None)])
                done.set()

            thread = threading.Thread(target=later)
            thread.start()
            started.wait(5)
            time.sleep(0.3)
            assert not done.is_set(), "the second writer must wait for the first"
            assert changes.page(reader.conn, 0).changes == []
        thread.join(5)
        ids = [(c.seq, c.id) for c in changes.page(reader.conn, 0).changes]
        assert ids == [(1, "een"), (2, "twee")]
    finally:
        for db in (first, second, reader):
            db.close()


@pytest.mark.parametrize("engine", BACKENDS)
def test_reparse_is_one_change_per_category(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """``sync --reparse`` rewrites every row without comparing: the feed gets one change per
    re-parsed category (soort Herinlezing, id = the category), not a change per row, and the
    cursor of a reader stays valid (nothing repeated, nothing renumbered)."""
    data = tmp_path / "data"
    data.mkdir()
    if engine == "postgresql":
        url = request.getfixturevalue("pg_server").new_database("reparse")
    else:
        url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    with open_migrated(url):
        pass
    feed = tmp_path / "feed"
    (feed / "feed").mkdir(parents=True)
    spec = spec_for("Zaak")
    entries = [
        entry_xml(
            spec,
            entity_xml(
                spec,
                {"nummer": f"2026Z7000{i}", "soort": "Motie", "onderwerp": f"zaak {i}"},
                id=f"00000000-0000-4000-8000-00000000000{i}",
                bijgewerkt="2026-11-20T10:00:00",
            ),
            token=100 + i,
            updated="2026-11-20T09:00:00.0000000Z",
            enclosure=False,
        )
        for i in (1, 2)
    ]
    (feed / "feed" / "p1.xml").write_bytes(feed_page(None, entries, None))
    with FeedServer(feed) as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=data, database_url=url)
        assert result.returncode == 0, result.stderr
    with TestClient(create_app(url, data_dir=data)) as client:
        first, cursor = _read_all([client])
        assert sorted((c["soort"], c["id"]) for c in first) == [
            ("Zaak", "00000000-0000-4000-8000-000000000001"),
            ("Zaak", "00000000-0000-4000-8000-000000000002"),
        ]
        result = kamerwatch(
            "sync", "--reparse", "--category", "Zaak", data_dir=data, database_url=url
        )
        assert result.returncode == 0, result.stderr
        after, _ = _read_all([client], cursor)
        assert [(c["soort"], c["id"], c["wat"], c["url"]) for c in after] == [
            ("Herinlezing", "Zaak", "gewijzigd", None)
        ]
        assert after[0]["volgnummer"] == int(cursor) + 1
        assert client.get("/zaak/2026Z70001.json").status_code == 200
