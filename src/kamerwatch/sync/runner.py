"""Orchestration of ``kamerwatch sync``: fetchers, a parse pool, one writer.

    fetcher threads ──page bytes──▶ parse processes ──rows──▶ writer (this thread)

Fetcher threads each take whole categories: paging inside a category is sequential, as
the feed requires, but the next page is requested as soon as the last entry's skiptoken
is found in the bytes, while the pool still parses the page. The writer takes pages in
the order they were fetched and commits each page's raw entries, mirror changes and the
new cursor in one transaction, so a kill at any moment loses and duplicates nothing: the
next run resumes after the last committed page.
"""

from __future__ import annotations

import gc
import logging
import marshal
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kamerwatch.store import checkpoint, mirror
from kamerwatch.store.db import Database

from .client import ClientOptions, FeedClient, FeedUnavailable
from .pages import PageError, build_page_rows, last_entry_token, looks_complete, reparse_task
from .parsers import CATEGORIES, spec_for

log = logging.getLogger(__name__)

REPARSE_PENDING = "reparse_pending"
PARSE_TIMEOUT = 300.0  # seconds for one page in the pool before we call it stuck
FETCHERS = 2  # categories fetched at the same time (each strictly sequential)


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
    raw_entries: int = 0  # re-parse: entries in the raw log (only the newest per id is parsed)


@dataclass(slots=True)
class SyncReport:
    stats: dict[str, CategoryStats] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def entries(self) -> int:
        return sum(s.entries for s in self.stats.values())

    @property
    def raw_entries(self) -> int:
        return sum(s.raw_entries for s in self.stats.values())

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


def worker_init() -> None:
    """Pool worker start: die with the writer, and collect garbage rarely (the parse
    creates many short-lived objects and no reference cycles). Not in the writer process:
    there, queue time-outs create cycles that hold page bodies, and memory would pile up."""
    die_with_parent()
    gc.set_threshold(100_000, 50, 100)


