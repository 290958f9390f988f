"""The database door: migrations are named, recorded and run once on both engines; bad URLs
are clear errors; a lost PostgreSQL connection is a clear error and the next use reconnects."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamerwatch.store.db import Database, DatabaseError, in_list, sqlite_path, upsert_sql
from kamerwatch.store.locks import StageBusy, stage_lock
from kamerwatch.store.migrations import ordered
from kamerwatch.store.pg import PgDatabase, to_format
from kamerwatch.subsystems import SETS, migrate, open_migrated
from kamerwatch.sync.parsers import CATEGORIES
from tests.conftest import connect
from tests.pgserver import PgServer


def _tables(db: Database) -> set[str]:
    if db.backend.name == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    return {r[0] for r in db.conn.execute(sql)}


def test_migrations_recorded_once(db_url: str) -> None:
    with open_migrated(db_url) as db:
        names = [r[0] for r in db.conn.execute("SELECT name FROM schema_migration ORDER BY name")]
        assert names == sorted(m.name for m in ordered(SETS))
        assert migrate(db) == []  # nothing left to do
        tables = _tables(db)
    assert {c.lower() for c in CATEGORIES} <= tables
    assert {"raw_entry", "sync_cursor", "link", "unknown_element", "search_doc"} <= tables


def test_the_url_chooses_the_engine(db_url: str) -> None:
    with Database(db_url) as db:
        assert db.conn.backend.name == db.backend.name
        assert db.conn.backend is db.backend
        assert isinstance(db, PgDatabase) == db_url.startswith("postgresql")


def test_transaction_rolls_back_on_error(db_url: str) -> None:
    with open_migrated(db_url) as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
        assert db.conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 0


def test_portable_upsert_and_placeholders(db_url: str) -> None:
    sql = upsert_sql("meta", ("key", "value"), ("key",))
    with open_migrated(db_url) as db, db.transaction() as conn:
        conn.execute(sql, ("a", "1"))
        conn.execute(sql, ("a", "2"))  # replaces, as INSERT OR REPLACE did
        conn.execute(sql, ("b", "50%"))
        rows = conn.execute(
            "SELECT key, value FROM meta WHERE key = ? OR (key <> ? AND value LIKE '5%') "
            "ORDER BY key",
            ("a", "a"),
        ).fetchall()
        assert [tuple(r) for r in rows] == [("a", "2"), ("b", "50%")]
        has = conn.backend.contains("value", "?")  # the engines' own spelling, side by side
        found = conn.execute(f"SELECT key FROM meta WHERE {has} ORDER BY key", ("%",))
        assert [r[0] for r in found] == ["b"]


def test_placeholders_only_change_their_spelling() -> None:
    """qmark → format, and nothing else: literals, quoted names and comments keep their
    ``?``; every ``%`` is doubled for psycopg; ORDER BY, functions, DDL stay as written."""
    sql = "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE a = ? AND c LIKE 'x%' -- b = ?\nORDER BY d"
    assert to_format(sql) == (
        "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE a = %s AND c LIKE 'x%%' -- b = ?\nORDER BY d"
    )
    assert to_format("SELECT instr(a, ?) % 2") == "SELECT instr(a, %s) %% 2"


def test_in_list_of_nothing_matches_nothing(db_url: str) -> None:
    """``IN ()`` is a syntax error on PostgreSQL: the one helper writes ``IN (NULL)``."""
    with open_migrated(db_url) as db:
        for values in ([], ["x"], ["x", "y"]):
            sql = f"SELECT count(*) FROM meta WHERE key IN ({in_list(values)})"
            assert db.conn.execute(sql, values).fetchone()[0] == 0


def test_sqlite_urls() -> None:
    assert sqlite_path("sqlite:///data/x.sqlite3") == Path("data/x.sqlite3")
    assert sqlite_path("sqlite:////abs/x.sqlite3") == Path("/abs/x.sqlite3")
    with pytest.raises(DatabaseError, match="schema"):
        sqlite_path("mysql://x")
    with pytest.raises(DatabaseError, match="schema"):
        Database("mysql://x")


def test_unusable_database_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="onbruikbaar"):
        Database(f"sqlite:///{bad}")


def test_unreachable_postgresql_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="onbereikbaar"):
        Database(f"postgresql://nobody@/nothing?host={tmp_path}&connect_timeout=2")


def test_stage_lock_one_holder_and_released_by_a_crash(db_url: str, tmp_path: Path) -> None:
    """Two runners of one stage: the second is refused; a holder killed by SIGKILL leaves
    no lock behind (the session or the flock dies with the process)."""
    with Database(db_url) as db:
        with stage_lock(db, "sync"):
            with pytest.raises(StageBusy, match="sync loopt al"), stage_lock(db, "sync"):
                pass
            with stage_lock(db, "index"):  # another stage is free
                pass
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time\n"
                "from kamerwatch.store.db import Database\n"
                "from kamerwatch.store.locks import stage_lock\n"
                "db = Database(sys.argv[1])\n"
                "with stage_lock(db, 'sync'):\n"
                "    print('held', flush=True)\n"
                "    time.sleep(120)\n",
                db_url,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            with pytest.raises(StageBusy), stage_lock(db, "sync"):
                pass
        finally:
            holder.kill()
            holder.wait()
        deadline = time.monotonic() + 20
        while True:
            try:
                with stage_lock(db, "sync"):
                    break
            except StageBusy:
                assert time.monotonic() < deadline, "lock of a killed holder never freed"
                time.sleep(0.2)


def test_server_restart_is_a_clear_error_then_reconnects(pg_server: PgServer) -> None:
    url = pg_server.new_database()
    db = open_migrated(url)
    try:
        with db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('kept', '1')")
        pg_server.restart()
        with pytest.raises(DatabaseError, match=r"verbroken|onbereikbaar"), db.transaction() as c:
            c.execute("INSERT INTO meta (key, value) VALUES ('lost', '1')")
        with db.transaction() as conn:  # the door reconnects: nothing committed was lost
            conn.execute("INSERT INTO meta (key, value) VALUES ('after', '1')")
        keys = {r[0] for r in connect(url).execute("SELECT key FROM meta")}
        assert keys == {"kept", "after"}
    finally:
        db.close()
        pg_server.drop_database(url)
