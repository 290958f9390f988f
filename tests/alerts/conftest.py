"""A synced sample parliament in two parts, and a real SMTP server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.store.db import sqlite_path
from tests.conftest import BACKENDS, DATA_DIR_URLS, connect, url_of
from tests.conftest import kamerwatch as run_cli
from tests.mailserver import Mailbox, free_port, smtp  # noqa: F401  (re-exported fixture)
from tests.pgserver import PgServer

TODAY = date(2026, 11, 28)
FIRST_PART = 0.6  # share of the feed pages synced before the monitors are made


@dataclass(frozen=True)
class Feeds:
    part: Path  # the first pages only
    full: Path  # every page
    base_db: str  # URL of the mirror after syncing ``part``
    full_db: str  # URL of the mirror after syncing everything (the oracle)
    backend: str  # "sqlite" or "postgresql"
    pg: PgServer | None = None


def _sync(feed_dir: Path, data_dir: Path) -> None:
    with FeedServer(feed_dir) as server:
        url = server.start()
        result = run_cli("sync", "--feed-url", url, data_dir=data_dir)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session", params=BACKENDS)
def feeds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Feeds:
    """The sample parliament synced in two parts, on each database engine."""
    pg: PgServer | None = None
    if request.param == "postgresql":
        pg = request.getfixturevalue("pg_server")
    root = tmp_path_factory.mktemp("alerts-feed")
    full = root / "full"
    generate(full, seed=7, today=TODAY, weeks=8)
    part = root / "part"
    (part / "feed").mkdir(parents=True)
    pages = sorted((full / "feed").glob("*.xml"))
    for page in pages[: int(len(pages) * FIRST_PART)]:
        shutil.copy(page, part / "feed" / page.name)
    shutil.copytree(full / "resources", part / "resources")
    for name in ("base", "oracle"):
        if pg is not None:
            DATA_DIR_URLS[root / name] = pg.new_database(f"alerts_{name}")
    _sync(part, root / "base")
    _sync(full, root / "oracle")
    return Feeds(part, full, url_of(root / "base"), url_of(root / "oracle"), str(request.param), pg)


def sync_rest(feeds: Feeds, data_dir: Path) -> None:
    _sync(feeds.full, data_dir)


def clone_base(feeds: Feeds, target: Path) -> Path:
    """``target`` becomes a data dir with a private copy of the mirror after the first part
    (PostgreSQL: a new database made from the base database as template)."""
    target.mkdir(parents=True, exist_ok=True)
    if feeds.pg is not None:
        DATA_DIR_URLS[target] = feeds.pg.new_database("alerts", template=feeds.base_db)
        return target
    base = sqlite_path(feeds.base_db)
    for suffix in ("", "-wal"):
        source = Path(f"{base}{suffix}")
        if source.exists():
            shutil.copy(source, target / f"kamerwatch.sqlite3{suffix}")
    return target


@pytest.fixture
def data_dir(feeds: Feeds, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the mirror after the first part of the feed."""
    target = clone_base(feeds, tmp_path / "data")
    yield target
    url = DATA_DIR_URLS.pop(target, None)
    if url is not None and feeds.pg is not None:
        feeds.pg.drop_database(url)


def oracle(feeds: Feeds) -> Any:
    return connect(feeds.full_db)


def base_cursor(feeds: Feeds) -> dict[str, int]:
    conn = connect(feeds.base_db)
    try:
        return {
            str(c): int(t) for c, t in conn.execute("SELECT category, skiptoken FROM sync_cursor")
        }
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
