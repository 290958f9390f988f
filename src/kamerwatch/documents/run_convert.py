"""``kamerwatch convert``: text and an HTML preview for every stored file that has none for
its current version. One bad file never stops the run: its failure reason is recorded.

Conversions run in worker processes (they are CPU-bound and a converter that crashes or
hangs must not take the stage down); the calling process alone writes to the database, a
batch at a time, so a kill loses at most the batch in flight and a rerun finishes it.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from kamerwatch.store import documents as store
from kamerwatch.store.db import Database

log = logging.getLogger(__name__)

BATCH = 50


@dataclass
class ConvertReport:
    todo: int = 0
    converted: int = 0
    failed: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    method: str
    text: str | None
    html: str | None
    failure: str | None
    pages: int | None


# seconds per file; a converter stuck longer is killed with its process
TIME_LIMIT = int(os.environ.get("KAMERWATCH_CONVERT_TIME_LIMIT", "120") or 120)


def convert_file(path: str, content_type: str | None) -> Result:
    """In a worker: read and convert one file (never raises for bad content). An alarm with
    the default action ends the worker process if a converter hangs, also inside C code;
    the stage then retries the files of that moment one by one and marks the culprit."""
    from kamerwatch.documents.convert import convert

    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(TIME_LIMIT)
    try:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            return Result("lezen", None, None, f"bestand niet leesbaar: {exc.strerror}", None)
        c = convert(data, content_type)
        return Result(c.method, c.text, c.html, c.failure, c.pages)
    finally:
        signal.alarm(0)


Progress = Callable[[int, int], None]


def run_convert(db: Database, workers: int = 2, progress: Progress | None = None) -> ConvertReport:
    report = ConvertReport()
    todo = store.to_convert(db.conn)
    report.todo = len(todo)
    if progress:
        progress(0, len(todo))
    if not todo:
        return report
    done = 0
    batch: list[tuple[store.StoredFile, Result]] = []
    suspects: list[store.StoredFile] = []  # in flight when a worker crashed
    queue = iter(todo)
    pending: dict[Future[Result], store.StoredFile] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, workers))
    in_flight = max(1, workers) * 4
    try:
        while len(pending) < in_flight and submit_more(queue, pending, pool):
            pass
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                f = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    suspects.append(f)
                    broken = True
                    continue
                except Exception as exc:  # a converter bug: record it, go on
                    log.exception("omzetten van %s mislukt", f.entity_id)
                    result = Result("fout", None, None, f"interne fout bij omzetten: {exc}", None)
                batch.append((f, result))
                done += 1
            if broken:  # every future in flight is lost with the pool: start a new one
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=max(1, workers))
                for f, result in _one_by_one(suspects):
                    batch.append((f, result))
                    done += 1
                suspects = []
            while len(pending) < in_flight and submit_more(queue, pending, pool):
                pass
            if len(batch) >= BATCH or not pending:
                _save(db, batch, report)
                batch = []
            if progress:
                progress(done, len(todo))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return report


def submit_more(
    queue: Iterator[store.StoredFile],
    pending: dict[Future[Result], store.StoredFile],
    pool: ProcessPoolExecutor,
) -> bool:
    f = next(queue, None)
    if f is None:
        return False
    pending[pool.submit(convert_file, f.path, f.content_type)] = f
    return True


def _one_by_one(files: list[store.StoredFile]) -> Iterator[tuple[store.StoredFile, Result]]:
    """Files that were in flight when a worker died: each alone in a fresh process, so only
    the file that really crashes its converter is marked as failed."""
    for f in files:
        with ProcessPoolExecutor(max_workers=1) as solo:
            try:
                result = solo.submit(convert_file, f.path, f.content_type).result(timeout=300)
            except BrokenProcessPool:
                result = Result("fout", None, None, "de omzetter liep vast op dit bestand", None)
            except TimeoutError:
                result = Result(
                    "fout", None, None, "omzetten duurde te lang (meer dan 5 minuten)", None
                )
        yield f, result


def _save(
    db: Database, batch: list[tuple[store.StoredFile, Result]], report: ConvertReport
) -> None:
    with db.transaction() as conn:
        for f, r in batch:
            store.save_conversion(
                conn, f, method=r.method, text=r.text, html=r.html, failure=r.failure, pages=r.pages
            )
            report.by_method[r.method] = report.by_method.get(r.method, 0) + 1
            if r.failure:
                report.failed += 1
                report.reasons[r.failure] = report.reasons.get(r.failure, 0) + 1
            else:
                report.converted += 1
