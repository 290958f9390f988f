"""Fixtures of the security suite (issue #21): hostile feeds served by the real feed server
on loopback, the real command line, ``kamerwatch serve`` as a subprocess."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.parsers import spec_for
from kamerwatch.web.app import create_app
from tests.conftest import DATA_DIR_URLS, FAST_ENV, kamerwatch


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-security/{name}"))


def document_values(n: int, onderwerp: str) -> dict[str, Any]:
    return {
        "soort": "Brief regering",
        "document_nummer": f"2026D{90000 + n}",
        "onderwerp": onderwerp,
    }


def write_feed(
    root: Path,
    documents: list[tuple[str, bytes, dict[str, Any]]],
    *,
    token: int = 1000,
    page: str = "p1.xml",
    category: str = "Document",
) -> None:
    """A feed directory with one entity of ``category`` per (id, file body, values) and its
    file under ``resources/`` (named by the id's last path segment when it is hostile)."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    spec = spec_for(category)
    entries = []
    for i, (ident, body, values) in enumerate(documents):
        (root / "resources" / ident.rsplit("/", 1)[-1]).write_bytes(body)
        xml = entity_xml(
            spec,
            values,
            id=ident,
            bijgewerkt="2026-11-25T10:00:00",
            content_type="application/octet-stream",
            content_length=len(body),
        )
        entries.append(
            entry_xml(
                spec, xml, token=token + i, updated="2026-11-25T09:00:00.0000000Z", enclosure=True
            )
        )
    (root / "feed" / page).write_bytes(feed_page(None, entries, None))


def write_entities(
    root: Path,
    entities: list[tuple[str, str, dict[str, Any], bytes | None]],
    *,
    token: int = 5000,
    page: str = "p-mixed.xml",
) -> None:
    """Entities of any categories: (category, id, values, file body or None)."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    entries = []
    for i, (category, ident, values, body) in enumerate(entities):
        spec = spec_for(category)
        extra: dict[str, Any] = {}
        if body is not None:
            (root / "resources" / ident).write_bytes(body)
            extra = {"content_type": "application/octet-stream", "content_length": len(body)}
        xml = entity_xml(spec, values, id=ident, bijgewerkt="2026-11-25T10:00:00", **extra)
        entries.append(
            entry_xml(
                spec,
                xml,
                token=token + i,
                updated="2026-11-25T09:00:00.0000000Z",
                enclosure=body is not None,
            )
        )
    (root / "feed" / page).write_bytes(feed_page(None, entries, None))


def sync_feed(feed: Path, data: Path, db_url: str, *commands: str) -> None:
    """The real commands (default: sync) against the feed server over ``feed``."""
    with FeedServer(feed) as server:
        for command in commands or ("sync",):
            done = kamerwatch(command, "--feed-url", server.url, data_dir=data, database_url=db_url)
            assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- the website


@contextlib.contextmanager
def open_site(db_url: str, data: Path, **options: Any) -> Iterator[TestClient]:
    """The website in process (ASGI) over ``db_url``; mails go to ``data/mail``."""
    data.mkdir(parents=True, exist_ok=True)
    open_migrated(db_url).close()  # the website serves a migrated database only
    app = create_app(db_url, data_dir=data, **options)
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def site(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The website over an empty database of each engine (mails in ``tmp_path/data/mail``)."""
    with open_site(db_url, tmp_path / "data") as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def rss_kb(self) -> int:
        """Resident memory of the server process and its children (kB)."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            for child in text:
                out.append(int(child))
                out.extend(_children(int(child)))
    return out


@contextlib.contextmanager
def serve(data: Path, env: dict[str, str] | None = None, *args: str) -> Iterator[Served]:
    """``kamerwatch serve`` as a real subprocess on a free loopback port."""
    port = free_port()
    log = data.parent / f"serve-{port}.log"
    data.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **FAST_ENV, **(env or {})}
    full_env.pop("KAMERWATCH_DATABASE_URL", None)
    url = DATA_DIR_URLS.get(data)
    if url is not None:
        full_env["KAMERWATCH_DATABASE_URL"] = url
    full_env.setdefault("KAMERWATCH_BASE_URL", f"http://127.0.0.1:{port}")
    migrated = kamerwatch("db", "migrate", data_dir=data, database_url=url)
    assert migrated.returncode == 0, migrated.stderr
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "kamerwatch", "--data-dir", str(data), "serve"),
                *("--host", "127.0.0.1", "--port", str(port), *args),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        yield Served(f"http://127.0.0.1:{port}", port, process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
