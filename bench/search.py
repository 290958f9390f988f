"""Benchmark of search (not a test): index build rate and query latency, in-process and
over HTTP, next to the same FTS5 query as raw SQL (the ceiling).

    python bench/search.py [--scale 56] [--seconds 10]
    python bench/search.py --postgres [URL]   # the same corpus and queries on PostgreSQL

1. the sample parliament at --scale (56 ≈ 50,000 documents), synced, its files downloaded
   and converted (cached in bench/out/search, shared with bench/web.py's sample);
2. `kamerwatch index --rebuild`: documents/s;
3. a mixed query set (rare word, common word, phrase, OR, NOT, prefix, NEAR, filters, date
   and relevance sort, page 1 and page 20) through `search()` and as raw SQL;
4. `kamerwatch serve` on loopback under 2 and 8 concurrent clients: the set's URLs once,
   600 generated searches nobody asked (each once), then the set's URLs for --seconds;
5. the floor over HTTP: the same generated searches against bench/rawsearch.py, the raw
   FTS5 statements (count + one page) behind the same HTTP stack and no page at all.
"""

from __future__ import annotations

import argparse
import asyncio
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
from typing import Any

import psutil

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.search.engine import PAGE_SIZE, SearchQuery, clear_cache, search
from kamerwatch.search.query import parse
from kamerwatch.store.db import SqliteConnection
from kamerwatch.web.search import to_params
from stamp import measured_now

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rawsearch import raw_fts5  # the ceiling, in-process and behind HTTP
from web import free_port, load, wait_ready, without_times  # bench/web.py's load client

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-28"
ENV = {**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0", "KAMERWATCH_DOWNLOAD_WORKERS": "8"}
ENV["KAMERWATCH_TODAY"] = TODAY  # the site takes the sample's day as today


CLI = [sys.executable, "-m", "kamerwatch", "-q"]


def run(*args: str) -> None:
    subprocess.run([*CLI, *args], check=True, env=ENV)


def prepare(out: Path, scale: int) -> Path:
    shared = ROOT / "bench" / "out" / "web" / f"sample-{scale}"
    feed = shared if (shared / "expected.json").exists() else out / f"sample-{scale}"
    data = out / f"data-{scale}"
    if not (feed / "expected.json").exists():
        run("sample", str(feed), "--scale", str(scale), "--today", TODAY)
    if not (data / "converted").exists():
        with FeedServer(feed) as server:
            run("--data-dir", str(data), "sync", "--feed-url", server.url)
            run("--data-dir", str(data), "fetch-documents", "--feed-url", server.url)
        run("--data-dir", str(data), "convert")
        (data / "converted").touch()
    return data


QUERIES: list[tuple[str, SearchQuery]] = [
    ("rare word", SearchQuery(q="grondwaterboekhouding")),
    ("common word", SearchQuery(q="minister")),
    ("common word, page 20", SearchQuery(q="minister", page=20)),
    ("two words", SearchQuery(q="stikstof boeren")),
    ("phrase", SearchQuery(q='"betaalbare huurwoningen"')),
    ("OR", SearchQuery(q="jeugdzorg OR ggz")),
    ("NOT", SearchQuery(q="woningbouw NOT huurprijzen")),
    ("prefix", SearchQuery(q="woning*")),
    ("NEAR", SearchQuery(q="NEAR(gehoord beraadslaging 3)")),  # every motie says it
    (
        "filter soort + dates",
        SearchQuery(
            q="beraadslaging", kinds=("document",), soorten=("Motie",), van=date(2025, 1, 1)
        ),
    ),
    ("relevance sort", SearchQuery(q="minister", sort="relevantie")),
]


def percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)

    def at(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))]

    return statistics.median(times), at(0.95), at(0.99)


def raw_sql(conn: Any, q: SearchQuery) -> None:
    backend = getattr(conn, "backend", None)
    if backend is not None and backend.name == "postgresql":
        raw_pg(conn, q)
    else:
        raw_fts5(conn, q)


