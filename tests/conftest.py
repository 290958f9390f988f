"""Shared fixtures: real feed servers on loopback, real subprocesses, real databases."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from kamerwatch.store.db import POSTGRESQL, SqliteConnection, sqlite_path
from kamerwatch.store.pg import PgConnection
from kamerwatch.store.rawlog import decompress_entry
from tests.pgserver import PgServer, find_bindir

DATA = Path(__file__).parent / "data"

# Fast but real: short backoff and no politeness pause for loopback tests.
FAST_ENV = {
    "KAMERWATCH_POLITENESS_PAUSE": "0",
    "KAMERWATCH_RETRY_BACKOFF": "0.01",
    "KAMERWATCH_REQUEST_TIMEOUT": "3",
    "KAMERWATCH_MAX_RETRIES": "3",
    "KAMERWATCH_WOO_PAUSE": "0",
    "KAMERWATCH_UPDATE_WOO": "0",  # `update` tests stay on loopback; woo tests switch it on
    "KAMERWATCH_UPDATE_MEDIA": "0",  # likewise Debat Direct + official publications
    "KAMERWATCH_MEDIA_PAUSE": "0",
}


@pytest.fixture
def sample_feed_dir(tmp_path: Path) -> Path:
    """The real sample pages as a feed directory."""
    target = tmp_path / "feed-samples"
    (target / "feed").mkdir(parents=True)
    for page in sorted((DATA / "syncfeed").glob("*.xml")):
        shutil.copy(page, target / "feed" / page.name)
    (target / "resources").mkdir()
    for res in (DATA / "resources").iterdir():
        shutil.copy(res, target / "resources" / res.name)
    return target


def kamerwatch(
    *args: str,
    data_dir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    database_url: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess (on ``database_url`` when given, else on
    the SQLite database of ``data_dir``)."""
    full_env = {**os.environ, **FAST_ENV, **(env or {})}
    full_env.pop("KAMERWATCH_DATABASE_URL", None)
    database_url = database_url or DATA_DIR_URLS.get(data_dir)
    if database_url is not None and not database_url.startswith("sqlite:"):
        full_env["KAMERWATCH_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "kamerwatch", "--data-dir", str(data_dir), "-q", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


VOLATILE = {
    "sync_cursor": ("updated_at",),
    "sync_run": None,
    "unknown_element": ("first_seen",),
    # the change feed: numbered in commit order (categories commit in any order), stamped
    "change_log": ("seq", "at"),
}


_LOOPBACK = re.compile(rb"http://127\.0\.0\.1:\d+")


def _normalise(value: object) -> object:
    """Raw-log XML decompressed, with the feed server's random port taken out."""
    if isinstance(value, bytes):
        try:
            value = decompress_entry(value)
        except ValueError:
            return value
        return _LOOPBACK.sub(b"http://127.0.0.1:PORT", value)
    return value


DATA_DIR_URLS: dict[Path, str] = {}
"""Data directories of the tests whose database is elsewhere (PostgreSQL): the command line
of :func:`kamerwatch` and :func:`url_of` use that database for them."""


def url_of(data_dir: Path) -> str:
    """The database URL of a test data directory (its SQLite file unless registered)."""
    return DATA_DIR_URLS.get(data_dir) or f"sqlite:///{data_dir / 'kamerwatch.sqlite3'}"


def connect(where: Path | str) -> Any:
    """A plain connection (tuple rows) to a SQLite file or a database URL of either engine."""
    if isinstance(where, Path):
        return sqlite3.connect(where, factory=SqliteConnection)
    if where.startswith("sqlite:///"):
        return sqlite3.connect(sqlite_path(where), factory=SqliteConnection)
    return PgConnection.connect(where)


def index_names(conn: Any) -> set[str]:
    if conn.backend.name == POSTGRESQL:
        rows = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
    return {r[0] for r in rows}


def _tables_and_indexes(conn: Any) -> tuple[list[str], list[tuple[object, ...]]]:
    if conn.backend.name == POSTGRESQL:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        indexes = conn.execute(
            "SELECT i.indexname, i.tablename FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        return tables, sorted(indexes)
    tables = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")
    ]
    return tables, sorted(
        conn.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL"
        )
    )


