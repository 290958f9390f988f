"""Benchmark of the website (not a test): p50/p95 per page on a big sample parliament.

    python bench/web.py [--scale 56] [--requests 30] [--out bench/out/web]

1. generates the sample parliament at --scale (26 weeks of history per unit; 56 gives
   about 50,000 documents) and syncs it through the real feed server and client (cached
   in --out, so a second run only measures);
2. requests every dashboard and a few entity pages in-process (Starlette test client, so
   the figures are the application's own time): the first request (after a change of the
   mirror a dashboard is computed anew) and then --requests more, as p50/p95;
3. ceiling: a static file from the same app.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.web.app import create_app
from kamerwatch.web.dashboards import DASHBOARDS

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 28)


def prepare(out: Path, scale: int) -> Path:
    feed = out / f"sample-{scale}"
    data = out / f"data-{scale}"
    db = data / "kamerwatch.sqlite3"
    if not (feed / "expected.json").exists():
        print(f"generating the sample parliament at scale {scale} …", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "-q",
                "sample",
                str(feed),
                "--scale",
                str(scale),
                "--today",
                TODAY.isoformat(),
            ],
            check=True,
        )
    if not db.exists() or not (data / "synced").exists():
        print("syncing it …", flush=True)
        with FeedServer(feed) as server:
            env = {**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0"}
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kamerwatch",
                    "-q",
                    "--data-dir",
                    str(data),
                    "sync",
                    "--feed-url",
                    server.url,
                ],
                check=True,
                env=env,
            )
        (data / "synced").touch()
    return db


def measure(client: TestClient, url: str, n: int) -> tuple[float, float, float, int]:
    start = time.perf_counter()
    first = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return cold, statistics.median(times), p95, len(first.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=56)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "web")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = prepare(args.out, args.scale)
    conn = sqlite3.connect(db)
    documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    doc = conn.execute(
        "SELECT document_nummer FROM document WHERE soort = 'Motie' LIMIT 1"
    ).fetchone()[0]
    zaak = conn.execute("SELECT nummer FROM zaak WHERE soort = 'Wetgeving' LIMIT 1").fetchone()[0]
    persoon = conn.execute("SELECT nummer FROM persoon LIMIT 1").fetchone()[0]
    conn.close()
    app = create_app(f"sqlite:///{db}")
    app.state.today = TODAY
    urls = (
        ["/static/site.css"]
        + [f"/{name}" for name in DASHBOARDS]
        + [
            "/",
            f"/document/{doc}",
            f"/zaak/{zaak}",
            f"/persoon/{persoon}",
            "/activiteiten.ics",
            "/open-vragen.csv",
        ]
    )
    rows = []
    with TestClient(app) as client:
        for url in urls:
            cold, p50, p95, size = measure(client, url, args.requests)
            rows.append(
                {
                    "url": url,
                    "first_ms": round(cold, 1),
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "bytes": size,
                }
            )
    ceiling = rows[0]["p95_ms"]
    print(f"\n{documents:,} documents; {args.requests} requests per page after a warm-up\n")
    print(f"{'page':<28} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'× static':>9} {'KB':>7}")
    for r in rows:
        ratio = r["p95_ms"] / ceiling if ceiling else 0
        print(
            f"{r['url']:<28} {r['first_ms']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8} {ratio:>8.1f}× "
            f"{r['bytes'] / 1024:>7.0f}"
        )
    print("\nfirst = the first request after the mirror changed (a dashboard is computed once per")
    print("change and then served from memory); p50/p95 over the following requests.")
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "scale": args.scale,
        "documents": documents,
        "pages": rows,
    }
    (ROOT / "bench" / "results-web.json").write_text(json.dumps(result, indent=1) + "\n")
    print("\nwritten to bench/results-web.json")


if __name__ == "__main__":
    main()
