"""``kamerwatch fetch-documents``: every file the mirror refers to, on disk, size-checked.

A file counts as present when its current stored version has exactly the entity's
``contentLength``; otherwise it is downloaded again as a new version (the old one is kept).
Downloads go to a temporary file in the target directory and are renamed into place, so a
kill never leaves a half file under a real name; a file renamed into place but not yet
recorded is adopted by the next run. Failures are counted per entity: after three failed
runs in a row the entity is left alone for a day (reported by ``kamerwatch status``), a
file over the size limit at once. A full disk stops the stage with a clear message.

Threads download; the calling thread alone writes to the database.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from kamerwatch import USER_AGENT
from kamerwatch.httpclient import BodyLimits, BodyTooLarge, DeadlineExceeded, stream_bounded
from kamerwatch.safepaths import UnsafePath, path_inside, relative_inside
from kamerwatch.store import documents as store
from kamerwatch.store.db import Database

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class StageError(RuntimeError):
    """The stage cannot go on (disk full, files directory unusable)."""


class DownloadError(RuntimeError):
    """One file could not be downloaded; ``permanent`` = do not retry soon."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class FetchOptions:
    base_url: str  # .../SyncFeed/2.0
    files_dir: Path
    workers: int = 4
    timeout: float = 30.0
    max_retries: int = 3
    backoff: float = 1.0
    pause: float = 0.0  # politeness pause per worker between requests
    max_bytes: int = 250 * 1024 * 1024
    deadline: float = 900.0  # seconds for one whole download


@dataclass
class FetchReport:
    wanted: int = 0
    present: int = 0
    downloaded: int = 0
    new_versions: int = 0
    adopted: int = 0
    failed: int = 0
    throttled: int = 0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


def target_path(files_dir: Path, r: store.Resource, version: int) -> Path:
    """Where version ``version`` of an entity's file goes, checked to lie inside
    ``files_dir`` (:func:`kamerwatch.safepaths.path_inside`; raises ``UnsafePath``)."""
    return path_inside(files_dir, r.category.lower(), r.entity_id[:2], r.entity_id, str(version))


def resource_url(base_url: str, entity_id: str) -> str:
    return f"{base_url.rstrip('/')}/Resources/{entity_id}"


def _is_present(f: store.StoredFile | None, r: store.Resource, files_dir: Path) -> bool:
    if f is None or f.size != r.content_length:
        return False
    try:
        return os.path.getsize(f.location(files_dir)) == f.size
    except OSError:
        return False


