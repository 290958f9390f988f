"""Alerts benchmark: 10,000 users with 30,000 monitors after a sync of ~2,000 new documents.

    .venv/bin/python bench/alerts.py [--workdir DIR] [--users N] [--monitors M]

A long sample parliament is synced up to the point where about 2,000 documents remain;
then the monitors are made (mixed kinds, many users sharing a query), the rest is synced
and one ``alerts run`` is timed with an in-memory transport (rendering and bookkeeping
included, SMTP excluded). Figures go to bench/results-alerts.json. Target: ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from kamerwatch import alerts
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.parliament import generate
from kamerwatch.store.db import Database

NEW_DOCUMENTS = 2000


class Counter:
    def __init__(self) -> None:
        self.mails = 0
        self.bytes = 0

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        self.mails += 1
        self.bytes += len(message)


def sync(feed_dir: Path, data_dir: Path) -> None:
    env = {**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0"}
    with FeedServer(feed_dir) as server:
        url = server.start()
        cmd = [sys.executable, "-m", "kamerwatch", "--data-dir", str(data_dir), "-q", "sync"]
        subprocess.run([*cmd, "--feed-url", url], check=True, env=env, capture_output=True)


def split(full: Path, part: Path) -> None:
    """Copy the leading pages, leaving at least NEW_DOCUMENTS documents for later."""
    pages = sorted((full / "feed").glob("*.xml"))
    remaining, cut = 0, len(pages)
    while cut > 0 and remaining < NEW_DOCUMENTS:
        cut -= 1
        remaining += pages[cut].read_bytes().count(b'term="document"')
    (part / "feed").mkdir(parents=True)
    for page in pages[:cut]:
        shutil.copy(page, part / "feed" / page.name)
    shutil.copytree(full / "resources", part / "resources")


def queries(db: Database) -> list[tuple[str, str]]:
    conn = db.conn
    pick: list[tuple[str, str]] = []
    pick += [
        ("zaak", r[0]) for r in conn.execute("SELECT nummer FROM zaak ORDER BY random() LIMIT 200")
    ]
    pick += [("persoon", r[0]) for r in conn.execute("SELECT nummer FROM persoon LIMIT 150")]
    pick += [("commissie", r[0]) for r in conn.execute("SELECT afkorting FROM commissie")]
    pick += [
        ("kamerstukdossier", str(r[0]))
        for r in conn.execute("SELECT nummer FROM kamerstukdossier LIMIT 100")
    ]
    pick += [
        ("activiteit", r[0])
        for r in conn.execute("SELECT nummer FROM activiteit ORDER BY random() LIMIT 100")
    ]
    pick += [("toezeggingen", "alle")]
    pick += [
        ("toezeggingen", f"fractie:{r[0]}") for r in conn.execute("SELECT afkorting FROM fractie")
    ]
    words = {
        w.lower()
        for (o,) in conn.execute("SELECT onderwerp FROM document LIMIT 3000")
        for w in (o or "").split()
        if len(w) > 6 and w.isalpha()
    }
    pick += [("zoek", w) for w in sorted(words)[:300]]
    return pick


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--monitors", type=int, default=30_000)
    parser.add_argument("--weeks", type=int, default=70)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kw-bench-alerts-"))
    full, part, data = work / "full", work / "part", work / "data"
    t0 = time.perf_counter()
    generate(full, seed=7, today=date.today(), weeks=args.weeks)
    split(full, part)
    sync(part, data)
    print(f"sample + first sync: {time.perf_counter() - t0:.1f} s", flush=True)
    rng = random.Random(4)
    now = datetime.now(UTC)
    with Database(f"sqlite:///{data / 'kamerwatch.sqlite3'}") as db:
        pool = queries(db)
        t1 = time.perf_counter()
        for i in range(args.monitors):
            kind, value = rng.choice(pool)
            try:
                alerts.add_monitor_for_email(
                    db, f"user{i % args.users}@example.org", kind, value, now
                )
            except alerts.MonitorError:
                continue
        print(f"{args.monitors} monitors: {time.perf_counter() - t1:.1f} s", flush=True)
    sync(full, data)
    new_docs = NEW_DOCUMENTS
    with Database(f"sqlite:///{data / 'kamerwatch.sqlite3'}") as db:
        transport = Counter()
        t2 = time.perf_counter()
        report = alerts.run_alerts(
            db,
            transport,
            base_url="https://kw.example",
            mail_from="kw <kw@example.org>",
            now=datetime.now(UTC),
        )
        took = time.perf_counter() - t2
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "users": args.users,
        "monitors": report.due,
        "distinct_queries": report.queries,
        "new_documents_at_least": new_docs,
        "digests": report.digests,
        "hits": report.hits,
        "mails_sent": transport.mails,
        "seconds": round(took, 2),
        "mails_per_second": round(transport.mails / took, 1) if took else None,
    }
    print(json.dumps(result, indent=2))
    (Path(__file__).parent / "results-alerts.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
