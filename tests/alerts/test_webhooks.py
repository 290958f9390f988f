"""Webhooks (issue #27) through a real HTTP receiver on loopback: signed, retried after a
500 and a timeout, one delivery id for every attempt and none after success; instead of
mail; loopback refused unless the setting allows it; the delivery log on /mijn."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kamerwatch import alerts
from kamerwatch.alerts.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    WebhookError,
    address_allowed,
    check_url,
    shown,
    verify,
)
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from tests.alerts.conftest import Feeds, numbers_in, sync_rest
from tests.conftest import url_of
from tests.ports import free_port

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class Receiver:
    """A real HTTP server: answers each POST with the next scripted behaviour (an HTTP
    status, or ``"hang"``: no answer for longer than the client waits), then 200."""

    def __init__(self) -> None:
        self.script: list[int | str] = []
        self.got: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.got.append((dict(self.headers.items()), body))
                step = outer.script.pop(0) if outer.script else 200
                if step == "hang":
                    time.sleep(1.5)
                    step = 200
                self.send_response(int(step))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


class Capture:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        self.sent.append(message)


LOOPBACK = alerts.WebhookOptions(allow_private=True, timeout=0.5, retry_base=60, workers=2)


def _run(db: Database, mail: Capture, now: datetime, options: Any = LOOPBACK) -> alerts.RunReport:
    return alerts.run_alerts(
        db,
        mail,
        base_url="https://kw.example",
        mail_from="kw <kw@example.org>",
        now=now,
        webhooks=options,
    )


def _account(db: Database, email: str, *monitors: tuple[str, str]) -> tuple[int, list[int]]:
    ids = [
        alerts.add_monitor_for_email(db, email, kind, value, NOW - timedelta(days=1))
        for kind, value in monitors
    ]
    row = db.conn.execute("SELECT id FROM account WHERE email = ?", (email,)).fetchone()
    return int(row[0]), [m.id for m in ids]


def test_signed_retried_after_500_and_timeout_delivered_once(
    feeds: Feeds, data_dir: Path, receiver: Receiver
) -> None:
    with open_migrated(url_of(data_dir)) as db:
        account, _ = _account(db, "w@example.org", ("toezeggingen", "alle"))
        _hook, secret = alerts.add_webhook(db, account, receiver.url)
    sync_rest(feeds, data_dir)
    mail = Capture()
    receiver.script = [500, "hang"]
    with open_migrated(url_of(data_dir)) as db:
        first = _run(db, mail, NOW)
        assert first.webhook_deliveries == 1 and first.webhooks.failed == 1
        assert len(mail.sent) == 1, "besides mail: the digest is mailed too"
        again = _run(db, mail, NOW + timedelta(seconds=30))  # not due yet (60 s)
        assert again.webhooks.failed == again.webhooks.delivered == 0
        timed_out = _run(db, mail, NOW + timedelta(seconds=61))
        assert timed_out.webhooks.failed == 1 and "time-out" in timed_out.webhooks.errors[0]
        # the report (and the log) name the host, never the path: a chat URL's credential
        assert (
            "/hook" not in timed_out.webhooks.errors[0] and "127.0.0.1" in first.webhooks.errors[0]
        )
        ok = _run(db, mail, NOW + timedelta(minutes=5))  # 60 s, then 120 s later
        assert ok.webhooks.delivered == 1
        later = _run(db, mail, NOW + timedelta(hours=5))
        assert later.webhooks.delivered == later.webhooks.failed == 0
        log = alerts.webhook_log(db, account)
    assert len(log) == 1 and log[0].delivered_at and log[0].attempts == 3
    assert len(receiver.got) == 3
    ids = {headers[DELIVERY_HEADER] for headers, _ in receiver.got}
    bodies = {body for _, body in receiver.got}
    assert len(ids) == 1 and len(bodies) == 1, "every attempt: the same id and bytes"
    for headers, body in receiver.got:
        assert verify(secret, body, headers[SIGNATURE_HEADER])
        assert not verify("another secret", body, headers[SIGNATURE_HEADER])
    payload = json.loads(bodies.pop())
    assert payload["id"] == ids.pop()
    assert payload["text"].startswith("kamerwatch:")
    assert payload["items"] and all(i["waarom"] and i["url"] for i in payload["items"])
    msg = message_from_bytes(mail.sent[0], policy=default)
    assert {i["nummer"] for i in payload["items"]} == numbers_in(msg)  # type: ignore[arg-type]


def test_instead_of_mail_and_per_monitor(feeds: Feeds, data_dir: Path, receiver: Receiver) -> None:
    with open_migrated(url_of(data_dir)) as db:
        account, (tz, _search) = _account(
            db, "i@example.org", ("toezeggingen", "alle"), ("zoek", "brief")
        )
        alerts.add_webhook(db, account, receiver.url, monitor_id=tz, instead=True)
        with pytest.raises(WebhookError):
            alerts.add_webhook(db, account, receiver.url, monitor_id=999_999)
    sync_rest(feeds, data_dir)
    mail = Capture()
    with open_migrated(url_of(data_dir)) as db:
        report = _run(db, mail, NOW)
    assert report.webhooks.delivered == 1
    payload = json.loads(receiver.got[0][1])
    assert payload["items"] and all(i["soort"] == "toezegging" for i in payload["items"])
    assert {m["id"] for m in payload["monitors"]} == {tz}
    for raw in mail.sent:  # the toezeggingen went to the webhook instead of the mail
        msg = message_from_bytes(raw, policy=default)
        assert not numbers_in(msg) & {i["nummer"] for i in payload["items"]}  # type: ignore[arg-type]


def test_loopback_refused_by_default(feeds: Feeds, data_dir: Path, receiver: Receiver) -> None:
    with open_migrated(url_of(data_dir)) as db:
        account, _ = _account(db, "r@example.org", ("toezeggingen", "alle"))
        alerts.add_webhook(db, account, receiver.url)
        alerts.add_webhook(db, account, receiver.url.replace("127.0.0.1", "localhost"))
    sync_rest(feeds, data_dir)
    with open_migrated(url_of(data_dir)) as db:
        report = _run(db, Capture(), NOW, alerts.WebhookOptions(timeout=0.5))
        log = alerts.webhook_log(db, account)
    assert report.webhooks.failed == 2 and report.webhooks.delivered == 0
    assert all("niet-openbaar" in (d.last_error or "") for d in log)
    assert receiver.got == []


def test_addresses_and_urls() -> None:
    for ip in ("127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.169.254",
               "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
               "224.0.0.1"):  # fmt: skip
        assert not address_allowed(ip, False), ip
    for ip in ("93.184.216.34", "2606:4700::1111", "8.8.8.8"):
        assert address_allowed(ip, False), ip
    assert address_allowed("127.0.0.1", True)
    for bad in ("ftp://x.example/", "https://", "https://u:p@x.example/", "javascript:x", "", "x"):
        with pytest.raises(WebhookError):
            check_url(bad)
    assert (
        check_url(" https://hooks.slack.com/services/T/B/x ")
        == "https://hooks.slack.com/services/T/B/x"
    )
    assert shown("https://hooks.slack.com/services/T/B/x") == "https://hooks.slack.com/…"
    assert shown("https://x.example/?token=geheim") == "https://x.example/…"
    assert shown("https://x.example:8443/") == "https://x.example:8443/"
