"""A synced sample parliament in two parts, and a real SMTP server on loopback."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import kamerwatch as run_cli

TODAY = date(2026, 11, 28)
FIRST_PART = 0.6  # share of the feed pages synced before the monitors are made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server accepted; ``on_message`` may interfere (kill the sender)."""

    messages: list[EmailMessage] = field(default_factory=list)
    on_message: Callable[[int], str | None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.on_message is not None:
                verdict = self.on_message(len(self.messages))
                if verdict is not None:
                    return verdict
            msg = message_from_bytes(envelope.content, policy=default_policy)
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[str, Mailbox]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", box
    finally:
        controller.stop()


@dataclass(frozen=True)
class Feeds:
    part: Path  # the first pages only
    full: Path  # every page
    base_db: Path  # the mirror after syncing ``part``
    full_db: Path  # the mirror after syncing everything (the oracle)


def _sync(feed_dir: Path, data_dir: Path) -> None:
    with FeedServer(feed_dir) as server:
        url = server.start()
        result = run_cli("sync", "--feed-url", url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Feeds:
    root = tmp_path_factory.mktemp("alerts-feed")
    full = root / "full"
    generate(full, seed=7, today=TODAY, weeks=8)
    part = root / "part"
    (part / "feed").mkdir(parents=True)
    pages = sorted((full / "feed").glob("*.xml"))
    for page in pages[: int(len(pages) * FIRST_PART)]:
        shutil.copy(page, part / "feed" / page.name)
    shutil.copytree(full / "resources", part / "resources")
    _sync(part, root / "base")
    _sync(full, root / "oracle")
    return Feeds(
        part, full, root / "base" / "kamerwatch.sqlite3", root / "oracle" / "kamerwatch.sqlite3"
    )


def sync_rest(feeds: Feeds, data_dir: Path) -> None:
    _sync(feeds.full, data_dir)


@pytest.fixture
def data_dir(feeds: Feeds, tmp_path: Path) -> Path:
    """A private copy of the mirror after the first part of the feed."""
    target = tmp_path / "data"
    target.mkdir()
    for suffix in ("", "-wal"):
        source = Path(f"{feeds.base_db}{suffix}")
        if source.exists():
            shutil.copy(source, target / f"kamerwatch.sqlite3{suffix}")
    return target


def oracle(feeds: Feeds) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{feeds.full_db}?mode=ro", uri=True)


def base_cursor(feeds: Feeds) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{feeds.base_db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT category, skiptoken FROM sync_cursor"))
    finally:
        conn.close()


def numbers_in(msg: EmailMessage) -> set[str]:
    """The item numbers listed in a digest's text part."""
    body = msg.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    found = set()
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("    ") and " - " in line:
            found.add(line.strip().split(" - ", 1)[0])
    return found
