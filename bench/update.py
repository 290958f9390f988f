"""Benchmark of the update cycle (not a test): what `kamerwatch update` costs when little changed.

    python bench/update.py [--scale 56] [--new 100] [--monitors 200]
    python bench/update.py --quiet-only | --latency-only   # on the corpus of a full run

1. takes the synced, downloaded and converted sample parliament of bench/search.py (scale 56:
   ~200,000 entries, ~50,000 documents; made there when missing), copies its database and
   links its files into bench/out/update, indexes it once and adds ``--monitors`` accounts
   with a zoek monitor each (plus one that follows the word of the new documents);
2. runs `kamerwatch update` (all stages; the external sources from the feed server's simulators) against the feed server with nothing new: wall time
   and the time of each stage (the log line `update -v --log-format json` writes after
   each stage; the rest of the wall time is process start-up and bookkeeping);
3. publishes ``--new`` new documents (a new feed page with PDF files, as a sync would find
   them) and runs `kamerwatch update` again: the same figures;
4. inbox latency: `kamerwatch update --loop 30` runs with a real SMTP server on loopback;
   one more document is published; the time until its mail arrives.

Targets (issue #22): nothing new ≤ 2 s, 100 new documents ≤ 15 s (all stages, alerts
included), a new document in a follower's inbox within a minute with `--loop 30`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.files import pdf_bytes
from kamerwatch.sample.texts import document_text
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for
from search import prepare as prepare_search
from stamp import measured_now
from web import free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results-update.json"
WORD = "kwelderhaverbenchwoord"  # in every new document: what the followed monitor finds
# an installed package has its bytecode compiled (pip does it); a session that forbids
# writing it would make every command compile ~120 modules again (~0.4 s per process,
# workers included) and measure that instead of the cycle
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "KAMERWATCH_POLITENESS_PAUSE": "0",
    "KAMERWATCH_WOO_PAUSE": "0",
    "KAMERWATCH_MEDIA_PAUSE": "0",
}


def sources(server: FeedServer) -> dict[str, str]:
    """Every external source of `update` pointed at the feed server's simulators."""
    return {
        "KAMERWATCH_WOO_URL": server.woo_url,
        "KAMERWATCH_DEBATDIRECT_URL": server.media_url,
        "KAMERWATCH_OFFICIELE_PUBLICATIES_URL": server.media_url,
        "KAMERWATCH_SRU_URL": server.media_url + "/sru",
    }


def cli(data: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run the real command line; its wall time in seconds and its exit code."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), *args],
        check=False,
        env={**ENV, **(env or {})},
    )
    return time.perf_counter() - start, done.returncode


def setup(out: Path, scale: int, monitors: int) -> tuple[Path, Path]:
    """(feed dir with an overlay for new pages, data dir) ready for the cycles."""
    source = prepare_search(ROOT / "bench" / "out" / "search", scale)
    feed_source = next(
        p
        for p in (
            source.parent / f"sample-{scale}",
            ROOT / "bench" / "out" / "web" / f"sample-{scale}",
        )
        if (p / "expected.json").exists()
    )
    if out.exists():
        shutil.rmtree(out)
    data, feed = out / "data", out / "feed"
    data.mkdir(parents=True)
    print("copying the database and linking its files …", flush=True)
    shutil.copy(source / "kamerwatch.sqlite3", data / "kamerwatch.sqlite3")
    subprocess.run(["cp", "-al", str(source / "files"), str(data / "files")], check=True)
    (feed / "feed").mkdir(parents=True)
    (feed / "resources").mkdir()
    for page in (feed_source / "feed").iterdir():
        (feed / "feed" / page.name).symlink_to(page)
    for resource in os.scandir(feed_source / "resources"):
        (feed / "resources" / resource.name).symlink_to(resource.path)
    print("migrating and indexing it once …", flush=True)
    cli(data, "db", "migrate")  # a corpus kept from an earlier version of the code
    cli(data, "index")
    for i in range(monitors):
        word = random.Random(i).choice(["stikstof", "jeugdzorg", "woningbouw", "motie", "brief"])
        cli_quiet(data, "monitor", "add", f"lezer{i}@example.org", "zoek", word)
    cli_quiet(data, "monitor", "add", "volger@example.org", "zoek", WORD)
    return feed, data


