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


def test_mistyped_or_empty_source_is_an_error(tmp_path: Path, pg_server: PgServer) -> None:
    """A mistyped SQLite source used to become a new empty database, "copied" 0 rows, said
    "aantallen gecontroleerd" and exited 0."""
    data = tmp_path / "data"
    missing = f"sqlite:///{tmp_path / 'typo' / 'kamerwach.sqlite3'}"
    target = tmp_path / "doel" / "kamerwatch.sqlite3"
    done = kamerwatch("db", "copy", missing, f"sqlite:///{target}", data_dir=data)
    assert done.returncode == 1, done.stdout
    assert "bestaat niet" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "typo").exists() and not target.exists()
    # an existing but empty installation (made by a first start, never synced)
    empty = f"sqlite:///{tmp_path / 'leeg' / 'kamerwatch.sqlite3'}"
    assert kamerwatch("status", data_dir=tmp_path / "leeg").returncode == 0
    pg = pg_server.new_database("copyempty")
    try:
        for source, to in (
            (empty, f"sqlite:///{target}"),
            (empty, pg),
            (pg, f"sqlite:///{target}"),
        ):
            done = kamerwatch("db", "copy", source, to, data_dir=data)
            assert done.returncode == 1, done.stdout
            assert "bevat geen gegevens" in done.stderr and "Traceback" not in done.stderr
            assert "aantallen gecontroleerd" not in done.stdout
            assert not target.exists()  # a target file made for the copy is removed again
    finally:
        pg_server.drop_database(pg)
