"""``kamerwatch woo``: harvest open.overheid.nl into the woo tables (see docs/woo.md).

1. **Listing**: day by day from the last day walked to the end (minus ``RECHECK_DAYS``, so
   late additions, changes and withdrawals of recent days are seen; first run:
   ``KAMERWATCH_WOO_START``) to today, 50 results a page. New results and results with
   another ``mutatiedatumtijd`` are marked for their detail; one transaction per page; the
   cursor moves when a day was walked to its end. A held publication missing from the
   complete listing of its day is asked for again (a 404 then means withdrawn).
2. **Details** of every marked publication (one transaction each): the complete JSON, typed
   columns, a history row when it changed, relations (from ``_relaties`` when the detail
   has none), files. A detail that cannot be read is recorded; after three tries in a row
   the publication is left alone (``fout``).
3. **Files** of the current version (not of Tweede Kamer copies, whose kamerwatch document
   has the file): streamed to a temporary file under a size cap and a deadline, checked
   against ``grootte`` and ``hash`` (SHA-1) and renamed into place under their hash; a
   mismatch is a recorded failure and the file held before stays. The documents stage
   converts and indexes them like any other file (``resource_file`` category ``Woo``).

A kill at any moment loses at most the request in flight: the next run starts again at the
cursor day, re-listing is idempotent, and a file renamed into place before it was recorded
is adopted by its hash. Pace: ``pause`` before every listing call, four times that before a
detail, relation or file call (0.25 s: ~4 listing calls/s, 1 detail/s, 1 download/s).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

from kamerwatch import USER_AGENT
from kamerwatch.httpclient import (
    BodyLimitError,
    BodyLimits,
    BodyTooLarge,
    DeadlineExceeded,
    get_bounded,
    stream_bounded,
)
from kamerwatch.safepaths import UnsafePath, path_inside, relative_inside
from kamerwatch.store import documents as files_store
from kamerwatch.store import woo as store
from kamerwatch.store.db import Connection, Database

from . import parse
from .parse import WooParseError

log = logging.getLogger(__name__)

API = "/overheid/openbaarmakingen/api/v0/zoek"
PAGE = 50
RECHECK_DAYS = 2
MAX_CHANGE_PAGES = 200  # of the "newest change first" listing per run
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
RELATION_TYPES = ",".join(sorted(parse.ROLE_LABELS))
CHUNK = 1 << 16
JSON_MAX_BYTES = 32 * 1024 * 1024


class WooUnavailable(RuntimeError):
    """open.overheid.nl did not answer usefully within the retries."""


class NotFound(RuntimeError):
    pass


class FileRejected(RuntimeError):
    """A file that cannot be kept; ``permanent``: do not try again."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class WooOptions:
    root: str  # https://open.overheid.nl (no trailing slash)
    start: date
    files_dir: Path
    pause: float = 0.25
    timeout: float = 30.0
    max_retries: int = 3
    backoff: float = 1.0
    max_bytes: int = 250 * 1024 * 1024
    today: date | None = None
    file_deadline: float = 600.0  # seconds for one download
    audit_hours: float = 24.0  # how often days walked long ago are checked for withdrawals


@dataclass
class WooReport:
    days: int = 0
    pages: int = 0
    listed: int = 0
    new: int = 0
    changed: int = 0
    rejected: int = 0
    details: int = 0
    withdrawn: int = 0
    detail_failures: int = 0
    files: int = 0
    adopted: int = 0
    bytes: int = 0
    file_failures: int = 0
    errors: list[str] = field(default_factory=list)


Progress = Callable[[str, int], None]


# ------------------------------------------------------------------ the client


