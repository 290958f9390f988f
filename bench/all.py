"""Every benchmark, one table: ``make bench``.

    .venv/bin/python bench/all.py                 # run every bench/*.py, then the table
    .venv/bin/python bench/all.py --only search   # run some, tabulate all
    .venv/bin/python bench/all.py --table-only    # tabulate the latest results-*.json
    .venv/bin/python bench/all.py --list          # the runs a full `make bench` makes, with
                                                  # how long each took the last time

Each script runs in its own process on generated data sized for a 2-core machine (cached
under bench/out, so a rerun skips the generation) and writes bench/results-<name>.json.
This script then puts every figure next to its ceiling — raw lxml parse, raw FTS5 SQL, a
static file from the same server, the raw PDF library, plain disk writes — as a ratio, with
its target and the peak RSS of the benchmark's process tree, prints one table, writes
bench/results.json and replaces the table in bench/README.md. How long each run took
(wall clock) is kept in bench/results.json ("runs") and written under the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stamp import head_commit, label, measured_now

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# name → the runs of bench/<name>.py (their arguments); "{pg}" runs only where PostgreSQL
# server binaries are installed (a throwaway server in a temp dir)
SCRIPTS: dict[str, list[list[str]]] = {
    "sync": [[]],
    "sample": [[]],
    "convert": [[]],
    # over HTTP with the raw client: httpx costs 2–3 ms of CPU per request on the same 2
    # cores, so the client, not the server, would be the limit
    "web": [
        [],
        ["--http", "--workers", "2", "--client", "raw"],
        ["--http", "--workers", "2", "--client", "raw", "--postgres", "{pg}"],
    ],
    "search": [[], ["--postgres", "{pg}"]],
    "alerts": [[]],
    "load": [[]],
    "update": [[]],
    "woo": [[]],
    "changes": [[]],
}


def postgres_available() -> bool:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import find_bindir

    return not isinstance(find_bindir(), str)


def runs_of(name: str, pg: bool) -> list[list[str]]:
    """The argument lists bench/<name>.py runs with ("{pg}": a throwaway server)."""
    out = []
    for arguments in SCRIPTS[name]:
        if "{pg}" in arguments:
            if not pg:
                continue
            arguments = [a for a in arguments if a != "{pg}"]
        out.append(arguments)
    return out


@dataclass
class Row:
    bench: str
    figure: str
    value: float
    unit: str
    ceiling: float | None = None  # same unit; the ratio is value/ceiling (or inverse for ms)
    ceiling_label: str = ""
    target: str = ""
    peak_rss_mb: float | None = None
    measured: str = ""  # commit and day of the run that produced it; "(stale)" if not HEAD
    stamp: dict[str, str] | None = None  # its own stamp, when not that of its results file

    @property
    def ratio(self) -> float | None:
        if not self.ceiling or not self.value:
            return None
        if self.unit == "ms":  # lower is better: ceiling time / our time
            return self.ceiling / self.value
        return self.value / self.ceiling


def _load(name: str) -> dict[str, Any] | None:
    path = BENCH / f"results-{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _sync(r: dict[str, Any]) -> Iterator[Row]:
    ceiling = r.get("lxml_pages_per_s")
    yield Row(
        "sync",
        f"end to end, {r['entries']:,} entries",
        r["end_to_end_per_s"],
        "entries/s",
        ceiling,
        "lxml parsing the same feed pages whole: no HTTP, no per-entry split, no rows, no writes",
        "≥ 20,000/s; < 300 MB",
        r.get("end_to_end_peak_rss_mb"),
    )
    yield Row(
        "sync",
        "re-parse raw log",
        r["reparse_per_s"],
        "entries/s",
        ceiling,
        "lxml parsing the feed pages whole (the re-parse reads the raw log entry by entry,"
        " decompresses and writes rows)",
        "≥ 26,000/s",
        r.get("reparse_peak_rss_mb"),
    )
    floor = r.get("reparse_floor_us_per_entry")
    if floor:
        yield Row(
            "sync",
            "re-parse: the most its CPU per entry allows (cores perfectly shared)",
            r["reparse_one_process_max_per_s"],
            "entries/s",
            r["reparse_floor_visited_max_per_s"],
            "the same with parsers that only visit each child",
            "≥ 26,000/s",
        )


def _sample(r: dict[str, Any]) -> Iterator[Row]:
    for run in r.get("runs", []):
        ceiling = (
            run["entries"] / run["write_ceiling_seconds"] if run["write_ceiling_seconds"] else None
        )
        yield Row(
            "sample",
            f"scale {run['scale']} ({run['entries']:,} entries)",
            run["entries_per_s"],
            "entries/s",
            ceiling,
            "disk writes alone",
            "scale 1 < 30 s" if run["scale"] == 1 else "",
            run.get("peak_rss_mb"),
        )


def _convert(r: dict[str, Any]) -> Iterator[Row]:
    yield Row(
        "convert",
        f"{r['files']:,} files ({r.get('pdfs', 0):,} PDF)",
        r["files_per_s"],
        "files/s",
        r.get("pdfium_alone_per_s"),
        f"pypdfium2's text of the {r.get('pdfs', 0):,} PDFs only, in one process (ours: every"
        " file, every format, on the machine's cores)",
        "≥ 200/s, ≥ 0.70 of raw",
        r.get("peak_rss_mb"),
    )


def _web(r: dict[str, Any]) -> Iterator[Row]:
    yield from _web_in_process(r, "")
    yield from _web_in_process(r.get("in_process_postgresql") or {}, "PostgreSQL: ")
    yield from _web_http(r.get("http", []), "")
    yield from _web_http(r.get("http_postgresql", []), "PostgreSQL: ")
    yield from _web_searches(r.get("http_search", []))


def _web_searches(rows: list[dict[str, Any]]) -> Iterator[Row]:
    # never-asked searches over HTTP (issue #28), next to their floor: the bare FTS5
    # statements of the same searches behind the same HTTP stack
    for h in rows:
        hits = h["hits"]
        yield Row(
            "web",
            f"HTTP {h['page']}, uncached: {h['urls']:,} words each once after a data change"
            f" ({hits['hits_min']:,}–{hits['hits_max']:,} hits, median"
            f" {hits['hits_median']:,}), {h['clients']} clients, serve --workers"
            f" {h['workers']} (p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms; server CPU"
            f" {h['server_cpu_ms']} ms/request)",
            h["requests_per_s"],
            "req/s",
            h.get("floor_requests_per_s"),
            "floor: the bare FTS5 statements of the same searches (count + one page of rowids)"
            " behind the same HTTP stack, answering 2 bytes"
            if h.get("floor_requests_per_s")
            else "",
            h.get("target", ""),
            stamp=h.get("measured", {}),
        )


def _web_in_process(r: dict[str, Any], engine: str) -> Iterator[Row]:
    # in-process (Starlette's test client): no ceiling — a static file through the same
    # client costs more than several pages, so it measures the client, not a limit
    stamp = r.get("measured")
    for p in r.get("pages", []):
        if p["url"].startswith("/static/"):
            continue
        if "uncached_ms" in p:
            yield Row(
                "web",
                f"{engine}{p['url']} in-process, uncached: median of {p['uncached_renders']}"
                f" first renders, each after a data change (slowest {p['uncached_max_ms']} ms;"
                f" CPU {p['uncached_cpu_ms']} ms)",
                p["uncached_ms"],
                "ms",
                target="≤ 20 ms",
                stamp=stamp,
            )
        yield Row(
            "web",
            f"{engine}{p['url']} in-process, cached p50 (p95 {p['p95_ms']} ms)",
            p["p50_ms"],
            "ms",
            stamp=stamp,
        )


def _web_http(rows: list[dict[str, Any]], engine: str) -> Iterator[Row]:
    for h in rows:
        uncached = h.get("uncached")
        how = (
            f"uncached: {h.get('urls', 0):,} URLs each once after a data change"
            if uncached
            else "cached: the same URLs repeated"
        )
        floor = h.get("floor") if uncached else None
        if floor:
            ceiling, label = floor["most_requests_per_s"], _floor_label(floor)
        elif uncached:
            ceiling, label = None, ""
        else:
            ceiling, label = h.get("static_requests_per_s"), "a static file, same server"
        slow = h.get("slowest")
        slow_text = (
            "; slowest pages, median: " + ", ".join(f"{s['url']} {s['p50_ms']} ms" for s in slow)
            if slow
            else ""
        )
        yield Row(
            "web",
            f"{engine}HTTP {h['page']}, {how}, {h['clients']} clients, serve --workers "
            f"{h.get('workers', 1)} (p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms{slow_text})",
            h["requests_per_s"],
            "req/s",
            ceiling,
            label,
            h.get("target", ""),
            stamp=h.get("measured", {}),
        )


def _floor_label(f: dict[str, Any]) -> str:
    """What an uncached page's floor is made of (bench/web.py ``floors``)."""
    return (
        f"floor: the most the cores allow at {f['floor_ms']} ms CPU per request — its"
        f" {f['statements']:g} SQL statements replayed raw {f['sql_ms']} ms + its template"
        f" {f['template_ms']} ms + a cached request's HTTP stack {f['http_ms']} ms (ours:"
        f" {f['ours_ms']} ms server and client CPU)"
    )


