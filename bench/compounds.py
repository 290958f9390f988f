"""Benchmark of the compound prefix (not a test): what a plain word of 6+ letters costs now
that it also matches as the head of compounds ("stikstof" → "stikstofuitstoot").

    python bench/compounds.py DB [--before SRC] [--side NAME=SRC …] [--rounds 3] [--out FILE]
    python bench/compounds.py DB --http SRC [SRC …] [--workers 2] [--clients 8]

DB is an indexed SQLite database (the benchmark corpus: bench/out/search/data-56). The same
query set (frequent and rare words of 6+ letters from the index's own vocabulary, shorter
words, phrases, filters) is searched once per query with an empty cache — a search nobody
asked since the last index change — by the code under test (this checkout) and, with
``--before SRC``, by another checkout's ``src`` directory (e.g. a worktree of the commit
before the change), in turns: before, after, before, after … so load drift falls on both.
Prints median and p95 per query class; ``--out`` writes them as JSON.

``--http``: ``kamerwatch serve --workers 2`` of each SRC in turn on DB's data directory,
8 keep-alive clients (bench/web.py's raw client), 300 frequent and 300 rare words of 6+
letters nobody asked (each once per server): requests/s, p50 and p95. Each SRC must know
DB's schema (``serve`` refuses a newer one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def vocabulary(db: Path, low: int, high: int, count: int, seed: int) -> list[str]:
    """``count`` words of 6+ letters of the exact text found in ``low``–``high`` sources."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_fts, col)")
    words = [
        r[0]
        for r in conn.execute(
            """SELECT term FROM temp.vocab WHERE col = 'body' AND doc BETWEEN ? AND ?
               AND length(term) >= 6 ORDER BY term""",
            (low, high),
        )
        if r[0].isalpha()
    ]
    conn.close()
    return random.Random(seed).sample(words, min(count, len(words)))


def query_set(db: Path) -> dict[str, list[dict[str, object]]]:
    """Query class → searches (as SearchQuery keyword arguments), the same for both sides."""
    frequent = vocabulary(db, 5000, 10**9, 40, 1)
    middle = vocabulary(db, 200, 5000, 40, 2)
    rare = vocabulary(db, 3, 50, 40, 3)
    return {
        "frequent word (6+ letters, ≥5,000 sources)": [{"q": w} for w in frequent],
        "middle word (200–5,000 sources)": [{"q": w} for w in middle],
        "rare word (3–50 sources)": [{"q": w} for w in rare],
        "frequent word, by relevance": [{"q": w, "sort": "relevantie"} for w in frequent[:20]],
        "two words": [{"q": f"{a} {b}"} for a, b in zip(frequent[:20], middle[:20], strict=True)],
        "short words (< 6 letters, unchanged)": [
            {"q": w}
            for w in ("motie", "brief", "wet", "kamer", "vraag", "zorg", "geld", "stem", "water")
        ],
        "phrase": [
            {"q": q}
            for q in (
                '"betaalbare huurwoningen"',
                '"gehoord de beraadslaging"',
                '"de minister van"',
                '"verzoekt de regering"',
            )
        ],
        "filters (kind, soort, date)": [
            {"q": w, "kinds": ["document"], "soorten": ["Motie"], "van": "2025-01-01"}
            for w in ("beraadslaging", "regering", "minister", "stikstof", "woningbouw")
        ],
        "named: stikstof, minister, woningbouw": [
            {"q": w} for w in ("stikstof", "minister", "woningbouw")
        ],
    }


def one_pass(db: Path, queries: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    """Every query of the set once with an empty cache, in this process's ``kamerwatch``."""
    from kamerwatch.search.engine import SearchQuery, clear_cache, search
    from kamerwatch.store.db import SqliteConnection

    conn = sqlite3.connect(db, factory=SqliteConnection)
    search(conn, SearchQuery(q="belasting"))  # modules loaded, pages cached
    times: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    for label, qs in queries.items():
        for kw in qs:
            args = {**kw}
            if isinstance(args.get("van"), str):
                args["van"] = date.fromisoformat(str(args["van"]))
            for key in ("kinds", "soorten"):
                if key in args:
                    args[key] = tuple(args[key])  # type: ignore[arg-type]
            q = SearchQuery(**args)  # type: ignore[arg-type]
            clear_cache()
            t = time.perf_counter()
            result = search(conn, q)
            times.setdefault(label, []).append((time.perf_counter() - t) * 1000)
            totals.setdefault(label, []).append(result.total)
    return {"times": times, "totals": totals}


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
        "per_s": round(1000 / statistics.mean(ordered), 1),
    }


