"""#21.3 — a feed page that never ends grew the sync to gigabytes; one that trickles a byte
at a time kept it hanging far past its time-out. Every body is read with a size cap and a
total deadline per request (``kamerwatch.httpclient``), for feed pages and files alike."""

from __future__ import annotations

import time
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import kamerwatch
from tests.security.conftest import document_values, gid, write_feed

LIMITS = {
    "KAMERWATCH_REQUEST_TIMEOUT": "2",
    "KAMERWATCH_REQUEST_DEADLINE": "3",
    "KAMERWATCH_DOWNLOAD_DEADLINE": "3",
    "KAMERWATCH_FEED_PAGE_MAX_MB": "1",
    "KAMERWATCH_MAX_RETRIES": "1",
}


def _feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed"
    write_feed(
        feed, [(gid("doc"), b"%PDF-1.4\n" + b"x" * 4000 + b"\n%%EOF\n", document_values(1, "d"))]
    )
    return feed


def test_a_trickling_feed_page_fails_at_the_deadline(tmp_path: Path) -> None:
    with FeedServer(_feed(tmp_path)) as server:
        server.add_faults(
            [{"mode": "trickle", "seconds": 0.5, "times": -1, "category": "Document"}]
        )
        start = time.monotonic()
        result = kamerwatch(
            "sync", "--feed-url", server.url, data_dir=tmp_path / "data", env=LIMITS, timeout=90
        )
        took = time.monotonic() - start
    assert result.returncode != 0
    assert "niet binnen 3s compleet" in result.stderr + result.stdout
    assert took < 40  # 2 attempts × (3 s deadline + at most one 2 s read) + start-up


def test_an_endless_feed_page_is_cut_off_at_the_size_cap(tmp_path: Path) -> None:
    with FeedServer(_feed(tmp_path)) as server:
        server.add_faults([{"mode": "endless", "times": -1, "category": "Document"}])
        result = kamerwatch(
            "sync", "--feed-url", server.url, data_dir=tmp_path / "data", env=LIMITS, timeout=90
        )
        hits = [r for r in server.requests() if r["fault"] == "endless"]
    assert result.returncode != 0
    assert "antwoord te groot: meer dan 1.0 MB" in result.stderr + result.stdout
    assert len(hits) == 1  # too large is final, not retried


def test_a_trickling_file_download_fails_at_the_deadline(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with FeedServer(_feed(tmp_path)) as server:
        synced = kamerwatch("sync", "--feed-url", server.url, data_dir=data, env=LIMITS)
        assert synced.returncode == 0, synced.stderr
        server.add_faults([{"mode": "trickle", "path": "resources", "seconds": 0.5, "times": -1}])
        start = time.monotonic()
        fetched = kamerwatch(
            "fetch-documents", "--feed-url", server.url, data_dir=data, env=LIMITS, timeout=90
        )
        took = time.monotonic() - start
    assert took < 40
    status = kamerwatch("status", data_dir=data)
    assert "niet binnen 3s compleet" in status.stdout, (fetched.stderr, status.stdout)
