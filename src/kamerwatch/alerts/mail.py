"""Mail transport: SMTP (``KAMERWATCH_SMTP_URL``) or, unset, logged and kept as .eml files."""

from __future__ import annotations

import logging
import re
import smtplib
import time
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The mail could not be handed over (after the retries); message in Dutch."""


class Transport(Protocol):
    def send(self, message: bytes, sender: str, recipient: str) -> None: ...


class SmtpTransport:
    """``smtp://host:port`` (plain; ``smtps://`` for implicit TLS), timeout and bounded retries."""

    def __init__(
        self, url: str, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0
    ) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
            raise MailError(f"ongeldige SMTP-URL {url!r} (verwacht smtp://host:poort)")
        self.tls = parsed.scheme == "smtps"
        self.host = parsed.hostname
        self.port = parsed.port or (465 if self.tls else 25)
        self.user, self.password = parsed.username, parsed.password
        self.timeout, self.retries, self.backoff = timeout, max(1, retries), backoff

    def _once(self, message: bytes, sender: str, recipient: str) -> None:
        cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with cls(self.host, self.port, timeout=self.timeout) as smtp:
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.sendmail(sender, [recipient], message)

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        last: Exception | None = None
        for attempt in range(self.retries):
            try:
                self._once(message, sender, recipient)
                return
            except smtplib.SMTPResponseException as exc:
                if 500 <= exc.smtp_code < 600:
                    raw = exc.smtp_error
                    detail = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
                    raise MailError(
                        f"SMTP-server weigert de mail: {exc.smtp_code} {detail}"
                    ) from exc
                last = exc
            except (TimeoutError, OSError, smtplib.SMTPException) as exc:
                last = exc
            log.warning(
                "SMTP-poging %d naar %s:%d mislukt: %s", attempt + 1, self.host, self.port, last
            )
            time.sleep(self.backoff * 2**attempt)
        raise MailError(f"SMTP-server {self.host}:{self.port} onbereikbaar: {last}")


class LogTransport:
    """No SMTP configured: the mail is logged and written to ``<data-dir>/mail/*.eml``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        parsed = message_from_bytes(message, policy=default_policy)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", str(parsed["Message-ID"] or "mail").strip("<>"))
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{name}.eml"
        path.write_bytes(message)
        log.info(
            "mail aan %s (niet verstuurd, geen SMTP ingesteld): %s → %s",
            recipient,
            parsed["Subject"],
            path,
        )


def sender_address(mail_from: str) -> str:
    """The envelope sender of a From header like ``kamerwatch <noreply@host>``."""
    found = re.search(r"<([^>]+)>", mail_from)
    return (found.group(1) if found else mail_from).strip()
