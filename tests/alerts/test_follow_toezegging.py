"""Following one toezegging end to end (#25.4, #25.6): a monitor on the toezegging, the feed
publishes a new version of it (fulfilled), `kamerwatch sync` takes it in, and `kamerwatch
alerts run` mails the follower through a real SMTP server on loopback — once, and nothing
before the change. Both engines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.alerts.conftest import Feeds
from tests.conftest import kamerwatch as run_cli
from tests.mailserver import Mailbox

ENTRY = re.compile(rb"<entry>(?:(?!</entry>).)*?</entry>", re.S)
TOKEN = re.compile(rb"skiptoken=(\d+)")
FOLLOWER = "volger@example.org"


def _toezegging_entries(feed: Path) -> list[bytes]:
    """Every Toezegging entry the feed pages hold, in feed order."""
    found = []
    for page in sorted((feed / "feed").glob("page-*.xml")):
        found += [e for e in ENTRY.findall(page.read_bytes()) if b"<ns1:toezegging " in e]
    return found


def _fulfilled(entry: bytes, token: int) -> bytes:
    """A new version of a Toezegging entry: status Voldaan, a later token and time."""
    new = re.sub(rb"<ns1:status>[^<]*</ns1:status>", b"<ns1:status>Voldaan</ns1:status>", entry)
    new = TOKEN.sub(b"skiptoken=%d" % token, new, count=1)
    new = re.sub(
        rb"<updated>[^<]*</updated>", b"<updated>2026-11-28T11:00:00.0000000Z</updated>", new
    )
    return re.sub(rb'ns1:bijgewerkt="[^"]*"', b'ns1:bijgewerkt="2026-11-28T12:00:00+01:00"', new)


def test_a_followed_toezegging_mails_its_follower_when_the_feed_changes_it(
    feeds: Feeds, data_dir: Path, smtp: tuple[str, Mailbox], tmp_path: Path
) -> None:
    url, box = smtp
    env = {"KAMERWATCH_SMTP_URL": url, "KAMERWATCH_BASE_URL": "https://kw.example"}
    # the newest version of an open toezegging the mirror already has
    entries = [e for e in _toezegging_entries(feeds.part) if b"Openstaand" in e]
    assert entries, "the first part of the sample has an open toezegging"
    entry = entries[-1]
    nummer = re.search(rb"<ns1:nummer>([^<]+)</ns1:nummer>", entry).group(1).decode()  # type: ignore[union-attr]
    other = next(
        e for e in reversed(_toezegging_entries(feeds.part)) if nummer.encode() not in e
    )  # a second toezegging that changes too, and must not be mailed

    added = run_cli(
        "monitor", "add", FOLLOWER, "toezeggingen", f"nummer:{nummer}", data_dir=data_dir
    )
    assert added.returncode == 0, added.stderr
    # nothing changed yet: no mail
    first = run_cli("alerts", "run", data_dir=data_dir, env=env)
    assert first.returncode == 0, first.stderr
    assert box.to(FOLLOWER) == []

    # the feed publishes the toezegging again, fulfilled (and another one), on a new page
    feed = tmp_path / "feed"
    shutil.copytree(feeds.part / "feed", feed / "feed")
    (feed / "resources").symlink_to(feeds.part / "resources")
    pages = sorted((feed / "feed").glob("page-*.xml"))
    last = max(int(t) for p in pages for t in TOKEN.findall(p.read_bytes()))
    head, _, _ = pages[-1].read_bytes().partition(b"<entry>")
    new_page = head + _fulfilled(entry, last + 1) + _fulfilled(other, last + 2) + b"</feed>"
    (feed / "feed" / f"page-{len(pages):06d}.xml").write_bytes(new_page)
    with FeedServer(feed) as server:
        synced = run_cli("sync", "--feed-url", server.url, data_dir=data_dir)
    assert synced.returncode == 0, synced.stderr

    run = run_cli("alerts", "run", data_dir=data_dir, env=env)
    assert run.returncode == 0, run.stderr
    mails = box.to(FOLLOWER)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    body = mails[0].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert nummer in text and "Voldaan" in text, text
    other_nummer = re.search(rb"<ns1:nummer>([^<]+)</ns1:nummer>", other).group(1).decode()  # type: ignore[union-attr]
    assert other_nummer not in text
    assert f"https://kw.example/toezegging/{nummer}" in text
    # the same version is never mailed twice
    again = run_cli("alerts", "run", data_dir=data_dir, env=env)
    assert again.returncode == 0, again.stderr
    assert len(box.to(FOLLOWER)) == 1