def dump_state(where: Path | str, *, search: bool = True) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, minus wall-clock columns: equal dumps = equal state.
    ``where``: a SQLite file or a database URL of either engine (secondary indexes are
    compared by name and table, so that the engines can be compared with each other;
    ``search=False`` leaves out the search index, whose tables differ per engine)."""
    conn = connect(where)
    try:
        tables, indexes = _tables_and_indexes(conn)
        state: dict[str, list[tuple[object, ...]]] = {}
        # indexes too: a first sync loads without them and must always rebuild them
        state["(indexes)"] = [
            ix for ix in indexes if search or not str(ix[1]).startswith("search_")
        ]
        for table in tables:
            if table in ("schema_migration", "sync_run", "sqlite_sequence"):
                continue
            if not search and table.startswith("search_"):
                continue
            cur = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            drop = VOLATILE.get(table) or ()
            keep = [i for i, n in enumerate(names) if n not in drop]
            rows = [tuple(_normalise(_plain(row[i])) for i in keep) for row in cur]
            state[table] = sorted(rows, key=repr)
        return state
    finally:
        conn.close()


def assert_same_after_reparse(
    before: dict[str, list[tuple[object, ...]]],
    after: dict[str, list[tuple[object, ...]]],
    categories: list[str],
) -> None:
    """Two dumps equal but for the change feed, which got one "Herinlezing" per re-parsed
    category (``store.changes.REPARSE``) and nothing else."""
    before, after = dict(before), dict(after)
    reparsed = [("Herinlezing", category, "gewijzigd", None) for category in categories]
    assert sorted(after.pop("change_log"), key=repr) == sorted(
        before.pop("change_log") + reparsed, key=repr
    )
    counter_before = before.pop("change_counter")
    counter_after = after.pop("change_counter")
    assert counter_after[0][1] == (counter_before[0][1] if counter_before else 0) + len(reparsed)
    assert after == before


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


# ---------------------------------------------------------------- optional system tools


def require_tool(found: bool, reason: str) -> None:
    """Skip a test whose system tool (antiword, tesseract, chromium, …) is missing, saying
    which and how to install it; with ``KAMERWATCH_REQUIRE_TOOLS`` set (CI: ``.ci/run``)
    a missing tool fails the test instead, so CI cannot go green with them skipped."""
    if not found:
        missing_tool(reason)


def missing_tool(reason: str) -> NoReturn:
    """See ``require_tool``."""
    if os.environ.get("KAMERWATCH_REQUIRE_TOOLS"):
        pytest.fail(f"{reason} (KAMERWATCH_REQUIRE_TOOLS: in CI every tool is required)")
    pytest.skip(reason)


# ---------------------------------------------------------------- both database engines


def running_pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server (initdb in a temp dir, unix socket) for a fixture to
    yield. Without server binaries the test is skipped, saying why (failed in CI)."""
    found = find_bindir()
    if isinstance(found, str):
        if os.environ.get("KAMERWATCH_REQUIRE_PG"):
            pytest.fail(found)
        pytest.skip(found)
    server = PgServer(found).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One server per test process, shared by the PostgreSQL variants of the tests."""
    yield from running_pg_server()


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each engine: a SQLite file in ``tmp_path/data`` (where
    ``kamerwatch --data-dir tmp_path/data`` finds it) or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'kamerwatch.sqlite3'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data" / "kamerwatch.sqlite3"


SAMPLE_TODAY_ISO = "2026-11-28"


@pytest.fixture(scope="session")
def synced_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample parliament (8 weeks, today = 2026-11-28) synced by the real command
    into a fresh data dir; returns the database path. Read-only for the tests."""
    from datetime import date

    from kamerwatch.sample.feedserver import FeedServer
    from kamerwatch.sample.parliament import generate

    root = tmp_path_factory.mktemp("synced-sample")
    generate(root / "feed", seed=11, today=date.fromisoformat(SAMPLE_TODAY_ISO), weeks=8)
    with FeedServer(root / "feed") as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=root / "data")
    assert result.returncode == 0, result.stderr
    # the analysis tables, as `update` computes them after a sync
    result = kamerwatch("analyse", data_dir=root / "data")
    assert result.returncode == 0, result.stderr
    return root / "data" / "kamerwatch.sqlite3"


@pytest.fixture(scope="session")
def synced_sample_pg(
    pg_server: PgServer, synced_sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The same sample parliament synced by the real command into a PostgreSQL database
    (a template: nobody connects to it; ``sample_url`` hands out copies)."""
    from kamerwatch.sample.feedserver import FeedServer

    url = pg_server.new_database("sample")
    data_dir = tmp_path_factory.mktemp("synced-sample-pg")
    with FeedServer(synced_sample.parent.parent / "feed") as server:
        result = kamerwatch("sync", "--feed-url", server.url, data_dir=data_dir, database_url=url)
    assert result.returncode == 0, result.stderr
    result = kamerwatch("analyse", data_dir=data_dir, database_url=url)
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def sample_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the synced sample parliament of its own for a test module, on each engine
    (SQLite: a file in a fresh data dir; PostgreSQL: a copy of the template database)."""
    if request.param == "postgresql":
        template = request.getfixturevalue("synced_sample_pg")
        return str(request.getfixturevalue("pg_server").new_database("sample", template=template))
    path = tmp_path_factory.mktemp("sample-data") / "kamerwatch.sqlite3"
    shutil.copy(request.getfixturevalue("synced_sample"), path)
    return f"sqlite:///{path}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Where tests left artifacts (the browser test's screenshots), also under xdist."""
    places = sorted(
        {
            f"{report.nodeid}: {value}"
            for reports in terminalreporter.stats.values()
            for report in reports
            for name, value in getattr(report, "user_properties", ())
            if name == "artifacts" and getattr(report, "when", "call") == "call"
        }
    )
    if places:
        terminalreporter.write_sep("-", "artifacts")
        for line in places:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With ``--dist loadgroup`` (``make test``) the tests of a module that builds a
    module-scoped fixture of its own (a synced world, an alerts run, a fetched sample) run on
    one xdist worker, so that fixture is built once instead of once per worker."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        module = item.nodeid.split("::")[0]
        for defs in info.name2fixturedefs.values() if info else ():
            if defs[-1].scope == "module" and defs[-1].baseid == module:
                item.add_marker(pytest.mark.xdist_group(module))
                break
