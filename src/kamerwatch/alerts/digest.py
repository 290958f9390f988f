"""One digest mail per account per run: text and HTML, hits grouped by their monitors (pure)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from .models import Hit, describe


@dataclass(frozen=True, slots=True)
class DigestMonitor:
    id: int
    kind: str
    value: str
    unsubscribe_url: str

    @property
    def description(self) -> str:
        return describe(self.kind, self.value)


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
        return "[kamerwatch] " + ", ".join(names)


def text_body(d: Digest) -> str:
    lines = ["Nieuw in de Tweede Kamer, gevonden door je monitors:", ""]
    for ids, hits in d.groups():
        lines.append("* " + ", ".join(d.monitors[i].description for i in ids) + ":")
        for h in hits:
            lines.append(f"  {h.nummer} - {h.onderwerp}")
            if h.snippet:
                lines.append(f"    {h.snippet}")
            lines.append(f"    waarom: {h.why}")
            lines.append(f"    {h.url}")
        lines.append("")
    lines.append("Afmelden per monitor (één klik):")
    lines += [f"  {mon.description}: {mon.unsubscribe_url}" for mon in d.monitors.values()]
    lines += ["", f"Je monitors beheren: {d.manage_url}", ""]
    return "\n".join(lines)


def _html(d: Digest) -> str:
    e = html.escape
    parts = [
        '<!doctype html><html lang="nl"><body>',
        "<p>Nieuw in de Tweede Kamer, gevonden door je monitors:</p><ul>",
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
    parts.append(f'</ul><p><a href="{e(d.manage_url)}">Je monitors beheren</a></p></body></html>')
    return "".join(parts)


def render(d: Digest, mail_from: str, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = d.email
    msg["Subject"] = d.subject
    msg["Date"] = format_datetime(now)
    domain = mail_from.rpartition("@")[2].strip("> ") or "kamerwatch.local"
    msg["Message-ID"] = make_msgid("kamerwatch", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg["Precedence"] = "bulk"
    msg["List-Unsubscribe"] = f"<{d.unsubscribe_all_url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text_body(d), cte="quoted-printable")
    msg.add_alternative(_html(d), subtype="html", cte="quoted-printable")
    return msg
