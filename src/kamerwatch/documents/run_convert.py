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
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

# importing the converters here, in the parent, spares each forked worker the import
from kamerwatch.documents.convert import ocr
from kamerwatch.documents.convert.pdf import OCR_MAX_PAGES
from kamerwatch.documents.convert.result import OCR_RETRY
from kamerwatch.store import documents as store
from kamerwatch.store.db import Database

log = logging.getLogger(__name__)

BATCH = 50  # conversions written per transaction (a kill loses at most these)
CHUNK = 16  # files per task handed to a worker (fewer round trips through the pool)


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


# seconds per file (setting convert_time_limit); a converter stuck longer is killed with its process
TIME_LIMIT = 120
# address space of a converter process in MB (setting convert_memory_mb); 0 = no limit
MEMORY_LIMIT_MB = 2048


def _leave_quietly(signum: int, frame: object) -> None:
    """A worker's Ctrl-C: leave at once. Raising KeyboardInterrupt inside a converter would
    leave half-built pdfium objects whose finalizers complain at exit; the parent process got
    the same Ctrl-C and records the stage as interrupted, and a worker killed alone only
    breaks the pool, which the stage already survives."""
    os._exit(128 + signum)


def _worker_start() -> None:
    signal.signal(signal.SIGINT, _leave_quietly)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_start)


def limit_memory(megabytes: int) -> None:
    """RLIMIT_AS of this (worker) process, so a file that makes a converter allocate without
    end fails with MemoryError (or ends the worker) instead of taking the machine's memory.
    Inherited by the tools it starts (antiword, tesseract). Never raised above the current
    hard limit."""
    if megabytes <= 0:
        return
    import resource

    wanted = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft > wanted:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def convert_file(
    path: str,
    content_type: str | None,
    ocr_max_pages: int = OCR_MAX_PAGES,
    time_limit: int = TIME_LIMIT,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> Result:
    """In a worker: read and convert one file (never raises for bad content). An alarm with
    the default action ends the worker process if a converter hangs, also inside C code;
    the stage then retries the files of that moment one by one and marks the culprit. OCR
    stops a little before the alarm (a partial text beats none)."""
    from kamerwatch.documents.convert import convert

    limit_memory(memory_mb)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, time_limit))
    deadline = time.monotonic() + time_limit * 0.9
    try:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            return Result("lezen", None, None, f"bestand niet leesbaar: {exc.strerror}", None)
        c = convert(data, content_type, ocr_max_pages=ocr_max_pages, deadline=deadline)
        return Result(c.method, c.text, c.html, c.failure, c.pages)
    finally:
        signal.alarm(0)


def convert_chunk(
    files: list[tuple[str, str | None]],
    ocr_max_pages: int = OCR_MAX_PAGES,
    time_limit: int = TIME_LIMIT,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> list[Result]:
    """In a worker: ``convert_file`` for each (path, content type) of a chunk, in order."""
    return [
        convert_file(path, content_type, ocr_max_pages, time_limit, memory_mb)
        for path, content_type in files
    ]


Progress = Callable[[int, int], None]
Chunk = list[store.StoredFile]


def _chunks(todo: list[store.StoredFile], size: int) -> Iterator[Chunk]:
    for i in range(0, len(todo), size):
        yield todo[i : i + size]


def run_convert(
    db: Database,
    workers: int = 2,
    progress: Progress | None = None,
    *,
    ocr_max_pages: int = OCR_MAX_PAGES,
    files_dir: Path,
    time_limit: int = TIME_LIMIT,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> ConvertReport:
    """Convert every file that needs it; scanned PDFs that waited for OCR are retried once
    OCR is available."""
    report = ConvertReport()
    retry = OCR_RETRY if ocr_max_pages > 0 and ocr.available() else ()
    todo = store.to_convert(db.conn, retry_failures=retry)
    report.todo = len(todo)
    if progress:
        progress(0, len(todo))
    if not todo:
        return report
    workers = max(1, workers)
    done = 0
    batch: list[tuple[store.StoredFile, Result]] = []
    suspects: list[store.StoredFile] = []  # in flight when a worker crashed
    # small chunks for small runs, so both workers get some
    queue = _chunks(todo, max(1, min(CHUNK, len(todo) // (workers * 4))))
    pending: dict[Future[list[Result]], Chunk] = {}
    pool = _pool(workers)
    in_flight = workers * 2

    def fill() -> None:
        while len(pending) < in_flight and (chunk := next(queue, None)) is not None:
            items = [(str(f.location(files_dir)), f.content_type) for f in chunk]
            pending[pool.submit(convert_chunk, items, ocr_max_pages, time_limit, memory_mb)] = chunk

    try:
        fill()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                chunk = pending.pop(fut)
                try:
                    results = fut.result()
                except BrokenProcessPool:
                    suspects.extend(chunk)
                    broken = True
                    continue
                except Exception:  # a bug: each file of the chunk alone finds which one
                    log.exception("omzetten van %s en verder mislukt", chunk[0].entity_id)
                    for f, result in _one_by_one(
                        chunk, ocr_max_pages, files_dir, time_limit, memory_mb
                    ):
                        batch.append((f, result))
                        done += 1
                    continue
                batch.extend(zip(chunk, results, strict=True))
                done += len(chunk)
            if broken:  # every future in flight is lost with the pool: start a new one
                for chunk in pending.values():
                    suspects.extend(chunk)
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(workers)
                for f, result in _one_by_one(
                    suspects, ocr_max_pages, files_dir, time_limit, memory_mb
                ):
                    batch.append((f, result))
                    done += 1
                suspects = []
            fill()
            if len(batch) >= BATCH or not pending:
                _save(db, batch, report)
                batch = []
            if progress:
                progress(done, len(todo))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return report


def _one_by_one(
    files: list[store.StoredFile],
    ocr_max_pages: int,
    files_dir: Path,
    time_limit: int,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> Iterator[tuple[store.StoredFile, Result]]:
    """Files that were in flight when a worker died (or whose chunk raised): each alone in a
    fresh process, so only the file that really crashes its converter is marked as failed."""
    for f in files:
        with _pool(1) as solo:
            try:
                result = solo.submit(
                    convert_file,
                    str(f.location(files_dir)),
                    f.content_type,
                    ocr_max_pages,
                    time_limit,
                    memory_mb,
                ).result(timeout=max(300, time_limit + 60))
            except BrokenProcessPool:
                result = Result("fout", None, None, "de omzetter liep vast op dit bestand", None)
            except TimeoutError:
                result = Result(
                    "fout",
                    None,
                    None,
                    f"omzetten duurde te lang (meer dan {max(300, time_limit + 60)} seconden)",
                    None,
                )
            except Exception as exc:  # a converter bug: record it, go on
                log.exception("omzetten van %s mislukt", f.entity_id)
                result = Result("fout", None, None, f"interne fout bij omzetten: {exc}", None)
        yield f, result


def _save(
    db: Database, batch: list[tuple[store.StoredFile, Result]], report: ConvertReport
) -> None:
    rows = [(f, r.method, r.text, r.html, r.failure, r.pages) for f, r in batch]
    with db.transaction() as conn:
        store.save_conversions(conn, rows)
    for _, r in batch:
        report.by_method[r.method] = report.by_method.get(r.method, 0) + 1
        if r.failure:
            report.failed += 1
            report.reasons[r.failure] = report.reasons.get(r.failure, 0) + 1
        else:
            report.converted += 1
