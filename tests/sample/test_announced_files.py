"""Our own sample is true as well (issue #20.9): every announced ``contentLength`` and
``contentType`` of the synced sample equals the file the feed server serves for it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from kamerwatch.sample.benchfeed import generate as generate_bench
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from tests.conftest import SAMPLE_TODAY_ISO

ATOM = "{http://www.w3.org/2005/Atom}"


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


def _announcements(feed_url: str, http: httpx.Client) -> Iterator[tuple[int, str, str, int, str]]:
    """Every entry the server serves, page after page over all categories (superseded
    entries included, if any): (token, category, id, contentLength, contentType) of each
    entry that announces a file."""
    url: str | None = f"{feed_url}/Feed"
    while url:
        response = http.get(url)
        assert response.status_code == 200, url
        root = etree.fromstring(response.content)
        url = None
        for link in root.findall(f"{ATOM}link"):
            if link.get("rel") == "next":
                url = link.get("href")
        for entry in root.iter(f"{ATOM}entry"):
            next_href = next(
                link.get("href")
                for link in entry.findall(f"{ATOM}link")
                if link.get("rel") == "next"
            )
            token = int(next_href.split("skiptoken=")[1].split("&")[0])
            category = entry.find(f"{ATOM}category").get("term")
            entity = next(iter(entry.find(f"{ATOM}content")))
            attrs = {etree.QName(k).localname: v for k, v in entity.attrib.items()}
            if "contentLength" in attrs or "contentType" in attrs:
                yield (
                    token,
                    category,
                    entity.get("id"),
                    int(attrs.get("contentLength", -1)),
                    attrs.get("contentType", ""),
                )


def _untrue(feed_dir: Path) -> tuple[int, list[tuple[Any, ...]]]:
    checked = 0
    wrong: list[tuple[Any, ...]] = []
    with FeedServer(feed_dir) as server, httpx.Client(timeout=10) as http:
        for token, category, ident, length, ctype in _announcements(server.url, http):
            checked += 1
            response = http.get(f"{server.url}/Resources/{ident}")
            served_type = response.headers.get("content-type", "").split(";")[0]
            if (
                response.status_code != 200
                or len(response.content) != length
                or served_type != ctype
            ):
                wrong.append(
                    (
                        token,
                        category,
                        ident,
                        length,
                        ctype,
                        response.status_code,
                        len(response.content),
                        served_type,
                    )
                )
    return checked, wrong


def test_every_entry_of_the_feed_announces_its_file_truly(tmp_path: Path) -> None:
    """Not only the synced state: EVERY entry the sample feed server serves (all pages, every
    version of an entity, withdrawn documents' earlier entries) announces the length and type
    of the file ``/Resources/<id>`` serves. Before #20.9 a document's new version replaced its
    file while the earlier entry kept announcing the old one (seed 11, 8 weeks, when it was
    fixed: 2 entries, one announcing a docx where the new version is a pdf), and a withdrawn
    document's file was deleted under its earlier entries (2 more): a sync that stopped
    between the two entries, as an incremental update does, then fetched a file of another
    length than announced."""
    generate(tmp_path / "feed", seed=11, today=date.fromisoformat(SAMPLE_TODAY_ISO), weeks=8)
    summary = json.loads((tmp_path / "feed" / "expected.json").read_text(encoding="utf-8"))
    versions = summary["categories"]["DocumentVersie"]["created"]
    assert versions > summary["categories"]["Document"]["created"]  # some have a new version
    checked, wrong = _untrue(tmp_path / "feed")
    assert checked > 600
    assert not wrong, wrong[:5]


def test_every_entry_of_the_bench_feed_announces_its_file_truly(tmp_path: Path) -> None:
    """The same for the benchmark feed with files (updates of downloadable entities)."""
    generate_bench(tmp_path / "bench", 3_000, seed=5, resources=True)
    checked, wrong = _untrue(tmp_path / "bench")
    assert checked > 300
    assert not wrong, wrong[:5]
