"""The SMTP transport against real servers on loopback: STARTTLS (with a certificate made
here), a server without it, an untrusted certificate, and a non-ASCII sender name."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from kamerwatch.alerts.digest import Digest, render
from kamerwatch.alerts.mail import MailError, SmtpTransport, from_header, sender_address
from kamerwatch.alerts.mailqueue import MailQueue
from tests.mailserver import HangingSmtp, Mailbox, self_signed_certificate, starttls_server

SENDER = "Kamerwacht – Tweede Kämer, voor u <noreply@example.org>"


def _mail(to: str = "lid@example.org") -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Proef"
    msg["From"] = from_header(SENDER)
    msg["To"] = to
    msg.set_content("hallo")
    return msg.as_bytes()


def test_starttls_by_query_and_by_submission_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    box = Mailbox()
    server = starttls_server(box, cert, key)
    server.start()
    try:
        url = f"smtp://127.0.0.1:{server.port}?starttls"
        # not trusted yet: refused at once (no retries), nothing sent
        with pytest.raises(MailError, match="certificaat niet vertrouwd"):
            SmtpTransport(url, timeout=5, retries=3, backoff=0.01).send(
                _mail(), "noreply@example.org", "lid@example.org"
            )
        assert box.messages == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the relay's own CA, as documented
        SmtpTransport(url, timeout=5, retries=1).send(
            _mail(), "noreply@example.org", "lid@example.org"
        )
        # the server refuses MAIL before STARTTLS, so arriving proves the TLS upgrade
        assert [m["Subject"] for m in box.messages] == ["Proef"]
        # a plain smtp:// URL does not upgrade: this server refuses it
        with pytest.raises(MailError):
            SmtpTransport(f"smtp://127.0.0.1:{server.port}", timeout=5, retries=1).send(
                _mail(), "noreply@example.org", "lid@example.org"
            )
        assert len(box.messages) == 1
    finally:
        server.stop()
    assert SmtpTransport("smtp://relay.example:587").starttls
    assert not SmtpTransport("smtp://relay.example").starttls
    assert not SmtpTransport("smtps://relay.example").starttls


def test_starttls_required_but_not_offered_sends_nothing(smtp: tuple[str, Mailbox]) -> None:
    url, box = smtp
    with pytest.raises(MailError, match="geen STARTTLS"):
        SmtpTransport(url + "?starttls", timeout=5, retries=3, backoff=0.01).send(
            _mail(), "noreply@example.org", "lid@example.org"
        )
    assert box.messages == []


def test_bad_smtp_urls_are_refused_in_dutch() -> None:
    for url in ("smtp://h:99999", "smtp://h?tls=1", "http://h", "smtp://"):
        with pytest.raises(MailError, match="ongeldige SMTP-URL"):
            SmtpTransport(url)


def test_non_ascii_sender_name_keeps_its_address(smtp: tuple[str, Mailbox]) -> None:
    url, box = smtp
    assert sender_address(SENDER) == "noreply@example.org"
    header = from_header(SENDER)
    assert header.isascii() and header.endswith("<noreply@example.org>")
    digest = Digest("lid@example.org", {}, [], "https://kw.example/a", "https://kw.example/mijn")
    rendered = render(digest, SENDER, datetime(2026, 11, 28, tzinfo=UTC))
    SmtpTransport(url, timeout=5, retries=1).send(rendered.data, sender_address(SENDER), "x@y.nl")
    SmtpTransport(url, timeout=5, retries=1).send(_mail(), sender_address(SENDER), "x@y.nl")
    assert len(box.messages) == 2
    for msg in box.messages:
        (address,) = msg["From"].addresses
        assert address.addr_spec == "noreply@example.org"
        assert address.display_name == "Kamerwacht – Tweede Kämer, voor u"
    assert "@example.org>" in rendered.message_id


def test_mail_queue_sends_in_order_and_reports_failures(smtp: tuple[str, Mailbox]) -> None:
    url, box = smtp
    queue = MailQueue(SmtpTransport(url, timeout=5, retries=1))
    futures = [
        queue.submit(_mail(f"{n}@example.org"), "noreply@example.org", f"{n}@example.org", ttl=60)
        for n in range(3)
    ]
    for future in futures:
        assert future.result(timeout=10) is None
    assert [m["To"] for m in box.messages] == [f"{n}@example.org" for n in range(3)]
    with HangingSmtp() as hanging:
        slow = MailQueue(SmtpTransport(hanging.url, timeout=1, retries=1, backoff=0.01))
        first = slow.submit(_mail(), "noreply@example.org", "a@example.org", ttl=60)
        stale = slow.submit(_mail(), "noreply@example.org", "b@example.org", ttl=0.1)
        started = time.monotonic()
        with pytest.raises(MailError, match="onbereikbaar"):
            first.result(timeout=10)
        with pytest.raises(MailError, match="te lang in de wachtrij"):
            stale.result(timeout=10)
        assert time.monotonic() - started < 5
        assert (slow.counts.sent, slow.counts.failed, slow.counts.expired) == (0, 1, 1)
    assert queue.stop() == 0
    with pytest.raises(MailError, match="stopt"):
        queue.submit(_mail(), "noreply@example.org", "c@example.org", ttl=60).result(timeout=1)
