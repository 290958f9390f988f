"""Benchmark of the sync stage (not a test): prints figures next to their ceilings.

    python bench/sync.py [--entries 200000] [--seed 1] [--out bench/out]

1. generates a feed of N entries over all 35 categories (cached in --out),
2. ceiling: lxml alone parsing the same pages, and the same entries one by one,
3. end to end: `kamerwatch sync` against the local feed server (loopback, no pause),
4. `kamerwatch sync --reparse`: the raw log back into the relational model,
with peak RSS of the whole process tree (writer + workers) for 3 and 4;
5. the re-parse's floor: the CPU per entry of each step it cannot do without (select the
   newest versions, read, decompress, lxml parse, hand over, insert prebuilt rows), of
   merely visiting each child element in Python, and of kamerwatch's own reading of them,
   timed in one process; the cores divided by a sum is the most that sum allows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import platform
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from lxml import etree

from kamerwatch.sample import benchfeed
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store import mirror
from kamerwatch.store.rawlog import decompress_entry
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync import pages
from kamerwatch.sync.parsers import spec_for
from kamerwatch.sync.parsers.base import extract, find_entity_element
from kamerwatch.sync.runner import CATEGORIES, pack_batch, unpack_batch

ATOM_ENTRY = "{http://www.w3.org/2005/Atom}entry"


def lxml_ceiling(feed_dir: Path) -> tuple[float, float, int]:
    """(pages: entries/s, single entries: entries/s, entries) for lxml alone."""
    pages = [p.read_bytes() for p in sorted((feed_dir / "feed").glob("*.xml"))]
    start = time.perf_counter()
    count = 0
    for body in pages:  # parse and visit the entries, nothing else is timed
        root = etree.fromstring(body)
        count += sum(1 for _ in root.iterchildren(ATOM_ENTRY))
    page_rate = count / (time.perf_counter() - start)
    blobs: list[bytes] = []
    for body in pages:  # standalone entries for the second ceiling (not timed)
        for entry in etree.fromstring(body).iterchildren(ATOM_ENTRY):
            blobs.append(etree.tostring(entry))
            if len(blobs) >= 50_000:
                break
        if len(blobs) >= 50_000:
            break
    start = time.perf_counter()
    for blob in blobs:
        etree.fromstring(blob)
    single_rate = len(blobs) / (time.perf_counter() - start)
    return page_rate, single_rate, count


class PeakRss:
    """Polls the RSS of a process tree; ``peak`` is the largest sum seen."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                sizes = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        sizes.append(p.memory_info().rss)
                self.peak = max(self.peak, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes, default=0))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


FLOOR_STEPS = ("select", "read", "decompress", "parse", "hand over", "insert")


def reparse_floor(db: Path, scratch: Path) -> tuple[dict[str, float], int]:
    """CPU µs per parsed entry of each step of a re-parse of ``db``'s raw log, in this
    process (``FLOOR_STEPS``: select each id's newest version, read, decompress, parse, hand
    over, insert; then "visit": tag, text and ``ref`` of every child element and nothing
    else, and "kamerwatch": the parsers' own reading of them into rows), and the number of
    parsed entries. The rows go into a fresh database at ``scratch`` as the re-parse
    writes them (emptied tables, secondary indexes dropped, one transaction per category)."""
    if scratch.exists():
        for f in scratch.iterdir():
            f.unlink()
    scratch.mkdir(parents=True, exist_ok=True)
    target = open_migrated(f"sqlite:///{scratch / 'floor.sqlite3'}")
    source = mirror.open_raw_reader(f"sqlite:///{db}")
    spent = dict.fromkeys((*FLOOR_STEPS, "visit", "kamerwatch"), 0.0)
    entries = 0
    clock = time.process_time

    def timed(step: str, work: Any, *args: Any) -> Any:
        start = clock()
        result = work(*args)
        spent[step] += clock() - start
        return result

    try:
        with target.transaction() as conn:
            for table in ("link", *(spec_for(c).table for c in CATEGORIES)):
                mirror.drop_indexes(conn, mirror.secondary_indexes(conn, table))
        for category in CATEGORIES:
            spec = spec_for(category)
            tokens = timed("select", mirror.newest_raw_tokens, source, category)
            with target.transaction() as conn:
                for start in range(0, len(tokens), 1000):
                    rows = timed(
                        "read", mirror.raw_entries_at, source, tokens[start : start + 1000]
                    )
                    blobs = timed("decompress", _decompressed, rows)
                    trees = timed("parse", pages.parse_stored, category, rows, blobs)
                    entities = [find_entity_element(tree) for tree in trees]
                    timed("visit", _visit, entities)
                    changes = timed("kamerwatch", _changes, spec, entities, rows)
                    timed("hand over", _hand_over, changes)
                    timed("insert", _insert, conn, category, changes)
                    entries += len(rows)
    finally:
        source.close()
        target.close()
    return {step: seconds / entries * 1e6 for step, seconds in spent.items()}, entries


def _decompressed(rows: list[Any]) -> list[bytes]:
    return [decompress_entry(row[3]) for row in rows]


def _visit(entities: list[Any]) -> None:
    for entity in entities:
        for child in entity:
            _ = child.tag, child.text, child.get("ref")


def _changes(spec: Any, entities: list[Any], rows: list[Any]) -> list[Any]:
    return [
        pages.stored_change(spec, extract(spec, entity), row)[0]
        for entity, row in zip(entities, rows, strict=True)
    ]


