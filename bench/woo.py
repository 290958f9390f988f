"""Benchmark of the Woo harvest and pages (not a test): ``make bench``'s Woo line.

    python bench/woo.py [--days 60] [--per-day 20]

1. a simulated open.overheid.nl (``sample/woosim.py``) with ``--days`` days of about
   ``--per-day`` publications each (plus their attachments, each with a PDF), served by the
   feed server on loopback;
2. ``kamerwatch.woo.harvest.run_harvest`` into a fresh SQLite database with pace 0: listing
   per day, every detail, every file (SHA-1 checked): publications per second;
3. ``/woo`` on that database (the app in process): the latency of a first request of a URL
   (not yet in the response cache; the list, each organisation filter, a date range and the
   Woo-besluiten filter) and of a repeated one (from the cache), median and 95th percentile.

Writes bench/results-woo.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kamerwatch.sample.feedserver import FeedServer  # noqa: E402
from kamerwatch.sample.woosim import WooWorld  # noqa: E402
from kamerwatch.subsystems import open_migrated  # noqa: E402
from kamerwatch.web.app import create_app  # noqa: E402
from kamerwatch.woo.harvest import WooOptions, run_harvest  # noqa: E402

OUT = ROOT / "bench" / "out" / "woo"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--per-day", type=int, default=20)
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "feed").mkdir(parents=True)
    today = date.today()
    start = time.monotonic()
    world = WooWorld(seed=3, today=today, days=args.days, per_day=args.per_day)
    made = time.monotonic() - start
    pubs = len(world.pubs)
    files = len(world.files)
    print(f"simulator: {pubs:,} publicaties, {files:,} bestanden ({made:.1f} s)", flush=True)
    url = f"sqlite:///{OUT / 'data' / 'kamerwatch.sqlite3'}"
    with FeedServer(OUT / "feed", woo=world) as server, open_migrated(url) as db:
        options = WooOptions(
            root=server.woo_url,
            start=today - timedelta(days=args.days),
            files_dir=OUT / "data" / "files",
            pause=0.0,
            today=today,
        )
        start = time.monotonic()
        report = run_harvest(db, options)
        seconds = time.monotonic() - start
    assert not report.errors, report.errors[:3]
    per_s = report.details / seconds
    print(
        f"harvest: {report.details:,} publicaties, {report.files:,} bestanden "
        f"({report.bytes / 1e6:.1f} MB), {report.pages:,} lijstpagina's in {seconds:.1f} s: "
        f"{per_s:,.0f} publicaties/s",
        flush=True,
    )
    app = create_app(url, data_dir=OUT / "data", files_dir=OUT / "data" / "files")
    with open_migrated(url) as db:
        orgs = [
            str(r[0])
            for r in db.conn.execute(
                "SELECT DISTINCT verantwoordelijke FROM woo_publication "
                "WHERE verantwoordelijke IS NOT NULL ORDER BY 1"
            )
        ]
    urls = ["/woo", "/woo?woo_besluiten=1", "/woo?eerste_kamer=1", "/woo.json"]
    urls += [f"/woo?organisatie={o}" for o in orgs]
    for back in range(5, args.days, 10):
        van = (today - timedelta(days=back)).isoformat()
        urls.append(f"/woo?van={van}&tot={(today - timedelta(days=back - 5)).isoformat()}")
    first: list[float] = []
    again: list[float] = []
    with TestClient(app) as client:
        client.get("/uitleg")  # warm up the app (templates, pool)
        for u in urls:
            t = time.perf_counter()
            response = client.get(u)
            first.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, u
        for _ in range(3):
            for u in urls:
                t = time.perf_counter()
                client.get(u)
                again.append((time.perf_counter() - t) * 1000)
    result = {
        "publications": report.details,
        "files": report.files,
        "megabytes": round(report.bytes / 1e6, 1),
        "listing_pages": report.pages,
        "harvest_seconds": round(seconds, 2),
        "publications_per_s": round(per_s, 1),
        "woo_urls": len(urls),
        "woo_first_median_ms": round(statistics.median(first), 1),
        "woo_first_p95_ms": round(percentile(first, 0.95), 1),
        "woo_cached_median_ms": round(statistics.median(again), 2),
        "woo_cached_p95_ms": round(percentile(again, 0.95), 2),
    }
    print(
        f"/woo: eerste aanvraag mediaan {result['woo_first_median_ms']} ms, p95 "
        f"{result['woo_first_p95_ms']} ms ({len(urls)} URL's); uit de cache mediaan "
        f"{result['woo_cached_median_ms']} ms, p95 {result['woo_cached_p95_ms']} ms"
    )
    (ROOT / "bench" / "results-woo.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
