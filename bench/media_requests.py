"""Requests of the officiele-publicaties stage: asking every identifier directly (probing)
against listing each day with the SRU search first (issue #24). Not a test; prints figures.

    .venv/bin/python bench/media_requests.py [--weeks 3] [--scale 1] [--days 14] [--sru-days 14]

1. a sample parliament (``kamerwatch.sample.parliament``, seed 11, cached under
   bench/out/media) synced once by ``kamerwatch sync`` from the feed server;
2. per strategy a copy of that database, and the feed server's simulated repository and
   SRU search (``sample/mediasim.py``: answers appear two days after their document);
3. the documents arriving day by day: the run starts ``--days`` days before the sample's
   today with only the document versions dated up to then; each following day adds that
   day's versions (as a daily sync would) and the simulator's today advances with it;
   the stage runs ``--runs-per-day`` times a day (as ``kamerwatch update --loop`` would),
   pace 0; the requests are counted by the server itself (its request log) and by the
   client, which must agree;
4. one more run the next morning (no new documents: the SRU reads a day's listing once
   it is complete), then a table per day, the totals, and what both strategies hold at
   the end (the same publications must be held).

Writes bench/results-media.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kamerwatch.publicaties.harvest import OfficialOptions, run_official  # noqa: E402
from kamerwatch.sample.feedserver import FeedServer  # noqa: E402
from kamerwatch.subsystems import open_migrated  # noqa: E402

OUT = ROOT / "bench" / "out" / "media"
TODAY = date(2026, 11, 24)


def synced(weeks: int, scale: int) -> Path:
    """The sample's feed directory and a database synced from it (cached)."""
    from kamerwatch.sample.parliament import generate

    base = OUT / f"w{weeks}-s{scale}"
    db = base / "data" / "kamerwatch.sqlite3"
    if db.exists():
        return base
    shutil.rmtree(base, ignore_errors=True)
    generate(base / "feed", seed=11, today=TODAY, weeks=weeks, scale=scale)
    with FeedServer(base / "feed") as server:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "-q",
                "--data-dir",
                str(base / "data"),
                "sync",
                "--feed-url",
                server.url,
            ],
            check=True,
            env={**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0"},
        )
    return base


