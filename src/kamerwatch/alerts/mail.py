"""Mail transport: SMTP (``KAMERWATCH_SMTP_URL``) or, unset, logged and kept as .eml files."""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import ssl
import time
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlparse

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The mail could not be handed over (after the retries); message in Dutch."""


class Transport(Protocol):
    def send(self, message: bytes, sender: str, recipient: str) -> None: ...


SUBMISSION_PORT = 587  # mail submission: STARTTLS is required there


class SmtpTransport:
    """``smtp://host:port`` (plain), ``smtp://host:587`` or ``smtp://host:port?starttls``
    (STARTTLS, required), ``smtps://host`` (implicit TLS); timeout and bounded retries.

    Certificates are checked against the system's CA store (``SSL_CERT_FILE`` names another
    bundle, say for a relay with its own CA)."""

    def __init__(
        self, url: str, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0
    ) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
            raise MailError(f"ongeldige SMTP-URL {url!r} (verwacht smtp://host:poort)")
        try:
            port = parsed.port
        except ValueError as exc:
            raise MailError(f"ongeldige SMTP-URL {url!r}: {exc}") from exc
        options = parse_qs(parsed.query, keep_blank_values=True)
        unknown = sorted(set(options) - {"starttls"})
        if unknown:
            raise MailError(
                f"ongeldige SMTP-URL {url!r}: onbekende optie {unknown[0]!r} (alleen ?starttls)"
            )
        self.tls = parsed.scheme == "smtps"
        self.host = parsed.hostname
        self.port = port or (465 if self.tls else 25)
        self.starttls = not self.tls and ("starttls" in options or self.port == SUBMISSION_PORT)
        self.user, self.password = parsed.username, parsed.password
        self.timeout, self.retries, self.backoff = timeout, max(1, retries), backoff

    def _once(self, message: bytes, sender: str, recipient: str) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.tls
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        with smtp:
            if self.starttls:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise MailError(
                        f"SMTP-server {self.host}:{self.port} biedt geen STARTTLS aan "
                        "(vereist door de SMTP-URL); de mail is niet onversleuteld verstuurd"
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
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
            except ssl.SSLCertVerificationError as exc:  # retrying will not help
                raise MailError(
                    f"SMTP-server {self.host}:{self.port}: certificaat niet vertrouwd ({exc.reason})"
                ) from exc
            except (TimeoutError, OSError, smtplib.SMTPException) as exc:
                last = exc
            log.warning(
                "SMTP-poging %d naar %s:%d mislukt: %s", attempt + 1, self.host, self.port, last
            )
            time.sleep(self.backoff * 2**attempt)
        raise MailError(f"SMTP-server {self.host}:{self.port} onbereikbaar: {last}")


class LogTransport:
    """No SMTP configured: the mail is logged and written to ``<data-dir>/mail/*.eml``, each
    mail its own file (named after its Message-ID; without one, after the time and a
    random part), so no mail overwrites another."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, message_id: str) -> Path:
        """Where a mail with this Message-ID is kept."""
        name = re.sub(r"[^A-Za-z0-9._-]", "_", message_id.strip().strip("<>"))
        return self.directory / f"{name}.eml"

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        parsed = message_from_bytes(message, policy=default_policy)
        message_id = str(parsed["Message-ID"] or "")
        if not message_id.strip("<> "):
            message_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(6)}"
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(message_id)
        path.write_bytes(message)
        # a warning: shown on the console by default (a mail that did not go out is news)
        log.warning(
            "mail aan %s niet verstuurd (geen SMTP ingesteld, zie KAMERWATCH_SMTP_URL), "
            "bewaard als %s: %s",
            recipient,
            path,
            parsed["Subject"],
        )


def new_message_id(mail_from: str) -> str:
    """A fresh Message-ID in the domain of the sender address."""
    domain = sender_address(mail_from).rpartition("@")[2] or "localhost"
    return make_msgid("kamerwatch", domain=domain)


def split_sender(mail_from: str) -> tuple[str, str]:
    """(display name, address) of a From setting like ``kamerwatch <noreply@host>``, also
    when the name has characters RFC 5322 wants quoted (``Kamer, wacht <a@host>``)."""
    found = re.fullmatch(r"\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*", mail_from)
    if found:
        name = found.group(1)
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return name, found.group(2)
    name, address = parseaddr(mail_from)
    return (name, address) if "@" in address else ("", mail_from.strip())


def sender_address(mail_from: str) -> str:
    """The envelope sender of a From setting like ``kamerwatch <noreply@host>``."""
    return split_sender(mail_from)[1]


def from_header(mail_from: str) -> str:
    """The From header of the setting ``mail_from``, ASCII only: a non-ASCII display name
    becomes an encoded word and the address stays readable (``=?utf-8?…?= <a@host>``);
    encoding the whole setting as one word used to hide the address."""
    name, address = split_sender(mail_from)
    return formataddr((name, address), charset="utf-8")
