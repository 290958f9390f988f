"""#21.10 — upstream error texts reached the terminal raw: escape sequences (colours, a
cleared screen, OSC-8 links) and rich markup. Everything printed is stripped of control
characters and printed without markup."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import kamerwatch
from tests.security.conftest import document_values, gid, write_feed

HOSTILE = (
    "<Error><Message>kapot \x1b[2J\x1b[31mROOD\x1b]8;;https://evil.example/\x1b\\klik hier"
    "\x1b]8;;\x1b\\ [bold red]opmaak[/] \x07\u202egnirts</Message></Error>"
)


def test_upstream_error_texts_reach_the_terminal_as_plain_text(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write_feed(feed, [(gid("doc"), b"%PDF-1.4\n%%EOF\n", document_values(1, "d"))])
    data = tmp_path / "data"
    with FeedServer(feed) as server:
        server.add_faults(
            [{"mode": "500", "status": 400, "body": HOSTILE, "times": -1, "category": "Document"}]
        )
        result = kamerwatch(
            "sync", "--feed-url", server.url, data_dir=data, env={"TERM": "xterm-256color"}
        )
    printed = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ROOD" in printed and "klik hier" in printed  # the message itself is shown
    assert "[bold red]opmaak[/]" in printed  # literally: not read as markup
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in printed, repr(bad)
    status = kamerwatch("status", data_dir=data, env={"TERM": "xterm-256color"})
    assert "\x1b" not in status.stdout + status.stderr
