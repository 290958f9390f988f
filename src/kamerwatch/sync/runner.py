"""Orchestration of ``kamerwatch sync``: fetch-and-parse processes, one writer.

    worker process (fetch thread ──page bytes──▶ parser) ──rows──▶ writer (this process)

Each worker process takes whole categories, one at a time: paging inside a category is
sequential, as the feed requires, but its fetch thread requests the next page as soon as the
last entry's skiptoken is found in the bytes, while the worker's main thread parses the page.
Only parsed rows reach the writer, through one pipe per worker (so a category's pages arrive
in feed order), and the writer process runs no busy Python thread beside its own (the
checkpoint thread waits in SQLite): SQLite's ``executemany`` gives up and re-takes the
interpreter lock for every row, which beside busy fetch threads cost many times the insert
itself. The writer commits each page's raw entries,
mirror changes and the new cursor in one transaction, so a kill at any moment loses and
duplicates nothing: the next run resumes after the last committed page. A worker that dies
stops the run with a clear message.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import marshal
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from kamerwatch.runs import recorded
from kamerwatch.store import checkpoint, dashboards, mirror
from kamerwatch.store.db import Database
from kamerwatch.store.mirror import plain_changes

from .client import ClientOptions, FeedClient, FeedUnavailable
from .pages import PageError, build_page_rows, last_entry_token, looks_complete, reparse_task
from .parsers import CATEGORIES, spec_for

log = logging.getLogger(__name__)

REPARSE_PENDING = "reparse_pending"
PARSE_TIMEOUT = 300.0  # seconds for one re-parse batch in the pool before we call it stuck
PAGES_AHEAD = 2  # pages a worker's fetch thread may hold ahead of its parser
SEND_AHEAD = 4  # parsed pages a worker may hold while the writer is busy
WORKER_POLL = 1.0  # seconds the writer waits on the workers' pipes at a time


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
    """Re-parse pool worker start: die with the writer, and collect garbage rarely (the
    parse creates many short-lived objects and no reference cycles). Not in the writer
    process nor in the sync workers: there, queue time-outs create cycles that hold page
    bodies, and memory would pile up (sync workers grew to 180 MB each)."""
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


def _pool(workers: int) -> Any:
    return mp.get_context("spawn").Pool(default_workers(workers), initializer=worker_init)


# ------------------------------------------------------------------ fetch-and-parse workers

Send = Callable[[tuple[Any, ...]], None]


def _sync_worker(options: ClientOptions, tasks: Any, out: Connection) -> None:
    """Worker process of the sync: takes (category, cursor) tasks until a None and sends
    ``("page", PageRows)``, ``("error", category, message)``, ``("crash", message)`` and at
    the end ``("exit",)`` to the writer."""
    die_with_parent()  # default GC thresholds: the queue time-outs create cycles (see docs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's; it ends us
    sender = _Sender(out)
    try:
        with FeedClient(options) as client:
            while (task := tasks.get()) is not None:
                category, cursor = task
                if not _sync_category(client, category, cursor, sender.send):
                    break
    except Exception as exc:  # reported to the writer, never swallowed
        sender.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.send(("exit",))
        sender.close()


class _Sender:
    """Sends a worker's messages from a thread of their own, so that the parser goes on with
    the next page while the writer is busy with a commit (at most ``SEND_AHEAD`` waiting)."""

    def __init__(self, out: Connection) -> None:
        self.out = out
        self.items: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=SEND_AHEAD)
        self.thread = threading.Thread(target=self._run, name="send", daemon=True)
        self.thread.start()

    def send(self, item: tuple[Any, ...]) -> None:
        self.items.put(item)

    def _run(self) -> None:
        while (item := self.items.get()) is not None:
            self.out.send(item)  # a dead writer: the kernel ends this process (die_with_parent)

    def close(self) -> None:
        self.items.put(None)
        self.thread.join()
        self.out.close()


def _sync_category(client: FeedClient, category: str, cursor: int | None, send: Send) -> bool:
    """Parse and send one category's pages, fetched ahead by a thread; False: a crash."""
    pages: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=PAGES_AHEAD)
    stop = threading.Event()
    fetcher = threading.Thread(
        target=_fetch_category, args=(client, category, cursor, pages, stop), daemon=True
    )
    fetcher.start()
    try:
        while (item := pages.get()) is not None:
            if item[0] != "page":  # an error of the category, a dead feed or a crash
                send(item)
                return item[0] == "error"
            _, body, page_cursor, token = item
            try:
                page = build_page_rows(body, category, page_cursor)
            except PageError as exc:
                send(("error", category, str(exc)))
                return True
            if page.raw and page.last_token != token:
                send(("error", category, f"{category}: skiptoken {page.last_token} ≠ {token}"))
                return True
            send(("page", _pack(page)))
        return True
    finally:
        stop.set()
        while fetcher.is_alive():  # let it leave a full queue
            with contextlib.suppress(queue.Empty):
                pages.get(timeout=0.1)
        fetcher.join()


