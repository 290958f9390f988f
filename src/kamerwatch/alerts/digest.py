"""One digest mail per account per run: text and HTML, hits grouped by their monitors (pure)."""

from __future__ import annotations

import binascii
import html
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, make_msgid

from kamerwatch.safetext import one_line

from .mail import from_header, sender_address
from .models import Hit, describe


@dataclass(frozen=True, slots=True)
class DigestMonitor:
    id: int
    kind: str
    value: str
    unsubscribe_url: str

    @property
    def description(self) -> str:
        return one_line(describe(self.kind, self.value))


@dataclass(frozen=True, slots=True)
class Digest:
    """Hits for one account; each item once, with every monitor that found it."""

    email: str
    monitors: dict[int, DigestMonitor]
    hits: list[tuple[Hit, tuple[int, ...]]]
    unsubscribe_all_url: str
    manage_url: str

    def groups(self) -> list[tuple[tuple[int, ...], list[Hit]]]:
        out: dict[tuple[int, ...], list[Hit]] = {}
        for hit, ids in self.hits:
            out.setdefault(ids, []).append(hit)
        return sorted(out.items())

    @property
    def subject(self) -> str:
        names = [
            self.monitors[i].description for i in sorted({i for _, ids in self.hits for i in ids})
        ]
        if len(names) > 3:
            names = [*names[:3], f"en {len(names) - 3} andere"]
        return one_line("[kamerwatch] " + ", ".join(names))


def text_body(d: Digest) -> str:
    lines = ["Nieuw in de Tweede Kamer, gevonden door uw monitors:", ""]
    for ids, hits in d.groups():
        lines.append("* " + ", ".join(d.monitors[i].description for i in ids) + ":")
        for h in hits:  # upstream text: one line each, so it cannot forge lines
            lines.append(f"  {one_line(h.nummer)} - {one_line(h.onderwerp)}")
            if h.snippet:
                lines.append(f"    {one_line(h.snippet)}")
            lines.append(f"    waarom: {one_line(h.why)}")
            lines.append(f"    {h.url}")
        lines.append("")
    lines.append("Afmelden per monitor (één klik):")
    lines += [f"  {mon.description}: {mon.unsubscribe_url}" for mon in d.monitors.values()]
    lines += ["", f"Uw monitors beheren: {d.manage_url}", ""]
    return "\n".join(lines)


def _html(d: Digest) -> str:
    def e(text: str) -> str:  # plain text, escaped once
        return html.escape(one_line(text))

    parts = [
        '<!doctype html><html lang="nl"><body>',
        "<p>Nieuw in de Tweede Kamer, gevonden door uw monitors:</p><ul>",
    ]
    for ids, hits in d.groups():
        names = ", ".join(e(d.monitors[i].description) for i in ids)
        parts.append(f"<li><strong>{names}</strong><ul>")
        for h in hits:
            snippet = f"<br><small>{e(h.snippet)}</small>" if h.snippet else ""
            parts.append(
                f'<li><a href="{e(h.url)}">{e(h.nummer)}</a> {e(h.onderwerp)}{snippet}'
                f"<br><em>waarom: {e(h.why)}</em></li>"
            )
        parts.append("</ul></li>")
    parts.append("</ul><p>Afmelden per monitor:</p><ul>")
    for mon in d.monitors.values():
        parts.append(f'<li><a href="{e(mon.unsubscribe_url)}">{e(mon.description)}</a></li>')
    parts.append(f'</ul><p><a href="{e(d.manage_url)}">Uw monitors beheren</a></p></body></html>')
    return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Rendered:
    message_id: str
    data: bytes  # RFC 5322 with CRLF line ends, ready for SMTP


def _qp_part(content_type: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").replace("\n", "\r\n").encode(), istext=True)
    head = (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    )
    return head.encode() + body


def render(d: Digest, mail_from: str, now: datetime) -> Rendered:
    """The digest as multipart/alternative (text + HTML, quoted-printable UTF-8).

    Assembled directly (headers via :class:`email.header.Header`, bodies via the C
    quoted-printable encoder): ``EmailMessage`` costs milliseconds per mail, which adds up
    at thousands of digests per run."""
    domain = sender_address(mail_from).rpartition("@")[2] or "kamerwatch.local"
    message_id = make_msgid("kamerwatch", domain=domain)
    boundary = f"=_kamerwatch_{secrets.token_hex(12)}"
    headers = [
        ("From", from_header(mail_from)),
        ("To", d.email),
        ("Subject", Header(d.subject, "utf-8").encode(linesep="\r\n")),
        ("Date", format_datetime(now)),
        ("Message-ID", message_id),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ("Auto-Submitted", "auto-generated"),
        ("Precedence", "bulk"),
        ("List-Unsubscribe", f"<{d.unsubscribe_all_url}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode()
    sep = f"\r\n--{boundary}\r\n".encode()
    data = b"".join(
        [
            head,
            b"\r\nThis is a multi-part message in MIME format.\r\n",
            sep,
            _qp_part("text/plain", text_body(d)),
            sep,
            _qp_part("text/html", _html(d)),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return Rendered(message_id, data)
