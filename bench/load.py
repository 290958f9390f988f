"""Load test (not a test): ``kamerwatch serve`` with the demo data under a realistic mix of
requests while a sync runs, loopback only, bounded in time and clients.

    .venv/bin/python bench/load.py [--seconds 30] [--clients 8] [--client raw|httpx]

1. the demo's sample parliament (scale 1), of which the first 70 % of the feed pages are
   synced, downloaded, converted and indexed (cached in bench/out/load);
2. a copy of that mirror served by `kamerwatch serve` on loopback;
3. at the same time `kamerwatch sync` fetches the other 30 % from the feed server (with a
   politeness pause, so it keeps writing during the whole run) — every commit changes the
   data version, so cached pages are rendered again, as after a real sync;
4. ``--clients`` keep-alive clients request a mix of pages drawn from the database for
   ``--seconds``: front page, document, zaak, persoon, search, dashboards, JSON twins.

Prints and writes requests/s, p50/p95, the errors (any status but 200: must be zero) and
whether the sync ran during the whole measurement, to bench/results-load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import psutil

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web import free_port, load, wait_ready, without_times  # bench/web.py's load client

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 28)
FIRST_PART = 0.7
# the site takes the sample's day as today (its agenda and windows as on that day, on
# whatever date the benchmark runs)
ENV = {**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0", "KAMERWATCH_TODAY": TODAY.isoformat()}
CLI = [sys.executable, "-m", "kamerwatch", "-q"]

# (share of the requests, kind of page)
MIX = [
    (20, "front"),
    (30, "document"),
    (15, "zaak"),
    (10, "persoon"),
    (10, "search"),
    (10, "dashboard"),
    (5, "json"),
]
DASHBOARDS = ["/activiteiten", "/besluiten", "/stemmingen", "/open-vragen", "/toezeggingen"]
WORDS = ["motie", "stikstof", "woningbouw", "minister", '"brief regering"', "jeugdzorg OR ggz"]


def kamerwatch(data: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), *args],
        check=True,
        env=env or ENV,
    )


def prepare(out: Path) -> tuple[Path, Path]:
    """(the full feed, the mirror of its first part with files, conversions and index)."""
    full, part, data = out / "feed-full", out / "feed-part", out / "data-part"
    if not (data / "ready").exists():
        shutil.rmtree(out, ignore_errors=True)
        generate(full, seed=1, today=TODAY)
        (part / "feed").mkdir(parents=True)
        pages = sorted((full / "feed").glob("*.xml"))
        for page in pages[: int(len(pages) * FIRST_PART)]:
            shutil.copy(page, part / "feed" / page.name)
        shutil.copytree(full / "resources", part / "resources")
        with FeedServer(part) as server:
            kamerwatch(data, "sync", "--feed-url", server.url)
            kamerwatch(data, "fetch-documents", "--feed-url", server.url)
        kamerwatch(data, "convert")
        kamerwatch(data, "index")
        (data / "ready").touch()
    return full, data


def mix(db: Path, n: int, seed: int = 1) -> list[str]:
    """``n`` request paths in the proportions of :data:`MIX`, real numbers from ``db``."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        numbers = {
            kind: [str(r[0]) for r in conn.execute(sql) if r[0]]
            for kind, sql in (
                ("document", "SELECT document_nummer FROM document"),
                ("zaak", "SELECT nummer FROM zaak"),
                ("persoon", "SELECT nummer FROM persoon"),
            )
        }
    finally:
        conn.close()
    kinds = rng.choices([k for _, k in MIX], weights=[w for w, _ in MIX], k=n)
    paths = []
    for kind in kinds:
        if kind == "front":
            paths.append("/")
        elif kind in numbers:
            paths.append(f"/{kind}/{rng.choice(numbers[kind])}")
        elif kind == "search":
            paths.append("/zoeken?" + str(httpx.QueryParams({"q": rng.choice(WORDS)})))
        elif kind == "dashboard":
            paths.append(rng.choice(DASHBOARDS))
        else:
            paths.append(f"/document/{rng.choice(numbers['document'])}.json")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "load")
    args = parser.parse_args()
    full, prepared = prepare(args.out)
    data = args.out / "data-run"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(prepared, data)
    kamerwatch(data, "db", "migrate")  # a mirror kept from an earlier version of the code
    db = data / "kamerwatch.sqlite3"
    paths = mix(db, 5000)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [*CLI, "--data-dir", str(data), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        env=ENV,
    )
    try:
        wait_ready(base)
        with FeedServer(full) as feed:
            pages_left = len(list((full / "feed").glob("*.xml"))) * (1 - FIRST_PART)
            pause = max(0.05, args.seconds * 1.2 / max(1.0, pages_left))
            sync_env = {**ENV, "KAMERWATCH_POLITENESS_PAUSE": f"{pause:.3f}"}
            sync_start = time.monotonic()
            sync = subprocess.Popen(
                [*CLI, "--data-dir", str(data), "sync", "--feed-url", feed.url],
                env=sync_env,
            )
            result = asyncio.run(
                load(
                    base, paths, args.clients, args.seconds, psutil.Process(serve.pid), args.client
                )
            )
            during = sync.poll() is None
            sync.wait(timeout=600)
            sync_seconds = time.monotonic() - sync_start
            if sync.returncode != 0:
                raise SystemExit(f"sync faalde (exit {sync.returncode})")
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    result.update(
        {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "seconds": args.seconds,
            "client": args.client,
            "mix": {kind: share for share, kind in MIX},
            "sync_seconds": round(sync_seconds, 1),
            "sync_ran_throughout": during,
        }
    )
    print(
        f"{result['clients']} clients, {args.seconds:.0f} s, while a sync ran "
        f"({'throughout' if during else 'ended before the load'}, {sync_seconds:.0f} s): "
        f"{result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} "
        f"ms, {result['errors']} errors of {result['requests']:,} requests"
    )
    (ROOT / "bench" / "results-load.json").write_text(
        json.dumps(without_times(result), indent=1) + "\n"
    )
    print("written to bench/results-load.json")


if __name__ == "__main__":
    main()
