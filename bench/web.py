"""Benchmark of the website (not a test): p50/p95 per page on a big sample parliament.

    python bench/web.py [--scale 56] [--requests 30] [--out bench/out/web]
    python bench/web.py --http [--seconds 10] [--workers 1] [--pool 300]
    python bench/web.py [--http] --postgres [URL]     # both engines side by side

1. generates the sample parliament at --scale (26 weeks of history per unit; 56 gives
   about 50,000 documents) and syncs it through the real feed server and client (cached
   in --out, so a second run only measures);
2. requests every dashboard and a few entity pages in-process (Starlette test client, so
   the figures are the application's own time): the first request (after a change of the
   mirror a dashboard is computed anew) and then --requests more, as p50/p95;
3. ceiling: a static file from the same app.

With --http: the real server instead. `kamerwatch serve` (uvicorn, --workers N) is started
on loopback over the same database and loaded by a bounded asyncio httpx client: for the
front page, document, zaak and persoon pages (each over --pool real numbers drawn from the
database with a fixed seed) and a static file (the ceiling): first one pass over every URL
(the first request after a sync, nothing in memory yet), then --seconds at 2 and at 8
concurrent clients, as requests/s and p50/p95. The client runs on the same machine, so it
takes its share of the cores too.

Also with --http (SQLite): never-asked searches (issue #28), `/zoeken?q=<word>` and its
JSON twin, two classes of words drawn from the index's vocabulary with a fixed seed —
every word found (by the search itself) in ≥ 1,000 sources, and 2,000 words found in 1–9 —
each asked once after a data change from 8 clients on a new server, next to their floor
(bench/rawsearch.py: the bare FTS5 statements of the same searches behind the same HTTP
stack). Rows under "http_search" in results-web.json; `--search-only` runs just these.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import httpx
import psutil

from inproc import InProcess
from kamerwatch.runs import recorded
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store.dashboards import refresh_overzicht
from kamerwatch.store.db import Database
from kamerwatch.web.app import create_app, tune_collector
from kamerwatch.web.dashboards import DASHBOARDS
from stamp import measured_now

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
    # a corpus kept from an earlier version of the code: bring its schema up to date
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), "db", "migrate"],
        check=True,
    )
    # the dashboards' overviews, as every sync keeps them (a corpus synced by older code
    # has none: its pages would be computed live)
    with Database(f"sqlite:///{db}") as database, database.transaction() as conn:
        refresh_overzicht(conn)
    # the analysis tables (/analyse/…, /fractie/…), as `update` computes them (a no-op when
    # they are current)
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), "analyse"],
        check=True,
    )
    if not (data / "indexed").exists():  # the zaak page's "volgens de zoekmachine" needs it
        print("indexing it …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), "index"],
            check=True,
        )
        (data / "indexed").touch()
    return db


def data_change(url: str) -> None:
    """A change of the data as a sync would make it: a finished stage run (the real
    `kamerwatch index` command, with nothing to index), so every kept page and dashboard
    result is out of date and the next request of each URL renders it anew."""
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--database-url", url, "index"],
        check=True,
    )


def measure(client: InProcess, url: str, n: int) -> tuple[float, float, float, int]:
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


def draw_urls(db: Path, pool: int, seed: int = 1) -> dict[str, list[str]]:
    """Per page kind, up to ``pool`` URLs of real numbers from the database."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    try:

        def some(sql: str) -> list[str]:
            values = sorted({str(r[0]) for r in conn.execute(sql) if r[0] is not None})
            # the last WARM_URLS: the warm-up round, never measured
            return rng.sample(values, min(pool + WARM_URLS, len(values)))

        documents = some("SELECT document_nummer FROM document")
        zaken = some("SELECT nummer FROM zaak")
        personen = some("SELECT nummer FROM persoon")
    finally:
        conn.close()
    return {
        "/static/site.css": ["/static/site.css"],
        "/": ["/"],
        "/document/{nummer}": [f"/document/{n}" for n in documents],
        "/zaak/{nummer}": [f"/zaak/{n}" for n in zaken],
        "/persoon/{nummer}": [f"/persoon/{n}" for n in personen],
        "/ and the dashboards": ["/", *(f"/{name}" for name in sorted(DASHBOARDS))],
    }


# never-asked searches (issue #28): one word each, two classes by the search's own total
SEARCH_CLASSES = {
    # a word found in at least 1,000 sources (OpenTK: ~80/s; target 1.5× that)
    "/zoeken?q= frequent word": (1_000, None),
    # a word found in a handful of sources (OpenTK's 2,000 rare-word searches)
    "/zoeken?q= rare word": (1, 9),
}
SEARCH_TARGETS = {"/zoeken?q= frequent word": "≥ 120/s", "/zoeken?q= rare word": "≥ 700/s"}
RARE_SEARCHES = 2_000
# words of each class searched before its pass, from as many clients (so that every worker
# process has searched once: modules loaded, templates compiled), outside the measured set
WARM_WORDS = 8
FORMATS = {"": "/zoeken?q={}", ".json": "/zoeken.json?q={}"}


