"""`kamerwatch serve`: the real server (uvicorn) in a subprocess, over loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import httpx
import psutil

from tests.conftest import FAST_ENV
from tests.ports import free_port


def _first_answer(proc: subprocess.Popen[bytes], url: str, seconds: float) -> httpx.Response:
    """The first response from a server that is starting (it must not exit meanwhile)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)


def _serve(
    tmp_path: Path,
    before: list[str],
    after: list[str],
    env: dict[str, str | None],
    stderr: int = subprocess.PIPE,
) -> tuple[subprocess.Popen[bytes], int, str]:
    """``kamerwatch <before> serve --port P <after>`` started in ``tmp_path`` with ``env``
    over FAST_ENV (None: the variable unset): the process, its port and its base URL."""
    port = free_port()
    full = {**os.environ, **FAST_ENV, **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", *before, "serve", "--port", str(port), *after],
        env={k: v for k, v in full.items() if v is not None},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=stderr,
    )
    return proc, port, f"http://127.0.0.1:{port}"


def test_serve_answers_pages_and_static_files(web_db_url: str, tmp_path: Path) -> None:
    proc, _port, base = _serve(tmp_path, ["-q"], [], {"KAMERWATCH_DATABASE_URL": web_db_url})
    try:
        page = _first_answer(proc, f"{base}/document/2023D03702", 30)
        assert page.status_code == 200 and "2023D03702" in page.text
        assert "frame-ancestors" in page.headers["content-security-policy"]
        assert httpx.get(f"{base}/static/site.css", timeout=2).status_code == 200
        missing = httpx.get(f"{base}/document/2099D00000.json", timeout=2)
        assert missing.status_code == 404 and missing.json()["ok"] is False
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_with_two_workers_and_settings_from_the_command_line(
    web_db_url: str, tmp_path: Path
) -> None:
    """``--workers 2``: the worker processes get the parent's settings (here a command-line
    database URL and base URL), both answer, and the server stops cleanly."""
    env = {"KAMERWATCH_DATABASE_URL": None, "KAMERWATCH_BASE_URL": "https://kamerwatch.example"}
    env["KAMERWATCH_TODAY"] = "2023-01-15"  # the workers take it as today too
    proc, port, base = _serve(
        tmp_path, ["-q", "--database-url", web_db_url], ["--workers", "2"], env
    )
    try:
        robots = _first_answer(proc, f"{base}/robots.txt", 60)
        assert "Sitemap: https://kamerwatch.example/sitemap.xml" in robots.text
        with httpx.Client(timeout=5) as client:  # new connections land on either worker
            for _ in range(6):
                assert client.get(f"{base}/zaak/2023Z00142").status_code == 200
        for _ in range(4):  # both workers: the window of /stemmingen ends 14 days before it
            stemmingen = httpx.get(f"{base}/stemmingen", timeout=10).text
            since = date.fromisoformat(re.findall(r"sinds (\d{4}-\d{2}-\d{2})", stemmingen)[0])
            assert date(2022, 1, 1) <= since <= date(2023, 1, 1), since
        held = _connections_per_worker(proc.pid, port, 8)
        assert len(held) == 2 and sum(held) == 8, held
        assert held[0] >= 1, "eight keep-alive connections made at once all went to one worker"
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) is not None


