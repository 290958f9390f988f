"""The database door: migrations are named, recorded and run once; bad URLs are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamerwatch.store.db import Database, DatabaseError, sqlite_path
from kamerwatch.store.migrations import MIGRATIONS, migrate
from kamerwatch.sync.parsers import CATEGORIES


def test_migrations_recorded_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Database(url) as db:
        names = [r[0] for r in db.conn.execute("SELECT name FROM schema_migration ORDER BY name")]
        assert names == [name for name, _ in MIGRATIONS]
        assert migrate(db) == []  # nothing left to do
        tables = {
            r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {c.lower() for c in CATEGORIES} <= tables
    assert {"raw_entry", "sync_cursor", "link", "unknown_element"} <= tables


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with Database(f"sqlite:///{tmp_path / 'db.sqlite3'}") as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
        assert db.conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 0


def test_sqlite_urls() -> None:
    assert sqlite_path("sqlite:///data/x.sqlite3") == Path("data/x.sqlite3")
    assert sqlite_path("sqlite:////abs/x.sqlite3") == Path("/abs/x.sqlite3")
    with pytest.raises(DatabaseError, match="PostgreSQL"):
        sqlite_path("postgresql://user@host/db")
    with pytest.raises(DatabaseError, match="schema"):
        sqlite_path("mysql://x")


def test_unusable_database_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="onbruikbaar"):
        Database(f"sqlite:///{bad}")
