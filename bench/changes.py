"""Issue #27 benchmark: webhook deliveries and change-feed pages.

    .venv/bin/python bench/changes.py [--workdir DIR] [--monitors N] [--weeks W] [--no-postgres]

1. A sample parliament is synced up to where about 2,000 documents remain; then N monitors
   are made (each its own account with a webhook to a loopback receiver, mixed kinds as in
   bench/alerts.py), the rest is synced and one ``alerts run`` is timed: evaluation, the
   digests, the signed payloads and every delivery to the receiver (a real HTTP server in
   a process of its own, answering 200). Target: 10,000 monitors after 2,000 new documents ≤ 60 s.
2. Pages of 1,000 changes of ``/api/wijzigingen`` through the app (in process), at cursors
   spread over the log. Target: ≤ 50 ms. Also on a throwaway PostgreSQL holding a copy of
   the change log, where its server binaries are installed (``--no-postgres``: not).

Figures go to bench/results-changes.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from alerts import NEW_DOCUMENTS, queries, split, sync
from inproc import InProcess
from kamerwatch import alerts as kw_alerts
from kamerwatch.sample.parliament import generate
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from kamerwatch.web.app import create_app
from stamp import measured_now
from web import free_port


def _receive(port: int, count: Any, size: Any, ready: Any) -> None:
    """The loopback receiver (its own process, as a real receiver is not in ours): counts
    the POSTs and their bytes, answers 200."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with count.get_lock():
                count.value += 1
                size.value += len(body)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    ready.set()
    server.serve_forever()


class Receiver:
    def __init__(self) -> None:
        port = free_port()
        self._count = mp.Value("q", 0)
        self._size = mp.Value("q", 0)
        ready = mp.Event()
        self.process = mp.Process(
            target=_receive, args=(port, self._count, self._size, ready), daemon=True
        )
        self.process.start()
        ready.wait(30)
        self.url = f"http://127.0.0.1:{port}/hook"

    @property
    def count(self) -> int:
        return int(self._count.value)

    @property
    def bytes(self) -> int:
        return int(self._size.value)

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


class NoMail:
    def send(self, message: bytes, sender: str, recipient: str) -> None:
        pass


def feed_pages(url: str, data: Path, cursors: list[int], total: int) -> list[float]:
    """Milliseconds per page of 1,000 changes through the app (in process), sorted."""
    times: list[float] = []
    with InProcess(create_app(url, data_dir=data)) as client:
        client.get("/api/wijzigingen?sinds=0")  # warm
        for cursor in cursors:
            t = time.perf_counter()
            response = client.get(f"/api/wijzigingen?sinds={cursor}")
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
            assert len(response.json()["wijzigingen"]) == min(1000, total - cursor)
    return sorted(times)


def postgres_pages(url: str, data: Path, cursors: list[int], total: int) -> list[float]:
    """The same pages on a throwaway PostgreSQL holding a copy of the change log."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pgserver import PgServer, find_bindir

    found = find_bindir()
    if isinstance(found, str):
        print(f"geen PostgreSQL: {found}", flush=True)
        return []
    server = PgServer(found).start()
    try:
        pg_url = server.new_database("bench")
        with Database(url) as lite, open_migrated(pg_url) as pg, pg.transaction() as conn:
            rows = lite.conn.execute(
                "SELECT seq, kind, entity_id, what, at, path FROM change_log ORDER BY seq"
            ).fetchall()
            conn.executemany(
                "INSERT INTO change_log (seq, kind, entity_id, what, at, path)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [tuple(r) for r in rows],
            )
            conn.execute("INSERT INTO change_counter (id, n) VALUES (1, ?)", (len(rows),))
        with open_migrated(pg_url) as pg:  # statistics for the planner, as autovacuum would
            pg.conn.execute("ANALYZE change_log")
        return feed_pages(pg_url, data, cursors, total)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--monitors", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=70)
    parser.add_argument(
        "--no-postgres",
        action="store_true",
        help="do not also time the feed pages on a throwaway PostgreSQL (tests/pgserver.py)"
        " holding the same change log (done where PostgreSQL's server binaries are installed)",
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kw-bench-changes-"))
    full, part, data = work / "full", work / "part", work / "data"
    url = f"sqlite:///{data / 'kamerwatch.sqlite3'}"
    generate(full, seed=7, today=date.today(), weeks=args.weeks)
    split(full, part)
    sync(part, data)
    receiver = Receiver()
    rng = random.Random(4)
    now = datetime.now(UTC)
    with Database(url) as db:
        pool = queries(db)
        made = 0
        for i in range(args.monitors):
            kind, value = rng.choice(pool)
            try:
                monitor = kw_alerts.add_monitor_for_email(
                    db, f"hook{i}@example.org", kind, value, now
                )
            except kw_alerts.MonitorError:
                continue
            account = db.conn.execute(
                "SELECT account_id FROM monitor WHERE id = ?", (monitor.id,)
            ).fetchone()[0]
            kw_alerts.add_webhook(
                db, int(account), receiver.url, monitor_id=monitor.id, instead=True
            )
            made += 1
    sync(full, data)
    with Database(url) as db:
        documents_new = NEW_DOCUMENTS
        t0 = time.perf_counter()
        report = kw_alerts.run_alerts(
            db,
            NoMail(),
            base_url="https://kw.example",
            mail_from="kw <kw@example.org>",
            now=datetime.now(UTC),
            webhooks=kw_alerts.WebhookOptions(allow_private=True, timeout=10, workers=8),
        )
        took = time.perf_counter() - t0
        total = int(db.conn.execute("SELECT count(*) FROM change_log").fetchone()[0])
    cursors = [rng.randrange(0, max(1, total - 1000)) for _ in range(40)]
    times = feed_pages(url, data, cursors, total)
    pg_times = [] if args.no_postgres else postgres_pages(url, data, cursors, total)
    times.sort()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "webhook_monitors": made,
        "new_documents_at_least": documents_new,
        "monitors_with_new_items": report.webhook_deliveries,  # one delivery each
        "deliveries": report.webhook_deliveries,
        "delivered": report.webhooks.delivered,
        "received": receiver.count,
        "received_mb": round(receiver.bytes / 1e6, 1),
        "hits": report.hits,
        "seconds": round(took, 2),
        "changes_in_log": total,
        "measured": measured_now(),  # its rows' stamp also when run on its own
        "feed_page_median_ms": round(statistics.median(times), 2),
        "feed_page_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        **(
            {
                "feed_page_postgresql_median_ms": round(statistics.median(pg_times), 2),
                "feed_page_postgresql_p95_ms": round(pg_times[int(len(pg_times) * 0.95) - 1], 2),
            }
            if pg_times
            else {}
        ),
    }
    print(json.dumps(result, indent=2))
    receiver.stop()
    (Path(__file__).parent / "results-changes.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
