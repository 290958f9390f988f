"""A demo-like site for the browser test: a sample parliament synced, fetched, converted and
indexed by the real commands, served by a real `kamerwatch serve` on loopback, with its mail
going to a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import FAST_ENV, SAMPLE_TODAY_ISO, kamerwatch, missing_tool
from tests.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Mailbox:
    """Every mail the test SMTP server accepted."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout: float = 15) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.messages if m["To"] == address]
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"geen mail aan {address} binnen {timeout} s")


@dataclass(frozen=True)
class Site:
    url: str
    mailbox: Mailbox


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample → sync → fetch-documents → convert → index → analyse, each by the real command
    line."""
    root = tmp_path_factory.mktemp("browser-demo")
    generate(root / "sample", seed=11, today=date.fromisoformat(SAMPLE_TODAY_ISO), weeks=4)
    data = root / "data"
    with FeedServer(root / "sample") as server:
        for stage in (
            ("sync", "--feed-url", server.url),
            ("fetch-documents", "--feed-url", server.url),
            ("convert",),
            ("index",),
            ("analyse",),
        ):
            result = kamerwatch(*stage, data_dir=data)
            assert result.returncode == 0, (stage, result.stderr)
    return data


@pytest.fixture
def site(demo_data: Path, tmp_path: Path) -> Iterator[Site]:
    """`kamerwatch serve` in a subprocess, mailing through a loopback SMTP server."""
    box = Mailbox()
    smtp_port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        **FAST_ENV,
        "KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "KAMERWATCH_BASE_URL": url,
        "KAMERWATCH_MAIL_FROM": "kamerwatch <noreply@example.org>",
    }
    env.pop("KAMERWATCH_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "--data-dir",
            str(demo_data),
            "-q",
            "serve",
            "--port",
            str(port),
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/status", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "kamerwatch serve startte niet"
                time.sleep(0.2)
        yield Site(url, box)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        controller.stop()
    # the server logged no failures while the browser used it
    assert not re.search(r"Traceback|fout bij", (tmp_path / "serve.log").read_text())


@pytest.fixture
def artifacts(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where the screenshots go: $KAMERWATCH_ARTIFACTS/<test name>, else the test's tmp_path;
    shown in the summary of the run."""
    base = os.environ.get("KAMERWATCH_ARTIFACTS")
    target = Path(base) / request.node.name if base else tmp_path / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    request.node.user_properties.append(("artifacts", str(target)))
    print(f"screenshots in {target}")
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing_tool(
            "Python-pakket playwright ontbreekt (pip install -e '.[test]'): browsertest overgeslagen",
        )
    if not CHROMIUM.exists():
        missing_tool(
            f"geen browser in {CHROMIUM} (installeer met `apt-get install chromium`; `make test` "
            "doet dat waar het kan): browsertest overgeslagen",
        )
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        except Error as exc:
            missing_tool(
                f"{CHROMIUM} start niet ({exc.message.splitlines()[0]}): browsertest overgeslagen",
            )
        try:
            yield chromium
        finally:
            chromium.close()
