"""Every benchmark, one table: ``make bench``.

    .venv/bin/python bench/all.py                 # run every bench/*.py, then the table
    .venv/bin/python bench/all.py --only search   # run some, tabulate all
    .venv/bin/python bench/all.py --table-only    # tabulate the latest results-*.json

Each script runs in its own process on generated data sized for a 2-core machine (cached
under bench/out, so a rerun skips the generation) and writes bench/results-<name>.json.
This script then puts every figure next to its ceiling — raw lxml parse, raw FTS5 SQL, a
static file from the same server, the raw PDF library, plain disk writes — as a ratio, with
its target and the peak RSS of the benchmark's process tree, prints one table, writes
bench/results.json and replaces the table in bench/README.md.
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

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# name → arguments of bench/<name>.py
SCRIPTS: dict[str, list[str]] = {
    "sync": [],
    "sample": [],
    "convert": [],
    "web": [],
    "search": [],
    "alerts": [],
    "load": [],
}


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
        "lxml alone",
        "≥ 20,000/s; < 300 MB",
        r.get("end_to_end_peak_rss_mb"),
    )
    yield Row(
        "sync",
        "re-parse raw log",
        r["reparse_per_s"],
        "entries/s",
        ceiling,
        "lxml alone",
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
        "pypdfium2 alone",
        "≥ 200/s, ≥ 0.70 of raw",
        r.get("peak_rss_mb"),
    )


def _web(r: dict[str, Any]) -> Iterator[Row]:
    pages = r.get("pages", [])
    static = next((p for p in pages if p["url"].startswith("/static/")), None)
    for p in pages:
        if p is static:
            continue
        yield Row(
            "web",
            f"{p['url']} p50 (in-process)",
            p["p50_ms"],
            "ms",
            static["p50_ms"] if static else None,
            "static file",
            "p95 ≤ 100 ms" if p["url"] != "/" else "",
        )
    for h in r.get("http", []):
        yield Row(
            "web",
            f"HTTP {h['page']} at {h['clients']} clients",
            h["requests_per_s"],
            "req/s",
            h.get("static_requests_per_s"),
            "static file",
            h.get("target", ""),
        )


def _hits(q: dict[str, Any]) -> str:
    return f" ({q['total']:,} hits)" if q["total"] else f" (p95 {q['p95_ms']} ms)"


def _search(r: dict[str, Any]) -> Iterator[Row]:
    for q in r.get("queries", []):
        yield Row(
            "search",
            f"{q['query']}{_hits(q)} p50",
            q["p50_ms"],
            "ms",
            q.get("raw_p50_ms"),
            "raw FTS5 SQL",
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
            "raw FTS5 SQL",
            "p50 ≤ 30 ms, p95 ≤ 200 ms",
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
            "raw FTS5 behind the same HTTP" if "floor_requests_per_s" in h else "",
            "≥ 200/s",
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


TABULATE: dict[str, Callable[[dict[str, Any]], Iterator[Row]]] = {
    "sync": _sync,
    "sample": _sample,
    "convert": _convert,
    "web": _web,
    "search": _search,
    "alerts": _alerts,
    "load": _load_mix,
}


def run(name: str) -> tuple[float, float]:
    """Run bench/<name>.py; (seconds, peak RSS in MB of its largest process)."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(BENCH / f"{name}.py"), *SCRIPTS[name]], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench/{name}.py faalde (exit {proc.returncode})")
    return time.monotonic() - start, usage.ru_maxrss / 1024


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def table(rows: list[Row]) -> str:
    head = "| bench | figure | value | ceiling | ratio to ceiling | target | peak RSS |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        ceiling = f"{_fmt(r.ceiling)} ({r.ceiling_label})" if r.ceiling else ""
        rss = f"{r.peak_rss_mb:,.0f} MB" if r.peak_rss_mb else ""
        lines.append(
            f"| {r.bench} | {r.figure} | {_fmt(r.value)} {r.unit} | {ceiling} | {ratio} "
            f"| {r.target} | {rss} |"
        )
    return "\n".join(lines)


MARK_START, MARK_END = "<!-- bench-table -->", "<!-- /bench-table -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), default=None)
    parser.add_argument("--table-only", action="store_true", help="niets draaien, alleen tabel")
    args = parser.parse_args()
    runs: dict[str, dict[str, float]] = {}
    if not args.table_only:
        for name in args.only or SCRIPTS:
            print(f"== bench/{name}.py", flush=True)
            seconds, rss = run(name)
            runs[name] = {"seconds": round(seconds, 1), "peak_rss_mb": round(rss)}
    previous = (
        json.loads((BENCH / "results.json").read_text())
        if (BENCH / "results.json").exists()
        else {}
    )
    peaks = {**previous.get("runs", {}), **runs}
    rows: list[Row] = []
    for name, tabulate in TABULATE.items():
        data = _load(name)
        if data is None:
            continue
        for row in tabulate(data):
            if row.peak_rss_mb is None and name in peaks:
                row.peak_rss_mb = peaks[name].get("peak_rss_mb")
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
    block = f"{MARK_START}\nLatest `make bench` table ({stamp}, {machine}):\n\n{text}\n{MARK_END}"
    if MARK_START in body and MARK_END in body:
        head, rest = body.split(MARK_START, 1)
        body = head + block + rest.split(MARK_END, 1)[1]
    else:
        title, _, rest = body.partition("\n")
        body = f"{title}\n\n{block}\n{rest}"
    readme.write_text(body)


if __name__ == "__main__":
    main()