def draw_searches(db: Path, rare: int = RARE_SEARCHES, seed: int = 1) -> dict[str, Any]:
    """Per class of :data:`SEARCH_CLASSES`: words of the index's vocabulary (letters only,
    the ``body`` column), drawn with a fixed seed, each kept only if ``search()`` of that
    word alone has a total in the class's range (every query has hits) — the frequent
    class all such words, the rare one ``rare`` of them — with :data:`WARM_WORDS` words of
    the class apart (the warm-up); and the hit counts (min, median, max) of each class."""
    from kamerwatch.search.engine import SearchQuery, search

    rng = random.Random(seed)
    out: dict[str, Any] = {}
    with Database(f"sqlite:///{db}") as database:
        conn = database.conn
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, search_fts, col)"
        )
        for name, (low, high) in SEARCH_CLASSES.items():
            sql = (
                "SELECT term FROM temp.vocab WHERE col = 'body' AND length(term) >= 4 AND doc >= ?"
            )
            args: tuple[int, ...] = (low,)
            if high is not None:  # the body column alone undercounts: the total decides
                sql += " AND doc <= ?"
                args = (low, high)
            words = sorted(
                {r[0] for r in conn.execute(sql + " ORDER BY term", args) if r[0].isalpha()}
            )
            rng.shuffle(words)
            kept: list[tuple[str, int]] = []
            for word in words:
                total = search(conn, SearchQuery(q=word)).total
                if low <= total and (high is None or total <= high):
                    kept.append((word, total))
                if high is not None and len(kept) >= rare + WARM_WORDS:
                    break
            measured, warm = kept[:-WARM_WORDS], kept[-WARM_WORDS:]
            if not measured:  # a small corpus (a trial at --scale 1) has no such words
                print(f"  {name}: no words in that range on this corpus, left out", flush=True)
                continue
            totals = sorted(t for _, t in measured)
            out[name] = {
                "words": [w for w, _ in measured],
                "warm": [w for w, _ in warm],
                "hits_min": totals[0],
                "hits_median": totals[len(totals) // 2],
                "hits_max": totals[-1],
            }
        conn.execute("DROP TABLE temp.vocab")
    return out


def search_over_http(
    db: Path, workers: int, kind: str, url: str | None = None, rounds: int = 1
) -> list[dict[str, Any]]:
    """Never-asked searches over HTTP: per format (the page, its JSON twin) a new server
    (nothing in its memory), then per class a warm-up (:data:`WARM_WORDS` other words of
    the class) and, after a data change, every word of the class once from 8 clients.
    ``rounds``: that many such servers, their passes added up. Then the floor: the same
    words against bench/rawsearch.py (the bare FTS5 statements of each search — exact
    count, one page of rowids — behind the same HTTP stack, as many workers)."""
    drawn = draw_searches(db)
    url = url or f"sqlite:///{db}"
    rows: list[dict[str, Any]] = []
    for fmt, path in FORMATS.items():
        passes: dict[str, list[dict[str, Any]]] = {name: [] for name in drawn}
        for _ in range(rounds):
            with served(url, workers) as (base, server):
                for name, words in drawn.items():
                    warm = [path.format(quote_plus(w)) for w in words["warm"]]
                    asyncio.run(load(base, warm, WARM_WORDS, None, server, kind))
                    urls = [path.format(quote_plus(w)) for w in words["words"]]
                    data_change(url)
                    passes[name].append(
                        asyncio.run(load(base, urls, UNCACHED_CLIENTS, None, server, kind))
                    )
        for name, words in drawn.items():
            page = name.replace("/zoeken", "/zoeken" + fmt)
            rows.append(
                {
                    "page": page,
                    "urls": len(words["words"]),
                    "hits": {k: v for k, v in words.items() if k.startswith("hits_")},
                    "target": SEARCH_TARGETS[name],
                    "uncached": combine(passes[name]),
                }
            )
            print(f"  {page}: done", flush=True)
    if url.startswith("sqlite:"):
        for name, floor in search_floor(db, drawn, workers, kind).items():
            row = next(r for r in rows if r["page"] == name)
            row["floor"] = {k: floor[k] for k in ("requests_per_s", "p50_ms", "p95_ms")}
            row["floor"]["server_cpu_ms"] = floor["server_cpu_ms"]
    return rows


def search_floor(
    db: Path, drawn: dict[str, Any], workers: int, kind: str
) -> dict[str, dict[str, Any]]:
    """Per class: its words (each once, 8 clients) against bench/rawsearch.py — the two
    bare FTS5 statements of the same search (exact count, one page of rowids newest
    first) behind the same HTTP stack (uvicorn, Starlette, a route on the thread pool,
    ``workers`` processes), answered with 2 bytes: no facets, snippets, rows or page."""
    port = free_port()
    cmd = [
        *(sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench")),
        *("rawsearch:make", "--factory", "--port", str(port), "--workers", str(workers)),
        *("--log-level", "warning"),
    ]
    with serving(cmd, port, {"KAMERWATCH_BENCH_DB": str(db)}) as (base, server):
        out = {}
        for name, words in drawn.items():
            warm = [f"/zoeken?q={quote_plus(w)}" for w in words["warm"]]
            asyncio.run(load(base, warm, WARM_WORDS, None, server, kind))
            urls = [f"/zoeken?q={quote_plus(w)}" for w in words["words"]]
            out[name] = asyncio.run(load(base, urls, UNCACHED_CLIENTS, None, server, kind))
        return out


@contextlib.contextmanager
def serving(
    cmd: list[str], port: int, env: dict[str, str] | None = None
) -> Iterator[tuple[str, psutil.Process]]:
    """The server that ``cmd`` starts on loopback ``port`` (with ``env`` added to this
    process's environment): its base URL and process once it answers, until the block
    ends."""
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    try:
        wait_ready(base)
        yield base, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextlib.contextmanager
def served(
    url: str, workers: int, *, data_dir: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, psutil.Process]]:
    """``kamerwatch serve`` over ``url`` (or, with ``data_dir``, that data directory) on a
    free loopback port, until the block ends."""
    port = free_port()
    where = ["--data-dir", str(data_dir)] if data_dir else ["--database-url", url]
    cmd = [sys.executable, "-m", "kamerwatch", "-q", *where, "serve", "--port", str(port)]
    cmd += ["--workers", str(workers)] if workers > 1 else []
    # the site takes the corpus's day as today, as the in-process rows do (app.state.today):
    # the dashboards' windows and agenda as on that day, whatever the date of the run
    env = {"KAMERWATCH_TODAY": TODAY.isoformat(), **(env or {})}
    with serving(cmd, port, env) as served_at:
        yield served_at


# before a page kind's measurements, one unmeasured round after a data change, from as
# many clients: a server that has been running has used its templates and has a worker
# thread and SQLite connection per concurrent request in every worker process — with one
# warm-up request, the first measured pass paid for 8 clients' new threads and connections
# (the first round of the dashboards ran at a third of the next ones). Keyed kinds warm up
# on WARM_URLS numbers of their own, the others on this URL plus their measured URLs.
WARM_URLS = 16
WARM_UP = {
    "/static/site.css": "/static/pico.classless.min.css",
    "/": "/?regering=1",
    "/document/{nummer}": "/document/{}",
    "/zaak/{nummer}": "/zaak/{}",
    "/persoon/{nummer}": "/persoon/{}",
    "/ and the dashboards": "/?regering=1",
}


def split_warm(page: str, urls: list[str]) -> tuple[list[str], list[str]]:
    """The warm-up URLs of a page kind and its measured ones (see :data:`WARM_UP`)."""
    if "{}" in WARM_UP[page]:
        return urls[-WARM_URLS:], urls[:-WARM_URLS]
    return [WARM_UP[page], *urls], urls


# uncached passes over the front page and the dashboards: few URLs, so several rounds,
# each after a data change
DASHBOARD_ROUNDS = 8


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] if ordered else 0.0


