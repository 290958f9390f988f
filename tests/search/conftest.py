"""The synced sample parliament, indexed, on each database engine: built once per module
per engine (PostgreSQL: synced by the real command into a template database, which each
test that changes data gets a fresh copy of)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.search.index import run_index
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from tests.conftest import BACKENDS, kamerwatch
from tests.pgserver import PgServer


@dataclass
class Corpus:
    """An indexed copy of the sample: ``url`` to read (tests must not change it) and
    ``fresh()`` for a writable copy of its own."""

    engine: str
    url: str
    fresh: Callable[[], str]


def _sqlite_corpus(synced_sample: Path, root: Path) -> Corpus:
    template = root / "template.sqlite3"
    shutil.copy(synced_sample, template)
    with open_migrated(f"sqlite:///{template}") as database:
        run_index(database.conn)

    def fresh() -> str:
        path = root / uuid.uuid4().hex[:8] / "data" / "kamerwatch.sqlite3"
        path.parent.mkdir(parents=True)
        shutil.copy(template, path)
        return f"sqlite:///{path}"

    return Corpus("sqlite", fresh(), fresh)


def _pg_corpus(server: PgServer, synced_sample: Path, root: Path) -> tuple[Corpus, list[str]]:
    feed = synced_sample.parent.parent / "feed"  # what the session fixture synced
    template = server.new_database("tmpl")
    with FeedServer(feed) as feed_server:
        result = kamerwatch(
            "sync", "--feed-url", feed_server.url, data_dir=root / "data", database_url=template
        )
    assert result.returncode == 0, result.stderr
    with open_migrated(template) as database:
        run_index(database.conn)
    made: list[str] = [template]

    def fresh() -> str:
        made.append(server.new_database("search", template=template))
        return made[-1]

    return Corpus("postgresql", fresh(), fresh), made


@pytest.fixture(scope="module")
def sqlite_corpus(synced_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _sqlite_corpus(synced_sample, tmp_path_factory.mktemp("search-sqlite"))


@pytest.fixture(scope="module")
def pg_corpus(
    pg_server: PgServer, synced_sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corpus]:
    corpus, made = _pg_corpus(pg_server, synced_sample, tmp_path_factory.mktemp("search-pg"))
    try:
        yield corpus
    finally:
        for url in made:
            pg_server.drop_database(url)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(request: pytest.FixtureRequest) -> Corpus:
    """The indexed sample on each engine (test ids end in ``[sqlite]`` / ``[postgresql]``)."""
    name = {"sqlite": "sqlite_corpus", "postgresql": "pg_corpus"}[request.param]
    value: Corpus = request.getfixturevalue(name)
    return value


@pytest.fixture(scope="module")
def db(corpus: Corpus) -> Iterator[Database]:
    with open_migrated(corpus.url) as database:
        yield database
