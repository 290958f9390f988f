"""Our own sample is true as well (issue #20.9): every announced ``contentLength`` and
``contentType`` of the synced sample equals the file the feed server serves for it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from kamerwatch.sample.feedserver import FeedServer


def test_every_announced_length_and_type_is_the_served_file(synced_sample: Path) -> None:
    feed_dir = synced_sample.parent.parent / "feed"
    conn = sqlite3.connect(synced_sample)
    announced = [
        (category, ident, ctype, length)
        for category, table in (
            ("Document", "document"),
            ("Verslag", "verslag"),
            ("Persoon", "persoon"),
            ("Fractie", "fractie"),
        )
        for ident, ctype, length in conn.execute(
            f"SELECT id, content_type, content_length FROM {table} "
            "WHERE content_length IS NOT NULL ORDER BY id"
        )
    ]
    conn.close()
    assert len(announced) > 300
    wrong = []
    with FeedServer(feed_dir) as server, httpx.Client(timeout=10) as http:
        for category, ident, ctype, length in announced:
            response = http.get(f"{server.url}/Resources/{ident}")
            assert response.status_code == 200, (category, ident)
            served_type = response.headers["content-type"].split(";")[0]
            if len(response.content) != length or served_type != ctype:
                wrong.append((category, ident, length, len(response.content), ctype, served_type))
    assert not wrong, wrong[:5]
