"""The ``debatdirect`` stage of ``kamerwatch update``: ask Debat Direct's search for the days
that have activities and store each activity's best matching broadcast (docs/media.md).

Days asked per run: the window ``today - window_back … today + window_ahead`` (listings
there still change), plus the days of activities changed since the last run (``bijgewerkt``
after the cursor ``meta.debatdirect_bijgewerkt``; at most ``max_changed_days``, newest
first). Only days with at least one activity are asked. A day is one request per 20
broadcasts (``vanaf`` paging). Its listing replaces the day's broadcasts; every activity
of that day is matched again when the listing (its hash) or the activity (start, end,
room) changed since its match was made. A day that cannot be read (5xx, time-out,
malformed JSON after the retries) is recorded with its reason and keeps what it had; a
refusal (403: the CDN wants a browser-like User-Agent; other 4xx) stops the stage.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import httpx

from kamerwatch import __version__
from kamerwatch.httpclient import BodyLimitError, BodyLimits, get_bounded
from kamerwatch.store import media as store
from kamerwatch.store.db import Database

from .parse import Broadcast, DebatDirectParseError, SearchPage, Slot, match, parse_search

log = logging.getLogger(__name__)

PAGE = 20
MAX_PAGES = 50  # per day
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# The CDN answers 403 to clients without a browser-like agent; we still say who we are.
BROWSER_AGENT = (
    f"Mozilla/5.0 (compatible; kamerwatch/{__version__}; +https://github.com/kamerwatch/kamerwatch)"
)


class DebatDirectUnavailable(RuntimeError):
    """Debat Direct refuses us (403, another 4xx): the stage stops."""


@dataclass(frozen=True, slots=True)
class DebatDirectOptions:
    root: str  # https://cdn.debatdirect.tweedekamer.nl (no trailing slash)
    pause: float = 0.25
    timeout: float = 30.0
    max_retries: int = 3
    backoff: float = 1.0
    window_back: int = 7
    window_ahead: int = 1
    max_changed_days: int = 60
    max_bytes: int = 20 * 1024 * 1024
    deadline: float = 60.0
    today: date | None = None


@dataclass
class DebatDirectReport:
    days: int = 0
    requests: int = 0
    broadcasts: int = 0
    rejected: int = 0
    matched: int = 0
    unmatched: int = 0
    unchanged: int = 0
    failed_days: int = 0
    errors: list[str] = field(default_factory=list)


class _DayFailed(RuntimeError):
    def __init__(self, reason: str, raw: str | None = None) -> None:
        super().__init__(reason)
        self.raw = raw


class Client:
    def __init__(self, options: DebatDirectOptions, report: DebatDirectReport) -> None:
        self.options = options
        self.report = report
        self._last = 0.0
        self.http = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            headers={"User-Agent": BROWSER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )

    def close(self) -> None:
        self.http.close()

    def _wait(self) -> None:
        if self.options.pause > 0:
            delay = self._last + self.options.pause - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last = time.monotonic()

    def search_page(self, day: str, offset: int) -> SearchPage:
        params = {
            "van": day,
            "tot": day,
            "sortering": "relevant",
            "vanaf": str(offset),
            "platform": "web",
            "totalFormat": "new",
        }
        url = f"{self.options.root}/search?{urlencode(params)}"
        limits = BodyLimits(self.options.max_bytes, self.options.deadline)
        last = ""
        raw: str | None = None
        for attempt in range(self.options.max_retries + 1):
            if attempt:
                time.sleep(min(self.options.backoff * 2 ** (attempt - 1), 30.0))
            self._wait()
            self.report.requests += 1
            try:
                response = get_bounded(self.http, url, limits)
            except (httpx.HTTPError, BodyLimitError) as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                hint = " (browserachtige User-Agent vereist)" if response.status_code == 403 else ""
                raise DebatDirectUnavailable(
                    f"Debat Direct weigert {url}: HTTP {response.status_code}{hint}"
                )
            try:
                return parse_search(response.content)
            except DebatDirectParseError as exc:
                last = str(exc)
                raw = response.content[:20_000].decode("utf-8", "replace")
        raise _DayFailed(
            f"zoeken {day} vanaf {offset}: na {self.options.max_retries + 1} pogingen: {last}", raw
        )

    def day(self, day: str) -> tuple[list[Broadcast], list[tuple[str, str]]]:
        found: dict[str, Broadcast] = {}
        rejected: list[tuple[str, str]] = []
        offset = 0
        for _ in range(MAX_PAGES):
            page = self.search_page(day, offset)
            for b in page.broadcasts:
                found.setdefault(b.id, b)
            rejected.extend(page.rejected)
            hits, total = page.hits, page.total
            offset += hits
            if (
                hits == 0
                or (total is not None and offset >= total)
                or (total is None and hits < PAGE)
            ):
                break
        # a search for one day may also answer neighbours; keep the day's own
        return sorted(
            (b for b in found.values() if b.debate_date == day), key=lambda b: b.id
        ), rejected


def listing_hash(broadcasts: list[Broadcast]) -> str:
    digest = hashlib.sha1()
    for b in sorted(broadcasts, key=lambda b: b.id):
        digest.update(b.raw.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def days_to_ask(db: Database, options: DebatDirectOptions) -> tuple[list[str], str | None]:
    today = options.today or date.today()
    first = (today - timedelta(days=options.window_back)).isoformat()
    last = (today + timedelta(days=options.window_ahead)).isoformat()
    with db.transaction() as conn:
        window = store.activity_days(conn, first, last)
        changed, top = store.changed_activity_days(
            conn, store.dd_cursor(conn), options.max_changed_days
        )
    days = sorted(set(window) | {d for d in changed if d <= last}, reverse=True)
    return days, top


def run_debatdirect(
    db: Database, options: DebatDirectOptions, progress: Callable[[str, int], None] | None = None
) -> DebatDirectReport:
    report = DebatDirectReport()
    days, top = days_to_ask(db, options)
    client = Client(options, report)
    try:
        for day in days:
            try:
                broadcasts, rejected = client.day(day)
            except _DayFailed as exc:
                report.failed_days += 1
                report.errors.append(str(exc))
                with db.transaction() as conn:
                    store.day_failed(conn, day, str(exc))
                    store.record_problem(conn, f"dd:{day}", "debatdirect", str(exc), exc.raw)
                continue
            report.days += 1
            report.broadcasts += len(broadcasts)
            report.rejected += len(rejected)
            digest = listing_hash(broadcasts)
            with db.transaction() as conn:
                store.store_day(conn, day, broadcasts, digest)
                store.clear_problem(conn, f"dd:{day}")
                for i, (raw, reason) in enumerate(rejected):
                    store.record_problem(
                        conn, f"dd:{day}:{i}", "debatdirect-uitzending", reason, raw
                    )
                for slot in store.activities_on(conn, day):
                    held = store.match_made_from(conn, slot.id)
                    if held == (slot.made_from, digest):
                        report.unchanged += 1
                        continue
                    found = match(Slot(slot.start, slot.end, slot.room, slot.onderwerp), broadcasts)
                    store.store_match(conn, slot, found, digest)
                    if found.broadcast is None:
                        report.unmatched += 1
                    else:
                        report.matched += 1
            if progress is not None:
                progress(day, 1)
        if top is not None:
            with db.transaction() as conn:
                store.set_dd_cursor(conn, top)
    finally:
        client.close()
    return report
