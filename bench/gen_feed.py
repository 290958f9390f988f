"""Generate a large SyncFeed directory for benchmarks: ``python bench/gen_feed.py OUTDIR``.

Serve the result with the test server (:mod:`kamerwatch.sample.feedserver`) and sync
against it. ``OUTDIR/expected.json`` holds the counts a complete sync must reproduce.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kamerwatch.sample.benchfeed import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="target directory (feed/, expected.json)")
    parser.add_argument("--entries", type=int, default=200_000, help="number of feed entries")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument(
        "--resources", action="store_true", help="also write resource files for downloadables"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.outdir, args.entries, seed=args.seed, resources=args.resources)
    elapsed = time.perf_counter() - started
    print(
        f"{summary['entries']} entries in {summary['pages']} pages, "
        f"tokens {summary['first_token']}..{summary['last_token']}, "
        f"{summary['total_live']} live entities, {elapsed:.1f}s "
        f"({summary['entries'] / max(elapsed, 1e-9):.0f} entries/s)"
    )
    print(json.dumps(summary["live"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
