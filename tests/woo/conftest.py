"""A simulated open.overheid.nl on loopback (the feed server's Woo side)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.woosim import WooWorld
from kamerwatch.subsystems import open_migrated
from kamerwatch.woo.harvest import WooOptions, WooReport, run_harvest
from tests.ports import free_port

TODAY = date(2026, 11, 27)  # a Friday


def small_world() -> WooWorld:
    return WooWorld(seed=5, today=TODAY, days=7, per_day=3)


@pytest.fixture
def woo_server(tmp_path: Path) -> Iterator[FeedServer]:
    (tmp_path / "feed-empty").mkdir()
    with FeedServer(tmp_path / "feed-empty", port=free_port(), woo=small_world()) as server:
        yield server


def options(server: FeedServer, files_dir: Path, **more: object) -> WooOptions:
    values: dict[str, object] = {
        "root": server.woo_url,
        "start": date(2026, 11, 21),
        "files_dir": files_dir,
        "pause": 0.0,
        "timeout": 3.0,
        "max_retries": 2,
        "backoff": 0.01,
        "today": TODAY,
        "audit_hours": 0.0,
    }
    values.update(more)
    return WooOptions(**values)  # type: ignore[arg-type]


def harvest(db_url: str, server: FeedServer, files_dir: Path, **more: object) -> WooReport:
    with open_migrated(db_url) as db:
        return run_harvest(db, options(server, files_dir, **more))
