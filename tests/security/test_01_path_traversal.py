"""#21.1 — an upstream id is a path: a feed entity with ``id="../Resources/evil"`` made
``fetch-documents`` write the attacker's bytes outside the files directory. Non-GUID ids are
refused at the parser (raw entry kept, refusal recorded) and every target path is resolved
inside the files directory before anything is created."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kamerwatch.safepaths import UnsafePath, path_inside
from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import connect, kamerwatch
from tests.security.conftest import document_values, gid, write_feed

EVIL = b"%PDF-1.4\nattacker bytes\n%%EOF\n"


def test_a_non_guid_entity_id_is_refused_and_nothing_leaves_the_files_dir(
    tmp_path: Path, db_url: str
) -> None:
    feed = tmp_path / "feed"
    good = gid("good")
    # normalised by the HTTP client to /SyncFeed/2.0/Resources/evil: the server has it
    hostile = "../Resources/evil"
    write_feed(
        feed,
        [
            (good, b"%PDF-1.4\nfine\n%%EOF\n", document_values(1, "gewoon")),
            (hostile, EVIL, document_values(2, "kwaadaardig")),
        ],
    )
    data = tmp_path / "data"
    with FeedServer(feed) as server:
        synced = kamerwatch("sync", "--feed-url", server.url, data_dir=data, database_url=db_url)
        assert synced.returncode == 0, synced.stderr
        fetched = kamerwatch(
            "fetch-documents", "--feed-url", server.url, data_dir=data, database_url=db_url
        )
        assert fetched.returncode == 0, fetched.stderr
        assert not [r for r in server.requests() if "evil" in r["path"]]
    written = {p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(feed)}
    assert not [p for p in written if p.read_bytes() == EVIL]
    assert not (data / "Resources").exists()
    files = {p.relative_to(data / "files") for p in (data / "files").rglob("*") if p.is_file()}
    assert files == {Path("document") / good[:2] / good / "1"}
    conn = connect(db_url)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM document ORDER BY id")]
        assert ids == [good]
        raw = list(conn.execute("SELECT id FROM raw_entry ORDER BY skiptoken"))
        assert [r[0] for r in raw] == [good, hostile]  # the raw entry is kept
        refused = list(conn.execute("SELECT category, entity_id, reason FROM refused_entry"))
        assert refused[0][:2] == ("Document", hostile)
        assert "geen GUID" in refused[0][2]
    finally:
        conn.close()
    status = kamerwatch("status", data_dir=data, database_url=db_url)
    assert "1 entries geweigerd" in status.stdout
    # a re-parse of the raw log refuses it again, and mirrors the rest
    reparsed = kamerwatch("sync", "--reparse", data_dir=data, database_url=db_url)
    assert reparsed.returncode == 0, reparsed.stderr
    conn = connect(db_url)
    try:
        assert [r[0] for r in conn.execute("SELECT id FROM document")] == [good]
    finally:
        conn.close()


def test_every_download_path_is_resolved_inside_the_files_dir(tmp_path: Path) -> None:
    files = tmp_path / "files"
    (files / "document").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, files / "document" / "ab")  # a link inside that points outside
    assert path_inside(files, "document", "cd", "x", "1") == (files / "document/cd/x/1").resolve()
    for parts in (
        ("document", "..", "..", "x"),
        ("document", "ab", "x", "1"),
        ("/etc", "passwd"),
        ("document", "a\x00b"),
        ("..",),
        ("",),
    ):
        with pytest.raises(UnsafePath):
            path_inside(files, *parts)