def http_pass(
    data: Path, src: Path, urls: list[str], workers: int, clients: int
) -> dict[str, object]:
    """``kamerwatch serve`` from ``src`` on ``data``; every URL once from ``clients``."""
    import asyncio

    sys.path.insert(0, str(ROOT / "bench"))
    from web import load, served, without_times

    with served("", workers, data_dir=data, env={"PYTHONPATH": str(src)}) as (base, server):
        warm = [f"/zoeken?q={w}" for w in ("belasting", "onderwijs", "defensie", "politie")]
        asyncio.run(load(base, warm * 2, 2, None, server, "raw"))
        row = asyncio.run(load(base, urls, clients, None, server, "raw"))
    return dict(without_times(row))


def over_http(db: Path, sources: list[Path], workers: int, clients: int) -> None:
    classes = {
        "frequent words (≥5,000 sources)": vocabulary(db, 5000, 10**9, 300, 11),
        "rare words (3–50 sources)": vocabulary(db, 3, 50, 300, 12),
    }
    print(f"load average {os.getloadavg()}; serve --workers {workers}, {clients} clients")
    print(
        f"{'class':<34} {'code':<28} {'n':>4} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'err':>4}"
    )
    for label, words in classes.items():
        urls = [f"/zoeken?q={w}" for w in words]
        for src in sources:
            r = http_pass(db.parent, src, urls, workers, clients)
            print(
                f"{label:<34} {str(src)[-28:]:<28} {r['requests']:>4} {r['requests_per_s']:>7}"
                f" {r['p50_ms']:>7} {r['p95_ms']:>7} {r['errors']:>4}"
            )
    print(f"load average {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--before", type=Path, help="the src directory of the code before")
    parser.add_argument(
        "--side", action="append", default=[], metavar="NAME=SRC", help="another code to time"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--http", type=Path, nargs="+", help="src directories to serve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--pass", dest="one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a child: one pass, JSON on stdout
        print(json.dumps(one_pass(args.db, json.loads(args.one.read_text()))))
        return
    if args.http:
        over_http(args.db, args.http, args.workers, args.clients)
        return
    queries = query_set(args.db)
    spec = (args.out or Path("/tmp/compounds")).with_suffix(".queries.json")
    spec.write_text(json.dumps(queries, ensure_ascii=False))
    sides = {"before": args.before} if args.before else {}
    sides.update((n, Path(src)) for n, src in (x.split("=", 1) for x in args.side))
    sides["after"] = ROOT / "src"
    collected: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    totals: dict[str, dict[str, list[int]]] = {}
    for _ in range(args.rounds):
        for side, src in sides.items():
            env = {**os.environ, "PYTHONPATH": str(src)}
            out = subprocess.run(
                [sys.executable, __file__, str(args.db), "--pass", str(spec)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            got = json.loads(out)
            for label, ts in got["times"].items():
                collected[side].setdefault(label, []).extend(ts)
            totals[side] = got["totals"]
    load = os.getloadavg()
    result: dict[str, object] = {"load": [round(x, 2) for x in load], "classes": {}}
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.rounds} rounds")
    print(
        f"{'query class':<44} {'side':<8} {'n':>4} {'hits med':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'/s':>7}"
    )
    for label in queries:
        for side in sides:
            s = summary(collected[side][label])
            hits = int(statistics.median(totals[side][label]))
            result["classes"].setdefault(label, {})[side] = {**s, "hits_median": hits}  # type: ignore[union-attr]
            print(
                f"{label:<44} {side:<8} {len(collected[side][label]):>4} {hits:>9,} "
                f"{s['median_ms']:>8} {s['p95_ms']:>8} {s['max_ms']:>8} {s['per_s']:>7}"
            )
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
