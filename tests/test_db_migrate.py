"""`kamerwatch db migrate` is the one way to change the schema; `serve` and the stage
commands refuse a database that is behind or ahead (real subprocesses, both engines)."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.store.migrations import ordered
from kamerwatch.subsystems import SETS
from tests.conftest import connect, kamerwatch
from tests.store.test_migrations import _load_previous

SCHEMA_EXIT = 3
LAST = "0010_search_fractie_tokens"  # safe to apply twice: it empties the index


def _forget(url: str, name: str) -> None:
    """Make the database one migration behind (its record goes; what the step made stays,
    and every migration of this code is safe to run again on it)."""
    conn = connect(url)
    conn.execute("DELETE FROM schema_migration WHERE name = ?", (name,))
    conn.commit()
    conn.close()


def test_migrate_then_serve_refuses_behind_and_ahead(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run = {"data_dir": data, "database_url": db_url, "timeout": 120}
    # a new database: `db migrate --check` says it is empty, `db migrate` gives it its schema
    check = kamerwatch("db", "migrate", "--check", **run)
    assert check.returncode == SCHEMA_EXIT, check.stderr
    assert "db migrate" in check.stderr
    first = kamerwatch("db", "migrate", **run)
    assert first.returncode == 0, first.stderr
    assert f"{len(ordered(SETS))} migratie(s) toegepast" in first.stdout
    again = kamerwatch("db", "migrate", **run)
    assert again.returncode == 0 and "al bij" in again.stdout
    assert kamerwatch("db", "migrate", "--check", **run).returncode == 0

    # behind: serve refuses (before listening), a stage command too; `update` migrates
    _forget(db_url, LAST)
    served = kamerwatch("serve", "--port", "1", **run)
    assert served.returncode == SCHEMA_EXIT, served.stderr
    assert "loopt achter" in served.stderr and "kamerwatch db migrate" in served.stderr
    assert "Traceback" not in served.stderr
    index = kamerwatch("index", **run)
    assert index.returncode == SCHEMA_EXIT and "loopt achter" in index.stderr
    assert kamerwatch("db", "migrate", **run).stdout.startswith(f"1 migratie(s) toegepast: {LAST}")

    # ahead (a newer kamerwatch migrated it): refused by serve, `update` and `db migrate`
    conn = connect(db_url)
    conn.execute("INSERT INTO schema_migration (name, applied_at) VALUES ('9999_nieuw', 'x')")
    conn.commit()
    conn.close()
    for args in (("serve", "--port", "1"), ("update",), ("db", "migrate")):
        result = kamerwatch(*args, **run)
        assert result.returncode == SCHEMA_EXIT, (args, result.stderr)
        assert "nieuwer dan deze versie" in result.stderr and "9999_nieuw" in result.stderr


def test_update_upgrades_a_database_of_the_previous_release(db_url: str, tmp_path: Path) -> None:
    """`update` may migrate: a database of the previous release one migration short is
    brought up to date by it (the feed being away does not matter for that)."""
    _load_previous(db_url)
    _forget(db_url, "0010_search_fractie_tokens")
    run = {"data_dir": tmp_path / "data", "database_url": db_url, "timeout": 120}
    sync = kamerwatch("sync", "--feed-url", "http://127.0.0.1:9/SyncFeed/2.0", **run)
    assert sync.returncode == SCHEMA_EXIT and "0010_search_fractie_tokens" in sync.stderr
    kamerwatch("update", "--feed-url", "http://127.0.0.1:9/SyncFeed/2.0", **run)
    conn = connect(db_url)
    names = {r[0] for r in conn.execute("SELECT name FROM schema_migration")}
    conn.close()
    assert names == {m.name for m in ordered(SETS)}