def _hits(q: dict[str, Any]) -> str:
    return f" ({q['total']:,} hits)" if q["total"] else f" (p95 {q['p95_ms']} ms)"


# what the search ceiling does, and so what it leaves out that ours does
RAW_FTS5 = (
    "raw FTS5: exact count + one page of rowids only — no filters, facets, snippets or rows;"
    " relevance: bm25 over every hit (ours: the newest 10,000)"
)


def _search(r: dict[str, Any]) -> Iterator[Row]:
    for q in r.get("queries", []):
        yield Row(
            "search",
            f"{q['query']}{_hits(q)} p50",
            q["p50_ms"],
            "ms",
            q.get("raw_p50_ms"),
            RAW_FTS5,
            "p50 ≤ 10 ms, ≤ 1.5× raw",
        )
    large = r.get("large") or {}
    for q in large.get("queries", []):
        yield Row(
            "search",
            f"{large['sources']:,} sources: {q['query']}{_hits(q)} p50",
            q["p50_ms"],
            "ms",
            q.get("raw_p50_ms"),
            RAW_FTS5,
            "p50 ≤ 30 ms, p95 ≤ 200 ms",
            stamp=large.get("measured", {}),
        )
    for h in r.get("http", []):
        yield Row(
            "search",
            f"HTTP /zoeken at {h['clients']} clients"
            + {
                "first": ", each URL once (first time)",
                "new": f", {h['requests']} new searches (each once)",
            }.get(h.get("pass_", ""), "")
            + f" (p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms)",
            h["requests_per_s"],
            "req/s",
            h.get("floor_requests_per_s"),
            "the two bare FTS5 statements behind the same HTTP stack, answering 2 bytes"
            if "floor_requests_per_s" in h
            else "",
            "≥ 200/s",
        )
    yield from _search_pg(r)


