"""Stamps of a stage's inputs: cheap aggregates (counts, sums of feed positions and file
versions; read from indexes, no text) of the tables a stage reads and writes.

A stage that found nothing left to do stores the stamp of that moment; while the stamp stays
the same, the next run has nothing to do either and ``update`` skips it (issue #22: an update
costs what changed, not what is stored). The inputs are read at the start of a run (a
change during the run is seen by the next one), the stage's own outputs at its end."""

from __future__ import annotations

from collections.abc import Sequence

from .db import Connection

# the rows that name files, and the files recorded (fetch-documents)
FETCH_INPUTS = (
    "SELECT count(*), sum(skiptoken) FROM document",
    "SELECT count(*), sum(skiptoken) FROM verslag",
    "SELECT count(*), sum(skiptoken) FROM persoon",
)
FETCH_OUTPUTS = (
    "SELECT count(*), sum(version) FROM resource_file",
    "SELECT count(*), sum(attempts) FROM resource_failure",
)
# the files recorded, and their conversions and speaking times (convert)
CONVERT_INPUTS = (
    "SELECT count(*), sum(skiptoken) FROM verslag",
    "SELECT count(*), sum(version) FROM resource_file",
)
CONVERT_OUTPUTS = (
    "SELECT count(*), sum(version) FROM conversion",
    "SELECT count(*), sum(version), max(seq) FROM spreektijd_bron",
)


def aggregates(conn: Connection, queries: Sequence[str]) -> str:
    """The results of ``queries`` (one row each) as one string."""
    return "|".join(repr(tuple(str(v) for v in conn.execute(q).fetchone())) for q in queries)


def stored(conn: Connection, stage: str) -> str | None:
    row = conn.execute("SELECT stamp FROM stage_stamp WHERE stage = ?", (stage,)).fetchone()
    return None if row is None else str(row[0])


def store(conn: Connection, stage: str, stamp: str) -> None:
    conn.execute(
        "INSERT INTO stage_stamp (stage, stamp) VALUES (?, ?) "
        "ON CONFLICT (stage) DO UPDATE SET stamp = excluded.stamp",
        (stage, stamp),
    )


def forget(conn: Connection, stage: str) -> None:
    conn.execute("DELETE FROM stage_stamp WHERE stage = ?", (stage,))