def die_with_parent() -> None:
    """Linux: have the kernel kill a worker process when the writer dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: orphans end when their queue breaks
        pass


def _parse_page(task: tuple[bytes, str, int | None]) -> mirror.PageRows:
    """Process-pool entry point: one page → rows."""
    body, category, cursor = task
    return build_page_rows(body, category, cursor)


def _pool(workers: int) -> Any:
    return mp.get_context("spawn").Pool(default_workers(workers), initializer=worker_init)


# ------------------------------------------------------------------ fetchers


class _Fetchers:
    """Threads that page through categories and hand pages to the parse pool."""

    def __init__(self, options: ClientOptions, pool: Any, todo: list[tuple[str, int | None]]):
        self.options = options
        self.pool = pool
        self.tasks: queue.Queue[tuple[str, int | None]] = queue.Queue()
        for task in todo:
            self.tasks.put(task)
        self.out: queue.Queue[tuple[Any, ...]] = queue.Queue(maxsize=24)
        self.stop = threading.Event()
        self.failed: set[str] = set()
        count = max(1, min(FETCHERS, len(todo)))
        self.threads = [
            threading.Thread(target=self._run, name=f"fetch-{n}", daemon=True) for n in range(count)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def _emit(self, item: tuple[Any, ...]) -> bool:
        while not self.stop.is_set():
            try:
                self.out.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            with FeedClient(self.options) as client:
                while not self.stop.is_set():
                    try:
                        category, cursor = self.tasks.get_nowait()
                    except queue.Empty:
                        break
                    self._category(client, category, cursor)
        except Exception as exc:  # reported to the writer, never swallowed
            self._emit(("crash", f"{type(exc).__name__}: {exc}"))
        finally:
            self._emit(("exit",))

    def _fetch(self, client: FeedClient, category: str, cursor: int | None) -> bytes | None:
        url = client.feed_url(category, cursor)
        for attempt in range(2):
            try:
                body = client.get(url)
            except FeedUnavailable as exc:
                self._emit(("error", category, f"{category}: feed onbereikbaar: {exc}"))
                return None
            if looks_complete(body):
                return body
            if attempt == 0:
                log.warning("%s: onvolledige pagina na skiptoken %s; opnieuw", category, cursor)
        # hand it over anyway: the parser names the exact XML problem
        return body

    def _category(self, client: FeedClient, category: str, cursor: int | None) -> None:
        while not self.stop.is_set() and category not in self.failed:
            body = self._fetch(client, category, cursor)
            if body is None:
                return
            token = last_entry_token(body)
            result = self.pool.apply_async(_parse_page, ((body, category, cursor),))
            if not self._emit(("page", category, result, token)):
                return
            if token is None or not looks_complete(body):
                return  # the last page (or a broken one): the writer decides what it was
            if cursor is not None and token <= cursor:
                self._emit(
                    ("error", category, f"{category}, skiptoken {cursor}: feed gaat niet vooruit")
                )
                return
            cursor = token


# ------------------------------------------------------------------ writer


def _begin_bulk(db: Database) -> bool:
    """A first sync into an empty mirror (or one whose first sync was cut short) loads
    without secondary indexes and builds them once at the end: much faster for the
    millions of entries of a first run; later runs keep the indexes up to date row by row."""
    conn = db.conn
    if not (mirror.is_empty_mirror(conn) or mirror.get_meta(conn, mirror.BULK_INDEXES)):
        return False
    with db.transaction() as conn:
        mirror.begin_bulk_load(conn)
    return True


def _check_not_pending(db: Database) -> None:
    if mirror.get_meta(db.conn, REPARSE_PENDING):
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
    run_id = _start_run(db, "sync")
    bulk = _begin_bulk(db)
    pool = _pool(workers)
    fetchers = _Fetchers(options, pool, [(c, mirror.get_cursor(db.conn, c)) for c in todo])
    try:
        fetchers.start()
        with checkpoint.for_database(db) as checkpointer:
            _Writer(db, fetchers, report, progress, checkpointer).run()
        pool.close()
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        fetchers.stop.set()
        pool.terminate()
        for thread in fetchers.threads:
            thread.join(timeout=5)
        if bulk and not report.interrupted:  # after Ctrl-C the next run rebuilds them
            with db.transaction() as conn:
                mirror.end_bulk_load(conn)
        report.seconds = time.monotonic() - started
        _finish_run(db, run_id, report)
    return report


class _Writer:
    """Takes pages in fetch order and writes them, several pages per transaction when
    they are ready at once (fewer commits: the random GUID keys make each commit touch
    many database pages). Each page's cursor is written with it, so every commit leaves
    every category at a page boundary."""

    MAX_PAGES_PER_COMMIT = 100
    MAX_SECONDS_PER_COMMIT = 2.0

    def __init__(
        self,
        db: Database,
        fetchers: _Fetchers,
        report: SyncReport,
        progress: Progress,
        checkpointer: checkpoint.BackgroundCheckpointer | checkpoint.NoCheckpointer,
    ):
        self.db = db
        self.checkpointer = checkpointer
        self.fetchers = fetchers
        self.report = report
        self.progress = progress
        self.exited = 0
        self.started: set[str] = set()

    def run(self) -> None:
        out = self.fetchers.out
        while self.exited < len(self.fetchers.threads):
            item = out.get()
            done: list[tuple[str, int]] = []
            self.checkpointer.pause_point()
            with self.db.transaction() as conn:
                deadline = time.monotonic() + self.MAX_SECONDS_PER_COMMIT
                handled = 0
                while True:  # every item taken from the queue is handled
                    self._handle(item, conn, done)
                    handled += 1
                    if handled >= self.MAX_PAGES_PER_COMMIT or time.monotonic() > deadline:
                        break
                    try:  # keep the transaction open a little for pages still coming
                        item = out.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
            for category, entries in done:  # committed: now tell the user
                self.progress.advance(category, entries)
                if not entries:
                    self.progress.finish(category, "bijgewerkt")

    def _fail(self, category: str, message: str) -> None:
        self.fetchers.failed.add(category)
        stats = self.report.stats[category]
        if stats.error is None:
            stats.error = message
            log.error("%s", message)
            self.progress.finish(category, "fout")

    def _handle(self, item: Any, conn: Any, done: list[tuple[str, int]]) -> None:
        kind = item[0]
        if kind == "exit":
            self.exited += 1
        elif kind == "crash":
            raise SyncError(f"ophaalthread gecrasht: {item[1]}")
        elif kind == "error":
            self._fail(item[1], item[2])
        elif kind == "page":
            _, category, result, token = item
            if category in self.fetchers.failed:
                return  # pages fetched after a failure of their category are dropped
            if category not in self.started:
                self.started.add(category)
                self.progress.start(category)
            try:
                page: mirror.PageRows = result.get(PARSE_TIMEOUT)
            except PageError as exc:
                self._fail(category, str(exc))
                return
            except mp.TimeoutError:
                self._fail(category, f"{category}: parseerproces reageert niet")
                return
            if page.raw and page.last_token != token:
                self._fail(category, f"{category}: skiptoken {page.last_token} ≠ {token}")
                return
            self._write(conn, page)
            done.append((category, len(page.raw)))

    def _write(self, conn: Any, page: mirror.PageRows) -> None:
        result = mirror.write_page(conn, page)
        stats = self.report.stats[page.category]
        stats.pages += 1
        stats.entries += result.new_entries
        stats.applied += result.applied
        stats.deleted += result.deleted
        for name in result.new_unknown:
            log.warning(
                "%s: onbekend element of ongeldige waarde <%s> (bewaard in kolom extra; bv. %s)",
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
    pool = _pool(workers)
    whole = set(todo) == set(CATEGORIES)
    link_indexes = mirror.secondary_indexes(db.conn, "link") if whole else []
    try:
        if whole:  # one sweep instead of one per category
            with db.transaction() as conn:
                mirror.drop_indexes(conn, link_indexes)
                mirror.clear_links(conn)
        with checkpoint.for_database(db) as checkpointer:
            stream = _ReparseStream(pool, db.url, todo, batch)
            for category in todo:
                checkpointer.pause_point()
                _reparse_category(db, stream, category, report.stats[category], progress)
                progress.finish(category, "herbouwd")
        with db.transaction() as conn:
            mirror.create_indexes(conn, link_indexes)
            mirror.set_meta(conn, REPARSE_PENDING, None)
        pool.close()
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        pool.terminate()
        report.seconds = time.monotonic() - started
        _finish_run(db, run_id, report)
    return report


_raw_readers: dict[str, Any] = {}


def _raw_reader(url: str) -> Any:
    reader = _raw_readers.get(url)
    if reader is None:
        reader = _raw_readers[url] = mirror.open_raw_reader(url)
    return reader


def _newest_tokens(task: tuple[str, str]) -> tuple[list[int], int]:
    """Process-pool entry point of the re-parse: a category's newest raw entry per id (in
    feed order) and its number of raw entries, read beside the writer."""
    url, category = task
    reader = _raw_reader(url)
    return mirror.newest_raw_tokens(reader, category), mirror.count_raw(reader, category)


def _reparse_batch(task: tuple[str, str, list[int]]) -> Any:
    """Process-pool entry point of the re-parse: the worker reads its batch of the raw log
    itself (a read-only WAL snapshot: the raw log does not change during a re-parse), so
    the compressed entries never pass through the writer."""
    url, category, tokens = task
    rows = mirror.raw_entries_at(_raw_reader(url), tokens)
    parsed = reparse_task((category, rows))
    try:  # marshal: half the CPU of pickle on both sides, for the same interpreter
        return marshal.dumps(parsed)
    except ValueError:  # a Decimal (PersoonNevenfunctieInkomsten.bedrag): the pool pickles
        return parsed


class _ReparseStream:
    """The re-parse's work for the pool, queued ahead across category boundaries: while the
    writer finishes one category (indexes, commit) and starts the next, the pool already
    parses the next category's first batches, and reads its newest tokens before that."""

    IN_FLIGHT = 4  # batches queued or being parsed
    LOOKAHEAD = 2  # categories whose newest tokens are being read ahead

    def __init__(self, pool: Any, url: str, todo: list[str], batch: int) -> None:
        self.pool = pool
        self.url = url
        self.batch = batch
        self.todo = deque(todo)
        self.tokens: deque[tuple[str, Any]] = deque()
        self.batches: deque[tuple[str, Any]] = deque()
        self.sizes: dict[str, tuple[int, int]] = {}  # category → (newest entries, raw entries)
        self.pending: deque[tuple[str, list[int]]] = deque()  # (category, tokens) not yet sent
        self._read_ahead()

    def _read_ahead(self) -> None:
        while self.todo and len(self.tokens) < self.LOOKAHEAD:
            category = self.todo.popleft()
            task = (self.url, category)
            self.tokens.append((category, self.pool.apply_async(_newest_tokens, (task,))))

    def _next_category(self, wait: bool = True) -> bool:
        """Queue the batches of the next category whose tokens are being read (without
        ``wait``: only when they are there already)."""
        if not self.tokens or not (wait or self.tokens[0][1].ready()):
            return False
        category, result = self.tokens.popleft()
        tokens, raw = result.get(PARSE_TIMEOUT)
        self.sizes[category] = (len(tokens), raw)
        for start in range(0, len(tokens), self.batch):
            self.pending.append((category, tokens[start : start + self.batch]))
        self._read_ahead()
        return True

    def _fill(self) -> None:
        while len(self.batches) < self.IN_FLIGHT:
            # the writer waits for the next category's tokens only when the pool runs dry
            if not self.pending and not self._next_category(wait=len(self.batches) < 2):
                return
            if self.pending:
                category, tokens = self.pending.popleft()
                task = (self.url, category, tokens)
                self.batches.append((category, self.pool.apply_async(_reparse_batch, (task,))))

    def start(self, category: str) -> tuple[int, int]:
        """(newest entries, raw entries) of the category the writer starts now."""
        while category not in self.sizes:
            if not self._next_category():
                raise RuntimeError(f"re-parse: {category} niet in de rij")
        self._fill()
        return self.sizes[category]

    def next_batch(self, category: str) -> Any | None:
        """The next parsed batch of ``category`` (in feed order), None when it is done."""
        self._fill()
        if not self.batches or self.batches[0][0] != category:
            return None
        _, result = self.batches.popleft()
        self._fill()  # the pool gets its next task before the writer waits
        parsed = result.get(PARSE_TIMEOUT)
        return marshal.loads(parsed) if isinstance(parsed, bytes) else parsed


def _reparse_category(
    db: Database,
    stream: _ReparseStream,
    category: str,
    stats: CategoryStats,
    progress: Progress,
) -> None:
    """Write the parsed batches of one category's newest raw entries, in order."""
    table = spec_for(category).table
    newest, stats.raw_entries = stream.start(category)
    progress.start(category, newest)
    try:
        with db.transaction() as conn:
            indexes = mirror.secondary_indexes(conn, table)
            mirror.drop_indexes(conn, indexes)
            mirror.clear_mirror(conn, category)
            while (parsed := stream.next_batch(category)) is not None:
                changes, unknown = parsed
                # one id per batch, none in the emptied table: no need to look up rows
                applied, deleted = mirror.apply_changes(conn, category, changes, absent=True)
                mirror.record_unknown(conn, category, unknown)
                stats.entries += len(changes)
                stats.applied += applied
                stats.deleted += deleted
                progress.advance(category, len(changes))
            mirror.create_indexes(conn, indexes)
    except PageError as exc:
        stats.error = str(exc)
        raise SyncError(str(exc)) from exc