def cli_quiet(data: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), *args],
        check=True,
        env=ENV,
        stdout=subprocess.DEVNULL,
    )


def publish(feed: Path, data: Path, n: int, page: str, first_number: int) -> None:
    """``n`` new Document entities with PDF files on a new feed page after every token."""
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    top = conn.execute("SELECT max(skiptoken) FROM raw_entry").fetchone()[0]
    conn.close()
    spec = spec_for("Document")
    rng = random.Random(page)
    entries = []
    for i in range(n):
        ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-bench-update/{page}/{i}"))
        nummer = f"2026D{first_number + i:05d}"
        onderwerp = f"Brief over {WORD} {i}"
        text = document_text(
            rng,
            soort="Brief regering",
            nummer=nummer,
            datum=date(2026, 11, 28),
            onderwerp=onderwerp,
            titel=None,
            afzender="minister van Financiën",
            geadresseerde="Voorzitter van de Tweede Kamer",
            distinctive=[WORD],
        )
        body = pdf_bytes(text)
        (feed / "resources" / ident).write_bytes(body)
        values = {"soort": "Brief regering", "document_nummer": nummer, "onderwerp": onderwerp}
        values["datum"] = "2026-11-28T00:00:00"
        xml = entity_xml(
            spec,
            values,
            id=ident,
            bijgewerkt="2026-11-28T10:00:00",
            content_type="application/pdf",
            content_length=len(body),
        )
        entries.append(
            entry_xml(
                spec,
                xml,
                token=top + 1 + i,
                updated="2026-11-28T09:00:00.0000000Z",
                enclosure=True,
            )
        )
    (feed / "feed" / page).write_bytes(feed_page(None, entries, None))


def stage_times(log: str) -> dict[str, float]:
    """Seconds of each stage, from the JSON log lines ``update -v`` writes after each one."""
    out: dict[str, float] = {}
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "stage" in record and "seconds" in record:
            out[record["stage"]] = round(out.get(record["stage"], 0.0) + record["seconds"], 2)
    return out


