"""The login mail of a real `kamerwatch serve` goes through its mail worker: a mail server
that hangs or refuses no longer holds up the request, nor any other request, and the page
says what happened (sent / queued / failed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import FAST_ENV
from tests.mailserver import HangingSmtp, Mailbox, free_port, smtp  # noqa: F401  (fixture)
from tests.web.test_serve import _first_answer


@contextmanager
def _serve(web_db_url: str, tmp_path: Path, smtp_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        **FAST_ENV,
        "KAMERWATCH_DATABASE_URL": web_db_url,
        "KAMERWATCH_SMTP_URL": smtp_url,
        "KAMERWATCH_REQUEST_TIMEOUT": "20",  # a hanging server holds each attempt this long
        "KAMERWATCH_MAX_RETRIES": "2",
        "KAMERWATCH_MAIL_FROM": "Kamerwacht – Tweede Kämer <noreply@example.org>",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "-q", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _first_answer(proc, f"{base}/status", 30)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _ask_link(base: str, address: str) -> httpx.Response:
    return httpx.post(f"{base}/mijn/link", data={"email": address}, timeout=60)


def test_hanging_mail_server_holds_up_nothing(web_db_url: str, tmp_path: Path) -> None:
    with HangingSmtp() as hanging, _serve(web_db_url, tmp_path, hanging.url) as base:
        with ThreadPoolExecutor(2) as pool:
            started = time.monotonic()
            asking = pool.submit(_ask_link, base, "traag@example.org")
            while not hanging.held:  # the worker is now waiting for the server's greeting
                assert time.monotonic() - started < 10, "no SMTP connection"
                time.sleep(0.05)
            status = httpx.get(f"{base}/status", timeout=60)
            assert status.status_code == 200
            assert not asking.done(), "/status waited for the login mail"
            answer = asking.result()
            took = time.monotonic() - started
        assert answer.status_code == 202, answer.text
        assert "staat klaar om verstuurd te worden" in answer.text
        assert "staat er nu een inloglink" not in answer.text
        assert took < 10  # was request_timeout × attempts (here 40 s) before the mail worker


def test_refusing_mail_server_is_reported_as_failed(web_db_url: str, tmp_path: Path) -> None:
    closed = f"smtp://127.0.0.1:{free_port()}"  # nobody listens: connection refused
    with _serve(web_db_url, tmp_path, closed) as base:
        answer = _ask_link(base, "weigert@example.org")
    assert answer.status_code == 503, answer.text
    assert "kon niet worden verstuurd" in answer.text
    assert "staat er nu een inloglink" not in answer.text


def test_working_mail_server_gets_the_link(
    web_db_url: str,
    tmp_path: Path,
    smtp: tuple[str, Mailbox],  # noqa: F811  (the fixture)
) -> None:
    url, box = smtp
    with _serve(web_db_url, tmp_path, url) as base:
        answer = _ask_link(base, "werkt@example.org")
    assert answer.status_code == 200, answer.text
    assert "staat er nu een inloglink in de mailbox" in answer.text
    (mail,) = box.to("werkt@example.org")
    (sender,) = mail["From"].addresses
    assert sender.addr_spec == "noreply@example.org"
    assert sender.display_name == "Kamerwacht – Tweede Kämer"
    assert "/mijn/inloggen?t=" in mail.get_content()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