def run(
    base: Path, strategy: str, days: int, sru_days: int, runs_per_day: int
) -> dict[str, object]:
    work = OUT / f"run-{strategy}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copyfile(base / "data" / "kamerwatch.sqlite3", work / "kamerwatch.sqlite3")
    url = f"sqlite:///{work / 'kamerwatch.sqlite3'}"
    per_day: list[dict[str, int]] = []
    first_day = TODAY - timedelta(days=days)
    with FeedServer(base / "feed") as server, open_migrated(url) as db:
        world = server.media
        world._build()
        with db.transaction() as conn:  # what a sync on the first day would not hold yet
            conn.execute(
                "CREATE TABLE bench_later AS SELECT * FROM documentversie "
                "WHERE substr(datum, 1, 10) > ?",
                (first_day.isoformat(),),
            )
            conn.execute(
                "DELETE FROM documentversie WHERE substr(datum, 1, 10) > ?",
                (first_day.isoformat(),),
            )
        options = OfficialOptions(
            root=server.media_url,
            metadata_root=server.media_url,
            pause=0.0,
            batch=10_000_000,
            sru_url=server.media_url + "/sru" if strategy == "sru" else None,
            sru_days=sru_days,
        )
        for i in range(days + 2):
            world.today = first_day + timedelta(days=i)
            closing = i == days + 1  # the next morning: no new documents, one run
            with db.transaction() as conn:  # this day's sync
                if closing:
                    conn.execute("DELETE FROM bench_later")
                conn.execute(
                    "INSERT INTO documentversie SELECT * FROM bench_later "
                    "WHERE substr(datum, 1, 10) <= ?",
                    (world.today.isoformat(),),
                )
                conn.execute(
                    "DELETE FROM bench_later WHERE substr(datum, 1, 10) <= ?",
                    (world.today.isoformat(),),
                )
            day = {"requests": 0, "listing": 0, "metadata": 0, "found": 0, "ms": 0}
            for k in range(1 if closing else runs_per_day):
                now = datetime(
                    world.today.year, world.today.month, world.today.day, tzinfo=UTC
                ) + timedelta(hours=0.5 + k * 24 / runs_per_day)
                server.clear_requests()
                start = time.monotonic()
                report = run_official(db, replace(options, now=now))
                seconds = time.monotonic() - start
                seen = [r for r in server.requests() if not r["path"].startswith("/fout404")]
                assert len(seen) == report.requests, (len(seen), report.requests)
                assert not report.errors, report.errors[:3]
                day["requests"] += report.requests
                day["listing"] += report.sru_requests
                day["metadata"] += sum(1 for r in seen if r["path"].endswith("/metadata.xml"))
                day["found"] += report.found
                day["ms"] += round(seconds * 1000)
            per_day.append(day)
        held = {
            str(state): int(n)
            for state, n in db.conn.execute(
                "SELECT state, count(*) FROM op_publication GROUP BY state ORDER BY state"
            )
        }
        ok = {
            str(r[0]) for r in db.conn.execute("SELECT eid FROM op_publication WHERE state = 'ok'")
        }
        identifiers = int(
            db.conn.execute(
                "SELECT count(DISTINCT externeidentifier) FROM documentversie "
                "WHERE externeidentifier IS NOT NULL AND externeidentifier <> ''"
            ).fetchone()[0]
        )
        days_of = {eid: world.published_on(eid) for eid in ok if eid in world.publications}
    return {
        "per_day": per_day,
        "held": held,
        "ok": ok,
        "identifiers": identifiers,
        "days_of": days_of,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=3, help="weeks of the sample parliament")
    parser.add_argument("--scale", type=int, default=1, help="scale of the sample parliament")
    parser.add_argument("--days", type=int, default=14, help="daily runs after the first")
    parser.add_argument("--sru-days", type=int, default=14, help="days listed on the first run")
    parser.add_argument("--runs-per-day", type=int, default=1, help="stage runs per day")
    args = parser.parse_args()
    base = synced(args.weeks, args.scale)
    results = {
        s: run(base, s, args.days, args.sru_days, args.runs_per_day) for s in ("probe", "sru")
    }
    probe, sru = results["probe"], results["sru"]
    print(
        f"sample: seed 11, {args.weeks} weeks, scale {args.scale}, today {TODAY}; "
        f"{probe['identifiers']:,} externe identifiers; documents arriving day by day from "
        f"{args.days} days before today; {args.runs_per_day} run(s) a day; "
        f"SRU lists {args.sru_days} days back on its first run"
    )
    print(f"{'day':>5} | {'probe':>8} {'(metadata)':>10} | {'sru':>8} {'(listing)':>10}")
    for i, (p, s) in enumerate(zip(probe["per_day"], sru["per_day"], strict=True)):  # type: ignore[call-overload]
        label = "first" if i == 0 else "next" if i == args.days + 1 else f"+{i}d"
        print(
            f"{label:>5} | {p['requests']:>8,} {p['metadata']:>10,} | "
            f"{s['requests']:>8,} {s['listing']:>10,}"
        )
    totals = {
        name: {
            "first": r["per_day"][0]["requests"],  # type: ignore[index]
            "later": sum(d["requests"] for d in r["per_day"][1:]),  # type: ignore[index]
            "total": sum(d["requests"] for d in r["per_day"]),  # type: ignore[union-attr]
        }
        for name, r in results.items()
    }
    for name in ("probe", "sru"):
        t = totals[name]
        print(
            f"{name:>5}: first day {t['first']:,} requests, the {args.days} later days and "
            f"one run the next morning {t['later']:,}, total {t['total']:,}; held at the end: "
            f"{results[name]['held']}"
        )
    same = probe["ok"] == sru["ok"]
    print(f"the same publications held at the end: {'yes' if same else 'no'}")
    for name, mine, other in (("probe", probe, sru), ("sru", sru, probe)):
        extra = sorted(mine["ok"] - other["ok"])  # type: ignore[operator]
        if extra:
            days = sorted({mine["days_of"].get(e) or "?" for e in extra})  # type: ignore[attr-defined]
            print(f"  only {name} holds {len(extra)}: published on {', '.join(days)}")
    (ROOT / "bench" / "results-media.json").write_text(
        json.dumps(
            {
                "weeks": args.weeks,
                "scale": args.scale,
                "days": args.days,
                "sru_days": args.sru_days,
                "runs_per_day": args.runs_per_day,
                "identifiers": probe["identifiers"],
                "totals": totals,
                "per_day": {k: v["per_day"] for k, v in results.items()},
                "same_held": same,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