def cycle(feed: Path, data: Path, label: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    with FeedServer(feed) as server:
        server.media.warm()  # the simulators read the feed once; not part of the cycle
        start = time.perf_counter()
        done = subprocess.run(
            [
                *(sys.executable, "-m", "kamerwatch", "-v", "--log-format", "json"),
                *("--data-dir", str(data), "update", "--feed-url", server.url),
            ],
            check=False,
            env={**ENV, **sources(server), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        seconds = time.perf_counter() - start
    stages = stage_times(done.stderr)
    load = os.getloadavg()[0]
    print(
        f"{label}: {seconds:.2f} s, exit {done.returncode}, load {load:.1f}  "
        f"({', '.join(f'{k} {v} s' for k, v in stages.items())})",
        flush=True,
    )
    return {
        "label": label,
        "seconds": round(seconds, 2),
        "exit": done.returncode,
        "load": round(load, 1),
        "stages": stages,
        "start_up_and_rest": round(seconds - sum(stages.values()), 2),
    }


class Inbox:
    """A real SMTP server on loopback that notes when each mail arrived."""

    def __init__(self) -> None:
        self.arrived: list[tuple[float, bytes]] = []
        self.event = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.append((time.monotonic(), envelope.original_content))
        self.event.set()
        return "250 OK"


def _cycles_done(data: Path) -> int:
    """Cycles of `update --loop` finished so far (their alerts runs)."""
    conn = sqlite3.connect(data / "kamerwatch.sqlite3", timeout=30)
    try:
        row = conn.execute(
            "SELECT count(*) FROM sync_run WHERE stage = 'alerts' AND finished_at IS NOT NULL"
        ).fetchone()
        return int(row[0])
    finally:
        conn.close()


def inbox_latency(feed: Path, data: Path, port: int, loop: int) -> float | None:
    """Seconds from publishing one document to its mail, with `update --loop` running."""
    inbox = Inbox()
    smtp_port = free_port()  # aiosmtpd needs a real port (it connects to it to start)
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    server = FeedServer(feed, port=port)
    url = server.start()
    server.media.warm()
    env = {"KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}", **sources(server)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "-q",
            "--data-dir",
            str(data),
            "update",
            "--feed-url",
            url,
            "--loop",
            str(loop),
        ],
        env={**ENV, **env},
    )
    try:
        # publish right after a cycle ended (the loop then waits ``loop`` s): the feed server
        # is restarted to see the new page, and a cycle must not run into that gap (it would
        # find the feed and the simulators gone and count its timeouts as latency)
        before = _cycles_done(data)
        wait_until = time.monotonic() + 3 * loop + 300
        while _cycles_done(data) <= before and time.monotonic() < wait_until:
            time.sleep(0.2)
        server.stop()
        inbox.event.clear()
        stamp = int(time.time())
        publish(feed, data, 1, f"zz-inbox-{stamp}.xml", 98_000 + stamp % 1000)
        server = FeedServer(feed, port=port)
        server.start()
        published = time.monotonic()  # the new page is served from here on
        server.media.warm()  # as the running server was: the simulators' one-off reading
        deadline = published + 180
        while time.monotonic() < deadline:
            if inbox.event.wait(1) and any(
                WORD.encode() in m for t, m in inbox.arrived if t >= published
            ):
                return round(min(t for t, m in inbox.arrived if t >= published) - published, 1)
        return None
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        server.stop()
        smtp.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=56)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--monitors", type=int, default=200)
    parser.add_argument("--loop", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "update")
    parser.add_argument(
        "--latency-only",
        action="store_true",
        help="only the inbox latency, on the corpus an earlier run left in --out",
    )
    parser.add_argument(
        "--quiet-only",
        action="store_true",
        help="only the cycle with nothing new (twice: a first one settles), on the corpus "
        "an earlier run left in --out",
    )
    args = parser.parse_args()
    if args.quiet_only:
        feed, data = args.out / "feed", args.out / "data"
        cycle(feed, data, "settle")  # whatever an earlier run (or new code) left to do
        quiet = cycle(feed, data, "nothing new")
        results = json.loads(RESULTS.read_text())
        results.update(quiet=quiet, quiet_measured=measured_now())
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        return
    if args.latency_only:
        feed, data = args.out / "feed", args.out / "data"
        with FeedServer(feed) as probe:
            port = int(probe.url.split(":")[2].split("/")[0])
        latency = inbox_latency(feed, data, port, args.loop)
        print(f"inbox latency with update --loop {args.loop}: {latency} s")
        results = json.loads(RESULTS.read_text())
        results.update(
            inbox_latency_s=latency,
            loop=args.loop,
            inbox_measured=measured_now(),
            inbox_load=round(os.getloadavg()[0], 1),
        )
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        return
    feed, data = setup(args.out, args.scale, args.monitors)
    # mails for what the sample already holds are not the point, nor the official
    # publications of ~50,000 documents that the corpus never asked for (one catch-up run
    # without the per-run cap): a cycle with nothing new starts from a caught-up mirror
    cycle(feed, data, "settle", env={"KAMERWATCH_OFFICIELE_BATCH": "1000000"})
    quiet = cycle(feed, data, "nothing new")
    publish(feed, data, args.new, "zz-new.xml", 90_000)
    busy = cycle(feed, data, f"{args.new} new documents")
    with FeedServer(feed) as probe:
        port = int(probe.url.split(":")[2].split("/")[0])
    latency = inbox_latency(feed, data, port, args.loop)
    print(f"inbox latency with update --loop {args.loop}: {latency} s")
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    entries = conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0]
    conn.close()
    RESULTS.write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "entries": entries,
                "documents": documents,
                "monitors": args.monitors + 1,
                "quiet": quiet,
                "busy": busy,
                "new": args.new,
                "loop": args.loop,
                "inbox_latency_s": latency,
                "measured": measured_now(),
            },
            indent=1,
        )
        + "\n"
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