def _insert(conn: Any, category: str, changes: list[Any]) -> None:
    mirror.apply_changes(conn, category, changes, absent=True)


def _hand_over(changes: list[Any]) -> Any:
    """What a parsed batch costs to cross from a worker to the writer: the re-parse's own
    packing, through a pickle as the pool's result pipe takes it."""
    return unpack_batch(pickle.loads(pickle.dumps(pack_batch((changes, {})))))


def run_cli(args: list[str], data_dir: Path) -> tuple[float, int, int, str]:
    env = {
        **os.environ,
        "KAMERWATCH_POLITENESS_PAUSE": "0",
        "KAMERWATCH_DATA_DIR": str(data_dir),
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "-q", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    rss = PeakRss(proc.pid)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    rss.stop()
    if proc.returncode != 0:
        raise SystemExit(f"kamerwatch {' '.join(args)} failed:\n{out}\n{err}")
    return elapsed, rss.peak, rss.peak_single, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()

    feed_dir = args.out / f"feed-{args.entries}-{args.seed}"
    if not (feed_dir / "expected.json").exists():
        print(f"generating {args.entries:,} entries into {feed_dir} …", flush=True)
        t0 = time.perf_counter()
        benchfeed.generate(feed_dir, entries=args.entries, seed=args.seed)
        print(f"  generated in {time.perf_counter() - t0:.1f}s", flush=True)

    page_rate, single_rate, total = lxml_ceiling(feed_dir)
    data_dir = args.out / "data"
    if data_dir.exists():
        for f in data_dir.iterdir():
            f.unlink()
    with FeedServer(feed_dir) as server:
        e2e_s, e2e_rss, e2e_rss1, _ = run_cli(["sync", "--feed-url", server.url], data_dir)
    reparse_s, rp_rss, rp_rss1, _ = run_cli(["sync", "--reparse"], data_dir)
    floor, parsed = reparse_floor(data_dir / "kamerwatch.sqlite3", args.out / "floor")
    cores = os.cpu_count() or 1
    bare = sum(floor[step] for step in FLOOR_STEPS)
    visited = bare + floor["visit"]
    whole = bare + floor["kamerwatch"]

    def most(us: float) -> float:
        """Raw entries/s (the re-parse's unit: it parses only each id's newest version) that
        ``us`` CPU µs per parsed entry allow on perfectly shared cores."""
        return cores * 1e6 / us * total / parsed

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "entries": total,
        "lxml_pages_per_s": round(page_rate),
        "lxml_single_entries_per_s": round(single_rate),
        "end_to_end_per_s": round(total / e2e_s),
        "end_to_end_seconds": round(e2e_s, 1),
        "end_to_end_peak_rss_mb": round(e2e_rss / 2**20),
        "end_to_end_peak_rss_largest_process_mb": round(e2e_rss1 / 2**20),
        "reparse_per_s": round(total / reparse_s),
        "reparse_seconds": round(reparse_s, 1),
        "reparse_peak_rss_mb": round(rp_rss / 2**20),
        "reparse_peak_rss_largest_process_mb": round(rp_rss1 / 2**20),
        "reparse_floor_entries": parsed,
        "reparse_floor_us_per_entry": {step: round(us, 1) for step, us in floor.items()},
        "reparse_floor_max_per_s": round(most(bare)),
        "reparse_floor_visited_max_per_s": round(most(visited)),
        "reparse_one_process_max_per_s": round(most(whole)),
    }
    rows = [
        ("lxml alone, whole pages (ceiling)", f"{page_rate:,.0f}/s", ""),
        ("lxml alone, entry by entry (ceiling)", f"{single_rate:,.0f}/s", ""),
        (
            "sync end to end (feed server → db)",
            f"{total / e2e_s:,.0f}/s",
            f"{total / e2e_s / page_rate:.2f}× lxml pages; peak RSS {e2e_rss / 2**20:.0f} MB "
            f"(largest process {e2e_rss1 / 2**20:.0f} MB)",
        ),
        (
            "re-parse raw log → tables (raw entries/s)",
            f"{total / reparse_s:,.0f}/s",
            f"{total / reparse_s / single_rate:.2f}× lxml entries; peak RSS {rp_rss / 2**20:.0f} MB "
            f"(largest process {rp_rss1 / 2**20:.0f} MB)",
        ),
    ]
    steps = ", ".join(f"{step} {floor[step]:.1f}" for step in FLOOR_STEPS)
    rows += [
        (
            "re-parse floor: unavoidable steps",
            f"{most(bare):,.0f}/s",
            f"{bare:.1f} µs CPU per entry ({steps}) on {cores} cores, nothing else",
        ),
        (
            "  … + visiting each child in Python",
            f"{most(visited):,.0f}/s",
            f"+{floor['visit']:.1f} µs: tag, text and ref of each child element, no logic",
        ),
        (
            "  … + kamerwatch's reading of them",
            f"{most(whole):,.0f}/s",
            f"+{floor['kamerwatch']:.1f} µs: the parsers into rows (instead of the visit)",
        ),
    ]
    print(f"\nsync benchmark — {total:,} entries, {results['machine']}, {results['date']}")
    for name, value, note in rows:
        print(f"  {name:<40} {value:>12}   {note}")
    print(
        f"  (the floor rows: the {parsed:,} newest entries timed step by step in one process, "
        f"µs per parsed entry; rates in raw entries/s like the re-parse's)"
    )
    target = Path("bench/results-sync.json")
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