def cpu_seconds(server: psutil.Process) -> float:
    """CPU time (user + system) of the server and its worker processes so far."""
    total = 0.0
    for p in [server, *server.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (GET only, Content-Length
    bodies): far less CPU per request than httpx, so more of the cores go to the server."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def connect(self) -> None:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)

    async def get(self, path: str) -> int:
        await self.connect()
        assert self.streams is not None
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = CONTENT_LENGTH.search(head)
        if length:
            await reader.readexactly(int(length.group(1)))
        return int(head[9:12])

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


CONTENT_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)", re.I)


async def load(
    base: str,
    urls: list[str],
    clients: int,
    seconds: float | None,
    server: psutil.Process,
    kind: str = "httpx",
) -> dict[str, Any]:
    """``clients`` concurrent keep-alive clients (httpx or :class:`RawClient`); for
    ``seconds``, or (None) one pass over ``urls`` shared among them. The server's and this
    client's CPU time per request are measured too: on a shared machine they say more than
    the rate alone."""
    times: list[float] = []
    by_url: dict[str, list[float]] = {}  # one pass: each URL's own times (which page is slow)
    errors = 0
    queue = list(urls)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    # the clients exist and are connected before the clock starts: an httpx.AsyncClient
    # costs tens of ms to make (its TLS context), which used to land in the first requests'
    # times and in the client's CPU (the whole stall after a data change was this)
    if kind == "raw":
        raws = [RawClient(base) for _ in range(clients)]
        await asyncio.gather(*(raw.connect() for raw in raws))
    else:
        pool = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for _ in range(clients)]

    async def worker(i: int) -> None:
        nonlocal errors
        n = i
        while True:
            if seconds is None:
                if not queue:
                    return
                url = queue.pop()
            else:
                if time.monotonic() >= deadline:
                    return
                url = urls[n % len(urls)]
                n += clients
            t = time.perf_counter()
            if kind == "raw":
                status = await raws[i].get(url)
            else:
                status = (await pool[i].get(url)).status_code
            times.append((time.perf_counter() - t) * 1000)
            if seconds is None:
                by_url.setdefault(url, []).append(times[-1])
            errors += status != 200

    start = time.monotonic()
    deadline = start + (seconds or 0)
    server_cpu, client_cpu = cpu_seconds(server), time.process_time()
    try:
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.monotonic() - start
        server_cpu = cpu_seconds(server) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        if kind == "raw":
            for raw in raws:
                await raw.close()
        else:
            for client in pool:
                await client.aclose()
    done = max(1, len(times))
    return {
        "clients": clients,
        "server_cpu_ms": round(server_cpu * 1000 / done, 2),
        "client_cpu_ms": round(client_cpu * 1000 / done, 2),
        "requests": len(times),
        "requests_per_s": round(len(times) / elapsed, 1),
        "p50_ms": round(statistics.median(times), 1) if times else 0.0,
        "p95_ms": round(percentile(times, 0.95), 1),
        "errors": errors,
        "times": [round(t, 2) for t in times],
        "by_url": by_url,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str) -> None:
    """Until the server at ``base`` answers (at most a minute)."""
    for _ in range(300):
        try:
            if httpx.get(base + "/static/site.css", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)