def raw_pg(conn: Any, q: SearchQuery) -> None:
    """The PostgreSQL ceiling: the same tsquery condition as two bare statements (exact
    count, one page of rowids newest first or by ts_rank_cd), no filters, facets or snippets."""
    from kamerwatch.search import pg

    node = parse(q.q)
    cond = pg.where(node)
    conn.execute(f"SELECT count(*) FROM search_doc d WHERE {cond.sql}", cond.params).fetchone()
    if q.sort == "relevantie":
        rank = pg.ranking(node)
        order, params = f"{rank.sql} DESC", (*cond.params, *rank.params)
    else:
        order, params = "d.rowid DESC", cond.params
    conn.execute(
        f"SELECT d.rowid FROM search_doc d WHERE {cond.sql} ORDER BY {order} LIMIT ? OFFSET ?",
        (*params, PAGE_SIZE, (q.page - 1) * PAGE_SIZE),
    ).fetchall()


def in_process(db: Path | str, rounds: int) -> list[dict[str, object]]:
    """``db``: a SQLite file, or the URL of a PostgreSQL database."""
    if isinstance(db, str):
        from kamerwatch.store.pg import PgConnection

        conn: Any = PgConnection.connect(db)
    else:  # the engine knows a connection by its class (kamerwatch's SqliteConnection)
        conn = sqlite3.connect(db, factory=SqliteConnection)
    rows = []
    pooled: list[float] = []  # every first-time search of the mixed set
    raw_pooled: list[float] = []
    for label, q in QUERIES:
        search(conn, q)
        ours, cold, ceiling = [], [], []
        total = search(conn, q).total
        if not total:  # an empty result is not a search worth timing
            raise SystemExit(f"bench/search.py: '{q.q}' ({label}) has no hits in this corpus")
        for _ in range(rounds):
            clear_cache()  # a query nobody asked since the last index change
            t = time.perf_counter()
            search(conn, q)
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            search(conn, q)  # the same query again (other page, other sort, next visitor)
            ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            raw_sql(conn, q)
            ceiling.append((time.perf_counter() - t) * 1000)
        pooled.extend(cold)
        raw_pooled.extend(ceiling)
        p50, p95, p99 = percentiles(cold)
        rows.append(
            {
                "query": label,
                "total": total,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "p99_ms": round(p99, 2),
                "warm_p50_ms": round(statistics.median(ours), 2),
                "raw_p50_ms": round(statistics.median(ceiling), 2),
            }
        )
    p50, p95, p99 = percentiles(pooled)
    raw50, raw95, _ = percentiles(raw_pooled)
    rows.append(
        {
            "query": "mixed set (all of the above)",
            "total": 0,
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "p99_ms": round(p99, 2),
            "warm_p50_ms": 0,
            "raw_p50_ms": round(raw50, 2),
            "raw_p95_ms": round(raw95, 2),
        }
    )
    return rows


def replicate(source: Path, target: Path, times: int) -> int:
    """A corpus ``times`` the size of ``source``'s index: each source again under another
    ref and rowid (same day, kind and soort), text included. Returns its number of sources."""
    from kamerwatch.search.index import MIGRATIONS

    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    for migration in MIGRATIONS.migrations:  # the index's layout as this code has it
        conn.executescript(migration.script("sqlite"))
    conn.execute("DELETE FROM search_state")  # the migrations' own version row
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    conn.execute("INSERT INTO search_soort SELECT * FROM src.search_soort")
    conn.execute("INSERT INTO search_state SELECT * FROM src.search_state")
    conn.execute("INSERT INTO search_word SELECT * FROM src.search_word")
    for k in range(times):
        shift = k << 18  # within the n bits of the rowid: a new key on the same day
        conn.execute(
            f"""INSERT INTO search_doc SELECT rowid + {shift}, kind, ref || '#{k}', version,
                nummer, titel, soort, datum, dossier, fracties, bijgewerkt FROM src.search_doc"""
        )
        conn.execute(
            f"""INSERT INTO search_fts (rowid, body, stem, meta, parts)
                SELECT rowid + {shift}, body, stem, meta, parts FROM src.search_fts"""
        )
        conn.commit()
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
    conn.commit()
    total = int(conn.execute("SELECT count(*) FROM search_doc").fetchone()[0])
    conn.close()
    return total


