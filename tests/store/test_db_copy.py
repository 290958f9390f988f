"""``kamerwatch db copy``: SQLite → PostgreSQL → SQLite gives back the same installation,
row for row; a non-empty target is refused and left alone."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import connect, dump_state, kamerwatch
from tests.pgserver import PgServer


def test_copy_there_and_back_is_the_same_installation(
    sample_feed_dir: Path, tmp_path: Path, pg_server: PgServer
) -> None:
    data = tmp_path / "data"
    with FeedServer(sample_feed_dir) as server:
        for stage in ("sync", "fetch-documents"):
            assert kamerwatch(stage, "--feed-url", server.url, data_dir=data).returncode == 0
    added = kamerwatch("monitor", "add", "a@example.org", "zaak", "2023Z00200", data_dir=data)
    assert added.returncode == 0, added.stderr
    source = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    pg = pg_server.new_database("copy")
    back = f"sqlite:///{tmp_path / 'back' / 'kamerwatch.sqlite3'}"
    try:
        there = kamerwatch("db", "copy", source, pg, data_dir=data)
        assert there.returncode == 0, there.stderr
        assert "aantallen gecontroleerd" in there.stdout
        original = dump_state(source, search=False)
        assert dump_state(pg, search=False) == original
        # new ids on the target continue after the copied ones
        conn = connect(pg)
        highest = conn.execute("SELECT max(id) FROM sync_run").fetchone()[0]
        new_id = conn.execute(
            "INSERT INTO sync_run (stage, started_at, status) VALUES ('x', 'y', 'z') RETURNING id"
        ).fetchone()[0]
        assert new_id > highest
        conn.execute("DELETE FROM sync_run WHERE id = ?", (new_id,))
        conn.close()
        home = kamerwatch("db", "copy", pg, back, data_dir=data)
        assert home.returncode == 0, home.stderr
        assert dump_state(back, search=False) == original
        again = kamerwatch("db", "copy", source, pg, data_dir=data)
        assert again.returncode != 0 and "niet leeg" in again.stderr
        assert "Traceback" not in again.stderr
        assert dump_state(pg, search=False) == original  # untouched
    finally:
        pg_server.drop_database(pg)
