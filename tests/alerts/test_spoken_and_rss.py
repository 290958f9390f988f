"""A persoon monitor reports the meetings the person spoke in (speaking time read from a
real verslag after the monitor was set), mailed through a real SMTP server on loopback; the
account's personal RSS feed at its secret address lists the same hits, and a renewed
address voids the old one. The login flow runs end to end over SMTP too."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from kamerwatch.alerts import SmtpTransport
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.web.app import create_app
from tests.alerts.conftest import Mailbox, numbers_in
from tests.conftest import kamerwatch as run_cli
from tests.documents.test_fetch import gid
from tests.documents.test_speaking_stage import MIVD, _write
from tests.mailserver import free_port

ADDRESS = "volger@example.org"


def _login(client: TestClient, box: Mailbox, address: str) -> str:
    """Log in through the mailed link; returns the CSRF token of /mijn."""
    assert client.post("/mijn/link", data={"email": address}).status_code == 200
    (mail,) = box.to(address)
    body = mail.get_body(("plain",))
    assert body is not None
    link = re.search(r"https?://\S+/mijn/inloggen\?t=(\S+)", body.get_content())
    assert link, body.get_content()
    opened = client.get(f"/mijn/inloggen?t={link.group(1)}")
    assert opened.status_code == 200 and "kw_sessie" not in opened.headers.get("set-cookie", "")
    done = client.post("/mijn/inloggen/bevestig", data={"t": link.group(1)})
    assert done.status_code == 303 and "HttpOnly" in done.headers["set-cookie"]
    mine = client.get("/mijn").text
    assert f"Ingelogd als <strong>{address}</strong>" in mine
    csrf = re.search(r'name="csrf" value="([^"]+)"', mine)
    assert csrf
    return csrf.group(1)


def test_spoken_meeting_mailed_and_in_personal_rss(
    tmp_path: Path, smtp: tuple[str, Mailbox]
) -> None:
    url, box = smtp
    feed, data = tmp_path / "feed", tmp_path / "data"
    _write(feed, MIVD, 1000, "p1.xml", people=True)
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            assert run_cli(command, "--feed-url", server.url, data_dir=data).returncode == 0
    db_url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    app = create_app(db_url, "http://kw.example", transport=SmtpTransport(url, timeout=5))
    with TestClient(app, follow_redirects=False) as client:
        csrf = _login(client, box, ADDRESS)
        added = client.post(
            "/mijn/monitor", data={"soort": "persoon", "waarde": "4322", "csrf": csrf}
        )
        assert added.status_code == 303
        feed_url = re.search(
            r'value="(http://kw\.example/mijn/rss/[^"]+)"', client.get("/mijn").text
        )
        assert feed_url
        path = feed_url.group(1).removeprefix("http://kw.example")

        # the verslag is read after the monitor was set: Nordkamp (4322) spoke in it
        assert run_cli("convert", data_dir=data).returncode == 0
        env = {"KAMERWATCH_SMTP_URL": url, "KAMERWATCH_BASE_URL": "http://kw.example"}
        assert run_cli("alerts", "run", data_dir=data, env=env).returncode == 0
        digests = [m for m in box.to(ADDRESS) if "Inloggen" not in str(m["Subject"])]
        assert len(digests) == 1
        assert gid("vergadering") in numbers_in(digests[0])
        text = digests[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "sprak in deze vergadering" in text
        assert f"http://kw.example/verslag/{gid('vergadering')}" in text

        rss = client.get(path, cookies={})
        assert rss.status_code == 200 and rss.headers["content-type"].startswith(
            "application/rss+xml"
        )
        assert f"http://kw.example/verslag/{gid('vergadering')}" in rss.text
        assert "sprak in deze vergadering" in rss.text
        assert client.get(path.replace(".xml", "0.xml")).status_code == 404, "forged address"

        # nothing twice: a second run mails nothing
        assert run_cli("alerts", "run", data_dir=data, env=env).returncode == 0
        assert len([m for m in box.to(ADDRESS) if "Inloggen" not in str(m["Subject"])]) == 1

        renewed = client.post("/mijn/rss/vernieuwen", data={"csrf": csrf})
        assert renewed.status_code == 303
        assert client.get(path).status_code == 404, "the old address is void"
        new = re.search(r'value="http://kw\.example(/mijn/rss/[^"]+)"', client.get("/mijn").text)
        assert new and new.group(1) != path
        assert client.get(new.group(1)).status_code == 200


def test_login_link_over_smtp_failure_is_not_a_500(tmp_path: Path) -> None:
    """The SMTP server is down: the page says so (503), nothing crashes."""
    feed, data = tmp_path / "feed", tmp_path / "data"
    _write(feed, MIVD, 1000, "p1.xml", people=True)
    with FeedServer(feed) as server:
        assert run_cli("sync", "--feed-url", server.url, data_dir=data).returncode == 0
    dead = SmtpTransport(f"smtp://127.0.0.1:{free_port()}", timeout=2, retries=1, backoff=0)
    app = create_app(f"sqlite:///{data / 'kamerwatch.sqlite3'}", transport=dead)
    with TestClient(app, follow_redirects=False) as client:
        page = client.post("/mijn/link", data={"email": ADDRESS})
        # honest: the mail could not be sent (503), said in Dutch, no 500 and no false promise
        assert page.status_code == 503, page.status_code
        assert "kon niet worden verstuurd" in page.text and "staat er nu" not in page.text