def _search_pg(r: dict[str, Any]) -> Iterator[Row]:
    pg = r.get("postgresql") or {}
    stamp = pg.get("measured", {})
    for q in pg.get("queries", []):
        yield Row(
            "search",
            f"PostgreSQL: {q['query']}{_hits(q)} p50",
            q["p50_ms"],
            "ms",
            q.get("raw_p50_ms"),
            "raw tsquery: exact count + one page of rowids only — no filters, facets, snippets"
            " or rows",
            "p50 ≤ 10 ms, ≤ 1.5× raw",
            stamp=stamp,
        )
    for h in pg.get("http", []):
        yield Row(
            "search",
            f"PostgreSQL: HTTP /zoeken at {h['clients']} clients {h.get('pass_', 'repeated')}"
            f" (p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms)",
            h["requests_per_s"],
            "req/s",
            target="≥ 200/s",
            stamp=stamp,
        )


def _alerts(r: dict[str, Any]) -> Iterator[Row]:
    yield Row(
        "alerts",
        f"{r['monitors']:,} monitors, {r['digests']:,} digests",
        r["seconds"],
        "s",
        None,
        "",
        "≤ 60 s",
    )


def _load_mix(r: dict[str, Any]) -> Iterator[Row]:
    during = "while a sync ran" if r.get("sync_ran_throughout") else "(sync ended early)"
    yield Row(
        "load",
        f"mix at {r['clients']} clients {during}: p95 {r['p95_ms']} ms, "
        f"{r['errors']} errors of {r['requests']:,}",
        r["requests_per_s"],
        "req/s",
        None,
        "",
        "zero errors",
    )


def _update(r: dict[str, Any]) -> Iterator[Row]:
    size = f"{r['entries']:,} entries, {r['documents']:,} documents, {r['monitors']:,} monitors"
    for key, target in (("quiet", "≤ 2 s"), ("busy", "≤ 15 s")):
        run = r[key]
        stages = ", ".join(f"{k} {v:g}" for k, v in run["stages"].items())
        if "start_up_and_rest" in run:
            stages += f", start-up and the rest {run['start_up_and_rest']:g}"
        load = f"; load {run['load']:g}" if "load" in run else ""
        yield Row(
            "update",
            f"kamerwatch update, {run['label']} ({size}; stages in s: {stages}; exit {run['exit']}{load})",
            run["seconds"],
            "s",
            target=target,
            stamp=r.get(f"{key}_measured"),  # `bench/update.py --quiet-only` stamps its own
        )
    if r.get("inbox_latency_s") is not None:
        load = f" (load {r['inbox_load']:g})" if "inbox_load" in r else ""
        yield Row(
            "update",
            f"a new document in a follower's inbox with update --loop {r['loop']}{load}",
            r["inbox_latency_s"],
            "s",
            target="< 60 s",
            stamp=r.get("inbox_measured"),
        )