def over_http(
    db: Path,
    seconds: float,
    workers: int,
    pool: int,
    clients: list[int],
    kind: str,
    url: str | None = None,
) -> list[dict[str, Any]]:
    """The real server over the database at ``url`` (default: the SQLite file ``db``; the
    page numbers are drawn from ``db``, which holds the same data)."""
    pages = draw_urls(db, pool)
    url = url or f"sqlite:///{db}"
    rows: list[dict[str, Any]] = []
    with served(url, workers) as (base, server):
        for page, urls in pages.items():
            warm, urls = split_warm(page, urls)
            data_change(url)
            asyncio.run(load(base, warm, UNCACHED_CLIENTS, None, server, kind))
            rounds = DASHBOARD_ROUNDS if page.startswith("/ and") else 1
            passes = []
            for _ in range(rounds):
                data_change(url)
                passes.append(asyncio.run(load(base, urls, UNCACHED_CLIENTS, None, server, kind)))
            row: dict[str, Any] = {
                "page": page,
                "urls": len(urls),
                "uncached": combine(passes),
            }
            for n in clients:
                row[f"c{n}"] = asyncio.run(load(base, urls, n, seconds, server, kind))
            rows.append(row)
            print(f"  {page}: done", flush=True)
    return rows


UNCACHED_CLIENTS = 8
SKIP = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")  # bookkeeping, not the page's queries


