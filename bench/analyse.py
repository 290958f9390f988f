"""Benchmark of the ``analyse`` stage (not a test): what it costs in ``update``.

    python bench/analyse.py --data-dir DIR

On the database of DIR (a copy of the benchmark corpus: the stage writes): every part
computed anew (``kamerwatch analyse --force``), then a run with nothing new (what every
``update`` without new votes, questions or toezeggingen costs), then runs after the newest
300 Stemming entries (~20 votes), and the newest 100 Zaak and 100 Document entries, were
made to count as new (the tables' record moved back before them: what an update that
brought them costs). Prints seconds and what was computed.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from kamerwatch import kabinetten
from kamerwatch.store import analyse
from kamerwatch.store.db import Database


def timed(url: str, *, force: bool = False) -> tuple[float, str]:
    start = time.perf_counter()
    with Database(url) as db, db.transaction() as conn:
        done = analyse.refresh(
            conn, today=date.today(), coalition_on=kabinetten.coalition_on, force=force
        )
    return time.perf_counter() - start, done.message()


def as_if_new(url: str, entries: dict[str, int]) -> None:
    """Move every part's record back to before the newest ``entries[category]`` mirror
    entries of each category: the next run sees them as new (as after a sync)."""
    with Database(url) as db, db.transaction() as conn:
        for part, versie in list(conn.execute("SELECT name, versie FROM analyse_state")):
            if part not in analyse.PARTS:
                continue
            state = json.loads(versie)
            for category, n in entries.items():
                if category in state["tokens"]:
                    row = conn.execute(
                        "SELECT skiptoken FROM raw_entry WHERE category = ? "
                        "ORDER BY skiptoken DESC LIMIT 1 OFFSET ?",
                        (category, n - 1),
                    ).fetchone()
                    state["tokens"][category] = int(row[0]) - 1
            conn.execute(
                "UPDATE analyse_state SET versie = ? WHERE name = ?",
                (json.dumps(state, sort_keys=True), part),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    url = f"sqlite:///{args.data_dir / 'kamerwatch.sqlite3'}"
    for label, run in (
        ("everything anew (--force)", lambda: timed(url, force=True)),
        ("nothing new", lambda: timed(url)),
        (
            "300 Stemming entries new",
            lambda: (as_if_new(url, {"Stemming": 300}), timed(url))[1],
        ),
        (
            "100 Zaak + 100 Document new",
            lambda: (as_if_new(url, {"Zaak": 100, "Document": 100}), timed(url))[1],
        ),
        ("nothing new again", lambda: timed(url)),
    ):
        seconds, message = run()
        print(f"{label:<28} {seconds:7.2f} s   {message}", flush=True)


if __name__ == "__main__":
    main()
