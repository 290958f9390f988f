"""Orchestration of ``kamerwatch sync``: fetch/parse workers, one writer, resumable cursors.

Worker processes each take whole categories (paging inside a category is sequential, as
the feed requires), fetch and parse pages into rows, and hand them to the writer (this
process) over a bounded queue. The writer commits each page's raw entries, mirror changes
and the new cursor in one transaction, so a kill at any moment loses and duplicates
nothing: the next run resumes after the last committed page.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from typing import Any, Protocol

from kamerwatch.store import mirror
from kamerwatch.store.db import Database

from .client import ClientOptions, FeedClient, FeedUnavailable
from .pages import PageError, build_page_rows, changes_from_raw
from .parsers import CATEGORIES

log = logging.getLogger(__name__)

REPARSE_PENDING = "reparse_pending"


class SyncError(RuntimeError):
    """The stage could not do its work; the message is one line for the user."""


class Progress(Protocol):
    def start(self, category: str, total: int | None = None) -> None: ...
    def advance(self, category: str, entries: int) -> None: ...
    def finish(self, category: str, status: str) -> None: ...


class NoProgress:
    def start(self, category: str, total: int | None = None) -> None:
        pass

    def advance(self, category: str, entries: int) -> None:
        pass

    def finish(self, category: str, status: str) -> None:
        pass


@dataclass(slots=True)
class CategoryStats:
    category: str
    pages: int = 0
    entries: int = 0
    applied: int = 0
    deleted: int = 0
    error: str | None = None


@dataclass(slots=True)
class SyncReport:
    stats: dict[str, CategoryStats] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def entries(self) -> int:
        return sum(s.entries for s in self.stats.values())

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.stats.values() if s.error]

    @property
    def rate(self) -> float:
        return self.entries / self.seconds if self.seconds > 0 else 0.0


def default_workers(requested: int) -> int:
    if requested > 0:
        return requested
    return max(1, min(2, os.cpu_count() or 1))


# ------------------------------------------------------------------ worker side


def _put(results: Any, item: tuple[Any, ...], parent: int, stop: Event) -> bool:
    """Put with backpressure; give up when the writer is gone or asked us to stop."""
    while not stop.is_set():
        try:
            results.put(item, timeout=0.5)
            return True
        except queue.Full:
            if os.getppid() != parent:
                # the writer is gone: do not wait at exit for pages nobody will read
                results.cancel_join_thread()
                return False
    return False


def _sync_category(
    client: FeedClient, category: str, cursor: int | None, results: Any, parent: int, stop: Event
) -> None:
    reparsed = False
    while not stop.is_set() and os.getppid() == parent:
        url = client.feed_url(category, cursor)
        try:
            body = client.get(url)
            page, _links = build_page_rows(body, category, cursor)
        except FeedUnavailable as exc:
            _put(
                results, ("error", category, f"{category}: feed onbereikbaar: {exc}"), parent, stop
            )
            return
        except PageError as exc:
            if not reparsed and "geen geldige XML" in exc.problem:
                reparsed = True  # a broken transfer: fetch the page once more before giving up
                log.warning("%s; pagina wordt opnieuw opgehaald", exc)
                continue
            _put(results, ("error", category, str(exc)), parent, stop)
            return
        reparsed = False
        if not page.raw:
            _put(results, ("done", category), parent, stop)
            return
        if not _put(results, ("page", page), parent, stop):
            return
        cursor = page.last_token


def die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the writer dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the getppid() checks remain
        pass


def fetch_worker(
    tasks: Any, results: Any, options: ClientOptions, stop: Event, parent: int
) -> None:
    """Process entry point: sync whole categories taken from ``tasks`` until a None."""
    die_with_parent()
    if os.getppid() != parent:
        return
    try:
        with FeedClient(options) as client:
            while not stop.is_set():
                try:
                    task = tasks.get(timeout=0.5)
                except queue.Empty:
                    if os.getppid() != parent:
                        return
                    continue
                if task is None:
                    break
                category, cursor = task
                _sync_category(client, category, cursor, results, parent, stop)
    except KeyboardInterrupt:
        return
    except Exception as exc:
        _put(results, ("crash", f"{type(exc).__name__}: {exc}"), parent, stop)
    finally:
        _put(results, ("exit",), parent, stop)


# ------------------------------------------------------------------ writer side


def _check_not_pending(db: Database) -> None:
    pending = mirror.get_meta(db.conn, REPARSE_PENDING)
    if pending:
        raise SyncError(
            "een eerdere --reparse is niet afgemaakt; draai eerst `kamerwatch sync --reparse`"
        )


def run_sync(
    db: Database,
    options: ClientOptions,
    categories: Iterable[str] = CATEGORIES,
    workers: int = 0,
    progress: Progress | None = None,
) -> SyncReport:
    """Mirror the given categories; returns per-category figures (errors included)."""
    progress = progress or NoProgress()
    _check_not_pending(db)
    todo = list(categories)
    report = SyncReport({c: CategoryStats(c) for c in todo})
    started = time.monotonic()
    ctx = mp.get_context("spawn")
    tasks = ctx.Queue()
    results = ctx.Queue(maxsize=8)
    stop = ctx.Event()
    for category in todo:
        tasks.put((category, mirror.get_cursor(db.conn, category)))
    count = min(default_workers(workers), len(todo)) or 1
    for _ in range(count):
        tasks.put(None)
    procs = [
        ctx.Process(
            target=fetch_worker,
            args=(tasks, results, options, stop, os.getpid()),
            daemon=True,
            name=f"kamerwatch-fetch-{n}",
        )
        for n in range(count)
    ]
    run_id = _start_run(db, "sync")
    for proc in procs:
        proc.start()
    try:
        _consume(db, results, count, report, progress, procs)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        stop.set()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
        report.seconds = time.monotonic() - started
        _finish_run(db, run_id, report)
    return report


def _consume(
    db: Database,
    results: Any,
    workers: int,
    report: SyncReport,
    progress: Progress,
    procs: list[Any],
) -> None:
    exited = 0
    started: set[str] = set()
    while exited < workers:
        try:
            item = results.get(timeout=1.0)
        except queue.Empty:
            if not any(p.is_alive() for p in procs):
                raise SyncError(
                    "alle ophaalprocessen zijn onverwacht gestopt (exitcodes "
                    + ", ".join(str(p.exitcode) for p in procs)
                    + ")"
                ) from None
            continue
        kind = item[0]
        if kind == "exit":
            exited += 1
        elif kind == "crash":
            raise SyncError(f"ophaalproces gecrasht: {item[1]}")
        elif kind == "page":
            page: mirror.PageRows = item[1]
            if page.category not in started:
                started.add(page.category)
                progress.start(page.category)
            _write(db, page, report.stats[page.category])
            progress.advance(page.category, len(page.raw))
        elif kind == "done":
            if item[1] not in started:
                progress.start(item[1])
            progress.finish(item[1], "bijgewerkt")
        elif kind == "error":
            category = item[1]
            report.stats[category].error = item[2]
            log.error("%s", item[2])
            progress.finish(category, "fout")


def _write(db: Database, page: mirror.PageRows, stats: CategoryStats) -> None:
    with db.transaction() as conn:
        result = mirror.write_page(conn, page)
    stats.pages += 1
    stats.entries += result.new_entries
    stats.applied += result.applied
    stats.deleted += result.deleted
    for name in result.new_unknown:
        log.warning(
            "%s: onbekend element <%s> (bewaard in kolom extra; voorbeeld %s)",
            page.category,
            name,
            page.unknown.get(name),
        )


def _start_run(db: Database, stage: str) -> int:
    with db.transaction() as conn:
        return mirror.start_run(conn, stage)


def _finish_run(db: Database, run_id: int, report: SyncReport) -> None:
    if report.interrupted:
        status, message = "afgebroken", "onderbroken door gebruiker"
    elif report.errors:
        status, message = "fout", " | ".join(report.errors)
    else:
        status, message = "ok", None
    with db.transaction() as conn:
        mirror.finish_run(conn, run_id, status, report.entries, message)


# ------------------------------------------------------------------ re-parse


def _reparse_chunk(task: tuple[str, list[tuple[int, str | None, str | None, bytes]]]) -> Any:
    category, rows = task
    return changes_from_raw(category, rows)


def run_reparse(
    db: Database,
    categories: Iterable[str] = CATEGORIES,
    workers: int = 0,
    progress: Progress | None = None,
    batch: int = 1000,
) -> SyncReport:
    """Rebuild the relational model from the raw log, without any network."""
    progress = progress or NoProgress()
    todo = list(categories)
    report = SyncReport({c: CategoryStats(c) for c in todo})
    started = time.monotonic()
    with db.transaction() as conn:
        mirror.set_meta(conn, REPARSE_PENDING, ",".join(todo))
    run_id = _start_run(db, "reparse")
    ctx = mp.get_context("spawn")
    try:
        with ctx.Pool(default_workers(workers), initializer=die_with_parent) as pool:
            for category in todo:
                progress.start(category, mirror.count_raw(db.conn, category))
                _reparse_category(db, pool, category, batch, report.stats[category], progress)
                progress.finish(category, "herbouwd")
        with db.transaction() as conn:
            mirror.set_meta(conn, REPARSE_PENDING, None)
    finally:
        report.seconds = time.monotonic() - started
        _finish_run(db, run_id, report)
    return report


def _reparse_category(
    db: Database, pool: Any, category: str, batch: int, stats: CategoryStats, progress: Progress
) -> None:
    """Read batches here (SQLite stays in this thread), parse them in the pool, write in order."""
    reader = db.reader()
    in_flight: deque[Any] = deque()
    try:
        with db.transaction() as conn:
            mirror.clear_mirror(conn, category)

            def write_next() -> None:
                changes, unknown = in_flight.popleft().get()
                applied, deleted = mirror.apply_changes(conn, category, changes)
                mirror.record_unknown(conn, category, unknown)
                stats.entries += len(changes)
                stats.applied += applied
                stats.deleted += deleted
                progress.advance(category, len(changes))

            for rows in mirror.iter_raw(reader, category, batch):
                in_flight.append(pool.apply_async(_reparse_chunk, ((category, rows),)))
                if len(in_flight) >= 4:
                    write_next()
            while in_flight:
                write_next()
    except PageError as exc:
        stats.error = str(exc)
        raise SyncError(str(exc)) from exc
    finally:
        reader.close()