def floors(db: Path, url: str, pages: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Per page kind, the least CPU an uncached request of its URLs can cost here (#28's
    floor): the page's own SQL statements with their parameters, captured while it renders
    and then replayed raw on one connection after the same data change (sqlite3, rows
    fetched, nothing built from them), plus its template rendered from the
    same data. Left out, and so the gap to our figure: turning rows into page data, the
    worker-thread hop, the ETag and the response cache. The HTTP stack is added by the
    caller (a cached request's server and client CPU). Means over the URLs, CPU ms."""
    from kamerwatch.web import render

    app = create_app(url, data_dir=db.parent)
    app.state.today = TODAY  # the corpus's day, as the measured server takes it
    tune_collector()  # as every `serve` process does
    pool = app.state.pool
    statements: list[tuple[str, Any]] = []
    traced: set[int] = set()
    plain_connection = pool.connection

    def connection() -> Any:  # every connection of the app reports its statements
        conn = plain_connection()
        if id(conn) not in traced:
            plain_execute = conn.execute

            def execute(sql: str, params: Any = ()) -> Any:
                statements.append((sql, params))
                return plain_execute(sql, params)

            conn.execute = execute
            traced.add(id(conn))
        return conn

    pool.connection = connection
    plain_render = render.render
    contexts: list[tuple[str, dict[str, Any]]] = []

    def keep_context(template: str, context: dict[str, Any]) -> str:
        contexts.append((template, dict(context)))
        return plain_render(template, context)

    render.render = keep_context
    out: dict[str, dict[str, float]] = {}
    replay = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        with InProcess(app) as client:
            for kind, urls in pages.items():
                if kind not in HTTP_TARGETS:
                    continue
                warm, measured = split_warm(kind, urls)
                for u in warm:  # the templates compiled, the connections made
                    client.get(u)
                sql_ms, render_ms, counts = [], [], []
                for u in measured:
                    changed(url)  # uncached, as in the measured pass
                    statements.clear()
                    contexts.clear()
                    assert client.get(u).status_code == 200, u
                    captured = [
                        (q, p) for q, p in statements if not q.lstrip().upper().startswith(SKIP)
                    ]
                    kept = list(contexts)
                    counts.append(len(captured))
                    start = time.process_time()
                    for q, params in captured:  # bound, as the app does: prepared once
                        replay.execute(q, params).fetchall()
                    sql_ms.append((time.process_time() - start) * 1000)
                    start = time.process_time()
                    for template, context in kept:
                        plain_render(template, context)
                    render_ms.append((time.process_time() - start) * 1000)
                out[kind] = {
                    "sql_ms": round(statistics.fmean(sql_ms), 3),
                    "template_ms": round(statistics.fmean(render_ms), 3),
                    "statements": round(statistics.fmean(counts), 1),
                }
    finally:
        render.render = plain_render
        pool.connection = plain_connection
        replay.close()
    return out


def combine(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """Several uncached passes as one: their requests and time added up."""
    if len(passes) == 1:
        return passes[0]
    requests = sum(p["requests"] for p in passes)
    seconds = sum(p["requests"] / p["requests_per_s"] for p in passes if p["requests_per_s"])
    times = sorted(t for p in passes for t in p["times"])
    return {
        **passes[-1],
        "requests": requests,
        "requests_per_s": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "errors": sum(p["errors"] for p in passes),
        "server_cpu_ms": round(
            sum(p["server_cpu_ms"] * p["requests"] for p in passes) / max(1, requests), 2
        ),
        "times": times,
        "by_url": {
            u: [t for p in passes for t in p.get("by_url", {}).get(u, [])]
            for u in dict.fromkeys(u for p in passes for u in p.get("by_url", {}))
        },
    }


SLOWEST_OF = 50  # page kinds of at most this many URLs get their slowest pages named


def slowest(by_url: dict[str, list[float]], n: int = 3) -> list[dict[str, Any]]:
    """The ``n`` URLs of a pass with the highest median response time (over its rounds),
    slowest first: with few URLs (the dashboards), those decide the p95."""
    medians = sorted(
        ((round(statistics.median(ts), 1), u) for u, ts in by_url.items() if ts),
        key=lambda mu: (-mu[0], mu[1]),
    )
    return [{"url": u, "p50_ms": m, "requests": len(by_url[u])} for m, u in medians[:n]]


def print_http(rows: list[dict[str, Any]], clients: list[int]) -> None:
    head = f"{'page':<20} {'URLs':>5} {'uncached req/s p50/p95':>23}"
    for n in clients:
        head += f" | {n} cl: {'req/s':>6} {'p50':>5} {'p95':>6} {'srv ms':>6}"
    print(head)
    for r in rows:
        f = r["uncached"]
        line = f"{r['page']:<20} {r['urls']:>5} {f['requests_per_s']:>8} {f['p50_ms']:>6}/{f['p95_ms']:<7}"
        for n in clients:
            c = r[f"c{n}"]
            line += (
                f" | {'':>5}{c['requests_per_s']:>7} {c['p50_ms']:>5} {c['p95_ms']:>6} "
                f"{c['server_cpu_ms']:>6}"
            )
            if c["errors"]:
                line += f" ({c['errors']} fouten)"
        print(line)
    print("\nsrv ms = CPU time of the server per request (all workers); client CPU per request:")
    print("  " + ", ".join(f"{r['page']} {r[f'c{clients[-1]}']['client_cpu_ms']} ms" for r in rows))
    floored = [r for r in rows if "floor" in r]
    if floored:
        print(
            "\nfloor per uncached request, CPU ms (SQL replayed raw + template + a cached"
            " request's HTTP stack):"
        )
        print(
            f"{'page':<20} {'SQL':>6} {'stmts':>5} {'tmpl':>6} {'HTTP':>6} {'floor':>6}"
            f" {'allows req/s':>12} | {'ours ms':>7} {'req/s':>6}"
        )
        for r in floored:
            f = r["floor"]
            print(
                f"{r['page']:<20} {f['sql_ms']:>6} {f['statements']:>5} {f['template_ms']:>6}"
                f" {f['http_ms']:>6} {f['floor_ms']:>6} {f['most_requests_per_s']:>12} |"
                f" {f['ours_ms']:>7} {r['uncached']['requests_per_s']:>6}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=56)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "web")
    parser.add_argument("--http", action="store_true", help="the real server over loopback")
    parser.add_argument("--seconds", type=float, default=10.0, help="--http: per page and load")
    parser.add_argument("--workers", type=int, default=1, help="--http: serve --workers")
    parser.add_argument("--pool", type=int, default=1000, help="--http: numbers per page kind")
    parser.add_argument("--clients", type=int, nargs="+", default=[2, 8], help="--http")
    parser.add_argument(
        "--client",
        choices=("httpx", "raw"),
        default="httpx",
        help="--http: httpx.AsyncClient, or a minimal asyncio HTTP/1.1 client (less CPU)",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="--http: only the never-asked searches (the page rows are left as they are)",
    )
    parser.add_argument(
        "--search-rounds",
        type=int,
        default=1,
        help="--http: servers (each new) the never-asked searches run on, added up",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="throwaway",
        metavar="URL",
        help="on PostgreSQL instead of SQLite (the run without it measures SQLite): the corpus "
        "is copied there with `kamerwatch db copy` (URL of an empty database, or none: a "
        "throwaway server in a temp dir)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = prepare(args.out, args.scale)
    if args.postgres:  # PostgreSQL only: the plain run measures SQLite (measured again here,
        # right after the copy, it ran while PostgreSQL's autovacuum analysed 2 million rows)
        with postgres_copy(args.postgres, db) as pg_url:
            run_engines(args, db, {"postgresql": pg_url})
        return
    run_engines(args, db, {"sqlite": f"sqlite:///{db}"})


@contextlib.contextmanager
def postgres_copy(where: str, db: Path) -> Iterator[str]:
    """A PostgreSQL database holding the same corpus as ``db`` (copied and timed)."""
    server = None
    if where == "throwaway":
        sys.path.insert(0, str(ROOT))
        from tests.pgserver import PgServer, find_bindir

        found = find_bindir()
        if isinstance(found, str):
            raise SystemExit(found)
        server = PgServer(found).start()
        where = server.new_database("bench")
    try:
        if _holds_corpus(where, db):
            print("PostgreSQL already holds this corpus: not copied again", flush=True)
        else:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kamerwatch", "-q", "db", "copy", f"sqlite:///{db}", where],
                check=True,
            )
            print(f"copied to PostgreSQL in {time.perf_counter() - start:.0f} s", flush=True)
        yield where
    finally:
        if server is not None:
            server.stop()


def _holds_corpus(url: str, db: Path) -> bool:
    """The PostgreSQL database has as many raw entries as the SQLite corpus (a copy made by
    an earlier run, e.g. of bench/search.py --postgres URL)."""
    from kamerwatch.subsystems import open_migrated

    with open_migrated(url) as pg:
        there = pg.conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0]
    conn = sqlite3.connect(db)
    here = conn.execute("SELECT count(*) FROM raw_entry").fetchone()[0]
    conn.close()
    return bool(there) and there == here


def run_engines(args: argparse.Namespace, db: Path, engines: dict[str, str]) -> None:
    for engine, url in engines.items():
        print(f"\n=== {engine} ===", flush=True)
        if args.http:
            http_main(args, db, engine, url)
        else:
            in_process(args, db, engine, url)


# in-process uncached renders per page type: each after a data change, the median
UNCACHED_RENDERS = 7


def changed(url: str) -> None:
    """A data change as a sync makes it, in this process: a finished stage run recorded by
    the real bookkeeping (``kamerwatch.runs.recorded``). The data version changes (every
    kept page and dashboard result is out of date) and SQLite's page caches of the app's
    connections are reset, as after any write by another process."""
    with Database(url) as db, recorded(db, "index"):
        pass


def first_renders(client: InProcess, url: str, urls: list[str]) -> dict[str, float]:
    """Each of ``urls`` asked once, each after a data change: the median and the slowest
    render, wall clock and CPU time of this process (the app is called in it, as a server
    calls it: bench/inproc.py): on a shared machine the CPU time says more than the wall clock."""
    walls, cpus = [], []
    for u in urls:
        changed(url)
        start, cpu = time.perf_counter(), time.process_time()
        r = client.get(u)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert r.status_code == 200, (u, r.status_code)
    return {
        "uncached_ms": round(statistics.median(walls), 1),
        "uncached_max_ms": round(max(walls), 1),
        "uncached_cpu_ms": round(statistics.median(cpus), 1),
        "uncached_renders": len(urls),
    }


def in_process(args: argparse.Namespace, db: Path, engine: str, url: str) -> None:
    conn = sqlite3.connect(db)
    documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    conn.close()
    drawn = draw_urls(db, UNCACHED_RENDERS)
    app = create_app(url, data_dir=db.parent)
    app.state.today = TODAY
    tune_collector()  # as every `serve` process does once its app is built
    # page type → (its URLs: one uncached render of each after a data change, the last one
    # also for the cached figures; a URL of the same template asked before, outside them)
    types: dict[str, tuple[list[str], str]] = {"/static/site.css": (["/static/site.css"], "")}
    for name in DASHBOARDS:
        types[f"/{name}"] = ([f"/{name}"] * UNCACHED_RENDERS, f"/{name}?pagina=1")
    types["/"] = (["/"] * UNCACHED_RENDERS, "/?regering=1")
    # the agreement matrix over every vote of the corpus (the widest period there is), and a
    # fractie's page (its votes, motions and members)
    every = "/analyse/stemmingen?van=1900-01-01&sort=gemiddeld"
    types[every] = ([every] * UNCACHED_RENDERS, "/analyse/stemmingen?van=1900-01-02")
    types["/fractie/{afkorting}"] = (["/fractie/VVD"] * UNCACHED_RENDERS, "/fractie/PVV")
    # the matrix of this cabinet's term (the default) and the ministries' dashboard (#26)
    term = "/analyse/stemmingen"
    types[term] = ([term] * UNCACHED_RENDERS, "/analyse/stemmingen?sort=gemiddeld")
    ministries = "/analyse/ministeries"
    types[ministries] = (
        [ministries] * UNCACHED_RENDERS,
        "/analyse/ministeries?groep=bewindspersoon",
    )
    for kind in ("document", "zaak", "persoon"):
        some = drawn[f"/{kind}/{{nummer}}"]
        types[f"/{kind}/{{nummer}}"] = (some[:UNCACHED_RENDERS], some[-1])
    types["/activiteiten.ics"] = (["/activiteiten.ics"] * UNCACHED_RENDERS, "/activiteiten.ics?x")
    types["/open-vragen.csv"] = (["/open-vragen.csv"] * UNCACHED_RENDERS, "/open-vragen.csv?x")
    rows = []
    with InProcess(app) as client:
        for page, (urls, warm) in types.items():
            if warm:
                client.get(warm)
            first = first_renders(client, url, urls) if warm else {}
            _cold, p50, p95, size = measure(client, urls[-1], args.requests)
            rows.append(
                {
                    "url": page,
                    **first,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "bytes": size,
                }
            )
            print(f"  {page}: done", flush=True)
    print(
        f"\n{documents:,} documents; uncached: {UNCACHED_RENDERS} renders per page type, each after"
    )
    print(f"a data change; cached: {args.requests} requests of one URL\n")
    print(
        f"{'page':<26} {'uncached ms':>11} {'max':>7} {'CPU ms':>7} | {'cached p50':>10} "
        f"{'p95':>6} {'KB':>5}"
    )
    for r in rows:
        print(
            f"{r['url']:<26} {r.get('uncached_ms', ''):>11} {r.get('uncached_max_ms', ''):>7} "
            f"{r.get('uncached_cpu_ms', ''):>7} | {r['p50_ms']:>10} {r['p95_ms']:>6} "
            f"{r['bytes'] / 1024:>5.0f}"
        )
    print("\nuncached = median of the renders, each the first request of its URL after a data")
    print("change (a recorded stage run), after one request of another URL of the same")
    print("template; document/zaak/persoon: a different number each time. CPU = this process's")
    print("CPU time per render. cached = the same URL again, from the response cache.")
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "scale": args.scale,
        "documents": documents,
        "pages": rows,
        "measured": measured_now(),
    }
    write_results(result if engine == "sqlite" else {"in_process_postgresql": result})
    print("\nwritten to bench/results-web.json")


RESULTS = ROOT / "bench" / "results-web.json"
# uncached: each URL asked once after a data change, 8 clients (issue #28)
HTTP_TARGETS = {
    "/document/{nummer}": "≥ 800/s",
    "/zaak/{nummer}": "≥ 500/s",
    "/persoon/{nummer}": "≥ 300/s",
    "/ and the dashboards": "≥ 100/s",
}


def without_times(value: Any) -> Any:
    """``value`` without the per-request time lists of :func:`load` (figures only: the
    lists ran to megabytes in the results files)."""
    if isinstance(value, dict):
        return {
            k: without_times(v)
            for k, v in value.items()
            if not (k in ("times", "by_url") and isinstance(v, (list, dict)))
        }
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def write_results(update: dict[str, Any]) -> None:
    """Merge into bench/results-web.json (the in-process and HTTP figures live side by side)."""
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**old, **update}, indent=1) + "\n")