def download(
    http: httpx.Client, url: str, dest: Path, expected: int, options: FetchOptions
) -> tuple[int, str | None]:
    """Stream ``url`` into ``dest`` (via a temporary file); returns (size, content type)."""
    if expected > options.max_bytes:
        raise DownloadError(
            f"te groot: {expected / 1e6:.0f} MB (grens {options.max_bytes / 1e6:.0f} MB)",
            permanent=True,
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part")
    last: Exception | None = None
    for attempt in range(options.max_retries + 1):
        if attempt:
            time.sleep(min(options.backoff * 2 ** (attempt - 1), 30.0))
        try:
            return _stream(http, url, tmp, dest, expected, options)
        except DownloadError:
            raise
        except BodyTooLarge as exc:
            raise DownloadError(f"te groot: {exc}", permanent=True) from exc
        except (httpx.TimeoutException, httpx.TransportError, DeadlineExceeded, _Retryable) as exc:
            last = exc
            log.info("%s: poging %d mislukt: %s", url, attempt + 1, exc)
        finally:
            if tmp.exists():
                tmp.unlink()
    raise DownloadError(f"na {options.max_retries + 1} pogingen: {last}")


class _Retryable(Exception):
    pass


def _stream(
    http: httpx.Client, url: str, tmp: Path, dest: Path, expected: int, options: FetchOptions
) -> tuple[int, str | None]:
    limits = BodyLimits(options.max_bytes, options.deadline)
    try:
        with tmp.open("wb") as out:
            size, response = stream_bounded(http, url, limits, out.write)
            if response.status_code in RETRY_STATUS:
                raise _Retryable(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise DownloadError(f"HTTP {response.status_code}")
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise StageError(f"schijf vol bij het schrijven van {tmp}: {exc.strerror}") from exc
        raise
    if size != expected:
        raise _Retryable(f"{size} bytes ontvangen, {expected} verwacht")
    os.replace(tmp, dest)
    return size, response.headers.get("content-type")


def _adopt(r: store.Resource, version: int, dest: Path, files_dir: Path) -> store.StoredFile | None:
    """A file renamed into place by a run that was killed before recording it."""
    try:
        if os.path.getsize(dest) == r.content_length:
            return store.StoredFile(
                r.entity_id,
                version,
                r.category,
                relative_inside(files_dir, dest),
                r.content_length,
                r.content_type,
                datetime.now(UTC).isoformat(timespec="seconds"),
            )
    except OSError:
        pass
    return None


Progress = Callable[[int, int], None]


def run_fetch(db: Database, options: FetchOptions, progress: Progress | None = None) -> FetchReport:
    """Bring the files on disk in line with the mirror; see the module docstring."""
    report = FetchReport()
    conn = db.conn
    resources = store.wanted(conn)
    current = store.current_files(conn)
    skip = store.throttled(conn)
    report.wanted = len(resources)
    todo: list[tuple[store.Resource, int]] = []
    for r in resources:
        f = current.get(r.entity_id)
        if _is_present(f, r, options.files_dir):
            report.present += 1
        elif r.entity_id in skip:
            report.throttled += 1
        else:
            todo.append(
                (
                    r,
                    (f.version + 1)
                    if f and f.size != r.content_length
                    else (f.version if f else 1),
                )
            )
    try:
        options.files_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StageError(f"map {options.files_dir} onbruikbaar: {exc}") from exc
    if progress:
        progress(0, len(todo))
    for done, (r, version, outcome) in enumerate(_download_all(todo, options), 1):
        _record(db, r, version, outcome, options, report)
        if progress:
            progress(done, len(todo))
    return report


Outcome = tuple[int, str | None] | Exception


def _download_all(
    todo: list[tuple[store.Resource, int]], options: FetchOptions
) -> Iterator[tuple[store.Resource, int, Outcome]]:
    headers = {"User-Agent": USER_AGENT}
    limits = httpx.Limits(max_connections=max(1, options.workers))
    with (
        httpx.Client(
            timeout=options.timeout, headers=headers, follow_redirects=True, limits=limits
        ) as http,
        ThreadPoolExecutor(
            max_workers=max(1, options.workers), thread_name_prefix="download"
        ) as pool,
    ):
        pending: dict[Future[tuple[int, str | None]], tuple[store.Resource, int]] = {}
        queue = iter(todo)

        def submit() -> bool:
            item = next(queue, None)
            if item is None:
                return False
            r, version = item
            try:
                dest = target_path(options.files_dir, r, version)
            except UnsafePath as exc:
                refused: Future[tuple[int, str | None]] = Future()
                refused.set_exception(DownloadError(str(exc), permanent=True))
                pending[refused] = item
                return True
            adopted = _adopt(r, version, dest, options.files_dir)
            if adopted is not None:
                done: Future[tuple[int, str | None]] = Future()
                done.set_result((-1, adopted.content_type))
                pending[done] = item
                return True
            url = resource_url(options.base_url, r.entity_id)
            pending[pool.submit(_polite, http, url, dest, r.content_length, options)] = item
            return True

        for _ in range(max(1, options.workers) * 2):
            if not submit():
                break
        try:
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    r, version = pending.pop(fut)
                    exc = fut.exception()
                    if isinstance(exc, StageError):
                        raise exc
                    if exc is not None and not isinstance(exc, Exception):
                        raise exc  # KeyboardInterrupt and the like
                    yield r, version, (exc if exc is not None else fut.result())
                    submit()
        finally:
            for fut in pending:
                fut.cancel()


def _polite(
    http: httpx.Client, url: str, dest: Path, expected: int, options: FetchOptions
) -> tuple[int, str | None]:
    if options.pause:
        time.sleep(options.pause)
    return download(http, url, dest, expected, options)


def _record(
    db: Database,
    r: store.Resource,
    version: int,
    outcome: Outcome,
    options: FetchOptions,
    report: FetchReport,
) -> None:
    url = resource_url(options.base_url, r.entity_id)
    with db.transaction() as conn:
        if isinstance(outcome, Exception):
            permanent = isinstance(outcome, DownloadError) and outcome.permanent
            attempts = store.record_failure(conn, r, url, str(outcome), permanent=permanent)
            report.failed += 1
            report.errors.append(f"{r.category} {r.entity_id}: {outcome} (poging {attempts})")
            log.warning("%s %s: %s", r.category, r.entity_id, outcome)
            return
        size, content_type = outcome
        dest = target_path(options.files_dir, r, version)
        store.record_file(
            conn,
            store.StoredFile(
                r.entity_id,
                version,
                r.category,
                relative_inside(options.files_dir, dest),
                r.content_length,
                r.content_type or content_type,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
    if size < 0:
        report.adopted += 1
        return
    report.downloaded += 1
    report.bytes += size
    if version > 1:
        report.new_versions += 1