def _pack(page: mirror.PageRows) -> bytes | mirror.PageRows:
    """A parsed page for the pipe: marshal bytes (half the CPU of pickle on both sides, and
    the writer's CPU is what limits the sync), or the page itself when it holds a value
    marshal does not take (a Decimal of PersoonNevenfunctieInkomsten)."""
    try:
        return marshal.dumps(
            (
                page.category,
                page.raw,
                plain_changes(page.changes),
                page.last_token,
                page.unknown,
                page.refused,
            )
        )
    except ValueError:
        return page


def _unpack(item: bytes | mirror.PageRows) -> mirror.PageRows:
    return mirror.PageRows(*marshal.loads(item)) if isinstance(item, bytes) else item


def _fetch_category(
    client: FeedClient,
    category: str,
    cursor: int | None,
    pages: queue.Queue[tuple[Any, ...] | None],
    stop: threading.Event,
) -> None:
    """Fetch thread of a worker: the pages of one category in order, then None."""

    def put(item: tuple[Any, ...] | None) -> bool:
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    try:
        while not stop.is_set():
            body = _fetch(client, category, cursor)
            if isinstance(body, str):
                put(("error", category, body))
                return
            token = last_entry_token(body)
            if not put(("page", body, cursor, token)):
                return
            if token is None or not looks_complete(body):
                return  # the last page (or a broken one): the parser decides what it was
            if cursor is not None and token <= cursor:
                put(("error", category, f"{category}, skiptoken {cursor}: feed gaat niet vooruit"))
                return
            cursor = token
    except _FeedDead as exc:
        put(("dead", str(exc)))
    except Exception as exc:  # reported to the writer, never swallowed
        put(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        put(None)


class _FeedDead(Exception):
    """The feed cannot be used at all (see ``FeedUnavailable.permanent``): the run stops
    once, whatever category noticed it first."""


def _fetch(client: FeedClient, category: str, cursor: int | None) -> bytes | str:
    """A page's bytes, or the message why there is none."""
    url = client.feed_url(category, cursor)
    for attempt in range(2):
        try:
            body = client.get(url)
        except FeedUnavailable as exc:
            if exc.permanent:
                raise _FeedDead(str(exc)) from None
            return f"{category}: feed onbereikbaar: {exc}"
        if b"<feed" not in body[:4096]:
            raise _FeedDead(f"{url}: het antwoord is geen SyncFeed (geen Atom <feed>)")
        if looks_complete(body):
            return body
        if attempt == 0:
            log.warning("%s: onvolledige pagina na skiptoken %s; opnieuw", category, cursor)
    # hand it over anyway: the parser names the exact XML problem
    return body


def _probe_quiet(
    options: ClientOptions, tasks: list[tuple[str, int | None]], count: int
) -> tuple[list[tuple[Any, ...]], list[tuple[str, int | None]]]:
    """(the writer's messages of the categories whose first page has no entries, the tasks
    left for the workers). Such a category is one request and its last: the message a
    worker would send for it (the parsed empty page, or the error) is made here, so that
    a cycle with nothing new starts no worker process. A category with entries, or whose
    probe failed otherwise, stays a worker's task and is handled exactly as always.
    Fetched by ``count`` threads with a client each: the same number of connections, each
    with its politeness pause, as the workers'."""
    todo: queue.Queue[tuple[str, int | None]] = queue.Queue()
    for task in tasks:
        todo.put(task)
    found: queue.Queue[tuple[tuple[str, int | None], tuple[Any, ...] | None] | None] = queue.Queue()

    def probe() -> None:
        try:
            with FeedClient(options) as client:
                while True:
                    try:
                        task = todo.get_nowait()
                    except queue.Empty:
                        return
                    found.put((task, _last_page_message(client, *task)))
        except Exception:  # e.g. no client: the workers meet it again and report it
            return
        finally:
            found.put(None)

    threads = max(1, min(count, len(tasks)))
    for n in range(threads):
        threading.Thread(target=probe, name=f"kamerwatch-probe-{n}", daemon=True).start()
    messages: dict[tuple[str, int | None], tuple[Any, ...]] = {}
    while threads:
        item = found.get()
        if item is None:
            threads -= 1
        elif item[1] is not None:
            messages[item[0]] = item[1]
    return [messages[t] for t in tasks if t in messages], [t for t in tasks if t not in messages]


def _last_page_message(
    client: FeedClient, category: str, cursor: int | None
) -> tuple[Any, ...] | None:
    """What a worker sends for ``category`` when its first page after ``cursor`` is the
    last (no entries): ("page", parsed page) or ("error", category, message); None when
    there are entries (or the feed is unusable): then a worker does the category."""
    try:
        body = _fetch(client, category, cursor)
    except _FeedDead:
        return None  # fails at once again in the worker (no retries), which reports it
    if isinstance(body, str):
        return ("error", category, body)
    if last_entry_token(body) is not None:
        return None
    try:
        page = build_page_rows(body, category, cursor)
    except PageError as exc:
        return ("error", category, str(exc))
    return ("page", page) if not page.raw else None


class _Workers:
    """The writer's side of the fetch-and-parse processes: one pipe each."""

    def __init__(self, options: ClientOptions, todo: list[tuple[str, int | None]], count: int):
        self.live: dict[Connection, Any] = {}
        self._ready: list[Connection] = []
        if not todo:  # every category was quiet: no process to start
            return
        ctx = mp.get_context("spawn")
        self.tasks = ctx.SimpleQueue()
        count = max(1, min(count, len(todo)))
        for task in [*todo, *[None] * count]:
            self.tasks.put(task)
        for n in range(count):
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_sync_worker,
                args=(options, self.tasks, writer),
                name=f"kamerwatch-sync-{n}",
                daemon=True,
            )
            proc.start()
            writer.close()  # only the worker holds it: its death is an end of file here
            self.live[reader] = proc

    @property
    def done(self) -> bool:
        return not self.live and not self._ready

    def get(self, timeout: float | None = None) -> tuple[Any, ...] | None:
        """The next message of any worker; None after ``timeout`` seconds or when all are
        done. Raises :class:`SyncError` when a worker died without saying goodbye."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            while self._ready:
                reader = self._ready.pop()
                if reader not in self.live:
                    continue
                try:
                    item: tuple[Any, ...] = reader.recv()
                except (EOFError, OSError):  # OSError: it died in the middle of a message
                    proc = self.live.pop(reader)
                    proc.join(5)
                    raise SyncError(
                        f"ophaal-/parseerproces {proc.name} is onverwacht gestopt "
                        f"(exitcode {proc.exitcode})"
                    ) from None
                if item[0] == "exit":
                    self.live.pop(reader).join(5)
                    reader.close()
                    continue
                return item
            if not self.live:
                return None
            wait_for = WORKER_POLL
            if deadline is not None:
                wait_for = min(wait_for, deadline - time.monotonic())
                if wait_for <= 0:
                    return None
            self._ready = list(reversed(wait(list(self.live), timeout=wait_for)))  # type: ignore[arg-type]

    def close(self) -> None:
        for proc in self.live.values():
            proc.terminate()
        for proc in self.live.values():
            proc.join(5)
        for reader in self.live:
            reader.close()
        self.live.clear()


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
    bulk = _begin_bulk(db)
    tasks = [(c, mirror.get_cursor(db.conn, c)) for c in todo]
    with recorded(db, "sync") as run:
        count = default_workers(workers)
        # a category with nothing new is one empty page: fetched and parsed here (as many
        # at a time as there would be workers), without starting worker processes for it
        quiet, tasks = ([], tasks) if bulk else _probe_quiet(options, tasks, count)
        fetchers = _Workers(options, tasks, count)
        try:
            with checkpoint.for_database(db) as checkpointer:
                writer = _Writer(db, fetchers, report, progress, checkpointer)
                writer.write_pages(quiet)
                writer.run()
        except KeyboardInterrupt:
            report.interrupted = True
            raise
        finally:
            fetchers.close()
            if bulk and not report.interrupted:  # after Ctrl-C the next run rebuilds them
                with db.transaction() as conn:
                    mirror.end_bulk_load(conn)
            report.seconds = time.monotonic() - started
        _refresh_overviews(db)
        run.entries = report.entries
        run.failure = " | ".join(report.errors) or None
    return report


def _refresh_overviews(db: Database) -> None:
    """The pages' precomputed overviews of the mirror (``toezegging_overzicht``), brought up
    to date after a sync or re-parse (a no-op when nothing changed)."""
    with db.transaction() as conn:
        dashboards.refresh_overzicht(conn)


class _Writer:
    """Takes pages as the workers send them and writes them, several pages per transaction
    when they are ready at once (fewer commits: the random GUID keys make each commit touch
    many database pages). Each page's cursor is written with it, so every commit leaves
    every category at a page boundary."""

    MAX_PAGES_PER_COMMIT = 100
    MAX_SECONDS_PER_COMMIT = 2.0

    def __init__(
        self,
        db: Database,
        workers: _Workers,
        report: SyncReport,
        progress: Progress,
        checkpointer: checkpoint.BackgroundCheckpointer | checkpoint.NoCheckpointer,
    ):
        self.db = db
        self.checkpointer = checkpointer
        self.workers = workers
        self.report = report
        self.progress = progress
        self.started: set[str] = set()

    def write_pages(self, messages: list[tuple[Any, ...]]) -> None:
        """Messages made in this process (see :func:`_probe_quiet`): written and reported as
        if a worker had sent them."""
        if not messages:
            return
        done: list[tuple[str, int]] = []
        with self.db.transaction() as conn:
            for message in messages:
                self._handle(message, conn, done)
        self._report(done)

    def _report(self, done: list[tuple[str, int]]) -> None:
        for category, entries in done:  # committed: now tell the user
            self.progress.advance(category, entries)
            if not entries:
                self.progress.finish(category, "bijgewerkt")

    def run(self) -> None:
        workers = self.workers
        while (item := workers.get()) is not None:
            done: list[tuple[str, int]] = []
            self.checkpointer.pause_point()
            with self.db.transaction() as conn:
                deadline = time.monotonic() + self.MAX_SECONDS_PER_COMMIT
                handled = 0
                while item is not None:  # every message taken is handled
                    self._handle(item, conn, done)
                    handled += 1
                    if handled >= self.MAX_PAGES_PER_COMMIT or time.monotonic() > deadline:
                        break
                    # keep the transaction open a little for pages still coming
                    item = workers.get(timeout=max(0.0, deadline - time.monotonic()))
            self._report(done)

    def _fail(self, category: str, message: str) -> None:
        stats = self.report.stats[category]
        if stats.error is None:
            stats.error = message
            log.error("%s", message)
            self.progress.finish(category, "fout")

    def _handle(self, item: tuple[Any, ...], conn: Any, done: list[tuple[str, int]]) -> None:
        kind = item[0]
        if kind == "crash":
            raise SyncError(f"ophaalthread gecrasht: {item[1]}")
        if kind == "dead":
            raise SyncError(f"feed onbruikbaar, sync gestopt: {item[1]}")
        if kind == "error":
            self._fail(item[1], item[2])
            return
        page = _unpack(item[1])  # checked by the worker; its category has not failed
        category = page.category
        if category not in self.started:
            self.started.add(category)
            self.progress.start(category)
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
        for token, _ident, reason in result.new_refused:
            log.warning("%s, skiptoken %d: %s", page.category, token, reason)


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
        dashboards.forget_overzicht(conn)  # the pages compute it live until the end
    with recorded(db, "reparse") as run:
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
        _refresh_overviews(db)
        run.entries = report.entries
        run.failure = " | ".join(report.errors) or None
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
    return pack_batch(reparse_task((category, rows)))


def pack_batch(parsed: Any) -> Any:
    """A parsed re-parse batch for the pool's result pipe: marshal bytes (half the CPU of
    pickle on both sides, for the same interpreter), or the batch itself when it holds a
    value marshal does not take (a Decimal of PersoonNevenfunctieInkomsten): the pool
    pickles that."""
    try:
        return marshal.dumps(parsed)
    except ValueError:
        return parsed


def unpack_batch(item: Any) -> Any:
    return marshal.loads(item) if isinstance(item, bytes) else item


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
        return unpack_batch(result.get(PARSE_TIMEOUT))


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
            mirror.log_reparsed(conn, category)
    except PageError as exc:
        stats.error = str(exc)
        raise SyncError(str(exc)) from exc
