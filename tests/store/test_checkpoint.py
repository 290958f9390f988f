"""The background WAL checkpointer: the writer never checkpoints inline, the WAL stays
bounded, and everything committed is in the database file afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kamerwatch.store.checkpoint import BackgroundCheckpointer
from kamerwatch.store.db import Database


def test_bounded_wal_and_complete_database(tmp_path: Path) -> None:
    path = tmp_path / "kamerwatch.sqlite3"
    with Database(f"sqlite:///{path}") as db:
        db.conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
        limit = 64
        with BackgroundCheckpointer(path, db.conn, interval=0.01, limit_frames=limit) as ckpt:
            assert db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            for n in range(200):
                ckpt.pause_point()
                with db.transaction() as conn:
                    conn.executemany(
                        "INSERT INTO t (k, v) VALUES (?, ?)",
                        [(n * 50 + i, bytes(2000)) for i in range(50)],
                    )
            assert ckpt.checkpoints > 0
            assert ckpt.pauses > 0  # 200 × 100 kB is far beyond 64 pages
        assert db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # truncated at the end
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 200 * 50
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_writer_does_not_wait_without_checkpointer_thread(tmp_path: Path) -> None:
    path = tmp_path / "kamerwatch.sqlite3"
    with Database(f"sqlite:///{path}") as db:
        ckpt = BackgroundCheckpointer(path, db.conn)
        ckpt.pause_point()  # never entered: nothing to wait for
        with ckpt:
            pass
        ckpt.pause_point()  # finished: nothing to wait for either
