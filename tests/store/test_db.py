"""The database door: migrations are named, recorded and run once on both engines; bad URLs
are clear errors; a lost PostgreSQL connection is a clear error and the next use reconnects."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamerwatch.store.db import Database, DatabaseError, dialect, sqlite_path, upsert_sql
from kamerwatch.store.locks import StageBusy, stage_lock
from kamerwatch.store.migrations import MIGRATIONS, migrate
from kamerwatch.store.pg import PgDatabase, translate
from kamerwatch.sync.parsers import CATEGORIES
from tests.conftest import connect
from tests.pgserver import PgServer


def _tables(db: Database) -> set[str]:
    if db.dialect == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    return {r[0] for r in db.conn.execute(sql)}


def test_migrations_recorded_once(db_url: str) -> None:
    with Database(db_url) as db:
        names = [r[0] for r in db.conn.execute("SELECT name FROM schema_migration ORDER BY name")]
        assert names == [name for name, _ in MIGRATIONS]
        assert migrate(db) == []  # nothing left to do
        tables = _tables(db)
    assert {c.lower() for c in CATEGORIES} <= tables
    assert {"raw_entry", "sync_cursor", "link", "unknown_element", "search_doc"} <= tables


def test_the_url_chooses_the_engine(db_url: str) -> None:
    with Database(db_url) as db:
        assert dialect(db.conn) == db.dialect
        assert isinstance(db, PgDatabase) == db_url.startswith("postgresql")


def test_transaction_rolls_back_on_error(db_url: str) -> None:
    with Database(db_url) as db:
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
        assert db.conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 0


def test_portable_upsert_and_placeholders(db_url: str) -> None:
    sql = upsert_sql("meta", ("key", "value"), ("key",))
    with Database(db_url) as db, db.transaction() as conn:
        conn.execute(sql, ("a", "1"))
        conn.execute(sql, ("a", "2"))  # replaces, as INSERT OR REPLACE did
        conn.execute(sql, ("b", "50%"))
        rows = conn.execute(
            "SELECT key, value FROM meta WHERE key = ?1 OR (key <> ?1 AND value LIKE '5%') "
            "ORDER BY key",
            ("a",),
        ).fetchall()
        assert [tuple(r) for r in rows] == [("a", "2"), ("b", "50%")]
        found = conn.execute("SELECT instr(value, '%') FROM meta WHERE key = 'b'").fetchone()
        assert found[0] == 3


def test_translation_leaves_literals_alone() -> None:
    text, order = translate("SELECT '?', x FROM t WHERE a = ?2 AND b = ?1 AND c LIKE 'x%'")
    assert text == "SELECT '?', x FROM t WHERE a = %s AND b = %s AND c LIKE 'x%%'"
    assert order == (1, 0)


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
    db = Database(url)
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