def _woo(r: dict[str, Any]) -> Iterator[Row]:
    yield Row(
        "woo",
        f"harvest from the simulated open.overheid.nl, pace 0 ({r['publications']:,}"
        f" publications, {r['files']:,} files, {r['megabytes']:g} MB, SHA-1 checked)",
        r["publications_per_s"],
        "publications/s",
    )
    yield Row(
        "woo",
        f"/woo, first request of a URL (median of {r['woo_urls']} URLs; p95"
        f" {r['woo_first_p95_ms']:g} ms)",
        r["woo_first_median_ms"],
        "ms",
    )
    yield Row(
        "woo",
        f"/woo, from the response cache (median; p95 {r['woo_cached_p95_ms']:g} ms)",
        r["woo_cached_median_ms"],
        "ms",
    )


def _changes(r: dict[str, Any]) -> Iterator[Row]:
    yield Row(
        "changes",
        f"{r['webhook_monitors']:,} webhook monitors after ≥ {r['new_documents_at_least']:,} new"
        f" documents: {r['delivered']:,} signed deliveries to a loopback receiver"
        f" ({r['hits']:,} items, {r['received_mb']:g} MB)",
        r["seconds"],
        "s",
        target="≤ 60 s",
    )
    yield Row(
        "changes",
        f"/api/wijzigingen, a page of 1,000 changes (median of 40 cursors over"
        f" {r['changes_in_log']:,} changes; p95 {r['feed_page_p95_ms']:g} ms)",
        r["feed_page_median_ms"],
        "ms",
        target="≤ 50 ms",
    )
    if "feed_page_postgresql_median_ms" in r:
        yield Row(
            "changes",
            "/api/wijzigingen on PostgreSQL, a page of 1,000 changes (median of the same 40"
            f" cursors; p95 {r['feed_page_postgresql_p95_ms']:g} ms)",
            r["feed_page_postgresql_median_ms"],
            "ms",
            target="≤ 50 ms",
        )


TABULATE: dict[str, Callable[[dict[str, Any]], Iterator[Row]]] = {
    "sync": _sync,
    "sample": _sample,
    "convert": _convert,
    "web": _web,
    "search": _search,
    "alerts": _alerts,
    "load": _load_mix,
    "update": _update,
    "woo": _woo,
    "changes": _changes,
}


