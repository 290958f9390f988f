"""``kamerwatch fetch-documents`` against the real feed server on loopback: what is
downloaded, versions, faults, throttling, size limit, SIGKILL and a full disk."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for
from tests.conftest import FAST_ENV, kamerwatch

PDF = b"%PDF-1.4\n" + b"kamerwatch test document " * 40 + b"\n%%EOF\n"


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-fetch/{name}"))


def write_feed(
    root: Path, files: dict[str, tuple[str, bytes]], token: int = 1000, page: str = "p1.xml"
) -> None:
    """Entities named in ``files`` (name → (category, body)) plus their resources; a Verslag
    named ``casco-…`` gets status Casco."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    entries = []
    for i, (name, (category, body)) in enumerate(files.items()):
        spec = spec_for(category)
        values: dict[str, Any] = {}
        if category == "Document":
            values = {
                "soort": "Brief regering",
                "document_nummer": f"2026D{70000 + i}",
                "onderwerp": name,
            }
        elif category == "Verslag":
            values = {
                "vergadering_id": gid("vergadering"),
                "soort": "Eindpublicatie",
                "status": "Casco" if name.startswith("casco") else "Gecorrigeerd",
            }
        elif category == "Persoon":
            values = {"nummer": str(500 + i), "achternaam": name}
        ident = gid(name)
        (root / "resources" / ident).write_bytes(body)
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


def rows(data: Path, sql: str) -> list[tuple[Any, ...]]:
    return sqlite3.connect(data / "kamerwatch.sqlite3").execute(sql).fetchall()


@pytest.fixture
def world(tmp_path: Path) -> Path:
    files = {f"doc{i}": ("Document", PDF + str(i).encode()) for i in range(6)}
    files["casco-verslag"] = ("Verslag", b"<?xml version='1.0'?><casco/>")
    files["verslag"] = ("Verslag", b"<?xml version='1.0'?><verslag>tekst</verslag>")
    files["Fotograaf"] = ("Persoon", b"\xff\xd8\xff\xe0" + b"jpeg" * 100)
    write_feed(tmp_path / "feed", files)
    return tmp_path / "feed"