def print_searches(rows: list[dict[str, Any]]) -> None:
    print(
        f"\n{'never-asked search':<34} {'URLs':>5} {'hits':>14} {'req/s':>7} {'p50':>6} {'p95':>6} {'srv ms':>7}"
    )
    for r in rows:
        f, h = r["uncached"], r["hits"]
        hits = f"{h['hits_min']:,}–{h['hits_max']:,}"
        print(
            f"{r['page']:<34} {r['urls']:>5} {hits:>14} {f['requests_per_s']:>7} "
            f"{f['p50_ms']:>6} {f['p95_ms']:>6} {f['server_cpu_ms']:>7}"
            + (f" ({f['errors']} fouten)" if f["errors"] else "")
        )
        if "floor" in r:
            g = r["floor"]
            print(
                f"{'  floor: bare FTS5 behind HTTP':<34} {'':>5} {'':>14} {g['requests_per_s']:>7} "
                f"{g['p50_ms']:>6} {g['p95_ms']:>6} {g['server_cpu_ms']:>7}"
            )
    print("each word once, after a data change, 8 clients, a new server per format; srv ms = the")
    print("server's CPU time per request (all workers)")


def flat_searches(
    rows: list[dict[str, Any]], args: argparse.Namespace, engine: str, stamp: dict[str, str]
) -> list[dict[str, Any]]:
    """The search rows in the shape bench/all.py tabulates (as the page rows)."""
    return [
        {
            "page": r["page"],
            "clients": UNCACHED_CLIENTS,
            "uncached": True,
            "urls": r["urls"],
            "hits": r["hits"],
            **{k: r["uncached"][k] for k in ("requests_per_s", "p50_ms", "p95_ms")},
            **{k: r["uncached"][k] for k in ("server_cpu_ms", "errors")},
            "target": f"{r['target']}, p95 ≤ 50 ms",
            "floor_requests_per_s": r.get("floor", {}).get("requests_per_s"),
            "floor_server_cpu_ms": r.get("floor", {}).get("server_cpu_ms"),
            "client": args.client,
            "workers": args.workers,
            "engine": engine,
            "measured": stamp,
        }
        for r in rows
    ]