def stamp_results(name: str) -> None:
    """Record in bench/results-<name>.json which commit and when its figures were measured."""
    path = BENCH / f"results-{name}.json"
    if path.exists():
        data = json.loads(path.read_text())
        data["measured"] = measured_now()
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def run(name: str, arguments: list[str]) -> tuple[float, float, int]:
    """Run bench/<name>.py; (seconds, peak RSS in MB of its largest process, exit code)."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(BENCH / f"{name}.py"), *arguments], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def table(rows: list[Row]) -> str:
    head = "| bench | figure | value | ceiling | ratio to ceiling | target | peak RSS | measured |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        ceiling = f"{_fmt(r.ceiling)} ({r.ceiling_label})" if r.ceiling else ""
        rss = f"{r.peak_rss_mb:,.0f} MB" if r.peak_rss_mb else ""
        lines.append(
            f"| {r.bench} | {r.figure} | {_fmt(r.value)} {r.unit} | {ceiling} | {ratio} "
            f"| {r.target} | {rss} | {r.measured} |"
        )
    return "\n".join(lines)


MARK_START, MARK_END = "<!-- bench-table -->", "<!-- /bench-table -->"


def _command(name: str, arguments: list[str]) -> str:
    return " ".join([f"bench/{name}.py", *arguments])


def durations(runs: dict[str, Any], names: list[str], pg: bool) -> list[tuple[str, Any]]:
    """Each run a full `make bench` makes (``bench/x.py args``) with the seconds it took the
    last time it was recorded (None: never)."""
    out = []
    for name in names:
        took = {r["command"]: r["seconds"] for r in runs.get(name, {}).get("each", [])}
        for arguments in runs_of(name, pg):
            command = _command(name, arguments)
            out.append((command, took.get(command)))
    return out


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), default=None)
    parser.add_argument("--table-only", action="store_true", help="niets draaien, alleen tabel")
    parser.add_argument(
        "--list",
        action="store_true",
        help="alleen tonen welke runs en hoe lang ze de vorige keer duurden",
    )
    args = parser.parse_args()
    runs: dict[str, dict[str, Any]] = {}
    head = head_commit()
    previous = (
        json.loads((BENCH / "results.json").read_text())
        if (BENCH / "results.json").exists()
        else {}
    )
    if args.list:
        pg = postgres_available()
        planned = durations(previous.get("runs", {}), list(args.only or SCRIPTS), pg)
        for command, seconds in planned:
            print(f"{'?' if seconds is None else _minutes(seconds):>10}  {command}")
        known = sum(s for _, s in planned if s is not None)
        print(f"{_minutes(known):>10}  samen ({sum(s is None for _, s in planned)} zonder meting)")
        return
    failed: list[str] = []  # a failing run does not stop the others (an hour of work)
    if not args.table_only:
        pg = postgres_available()
        if not pg:
            print("geen PostgreSQL-server: de PostgreSQL-rijen blijven staan (gemarkeerd als oud)")
        started = time.monotonic()
        for name in args.only or SCRIPTS:
            total, peak = 0.0, 0.0
            each = []
            ok = True
            for arguments in runs_of(name, pg):
                print(f"== {_command(name, arguments)}", flush=True)
                seconds, rss, code = run(name, arguments)
                total, peak = total + seconds, max(peak, rss)
                each.append({"command": _command(name, arguments), "seconds": round(seconds, 1)})
                print(f"== {_command(name, arguments)}: {_minutes(seconds)}", flush=True)
                if code != 0:
                    ok = False
                    failed.append(f"{_command(name, arguments)} (exit {code})")
            if ok:  # a failed run's figures keep their old stamp: the table marks them stale
                stamp_results(name)
            runs[name] = {
                "seconds": round(total, 1),
                "peak_rss_mb": round(peak),
                "each": each,
                "measured": measured_now(),
            }
        print(f"== every run: {_minutes(time.monotonic() - started)}", flush=True)
        if failed:
            print("== gefaald: " + "; ".join(failed), flush=True)
    peaks = {**previous.get("runs", {}), **runs}
    rows: list[Row] = []
    for name, tabulate in TABULATE.items():
        data = _load(name)
        if data is None:
            continue
        whole = label(data.get("measured"), head, name)
        for row in tabulate(data):
            if row.peak_rss_mb is None and name in peaks:
                row.peak_rss_mb = peaks[name].get("peak_rss_mb")
            # a part measured in another run carries its own stamp (bench/search.py's large)
            row.measured = label(row.stamp, head, name) if row.stamp is not None else whole
            rows.append(row)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = table(rows)
    print(text)
    out = {
        "date": stamp,
        "machine": machine,
        "runs": peaks,
        "rows": [{**asdict(r), "ratio": r.ratio} for r in rows],
    }
    (BENCH / "results.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    readme = BENCH / "README.md"
    body = readme.read_text()
    took = [
        f"`{command}` {_minutes(seconds)}"
        for command, seconds in durations(peaks, list(SCRIPTS), True)
        if seconds is not None
    ]
    timing = (
        "\n\nHow long each run took when it last ran (wall clock; `bench/all.py --list`): "
        + ", ".join(took)
        + f"; together {_minutes(sum(s for _, s in durations(peaks, list(SCRIPTS), True) if s))}."
        if took
        else ""
    )
    block = (
        f"{MARK_START}\n`make bench` table written {stamp} at commit {head} ({machine}). Each row"
        " says which commit and day measured it; a row measured on another commit (or with"
        " uncommitted changes) is marked stale.\n\n"
        f"{text}{timing}\n{MARK_END}"
    )
    if MARK_START in body and MARK_END in body:
        head, rest = body.split(MARK_START, 1)
        body = head + block + rest.split(MARK_END, 1)[1]
    else:
        title, _, rest = body.partition("\n")
        body = f"{title}\n\n{block}\n{rest}"
    readme.write_text(body)
    if failed:
        raise SystemExit(f"bench: {len(failed)} run(s) gefaald: " + "; ".join(failed))


if __name__ == "__main__":
    main()
