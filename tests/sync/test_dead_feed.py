"""A sync against a feed that cannot answer ends at once: exit 1, one line naming the URL
and the reason, no retries of errors that retrying cannot mend, one stop for the whole run
(issue #20.10). Real subprocesses against real loopback sockets."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import kamerwatch

# The production defaults: 5 retries with doubling back-off would take over 30 s per category.
SLOW_RETRIES = {"KAMERWATCH_MAX_RETRIES": "5", "KAMERWATCH_RETRY_BACKOFF": "1"}


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_dead(tmp_path: Path, url: str) -> tuple[list[str], int, float]:
    started = time.monotonic()
    result = kamerwatch("sync", "--feed-url", url, data_dir=tmp_path / "data", env=SLOW_RETRIES)
    seconds = time.monotonic() - started
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines, result.returncode, seconds


def test_connection_refused_stops_once_within_seconds(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/SyncFeed/2.0"
    lines, code, seconds = run_dead(tmp_path, url)
    assert code == 1
    assert seconds < 30
    assert len(lines) == 1, lines
    assert url in lines[0] and "verbinding geweigerd" in lines[0]


def test_unknown_host_stops_once(tmp_path: Path) -> None:
    url = "http://feed.kamerwatch.invalid/SyncFeed/2.0"  # .invalid never resolves (RFC 2606)
    lines, code, seconds = run_dead(tmp_path, url)
    assert code == 1
    assert seconds < 30
    assert len(lines) == 1, lines
    assert url in lines[0] and "hostnaam niet gevonden" in lines[0]


def test_unsupported_scheme_is_refused_at_once(tmp_path: Path) -> None:
    lines, code, seconds = run_dead(tmp_path, "ftp://127.0.0.1/SyncFeed/2.0")
    assert code == 1
    assert seconds < 30
    assert len(lines) == 1, lines
    assert "ftp://127.0.0.1/SyncFeed/2.0" in lines[0]


def test_wrong_path_is_not_retried_per_category(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    (feed / "feed").mkdir(parents=True)
    with FeedServer(feed) as server:
        wrong = server.url.replace("/SyncFeed/2.0", "/SyncFeed/9.9")
        lines, code, seconds = run_dead(tmp_path, wrong)
        asked = server.requests()
    assert code == 1
    assert seconds < 30
    assert len(lines) == 1, lines
    assert wrong in lines[0] and "HTTP 404" in lines[0]
    # one request per worker at most: not 35 categories times 6 attempts
    assert 1 <= len(asked) <= 2, len(asked)


@pytest.mark.parametrize("status", [503])
def test_a_passing_server_error_is_still_retried(tmp_path: Path, status: int) -> None:
    """Transient errors keep their retries: one 503 and the sync goes on."""
    feed = tmp_path / "feed"
    (feed / "feed").mkdir(parents=True)
    with FeedServer(feed) as server:
        server.add_faults([{"mode": "500", "status": status, "times": 1, "category": "Zaak"}])
        result = kamerwatch(
            "sync", "--feed-url", server.url, "--category", "Zaak", data_dir=tmp_path / "data"
        )
    assert result.returncode == 0, result.stderr
