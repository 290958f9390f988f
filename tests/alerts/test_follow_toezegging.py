"""Following one toezegging end to end (#25.4, #25.6): a reader logs in through the mailed
link and clicks the bell on the toezegging's page, the feed publishes a new version of it
(fulfilled), `kamerwatch sync` takes it in, and `kamerwatch alerts run` mails the follower
through a real SMTP server on loopback — once, and nothing before the change. Both
engines."""

from __future__ import annotations

import email
import re
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.web.app import create_app
from tests.alerts.conftest import Feeds
from tests.conftest import kamerwatch as run_cli
from tests.conftest import url_of
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


def _follow_with_the_bell(data_dir: Path, nummer: str) -> None:
    """Log in by the mailed link (kept as .eml without SMTP) and click the toezegging's bell."""
    app = create_app(url_of(data_dir), data_dir=data_dir)
    with TestClient(app, follow_redirects=False) as client:
        assert client.post("/mijn/link", data={"email": FOLLOWER}).status_code == 200
        (mail,) = (data_dir / "mail").glob("*.eml")
        body = email.message_from_bytes(mail.read_bytes()).get_payload(decode=True).decode()  # type: ignore[union-attr]
        token = re.search(r"/mijn/inloggen\?t=(\S+)", body).group(1)  # type: ignore[union-attr]
        assert client.post("/mijn/inloggen/bevestig", data={"t": token}).status_code == 303
        page = client.get(f"/toezegging/{nummer}")
        assert page.status_code == 200
        bell = re.search(
            r'<form method="post" action="/mijn/monitor" class="bel".*?</form>', page.text, re.S
        )
        assert bell is not None, "the toezegging page has a bell"
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', bell.group(0)))
        assert fields["soort"] == "toezeggingen" and fields["waarde"] == f"nummer:{nummer}"
        clicked = client.post("/mijn/monitor", data=fields)
        assert clicked.status_code == 303, clicked.text
        following = client.get(f"/toezegging/{nummer}").text
        assert "U volgt dit" in following


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

    _follow_with_the_bell(data_dir, nummer)
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
