"""The one stage bookkeeping: :func:`recorded` records a run of a stage in ``sync_run`` and
closes it whatever happens — "ok", "fout" (the stage's failure or an exception's text),
"onderbroken" (Ctrl-C, or SIGTERM as :class:`Terminated`). Used by every stage of
``kamerwatch.pipeline`` and by the sync runner (whose runs tests and benchmarks start
directly)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kamerwatch.store import mirror
from kamerwatch.store.db import Database, errors

log = logging.getLogger("kamerwatch")

INTERRUPTED = "onderbroken"


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled everywhere as Ctrl-C is (cleanup, "onderbroken")."""


@dataclass
class StageRun:
    """What a stage tells its bookkeeping: entries handled, a note, or its failure line (the
    run then ends "fout" without an exception)."""

    stage: str
    entries: int = 0
    message: str | None = None
    failure: str | None = None
    finished_as: str | None = field(default=None, init=False)


def _finish(
    db: Database, run_id: int | None, status: str, entries: int, message: str | None
) -> None:
    if run_id is None:  # the start could not be recorded
        return
    try:
        with db.transaction() as conn:
            mirror.finish_run(conn, run_id, status, entries, message)
    except errors() as exc:  # the database went away too: the next run marks it
        log.warning("run %d niet afgesloten (%s): %s", run_id, status, exc)


@contextmanager
def recorded(db: Database, stage: str) -> Iterator[StageRun]:
    """Record one run of ``stage`` and close it: "ok", "fout" (``run.failure`` or an
    exception, which goes on) or "onderbroken" (Ctrl-C, SIGTERM; the interrupt goes on)."""
    run_id: int | None = None
    try:  # bookkeeping is best effort: it must never keep the stage (a digest) from its work
        with db.transaction() as conn:
            run_id = mirror.start_run(conn, stage)
    except errors() as exc:  # seen: a sequence behind its rows after a PostgreSQL crash
        log.warning("%s: run niet vastgelegd: %s", stage, exc)
    run = StageRun(stage)
    try:
        yield run
    except KeyboardInterrupt as exc:
        why = "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"
        run.finished_as = INTERRUPTED
        _finish(db, run_id, INTERRUPTED, run.entries, why)
        raise
    except BaseException as exc:
        run.finished_as = "fout"
        _finish(db, run_id, "fout", run.entries, str(exc) or type(exc).__name__)
        raise
    if run.failure:
        run.finished_as = "fout"
        _finish(db, run_id, "fout", run.entries, run.failure)
    else:
        run.finished_as = "ok"
        _finish(db, run_id, "ok", run.entries, run.message)
