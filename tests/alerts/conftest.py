"""A synced sample parliament in two parts, and a real SMTP server on loopback."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import kamerwatch as run_cli
from tests.mailserver import Mailbox, free_port, smtp  # noqa: F401  (re-exported fixture)

TODAY = date(2026, 11, 28)
FIRST_PART = 0.6  # share of the feed pages synced before the monitors are made


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
