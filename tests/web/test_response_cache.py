"""Whole responses are kept per data version: a repeated request is served from memory with
the same ETag (304 on If-None-Match), and a sync that changes the data is visible at once
(new body, new ETag, the old ETag no longer gives 304)."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from kamerwatch.web.cache import ResultCache
from kamerwatch.web.mijn import COOKIE
from kamerwatch.web.respond import GELEDEN_MARKER
from tests.web.conftest import data_dir_of
from tests.web.world import BIJGEWERKT, ENTITIES, gid, write_feed

ZAAK = "/zaak/2023Z00142"
NEW_ONDERWERP = "Nieuw onderwerp na de volgende sync"


def sync(root: Path, url: str) -> None:
    with FeedServer(root) as server, open_migrated(url) as db:
        options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
        report = run_sync(db, options, workers=1)
    assert not report.errors, report.errors


def publish_new_zaak_version(root: Path) -> None:
    """The feed publishes a newer version of the zaak (a later page, a higher skiptoken)."""
    spec = spec_for("Zaak")
    values = next(v for c, n, v in ENTITIES if c == "Zaak" and n == "zaak-vragen")
    body = entity_xml(
        spec, {**values, "onderwerp": NEW_ONDERWERP}, id=gid("zaak-vragen"), bijgewerkt=BIJGEWERKT
    )
    entry = entry_xml(
        spec, body, token=90_000, updated="2024-03-01T09:00:00.0000000Z", enclosure=False
    )
    (root / "feed" / "zz-update.xml").write_bytes(feed_page(None, [entry], None))


def test_cached_until_a_sync_changes_the_data(tmp_path: Path) -> None:
    root = write_feed(tmp_path / "feed-root")
    url = f"sqlite:///{tmp_path / 'data' / 'kamerwatch.sqlite3'}"
    sync(root, url)
    with TestClient(create_app(url)) as client:
        first = client.get(ZAAK)
        assert first.status_code == 200 and NEW_ONDERWERP not in first.text
        again = client.get(ZAAK)
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        # the footer's "bijgewerkt … geleden" is filled in at each request, never kept
        assert GELEDEN_MARKER not in again.text
        assert re.search(r"bijgewerkt (zojuist|\d+ \w+ geleden)", again.text)
        tag = first.headers["etag"]
        assert client.get(ZAAK, headers={"If-None-Match": tag}).status_code == 304
        assert client.get(ZAAK + ".json").json()["onderwerp"] != NEW_ONDERWERP

        publish_new_zaak_version(root)
        sync(root, url)

        after = client.get(ZAAK)
        assert after.status_code == 200 and NEW_ONDERWERP in after.text
        assert after.headers["etag"] != tag
        assert client.get(ZAAK, headers={"If-None-Match": tag}).status_code == 200
        assert client.get(ZAAK + ".json").json()["onderwerp"] == NEW_ONDERWERP


def test_unknown_pages_are_not_kept_and_cookies_bypass_the_cache(web_db_url: str) -> None:
    with TestClient(create_app(web_db_url, data_dir=data_dir_of(web_db_url))) as client:
        for _ in range(2):
            assert client.get("/zaak/2099Z99999").status_code == 404
        anonymous = client.get(ZAAK)
        client.cookies.set(COOKIE, "onbekend")
        signed = client.get(ZAAK)
        assert signed.status_code == 200 and signed.text == anonymous.text


def test_the_cache_knows_the_heads_of_the_keys_it_keeps() -> None:
    """A never-asked URL is passed on without the data version's query: the cache says
    whether any key with its path and parameters is kept, also after evictions."""
    store: ResultCache[bytes] = ResultCache(size=2, head=2)
    assert not store.holds_head(("/zoeken", (("q", "a"),)))
    store.put(("/zoeken", (("q", "a"),), "v1"), b"1")
    store.put(("/zoeken", (("q", "a"),), "v1"), b"1 again")  # the same key: counted once
    store.put(("/zoeken", (("q", "a"),), "v2"), b"2")
    assert store.holds_head(("/zoeken", (("q", "a"),)))
    assert not store.holds_head(("/zoeken", (("q", "b"),)))
    store.put(("/zoeken", (("q", "b"),), "v2"), b"3")  # evicts v1 of q=a; v2 stays
    assert store.holds_head(("/zoeken", (("q", "a"),)))
    store.put(("/zaak/X", (), "v2"), b"4")  # evicts v2 of q=a: no key of it left
    assert not store.holds_head(("/zoeken", (("q", "a"),)))
    assert store.holds_head(("/zoeken", (("q", "b"),))) and store.holds_head(("/zaak/X", ()))
