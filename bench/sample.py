"""Benchmark of the sample parliament generator (not a test): time and peak memory per scale.

    python bench/sample.py [--scales 1 4] [--out bench/out/sample]

Each scale runs `kamerwatch sample` in its own process (so peak RSS is that run's own);
the figures show that memory does not grow with the scale. Ceiling: writing the same
number of bytes to disk without generating anything.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_scale(scale: int, out: Path) -> dict[str, float]:
    target = out / f"scale-{scale}"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamerwatch",
            "-q",
            "sample",
            str(target),
            "--scale",
            str(scale),
            "--today",
            "2026-11-28",
        ],
    )
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"kamerwatch sample failed with {proc.returncode}")
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss
    expected = json.loads((target / "expected.json").read_text())
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    ceiling = write_ceiling(size, out)
    return {
        "scale": scale,
        "seconds": round(seconds, 1),
        "entries": expected["entries"],
        "files": expected["resources"],
        "entries_per_s": round(expected["entries"] / seconds),
        "megabytes": round(size / 1e6, 1),
        "write_ceiling_seconds": round(ceiling, 2),
        "peak_rss_mb": round(peak / 1024),
    }


def write_ceiling(size: int, out: Path) -> float:
    """Seconds to write ``size`` bytes in 64 KiB chunks and fsync (the disk alone)."""
    path = out / "ceiling.bin"
    chunk = os.urandom(65536)
    start = time.perf_counter()
    with path.open("wb") as fh:
        for _ in range(size // len(chunk) + 1):
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    seconds = time.perf_counter() - start
    path.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "sample")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [run_scale(s, args.out) for s in args.scales]
    print(
        f"{'scale':>5} {'seconds':>8} {'entries':>9} {'files':>7} {'entries/s':>10} {'MB':>7} {'disk alone':>11} {'peak RSS':>9}"
    )
    for r in rows:
        print(
            f"{r['scale']:>5} {r['seconds']:>8} {r['entries']:>9,} {r['files']:>7,} {r['entries_per_s']:>10,} "
            f"{r['megabytes']:>7} {r['write_ceiling_seconds']:>10}s {r['peak_rss_mb']:>7} MB"
        )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": rows,
    }
    (ROOT / "bench" / "results-sample.json").write_text(json.dumps(result, indent=1) + "\n")
    print("written to bench/results-sample.json")


if __name__ == "__main__":
    main()