def new_queries(db: Path, count: int, seed: int) -> list[SearchQuery]:
    """``count`` searches nobody asked: words of the index found in 20–20,000 texts,
    alone, in pairs, as a prefix and with OR; a third sorted by relevance."""
    import random

    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_fts, col)")
    words = [
        r[0]
        for r in conn.execute(
            """SELECT term FROM temp.vocab WHERE col = 'body' AND doc BETWEEN 20 AND 20000
               AND length(term) >= 5 ORDER BY term"""
        )
        if r[0].isalpha()
    ]
    conn.close()
    rng = random.Random(seed)
    shapes = [
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: f"{rng.choice(words)[:5]}*",
        lambda: f"{rng.choice(words)} OR {rng.choice(words)}",
    ]
    found: dict[str, SearchQuery] = {}
    while len(found) < count:
        text = shapes[len(found) % len(shapes)]()
        sort = "relevantie" if len(found) % 3 == 2 else "datum"
        found.setdefault(f"{text}|{sort}", SearchQuery(q=text, sort=sort))
    return list(found.values())


def over_http(
    data: Path, seconds: float, client: str, url: str | None = None, workers: int = 1
) -> list[dict[str, Any]]:
    """``kamerwatch serve`` on loopback; every query of the set in turn (its filters, sort
    and page in the URL) from 2 and 8 keep-alive clients of bench/web.py."""
    paths = [
        f"/zoeken?{to_params(q, pagina=page if page > 1 else None, sort=sort)}"
        for _, q in QUERIES
        for page in (1, 2, 3)
        for sort in (None, "relevantie")
    ]
    warm = [  # other words: templates compiled, modules loaded, SQLite pages cached
        f"/zoeken?{to_params(SearchQuery(q=w), sort=sort)}"
        for w in ("belasting", "onderwijs", "defensie", "klimaat", "politie", "pensioen*")
        for sort in (None, "relevantie")
    ]
    new = [f"/zoeken?{to_params(q)}" for q in new_queries(data / "kamerwatch.sqlite3", 600, seed=5)]
    fresh = [(2, new[:300]), (8, new[300:])]  # searches nobody asked, each once
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = ["--database-url", url] if url else []
    proc = subprocess.Popen(
        [
            *CLI,
            "--data-dir",
            str(data),
            *database,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_ready(base)
        server = psutil.Process(proc.pid)
        rows = []
        asyncio.run(load(base, warm, 2, None, server, client))
        # every URL once, none of them seen before: the first time a query is asked
        first = asyncio.run(load(base, paths, 2, None, server, client))
        first.update(client=client, pass_="first")
        rows.append(first)
        # then many more searches nobody asked, each once, at 2 and at 8 clients
        for clients, urls in fresh:
            row = asyncio.run(load(base, urls, clients, None, server, client))
            row.update(client=client, pass_="new")
            rows.append(row)
        for clients in (2, 8):
            row = asyncio.run(load(base, paths, clients, seconds, server, client))
            row["client"] = client
            rows.append(row)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    floors = floor_over_http(data / "kamerwatch.sqlite3", fresh, warm, client, workers)
    for row in rows:
        floor = floors.get(row["clients"]) if row.get("pass_") == "new" else None
        if floor is not None:
            row["floor_requests_per_s"] = floor["requests_per_s"]
            row["floor_p50_ms"] = floor["p50_ms"]
            row["floor_server_cpu_ms"] = floor["server_cpu_ms"]
    return rows


def floor_over_http(
    db: Path, fresh: list[tuple[int, list[str]]], warm: list[str], client: str, workers: int
) -> dict[int, dict[str, Any]]:
    """The same never-asked searches against bench/rawsearch.py (the bare FTS5 statements
    behind the same HTTP stack, as many worker processes): the most any search page could
    answer here. Keyed by the number of clients."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench")),
            *("rawsearch:make", "--factory", "--port", str(port), "--workers", str(workers)),
            *("--log-level", "warning"),
        ],
        env={**ENV, "KAMERWATCH_BENCH_DB": str(db)},
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_ready(base)
        server = psutil.Process(proc.pid)
        asyncio.run(load(base, warm, 2, None, server, client))
        return {
            clients: asyncio.run(load(base, urls, clients, None, server, client))
            for clients, urls in fresh
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=56)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="HTTP load client: raw asyncio (little CPU) or httpx",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes (serve --workers; default: one per core, as docs/operations.md advises)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "search")
    parser.add_argument(
        "--keep-index", action="store_true", help="use the index as it is (no rebuild timing)"
    )
    parser.add_argument(
        "--replicate",
        type=int,
        default=4,
        help="also measure in-process on a corpus this many times the size (0: skip)",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="throwaway",
        metavar="URL",
        help="the same corpus on PostgreSQL (copied with `kamerwatch db copy` into URL, an "
        "empty database, or a throwaway server), indexed and measured there; printed next to "
        "the latest SQLite figures and written to results-search.json under 'postgresql'",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = prepare(args.out, args.scale)
    run("--data-dir", str(data), "db", "migrate")  # a corpus kept from older code
    if args.postgres:
        # the new searches are drawn from the SQLite index's words (a no-op when `make
        # bench`'s SQLite run has just built it; on its own, a corpus migrated to new word
        # rules has an empty index)
        run("--data-dir", str(data), "index")
        postgres_main(args, data)
        return
    db = data / "kamerwatch.sqlite3"
    start = time.perf_counter()
    previous = json.loads((ROOT / "bench" / "results-search.json").read_text())
    index_seconds: float | None = None  # not measured with --keep-index (never copied)
    if args.keep_index:
        run("--data-dir", str(data), "index")
    else:
        run("--data-dir", str(data), "index", "--rebuild")
        index_seconds = time.perf_counter() - start
    conn = sqlite3.connect(db)
    indexed = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
    documents = conn.execute("SELECT count(*) FROM search_doc WHERE kind = 'document'").fetchone()[
        0
    ]
    with_text = conn.execute("SELECT count(*) FROM conversion WHERE text IS NOT NULL").fetchone()[0]
    conn.close()
    queries = in_process(db, args.rounds)
    http = over_http(data, args.seconds, args.client, workers=args.workers)
    print(
        f"\nindex: {indexed:,} sources ({documents:,} documents, {with_text:,} converted texts)"
        + (
            f" in {index_seconds:.1f} s = {indexed / index_seconds:,.0f}/s"
            if index_seconds
            else " (time not measured: --keep-index)"
        )
    )
    print(
        f"\n{'query':<24} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'raw SQL p50':>12} {'×':>5} {'again p50':>10}"
    )
    for r in queries:
        ratio = r["p50_ms"] / r["raw_p50_ms"] if r["raw_p50_ms"] else 0  # type: ignore[operator]
        print(
            f"{r['query']:<24} {r['total']:>7,} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} {r['raw_p50_ms']:>12} {ratio:>5.1f} {r['warm_p50_ms']:>10}"
        )
    print(f"\nHTTP: serve --workers {args.workers}")
    print(
        f"{'HTTP clients':<14} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'srv CPU ms':>11} {'errors':>7}"
    )
    for h in http:
        print(
            f"{str(h['clients']) + ' ' + h.get('pass_', 'repeat'):<14} {h['requests_per_s']:>8} {h['p50_ms']:>8} {h['p95_ms']:>8} {h['server_cpu_ms']:>11} {h['errors']:>7}"
        )
        if "floor_requests_per_s" in h:
            print(
                f"{str(h['clients']) + ' floor':<14} {h['floor_requests_per_s']:>8} {h['floor_p50_ms']:>8} {'':>8} {h['floor_server_cpu_ms']:>11}   (bench/rawsearch.py: raw FTS5 behind the same HTTP)"
            )
    large: dict[str, object] = previous.get("large", {})  # kept when not measured again
    if args.replicate:
        big = args.out / f"replicated-{args.scale}x{args.replicate}.sqlite3"
        start = time.perf_counter()
        sources = replicate(db, big, args.replicate)
        print(f"\nreplicated corpus: {sources:,} sources in {time.perf_counter() - start:.0f} s")
        big_queries = in_process(big, args.rounds)
        print(
            f"{'query':<24} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} {'raw SQL p50':>12} {'again p50':>10}"
        )
        for r in big_queries:
            print(
                f"{r['query']:<24} {r['total']:>8,} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['raw_p50_ms']:>12} {r['warm_p50_ms']:>10}"
            )
        large = {
            "sources": sources,
            "times": args.replicate,
            "queries": big_queries,
            "measured": measured_now(),
        }
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "scale": args.scale,
        "indexed": indexed,
        "documents": documents,
        "converted_texts": with_text,
        "index_seconds": round(index_seconds, 1) if index_seconds else None,
        "queries": queries,
        "http": http,
        "http_workers": args.workers,
        "large": large,
    }
    (ROOT / "bench" / "results-search.json").write_text(
        json.dumps(without_times(result), indent=1) + "\n"
    )
    print("written to bench/results-search.json")


def postgres_main(args: argparse.Namespace, data: Path) -> None:
    from web import postgres_copy

    db = data / "kamerwatch.sqlite3"
    results_file = ROOT / "bench" / "results-search.json"
    previous = json.loads(results_file.read_text())
    with postgres_copy(args.postgres, db) as url:
        start = time.perf_counter()
        run("--database-url", url, "--data-dir", str(data), "index", "--rebuild")
        index_seconds = time.perf_counter() - start
        from kamerwatch.store.pg import PgConnection

        conn = PgConnection.connect(url)
        indexed = conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
        conn.close()
        queries = in_process(url, args.rounds)
        http = over_http(data, args.seconds, args.client, url, args.workers)
    print(
        f"\nPostgreSQL index: {indexed:,} sources in {index_seconds:.1f} s = "
        f"{indexed / index_seconds:,.0f}/s (SQLite, latest run: {previous['indexed']:,} in "
        f"{previous['index_seconds']} s)"
    )
    lite = {r["query"]: r for r in previous["queries"]}
    print(
        f"\n{'query':<24} {'hits':>7} {'PG p50':>8} {'PG p95':>8} {'PG raw':>8} "
        f"{'PG again':>9} {'SQLite p50':>11} {'SQLite again':>13}"
    )
    for r in queries:
        other = lite.get(str(r["query"]), {})
        print(
            f"{r['query']:<24} {r['total']:>7,} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['raw_p50_ms']:>8} {r['warm_p50_ms']:>9} {other.get('p50_ms', '-'):>11} "
            f"{other.get('warm_p50_ms', '-'):>13}"
        )
    print(
        f"\n{'HTTP clients':<14} {'PG req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'SQLite req/s':>13}"
    )
    lite_http = {str(h["clients"]) + str(h.get("pass_", "")): h for h in previous["http"]}
    for h in http:
        other = lite_http.get(str(h["clients"]) + str(h.get("pass_", "")), {})
        print(
            f"{h['clients']:<14} {h['requests_per_s']:>9} {h['p50_ms']:>8} {h['p95_ms']:>8} "
            f"{other.get('requests_per_s', '-'):>13}"
        )
    previous["postgresql"] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "indexed": indexed,
        "index_seconds": round(index_seconds, 1),
        "queries": queries,
        "http": http,
        "measured": measured_now(),
    }
    results_file.write_text(json.dumps(without_times(previous), indent=1) + "\n")
    print("written to bench/results-search.json (key 'postgresql')")


if __name__ == "__main__":
    main()