def sync_and_fetch(server: FeedServer, data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    synced = kamerwatch("sync", "--feed-url", server.url, data_dir=data)
    assert synced.returncode == 0, synced.stderr
    return kamerwatch("fetch-documents", "--feed-url", server.url, *extra, data_dir=data)


def test_downloads_what_is_wanted_once(world: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with FeedServer(world) as server:
        first = sync_and_fetch(server, data)
        assert first.returncode == 0, first.stderr
        stored = rows(data, "SELECT category, count(*) FROM resource_file GROUP BY category")
        assert dict(stored) == {"Document": 6, "Verslag": 1, "Persoon": 1}  # not the casco
        for path, size in rows(data, "SELECT path, size FROM resource_file"):
            assert not Path(path).is_absolute()  # relative to the files dir (shared storage)
            assert (data / "files" / path).stat().st_size == size
        assert (
            (
                data
                / "files"
                / rows(data, "SELECT path FROM resource_file WHERE category = 'Verslag'")[0][0]
            )
            .read_bytes()
            .endswith(b"</verslag>")
        )
        server.clear_requests()
        again = kamerwatch("fetch-documents", "--feed-url", server.url, data_dir=data)
        assert again.returncode == 0
        assert not [r for r in server.requests() if "/Resources/" in r["path"]]
        assert "0 gedownload" in again.stderr + again.stdout


def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(
    world: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with FeedServer(world) as server:
        assert sync_and_fetch(server, data).returncode == 0
    write_feed(
        world, {"doc0": ("Document", PDF + b"version two, longer")}, token=5000, page="p2.xml"
    )
    with FeedServer(world) as server:
        assert sync_and_fetch(server, data).returncode == 0
    versions = rows(
        data,
        f"SELECT version, size, path FROM resource_file WHERE entity_id = '{gid('doc0')}' ORDER BY version",
    )
    assert [v[0] for v in versions] == [1, 2]
    assert (data / "files" / versions[0][2]).read_bytes() == PDF + b"0"
    assert (data / "files" / versions[1][2]).read_bytes() == PDF + b"version two, longer"


def test_server_errors_are_retried_then_throttled_and_reported(world: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = gid("doc3")
    (world / "resources" / bad).unlink()  # the server answers 500 for it, every time
    with FeedServer(world) as server:
        server.add_faults([{"mode": "500", "path": "resources", "times": 2}])  # transient
        first = sync_and_fetch(server, data)
        assert first.returncode == 0, first.stderr  # single failures do not fail the stage
        assert len(rows(data, "SELECT * FROM resource_file")) == 7
        for _ in range(2):
            assert (
                kamerwatch("fetch-documents", "--feed-url", server.url, data_dir=data).returncode
                == 0
            )
        failure = rows(data, "SELECT entity_id, attempts, retry_after FROM resource_failure")
        assert failure[0][0] == bad and failure[0][1] == 3 and failure[0][2]
        server.clear_requests()
        assert (
            kamerwatch("fetch-documents", "--feed-url", server.url, data_dir=data).returncode == 0
        )
        assert not [r for r in server.requests() if bad in r["path"]], "throttled: not tried again"
    status = kamerwatch("status", data_dir=data)
    assert bad in status.stdout and "overgeslagen tot" in status.stdout


def test_too_big_is_skipped_with_a_reason(world: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    big = {"groot": ("Document", b"%PDF-1.4\n" + b"x" * 2_000_000)}
    write_feed(world, big, token=6000, page="p2.xml")
    with FeedServer(world) as server:
        result = sync_and_fetch(
            server,
            data,
        )
        assert result.returncode == 0
    # default limit is 250 MB; run again with a 1 MB limit
    with FeedServer(world) as server:
        env = {"KAMERWATCH_MAX_FILE_MB": "1"}
        data2 = tmp_path / "data2"
        assert kamerwatch("sync", "--feed-url", server.url, data_dir=data2).returncode == 0
        result = kamerwatch("fetch-documents", "--feed-url", server.url, data_dir=data2, env=env)
        assert result.returncode == 0
    reason = rows(
        data2,
        f"SELECT reason, retry_after FROM resource_failure WHERE entity_id = '{gid('groot')}'",
    )
    assert reason and reason[0][0].startswith("te groot") and reason[0][1]


def _downloaded(data: Path) -> int:
    try:
        return len(rows(data, "SELECT entity_id FROM resource_file"))
    except sqlite3.OperationalError:  # busy or not made yet
        return 0


def test_sigkill_during_downloads_then_rerun_reaches_the_same_state(
    world: Path, tmp_path: Path
) -> None:
    data, reference = tmp_path / "data", tmp_path / "reference"
    with FeedServer(world) as server:
        assert sync_and_fetch(server, reference).returncode == 0
        assert kamerwatch("sync", "--feed-url", server.url, data_dir=data).returncode == 0
        server.add_faults([{"mode": "delay", "path": "resources", "times": 100, "seconds": 0.3}])
        env = {**os.environ, **FAST_ENV, "KAMERWATCH_DOWNLOAD_WORKERS": "2"}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "--data-dir",
                str(data),
                "-q",
                "fetch-documents",
                "--feed-url",
                server.url,
            ],
            env=env,
        )
        # kill mid-way: after some downloads were recorded, before all of them
        total = len(rows(reference, "SELECT entity_id FROM resource_file"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if 0 < _downloaded(data) < total:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "fetch-documents ended before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert 0 < _downloaded(data) < total, "the kill did not land mid-way"
        server.clear_faults()
        assert (
            kamerwatch("fetch-documents", "--feed-url", server.url, data_dir=data).returncode == 0
        )

    def state(d: Path) -> set[tuple[Any, ...]]:
        return {
            (e, v, c, s)
            for e, v, c, s in rows(
                d, "SELECT entity_id, version, category, size FROM resource_file"
            )
        }

    assert state(data) == state(reference)
    leftovers = [p for p in (data / "files").rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_a_full_disk_stops_the_stage_with_a_clear_message(world: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_feed(
        world, {"groot": ("Document", b"%PDF-1.4\n" + b"x" * 12_000_000)}, token=6000, page="p2.xml"
    )
    with FeedServer(world) as server:
        assert kamerwatch("sync", "--feed-url", server.url, data_dir=data).returncode == 0
        # RLIMIT_FSIZE makes writing beyond 8 MB in any file fail with EFBIG, like a full
        # disk: the database stays below it, the 12 MB document does not fit.
        code = (
            "import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (8_000_000, 8_000_000));"
            "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
            "from kamerwatch.cli import main; sys.argv = ['kamerwatch', '--data-dir', sys.argv[1], '-q', 'fetch-documents', '--feed-url', sys.argv[2]]; main()"
        )
        env = {**os.environ, **FAST_ENV}
        result = subprocess.run(
            [sys.executable, "-c", code, str(data), server.url],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    assert result.returncode != 0
    assert "schijf vol" in result.stderr and "Traceback" not in result.stderr
    assert gid("groot") not in {r[0] for r in rows(data, "SELECT entity_id FROM resource_file")}
    assert not [p for p in (data / "files").rglob("*") if p.name.endswith(".part")]
    for path, size in rows(data, "SELECT path, size FROM resource_file"):
        assert (data / "files" / path).stat().st_size == size  # what was recorded is whole
