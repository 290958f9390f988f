"""The sample parliament with its simulated Debat Direct and official publications on
loopback, synced once per engine and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import BACKENDS, SAMPLE_TODAY_ISO, kamerwatch
from tests.pgserver import PgServer
from tests.ports import free_port

TODAY = date.fromisoformat(SAMPLE_TODAY_ISO)


@pytest.fixture(scope="session")
def media_feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamerwatch.sample.parliament import generate

    root = tmp_path_factory.mktemp("media-sample")
    generate(root / "feed", seed=11, today=TODAY, weeks=3)
    return root / "feed"


@pytest.fixture
def media_server(media_feed: Path) -> Iterator[FeedServer]:
    with FeedServer(media_feed, port=free_port()) as server:
        yield server


@pytest.fixture(scope="session")
def synced_template() -> dict[str, str]:
    """Engine → a database with the sample synced by the real command (read-only)."""
    return {}


def _sync(url: str, feed: Path, data_dir: Path) -> None:
    with FeedServer(feed, port=free_port()) as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=data_dir, database_url=url)
    assert result.returncode == 0, result.stderr


@pytest.fixture(params=BACKENDS)
def synced(
    request: pytest.FixtureRequest,
    synced_template: dict[str, str],
    media_feed: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A database of each engine holding the synced sample (a copy per test)."""
    engine = request.param
    if engine == "sqlite":
        if engine not in synced_template:
            base = tmp_path_factory.mktemp("media-synced")
            _sync(f"sqlite:///{base / 'kamerwatch.sqlite3'}", media_feed, base)
            synced_template[engine] = str(base / "kamerwatch.sqlite3")
        target = tmp_path / "data" / "kamerwatch.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(synced_template[engine], target)
        yield f"sqlite:///{target}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    if engine not in synced_template:
        url = server.new_database("kwmedia")
        _sync(url, media_feed, tmp_path_factory.mktemp("media-pg"))
        synced_template[engine] = url
    url = server.new_database(template=synced_template[engine])
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def harvested(
    request: pytest.FixtureRequest,
    synced_template: dict[str, str],
    media_feed: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, FeedServer]]:
    """A database of each engine with the sample synced, its files fetched and converted,
    and both media stages run through the simulators (answers within the delay not there yet); and the server (its worlds).
    Read-only for the tests."""
    from datetime import UTC, datetime

    from kamerwatch.debatdirect.harvest import DebatDirectOptions, run_debatdirect
    from kamerwatch.publicaties.harvest import OfficialOptions, run_official
    from kamerwatch.store.db import Database

    engine = request.param
    base = tmp_path_factory.mktemp("media-harvested")
    if engine == "sqlite":
        url = f"sqlite:///{base / 'kamerwatch.sqlite3'}"
        _sync(url, media_feed, base)
    else:
        url = request.getfixturevalue("pg_server").new_database("kwharvest")
        _sync(url, media_feed, base)
    with FeedServer(media_feed, port=free_port()) as server:
        # the files too: the verslagen give the members' speaking time (persoon pages)
        for command in ("fetch-documents", "convert"):
            done = kamerwatch(
                command,
                *(("--feed-url", server.url) if command == "fetch-documents" else ()),
                data_dir=base,
                database_url=url,
            )
            assert done.returncode == 0, done.stderr
        with Database(url) as db:
            dd = run_debatdirect(
                db,
                DebatDirectOptions(
                    root=server.media_url, pause=0.0, window_back=70, window_ahead=30, today=TODAY
                ),
            )
            assert dd.errors == [] and dd.matched > 0
            op = run_official(
                db,
                OfficialOptions(
                    root=server.media_url,
                    metadata_root=server.media_url,
                    pause=0.0,
                    batch=100_000,
                    now=datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC),
                ),
            )
            assert op.found > 0 and op.failed == 0
        server.media._build()
        yield url, server
