"""The digest mail itself: grouping, escaping, headers (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from kamerwatch.alerts.digest import Digest, DigestMonitor, render
from kamerwatch.alerts.models import Hit


def _hit(key: str, onderwerp: str) -> Hit:
    return Hit(
        key,
        "document",
        "2026D00001",
        onderwerp,
        "Brief <b>regering</b>",
        "bevat x",
        "https://kw.example/document/2026D00001",
    )


def test_digest_groups_escapes_and_carries_the_headers() -> None:
    monitors = {
        1: DigestMonitor(1, "zoek", "<script>", "https://kw.example/mijn/afmelden?t=m1.x"),
        2: DigestMonitor(2, "zaak", "2026Z00001", "https://kw.example/mijn/afmelden?t=m2.x"),
    }
    digest = Digest(
        "lezer@example.org",
        monitors,
        [
            (_hit("document:1", "Stikstof & <script>alert(1)</script> ‘ë’"), (1, 2)),
            (_hit("document:2", "Tweede"), (2,)),
        ],
        "https://kw.example/mijn/afmelden?t=a1.x",
        "https://kw.example/mijn",
    )
    rendered = render(digest, "kamerwatch <alerts@kw.example>", datetime(2026, 11, 28, tzinfo=UTC))
    assert b"\r\n" in rendered.data and b"\n" not in rendered.data.replace(b"\r\n", b"")
    msg = message_from_bytes(rendered.data, policy=default)
    assert isinstance(msg, EmailMessage)
    assert msg["Message-ID"] == rendered.message_id
    assert msg["Subject"] == "[kamerwatch] zoekopdracht ‘<script>’, zaak 2026Z00001"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["List-Unsubscribe"] == "<https://kw.example/mijn/afmelden?t=a1.x>"
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Stikstof &amp;" in html and "‘ë’" in html
    assert "<script>alert(1)</script>" in text, "the text part is not HTML"
    assert text.index("zoekopdracht ‘<script>’, zaak 2026Z00001:") < text.index(
        "* zaak 2026Z00001:"
    )
    assert text.count("2026D00001 - ") == 2 and "waarom: bevat x" in text