class WooClient:
    """HTTP with time-outs, bounded retries (5xx, time-outs, cut connections, unreadable
    JSON) and the polite pause."""

    def __init__(self, options: WooOptions, transport: httpx.BaseTransport | None = None):
        self.options = options
        self._last = 0.0
        # a listing page or detail is some kB: 32 MB and four time-outs are plenty
        self.limits = BodyLimits(JSON_MAX_BYTES, max(1.0, options.timeout) * 4)
        self.http = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> WooClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait(self, factor: float) -> None:
        gap = self.options.pause * factor
        if gap > 0:
            delay = self._last + gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last = time.monotonic()

    def local(self, url: str) -> str:
        """A URL of the real site on the configured root (the simulator in tests)."""
        real = "https://open.overheid.nl"
        if url.startswith(real):
            return self.options.root + url[len(real) :]
        return url

    def get_json(
        self,
        path: str,
        params: dict[str, str] | None,
        factor: float,
        check: Callable[[bytes], object],
    ) -> tuple[bytes, object]:
        """GET and parse with ``check``; retried on 5xx, time-outs, transport errors and
        bodies that do not parse. 404/410 → :class:`NotFound`."""
        url = self.options.root + path + ("?" + urlencode(params) if params else "")
        last = ""
        for attempt in range(self.options.max_retries + 1):
            if attempt:
                time.sleep(min(self.options.backoff * 2 ** (attempt - 1), 30.0))
            self.wait(factor)
            try:
                response = get_bounded(self.http, url, self.limits)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            except BodyLimitError as exc:
                last = str(exc)
                continue
            if response.status_code in (404, 410):
                raise NotFound(f"HTTP {response.status_code}")
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise WooUnavailable(f"{url}: HTTP {response.status_code}")
            body = response.content
            try:
                return body, check(body)
            except WooParseError as exc:
                last = str(exc)
                if attempt == self.options.max_retries:
                    raise
        raise WooUnavailable(f"{url}: na {self.options.max_retries + 1} pogingen: {last}")


# ------------------------------------------------------------------ downloads