def _connections_per_worker(server_pid: int, port: int, n: int) -> list[int]:
    """``n`` keep-alive connections opened at once (as a proxy's pool or a load test opens
    them), each answered once: how many each worker process of the server holds, fewest
    first. Without one accept per wake-up, the first worker to wake took them all."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(n)]
    try:
        for s in sockets:
            s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
        for s in sockets:
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
        held = []
        for worker in _workers(server_pid):
            mine = [
                c
                for c in worker.net_connections(kind="tcp")
                if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
            ]
            held.append(len(mine))
        return sorted(held)
    finally:
        for s in sockets:
            s.close()


def test_mail_without_smtp_each_its_own_file_with_links_to_this_port(
    web_db_url: str, tmp_path: Path
) -> None:
    """#25.5: `serve --port P` without a base URL puts http://127.0.0.1:P in the login links;
    without SMTP every mail is its own file (Date and Message-ID set), and the page and the
    console say where it went."""
    env = {"KAMERWATCH_DATABASE_URL": web_db_url, "KAMERWATCH_BASE_URL": None}
    env["KAMERWATCH_SMTP_URL"] = None
    data = tmp_path / "data"
    proc, _port, base = _serve(
        tmp_path, ["--data-dir", str(data)], [], env, stderr=subprocess.STDOUT
    )
    try:
        _first_answer(proc, f"{base}/mijn", 30)
        notices = []
        for address in ("een@example.org", "twee@example.org", "een@example.org"):
            answer = httpx.post(f"{base}/mijn/link", data={"email": address}, timeout=10)
            assert answer.status_code == 200, answer.text
            notices.append(answer.text)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    console = proc.stdout.read().decode() if proc.stdout else ""
    mails = sorted((data / "mail").glob("*.eml"))
    assert len(mails) == 3, mails  # nothing overwritten
    for path, notice in zip(sorted(mails, key=lambda p: p.stat().st_mtime), notices, strict=True):
        assert f"bewaard als {path}" in notice, notice
        msg = message_from_bytes(path.read_bytes(), policy=default_policy)
        assert msg["Date"] and re.fullmatch(r"<[^<>@]+@localhost>", str(msg["Message-ID"]))
        body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert f"{base}/mijn/inloggen?t=" in body and ":8000" not in body
        assert str(path) in console
    assert f"links in mails wijzen naar {base}" in console
    assert "geen mailserver ingesteld" in console


def _workers(server_pid: int) -> list[psutil.Process]:
    """The server's live worker processes (not the resource tracker, not one just killed)."""
    out = []
    for p in psutil.Process(server_pid).children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.Error:
            continue
    return out


def test_a_killed_worker_is_replaced_and_sigterm_stops_them_all(
    web_db_url: str, tmp_path: Path
) -> None:
    """``--workers 2``: a worker that dies (SIGKILL) is replaced and the site keeps
    answering; SIGTERM to the server stops every worker and leaves no process behind."""
    proc, _port, base = _serve(
        tmp_path, ["-q"], ["--workers", "2"], {"KAMERWATCH_DATABASE_URL": web_db_url}
    )
    try:
        _first_answer(proc, f"{base}/robots.txt", 60)
        first = _workers(proc.pid)
        assert len(first) == 2
        first[0].kill()
        deadline = time.monotonic() + 60
        while True:
            now = _workers(proc.pid)
            if len(now) == 2 and first[0].pid not in {p.pid for p in now}:
                break
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            time.sleep(0.2)
        for _ in range(6):
            assert httpx.get(f"{base}/zaak/2023Z00142", timeout=10).status_code == 200
        everyone = _workers(proc.pid)
    finally:
        proc.terminate()
        code = proc.wait(timeout=40)
    assert code == 0, proc.stderr.read() if proc.stderr else ""
    _gone, alive = psutil.wait_procs(everyone, timeout=10)
    assert not alive, f"workers left behind: {[p.pid for p in alive]}"


def _open_connections(metrics: str) -> int:
    found = re.search(r'kamerwatch_db_pool_connections\{state="open"\} (\d+)', metrics)
    assert found, metrics
    return int(found.group(1))


def test_pages_are_built_a_few_at_a_time(web_db_url: str, tmp_path: Path) -> None:
    """``serve_page_threads``: at most that many pages are built at the same time per server
    process; the other requests wait their turn and all are answered. Each thread that
    builds a page opens its own database connection, so /metrics' count of them shows how
    many threads did (with 16 instead of 1 this test saw 12; the event loop's own
    connection, for the response cache, makes at most one more)."""
    env = {"KAMERWATCH_DATABASE_URL": web_db_url, "KAMERWATCH_SERVE_PAGE_THREADS": "1"}
    proc, _port, base = _serve(tmp_path, ["-q"], [], env)
    try:
        _first_answer(proc, f"{base}/static/site.css", 30)
        paths = [f"/zoeken?q=kamer{i}" for i in range(12)] + [
            f"/zoeken.json?q=vragen{i}" for i in range(12)
        ]

        def get(path: str) -> httpx.Response:
            return httpx.get(base + path, timeout=30)

        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(get, paths))
        assert [a.status_code for a in answers] == [200] * len(paths)
        assert all("kamer" in a.text for a in answers[:12])
        assert all(a.json()["q"].startswith("vragen") for a in answers[12:])
        assert _open_connections(get("/metrics").text) <= 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)
