"""``kamerwatch convert`` end to end: real files through fetch and convert, a corrupt file
recorded with its reason, nothing converted twice, a new version converted again, the
preview on the document page and the text in the search index."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import DATA, kamerwatch
from tests.documents.test_fetch import gid, rows, write_feed

REAL_PDF = (DATA / "resources" / "d7a5dc6c-3636-4acd-8630-96c14e97dcce.pdf").read_bytes()
REAL_DOCX = (DATA / "resources" / "0787ced2-629a-4d32-ab8f-4b97a7680248.docx").read_bytes()


def test_convert_stage_end_to_end(tmp_path: Path) -> None:
    feed, data = tmp_path / "feed", tmp_path / "data"
    write_feed(
        feed,
        {
            "echte pdf": ("Document", REAL_PDF),
            "echte docx": ("Document", REAL_DOCX),
            "kapotte pdf": ("Document", REAL_PDF[: len(REAL_PDF) // 3]),
        },
    )
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents", "convert", "index"):
            result = (
                kamerwatch(command, "--feed-url", server.url, data_dir=data)
                if command in ("sync", "fetch-documents")
                else kamerwatch(command, data_dir=data)
            )
            assert result.returncode == 0, (command, result.stderr)
    conversions = {
        r[0]: r[1:]
        for r in rows(data, "SELECT entity_id, method, failure, length(text) FROM conversion")
    }
    assert (
        conversions[gid("echte pdf")][0] == "pypdfium2" and conversions[gid("echte pdf")][2] > 100
    )
    assert conversions[gid("echte docx")][1] is None and conversions[gid("echte docx")][2] > 100
    assert conversions[gid("kapotte pdf")][1], "a corrupt file has a recorded reason"
    again = kamerwatch("convert", data_dir=data)
    assert again.returncode == 0 and "0 te doen" in again.stdout + again.stderr
    status = kamerwatch("status", data_dir=data)
    assert "omzetten mislukt" in status.stdout
    # the words of the real motion are searchable
    search_rows = rows(
        data, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'body:\"Rafah\"'"
    )
    assert search_rows[0][0] == 1
    # a new version of a file is converted again
    write_feed(feed, {"echte docx": ("Document", REAL_PDF)}, token=5000, page="p2.xml")
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            assert kamerwatch(command, "--feed-url", server.url, data_dir=data).returncode == 0
    assert kamerwatch("convert", data_dir=data).returncode == 0
    method = rows(
        data, f"SELECT method, version FROM conversion WHERE entity_id = '{gid('echte docx')}'"
    )
    assert method == [("pypdfium2", 2)]


def test_a_hanging_file_is_cut_off_and_the_rest_converted(tmp_path: Path) -> None:
    import os

    feed, data = tmp_path / "feed", tmp_path / "data"
    write_feed(feed, {"goed": ("Document", REAL_PDF), "hangt": ("Document", REAL_PDF + b"x")})
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            assert kamerwatch(command, "--feed-url", server.url, data_dir=data).returncode == 0
    (stored,) = rows(data, f"SELECT path FROM resource_file WHERE entity_id = '{gid('hangt')}'")[0]
    path = data / "files" / stored
    path.unlink()
    os.mkfifo(path)  # opening it blocks forever: a converter that hangs
    result = kamerwatch(
        "convert", data_dir=data, env={"KAMERWATCH_CONVERT_TIME_LIMIT": "2"}, timeout=120
    )
    assert result.returncode == 0, result.stderr
    conversions = dict(rows(data, "SELECT entity_id, coalesce(failure, 'ok') FROM conversion"))
    assert conversions[gid("goed")] == "ok"
    assert "liep vast" in conversions[gid("hangt")]
