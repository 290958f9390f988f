"""Speaking time of every stored verslag not yet read (part of ``kamerwatch convert``).

Cheap next to the conversion itself (one lxml pass per verslag), so it runs in the calling
process, a batch per transaction: a kill loses at most the batch in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kamerwatch.documents.speaking import Implausible, SpeakingTime, read_speaking
from kamerwatch.store import speaking as store
from kamerwatch.store.db import Database
from kamerwatch.store.documents import file_location

log = logging.getLogger(__name__)

BATCH = 50


@dataclass
class SpeakingReport:
    todo: int = 0
    read: int = 0
    failed: int = 0
    speakers: int = 0
    implausible: int = 0  # fragments whose times do not fit (reported, see the log)


def read_times(path: str) -> tuple[list[SpeakingTime], str | None, list[Implausible]]:
    """The speaking times in one verslag file (or none with a Dutch reason), and the
    fragments whose times do not fit."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [], f"bestand niet leesbaar: {exc.strerror}", []
    try:
        result = read_speaking(data)
    except etree.XMLSyntaxError as exc:
        return [], f"geen geldig verslag-XML: {exc}", []
    return result.times, None, result.implausible


def run_speaking(
    db: Database,
    progress: Callable[[int, int], None] | None = None,
    *,
    files_dir: Path,
) -> SpeakingReport:
    report = SpeakingReport()
    todo = store.pending(db.conn)
    report.todo = len(todo)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        results = [(item, *read_times(str(file_location(files_dir, item.path)))) for item in chunk]
        with db.transaction() as conn:
            for item, times, failure, odd in results:
                store.save(conn, item, times, failure)
                report.implausible += len(odd)
                for o in odd:
                    log.warning(
                        "spreektijd van verslag %s: %s %s %s–%s: %s (%s)",
                        item.verslag_id,
                        o.kind,
                        o.name,
                        o.begin,
                        o.end,
                        o.reason,
                        "meegeteld" if o.counted else "niet te tellen",
                    )
                if failure:
                    report.failed += 1
                    log.warning("spreektijd van verslag %s: %s", item.verslag_id, failure)
                else:
                    report.read += 1
                    report.speakers += len(times)
        if progress:
            progress(start + len(chunk), len(todo))
    return report