def _stream_bounded(
    http: httpx.Client, url: str, tmp: Path, cap: int, deadline: float
) -> tuple[int, str, str | None]:
    """Stream ``url`` into ``tmp`` through the shared bounded download
    (:func:`kamerwatch.httpclient.stream_bounded`: at most ``cap`` bytes, ``deadline``
    seconds for the whole request); returns (size, SHA-1 hex, content type)."""
    sha1 = hashlib.sha1()
    try:
        with tmp.open("wb") as out:

            def sink(chunk: bytes) -> None:
                sha1.update(chunk)
                out.write(chunk)

            size, response = stream_bounded(http, url, BodyLimits(cap, deadline), sink)
            if response.status_code in RETRY_STATUS:
                raise FileRejected(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise FileRejected(
                    f"HTTP {response.status_code}", permanent=response.status_code == 404
                )
            out.flush()
            os.fsync(out.fileno())
    except BodyTooLarge as exc:
        raise FileRejected(f"te groot: {exc}", permanent=True) from exc
    except DeadlineExceeded as exc:
        raise FileRejected(f"download duurde te lang: {exc}") from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise WooUnavailable(f"schijf vol bij het schrijven van {tmp}") from exc
        raise
    return size, sha1.hexdigest(), response.headers.get("content-type")


def file_path(files_dir: Path, f: store.WantedFile) -> Path:
    """Where a Woo file lives: ``woo/<id[:2]>/<id>/<n>-<sha1>``, resolved strictly inside
    the files directory (:func:`kamerwatch.safepaths.path_inside`; the parser already
    refuses ids with ``/`` or ``.``); the hash names the content, so a rerun finds it."""
    name = f"{f.n}-{f.hash or 'zonder-hash'}"
    try:
        return path_inside(files_dir, "woo", f.id[:2], f.id, name)
    except UnsafePath as exc:
        raise FileRejected(str(exc), permanent=True) from exc


def _sha1_of(path: Path) -> str | None:
    try:
        h = hashlib.sha1()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def fetch_file(client: WooClient, f: store.WantedFile) -> tuple[Path, int, bool]:
    """Download one file and check it; returns (path, size, adopted)."""
    o = client.options
    if f.grootte is not None and f.grootte > o.max_bytes:
        raise FileRejected(
            f"te groot: {f.grootte / 1e6:,.0f} MB (grens {o.max_bytes / 1e6:,.0f} MB)",
            permanent=True,
        )
    dest = file_path(o.files_dir, f)
    if f.hash is not None and not re.fullmatch(r"[0-9a-f]{40}", f.hash):
        raise FileRejected(f"ongeldige SHA-1 {f.hash[:60]!r} in de metadata", permanent=True)
    if f.hash and dest.exists() and _sha1_of(dest) == f.hash:
        return dest, dest.stat().st_size, True
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part")
    cap = min(o.max_bytes, f.grootte) if f.grootte is not None else o.max_bytes
    last = ""
    try:
        for attempt in range(o.max_retries + 1):
            if attempt:
                time.sleep(min(o.backoff * 2 ** (attempt - 1), 30.0))
            client.wait(4)
            try:
                size, sha1, _ctype = _stream_bounded(
                    client.http, client.local(f.url), tmp, cap, o.file_deadline
                )
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            except FileRejected as exc:
                if exc.permanent or not str(exc).startswith("HTTP 5"):
                    raise
                last = str(exc)
                continue
            if f.grootte is not None and size != f.grootte:
                raise FileRejected(
                    f"grootte klopt niet: {size:,} bytes ontvangen, {f.grootte:,} opgegeven"
                )
            if f.hash and sha1 != f.hash:
                raise FileRejected(f"SHA-1 klopt niet: {sha1} ontvangen, {f.hash} opgegeven")
            os.replace(tmp, dest)
            return dest, size, False
        raise FileRejected(f"na {o.max_retries + 1} pogingen: {last}")
    finally:
        if tmp.exists():
            tmp.unlink()


# ------------------------------------------------------------------ the run


def _dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def first_day(conn: Connection, options: WooOptions) -> date:
    held = store.cursor(conn)
    if held is None:
        return options.start
    return max(options.start, date.fromisoformat(held) - timedelta(days=RECHECK_DAYS))


def run_harvest(
    db: Database,
    options: WooOptions,
    progress: Progress | None = None,
    transport: httpx.BaseTransport | None = None,
) -> WooReport:
    """One harvest; see the module docstring. Raises :class:`WooUnavailable` only when the
    files directory or disk cannot be used; every other problem is in the report."""
    report = WooReport()
    today = options.today or datetime.now(UTC).date()
    with WooClient(options, transport) as client:
        first = first_day(db.conn, options)
        since = store.newest_mutatie(db.conn)
        audited = store.audited(db.conn)
        _walk_changes(db, client, since, report, progress)
        _walk_listing(db, client, first, today, report, progress)
        due = audited is None or datetime.fromisoformat(audited) + timedelta(
            hours=options.audit_hours
        ) <= datetime.now(UTC)
        if since is not None and due:
            _audit(db, client, options.start, first - timedelta(days=1), report, progress)
        _fetch_details(db, client, report, progress)
        _fetch_files(db, client, report, progress)
    return report


def _listing_params(day: date | None, start: int, size: int = PAGE) -> dict[str, str]:
    params = {
        "zoektekst": "",
        "start": str(start),
        "aantalResultaten": str(size),
        "sort": "publicatiedatum",
        "order": "asc",
    }
    if day is not None:
        params["publicatiedatumVan"] = _dmy(day)
        params["publicatiedatumTot"] = _dmy(day)
    return params


def _record_page(db: Database, page: parse.Listing, key: str, report: WooReport) -> set[str]:
    """One listing page in one transaction; returns the ids it listed."""
    seen: set[str] = set()
    with db.transaction() as conn:
        for i, rej in enumerate(page.rejected):
            raw = json.dumps(rej.raw, ensure_ascii=False)
            store.problem(conn, f"resultaat:{key}:{i}", "resultaat", rej.reason, raw)
            report.rejected += 1
        for item in page.items:
            seen.add(item.uuid)
            outcome = store.record_listed(conn, item, item.openbaarmakingsdatum or key[:10])
            report.listed += 1
            if outcome == "nieuw":
                report.new += 1
            elif outcome == "gewijzigd":
                report.changed += 1
    report.pages += 1
    return seen


def _listing_failed(db: Database, key: str, reason: str, report: WooReport) -> None:
    with db.transaction() as conn:
        store.problem(conn, f"lijst:{key}", "lijst", reason)
    report.errors.append(reason)
    log.warning("%s", reason)


def _walk_day(
    db: Database, client: WooClient, day: date, report: WooReport, progress: Progress | None
) -> bool:
    """Every page of one day; a held publication missing from the complete listing is
    asked for again. Returns False when a page could not be had (recorded)."""
    seen: set[str] = set()
    start = 0
    iso = day.isoformat()
    while True:
        try:
            _, page = client.get_json(API, _listing_params(day, start), 1, parse.listing)
        except (WooUnavailable, WooParseError, NotFound) as exc:
            _listing_failed(db, f"{iso}:{start}", f"lijst {iso} vanaf {start}: {exc}", report)
            return False
        assert isinstance(page, parse.Listing)
        seen |= _record_page(db, page, f"{iso}:{start}", report)
        n = len(page.items) + len(page.rejected)
        start += n
        if progress:
            progress("lijst", report.listed)
        if n == 0 or start >= page.totaal:
            break
    with db.transaction() as conn:
        store.mark_recheck(conn, sorted(store.held_on(conn, iso) - seen))
    return True


def _walk_listing(
    db: Database,
    client: WooClient,
    day: date,
    today: date,
    report: WooReport,
    progress: Progress | None,
) -> None:
    while day <= today:
        if not _walk_day(db, client, day, report, progress):
            return  # the cursor stays: the next run walks this day again
        with db.transaction() as conn:
            # today may still grow: it is walked again next time
            store.set_cursor(conn, (day if day < today else day - timedelta(days=1)).isoformat())
        report.days += 1
        day += timedelta(days=1)


def _walk_changes(
    db: Database, client: WooClient, since: str | None, report: WooReport, progress: Progress | None
) -> None:
    """Publications changed since the newest ``mutatiedatumtijd`` held (also of days long
    walked): the listing newest change first, until an older change."""
    if since is None:
        return
    start = 0
    for _ in range(MAX_CHANGE_PAGES):
        params = _listing_params(None, start) | {"sort": "laatst-gewijzigd", "order": "desc"}
        try:
            _, page = client.get_json(API, params, 1, parse.listing)
        except (WooUnavailable, WooParseError, NotFound) as exc:
            _listing_failed(db, f"wijzigingen:{start}", f"wijzigingen vanaf {start}: {exc}", report)
            return
        assert isinstance(page, parse.Listing)
        newer = [i for i in page.items if (i.mutatiedatumtijd or "") > since]
        _record_page(
            db,
            parse.Listing(page.totaal, tuple(newer), page.rejected),
            f"wijzigingen:{start}",
            report,
        )
        n = len(page.items) + len(page.rejected)
        start += n
        if progress:
            progress("lijst", report.listed)
        if n == 0 or len(newer) < len(page.items) or start >= page.totaal:
            return


def _audit(
    db: Database,
    client: WooClient,
    first: date,
    last: date,
    report: WooReport,
    progress: Progress | None,
) -> None:
    """Withdrawals of days walked long ago: per day one small listing call for its total;
    a day that lists fewer publications than held is walked again (the missing ones are
    asked for; a 404 means withdrawn)."""
    with db.transaction() as conn:
        held = store.counts_by_day(conn, first.isoformat(), last.isoformat())
    for iso, count in sorted(held.items()):
        day = date.fromisoformat(iso)
        try:
            _, page = client.get_json(API, _listing_params(day, 0, 10), 1, parse.listing)
        except (WooUnavailable, WooParseError, NotFound) as exc:
            _listing_failed(db, f"controle:{iso}", f"controle {iso}: {exc}", report)
            return
        assert isinstance(page, parse.Listing)
        if page.totaal < count and not _walk_day(db, client, day, report, progress):
            return
    with db.transaction() as conn:
        store.set_audited(conn, datetime.now(UTC).isoformat(timespec="seconds"))


def _fetch_details(
    db: Database, client: WooClient, report: WooReport, progress: Progress | None
) -> None:
    done: set[str] = set()
    while True:
        todo = [i for i in store.wanted_details(db.conn) if i not in done]
        if not todo:
            return
        for pub_id in todo:
            done.add(pub_id)
            path = f"{API}/{pub_id}"
            try:
                raw, d = client.get_json(path, None, 4, parse.detail)
            except NotFound:
                with db.transaction() as conn:
                    store.withdraw(conn, pub_id)
                report.withdrawn += 1
                continue
            except (WooUnavailable, WooParseError) as exc:
                with db.transaction() as conn:
                    store.detail_failed(conn, pub_id, str(exc), None)
                report.detail_failures += 1
                report.errors.append(f"detail {pub_id}: {exc}")
                continue
            assert isinstance(d, parse.WooDetail)
            if d.id != pub_id:
                with db.transaction() as conn:
                    store.detail_failed(
                        conn,
                        pub_id,
                        f"detail heeft een ander id ({d.id})",
                        raw.decode("utf-8", "replace"),
                    )
                report.detail_failures += 1
                continue
            rels: tuple[parse.WooRelation, ...] = ()
            if not d.relaties:
                try:
                    _, got = client.get_json(
                        f"/publicatie/{pub_id}/_relaties",
                        {"types": RELATION_TYPES},
                        4,
                        parse.relations,
                    )
                    rels = got  # type: ignore[assignment]
                except (WooUnavailable, WooParseError, NotFound) as exc:
                    log.info("relaties van %s: %s", pub_id, exc)
            with db.transaction() as conn:
                store.save_detail(conn, d, raw)
                store.save_relations(conn, pub_id, rels)
            report.details += 1
            if progress:
                progress("details", report.details)


def _fetch_files(
    db: Database, client: WooClient, report: WooReport, progress: Progress | None
) -> None:
    try:
        client.options.files_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WooUnavailable(f"map {client.options.files_dir} onbruikbaar: {exc}") from exc
    tried: set[tuple[str, int]] = set()
    while True:
        todo = [f for f in store.wanted_files(db.conn) if (f.id, f.n) not in tried]
        if not todo:
            return
        for f in todo:
            tried.add((f.id, f.n))
            try:
                path, size, adopted = fetch_file(client, f)
            except FileRejected as exc:
                with db.transaction() as conn:
                    store.file_failed(conn, f.id, f.n, str(exc), permanent=exc.permanent)
                report.file_failures += 1
                report.errors.append(f"bestand {f.id} #{f.n}: {exc}")
                continue
            with db.transaction() as conn:
                current = files_store.current_file(conn, f.entity_id)
                rel = relative_inside(client.options.files_dir, path)
                if current is None or current.path != rel:
                    files_store.record_file(
                        conn,
                        files_store.StoredFile(
                            f.entity_id,
                            (current.version + 1) if current else 1,
                            "Woo",
                            rel,
                            size,
                            f.mime_type,
                            datetime.now(UTC).isoformat(timespec="seconds"),
                        ),
                    )
                store.file_ok(conn, f.id, f.n, f.hash or "")
            if adopted:
                report.adopted += 1
            else:
                report.files += 1
                report.bytes += size
            if progress:
                progress("bestanden", report.files + report.adopted)