def http_main(args: argparse.Namespace, db: Path, engine: str, url: str) -> None:
    conn = sqlite3.connect(db)
    documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    conn.close()
    print(
        f"{documents:,} documents on {engine}; kamerwatch serve --workers {args.workers}; "
        f"{args.client} client; {args.seconds:g} s per page and load\n",
        flush=True,
    )
    stamp = measured_now()
    if engine == "sqlite":  # the copy on PostgreSQL has no search index built
        searches = search_over_http(db, args.workers, args.client, url, args.search_rounds)
        print_searches(searches)
        write_results({"http_search": flat_searches(searches, args, engine, stamp)})
    if args.search_only:
        print("\nwritten to bench/results-web.json")
        return
    floor = floors(db, url, draw_urls(db, args.pool)) if engine == "sqlite" else {}
    rows = over_http(db, args.seconds, args.workers, args.pool, args.clients, args.client, url)
    cores = os.cpu_count() or 1
    for r in rows:
        f = floor.get(r["page"])
        if f is None:
            continue
        # a cached request through the same server and client: the HTTP stack's cost
        cached = r.get(f"c{UNCACHED_CLIENTS}")
        if cached is None:
            continue
        f["http_ms"] = round(cached["server_cpu_ms"] + cached["client_cpu_ms"], 3)
        f["floor_ms"] = round(f["sql_ms"] + f["template_ms"] + f["http_ms"], 3)
        f["most_requests_per_s"] = round(cores * 1000 / f["floor_ms"], 1)
        f["ours_ms"] = round(r["uncached"]["server_cpu_ms"] + r["uncached"]["client_cpu_ms"], 3)
        r["floor"] = f
    print()
    print_http(rows, args.clients)
    print("\nuncached = each URL once after a data change (a finished `kamerwatch index` run),")
    print(
        f"{UNCACHED_CLIENTS} clients, after one unmeasured round of other URLs of the same kind"
        " (also after a data change); the front page and"
    )
    print(
        f"the dashboards: {DASHBOARD_ROUNDS} such rounds. Then {args.seconds:g} s at each number of"
    )
    print("clients over the same URLs, answered from the response cache (cached).")
    for r in rows:
        by_url = r["uncached"].get("by_url", {})
        if 1 < len(by_url) <= SLOWEST_OF:
            r["slowest"] = slowest(by_url)
            print(
                f"{r['page']}, uncached: slowest pages (median over their rounds): "
                + ", ".join(f"{s['url']} {s['p50_ms']} ms" for s in r["slowest"])
            )
        for figures in (r["uncached"], *(r[f"c{n}"] for n in args.clients)):
            figures.pop("times", None)
            figures.pop("by_url", None)
    static = next(r for r in rows if r["page"].startswith("/static/"))
    flat = [  # the shape bench/all.py tabulates: one row per page, pass and number of clients
        {
            "page": r["page"],
            "clients": UNCACHED_CLIENTS,
            "uncached": True,
            "urls": r["urls"],
            "requests_per_s": r["uncached"]["requests_per_s"],
            "p50_ms": r["uncached"]["p50_ms"],
            "p95_ms": r["uncached"]["p95_ms"],
            "server_cpu_ms": r["uncached"]["server_cpu_ms"],
            "errors": r["uncached"]["errors"],
            "target": f"{HTTP_TARGETS[r['page']]}, p95 ≤ 50 ms"
            if r["page"] in HTTP_TARGETS
            else "",
            "client": args.client,
            "workers": args.workers,
            "engine": engine,
            "measured": stamp,
            **({"floor": r["floor"]} if "floor" in r else {}),
            **({"slowest": r["slowest"]} if "slowest" in r else {}),
        }
        for r in rows
        if r is not static
    ] + [
        {
            "page": r["page"],
            "clients": n,
            "requests_per_s": r[f"c{n}"]["requests_per_s"],
            "p50_ms": r[f"c{n}"]["p50_ms"],
            "p95_ms": r[f"c{n}"]["p95_ms"],
            "static_requests_per_s": static[f"c{n}"]["requests_per_s"],
            "uncached": False,
            "measured": stamp,
            "client": args.client,
            "workers": args.workers,
            "engine": engine,
        }
        for r in rows
        if r is not static
        for n in args.clients
    ]
    suffix = "" if engine == "sqlite" else f"_{engine}"
    write_results(
        {
            f"http{suffix}": flat,
            f"http_{args.client}_workers{args.workers}{suffix}": {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "documents": documents,
                "workers": args.workers,
                "client": args.client,
                "seconds": args.seconds,
                "pages": rows,
            },
        }
    )
    print("\nwritten to bench/results-web.json")


if __name__ == "__main__":
    main()
