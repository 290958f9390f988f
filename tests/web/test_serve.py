"""`kamerwatch serve`: the real server (uvicorn) in a subprocess, over loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

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


def test_serve_answers_pages_and_static_files(web_db_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, **FAST_ENV, "KAMERWATCH_DATABASE_URL": web_db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "-q", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
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
    port = free_port()
    env = {**os.environ, **FAST_ENV}
    env.pop("KAMERWATCH_DATABASE_URL", None)
    env["KAMERWATCH_BASE_URL"] = "https://kamerwatch.example"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "-q",
            "--database-url",
            web_db_url,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        robots = _first_answer(proc, f"{base}/robots.txt", 60)
        assert "Sitemap: https://kamerwatch.example/sitemap.xml" in robots.text
        with httpx.Client(timeout=5) as client:  # new connections land on either worker
            for _ in range(6):
                assert client.get(f"{base}/zaak/2023Z00142").status_code == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) is not None
