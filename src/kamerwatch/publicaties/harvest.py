"""The ``officiele-publicaties`` stage of ``kamerwatch update``: fetch the official XML of
every document's ``externeIdentifier`` (docs/media.md).

Per run at most ``batch`` identifiers: first those never asked (newest documents first),
then those not published (yet) whose retry time has come. ``{root}/officielepublicaties/
{eid}/{eid}.xml``; a non-200 answer or a redirect to a location containing ``fout404``
means "not published (yet)" (``afwezig``), retried after ``retry_base`` × 2^(tries-1),
at most ``retry_cap`` later (answers appear days after the questions). XML that is not an
official publication (malformed, too large, a time-out after the retries) is ``fout`` with
its reason and raw start in ``media_problem``, retried on the same schedule. For written
questions and answers the metadata (``OVERHEIDop.externMetadataRecord``) is read too, for
``vraagnummer`` and ``aanhangsel``. An identifier that is not a safe path segment (a ``/``,
``..``) is never asked: recorded once, reason kept. Resumable: every identifier is its own
transaction.

With an SRU search (``sru_url``) the repository is first asked what was published, day by
day (``dt.modified``) from the day after the last day walked (first run: ``sru_days``
before today) up to today: each listed publication that one of our documents carries and
that was not yet read for that listing day is fetched (its ``vraagnummer`` comes with the
listing: no metadata request). Identifiers of documents dated on or after the first day
walked then wait for a listing (``afwezig``, no request) and are asked directly only when
none showed them within ``sru_grace_days``; older ones are asked directly (a listing of
the past would cost more than asking). The walked day is committed after its publications,
so a kill loses at most the day under way (its done publications are not fetched again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from kamerwatch import USER_AGENT
from kamerwatch.httpclient import BodyLimitError, BodyLimits, get_bounded
from kamerwatch.store import media as store
from kamerwatch.store.db import Database

from .parse import (
    OFFICIELE_BEKENDMAKINGEN,
    PublicatieParseError,
    SruRecord,
    parse_metadata,
    parse_sru,
    parse_xml,
    plain_text,
    sru_params,
    valid_eid,
)

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_SRU_PAGES = 200  # per day (200,000 publications: far beyond any real day)
NEVER = "9999-12-31T00:00:00+00:00"


@dataclass(frozen=True, slots=True)
class OfficialOptions:
    root: str  # https://repository.officiele-overheidspublicaties.nl (no trailing slash)
    pause: float = 0.25
    timeout: float = 30.0
    max_retries: int = 3
    backoff: float = 1.0
    batch: int = 500
    retry_base: float = 3600.0  # seconds before the first retry of a missing publication
    retry_cap: float = 7 * 86400.0
    max_bytes: int = 20 * 1024 * 1024
    deadline: float = 120.0
    metadata_root: str = OFFICIELE_BEKENDMAKINGEN  # where externMetadataRecord URLs go
    now: datetime | None = None
    sru_url: str | None = None  # https://repository.overheid.nl/sru; None: ask per identifier
    sru_days: int = 14  # days before today walked on the first run
    sru_grace_days: float = 7.0  # not listed after this long: asked directly
    sru_page: int = 1000  # records per SRU page (the service's maximum)
    sru_max_days: int = 400  # days walked per run at most


@dataclass
class OfficialReport:
    checked: int = 0
    found: int = 0
    missing: int = 0
    failed: int = 0
    refused: int = 0
    requests: int = 0
    sru_days: int = 0  # days listed
    sru_requests: int = 0  # listing pages asked
    listed: int = 0  # publications of ours in the listings, fetched
    waiting: int = 0  # identifiers left for a listing to show (no request)
    errors: list[str] = field(default_factory=list)


class _Missing(Exception):
    pass


class _Unreadable(Exception):
    def __init__(self, reason: str, raw: str | None = None) -> None:
        super().__init__(reason)
        self.raw = raw


class Client:
    def __init__(self, options: OfficialOptions, report: OfficialReport) -> None:
        self.options = options
        self.report = report
        self._last = 0.0
        self.http = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            headers={"User-Agent": USER_AGENT},
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

    def get(self, url: str) -> bytes:
        """The body of a 200 answer; :class:`_Missing` for "not there", :class:`_Unreadable`
        when the retries ran out."""
        limits = BodyLimits(self.options.max_bytes, self.options.deadline)
        last = ""
        for attempt in range(self.options.max_retries + 1):
            if attempt:
                time.sleep(min(self.options.backoff * 2 ** (attempt - 1), 30.0))
            self._wait()
            self.report.requests += 1
            try:
                response = get_bounded(self.http, url, limits)
            except BodyLimitError as exc:
                raise _Unreadable(str(exc)) from exc
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200 or "fout404" in response.url:
                raise _Missing(
                    f"HTTP {response.status_code}"
                    + (" (fout404)" if "fout404" in response.url else "")
                )
            return response.content
        raise _Unreadable(f"na {self.options.max_retries + 1} pogingen: {last}")

    def sru_day(self, day: str) -> list[SruRecord]:
        """Every record of the SRU listing of ``day`` (all pages)."""
        assert self.options.sru_url
        records: list[SruRecord] = []
        start = 1
        for _ in range(MAX_SRU_PAGES):
            url = str(
                httpx.URL(
                    self.options.sru_url, params=sru_params(day, start, self.options.sru_page)
                )
            )
            self.report.sru_requests += 1
            try:
                page = parse_sru(self.get(url))
            except _Missing as exc:
                raise _Unreadable(f"SRU {day}: {exc}") from exc
            except PublicatieParseError as exc:
                raise _Unreadable(f"SRU {day}: {exc}") from exc
            records.extend(page.records)
            if page.next_position is None or not page.records or page.next_position <= start:
                return records
            start = page.next_position
        raise _Unreadable(f"SRU {day}: meer dan {MAX_SRU_PAGES} pagina's")

    def metadata_url(self, url: str) -> str:
        real = OFFICIELE_BEKENDMAKINGEN
        if url.startswith(real + "/"):
            return self.options.metadata_root.rstrip("/") + url[len(real) :]
        return url


def _next_try(options: OfficialOptions, now: datetime, tries: int) -> str:
    wait = min(options.retry_base * 2 ** max(tries - 1, 0), options.retry_cap)
    return (now + timedelta(seconds=wait)).isoformat(timespec="seconds")


def check_one(
    db: Database, client: Client, eid: str, now: datetime, listed: SruRecord | None = None
) -> str:
    """Ask for one identifier and record the outcome; returns ``ok``/``afwezig``/``fout``.
    ``listed``: its record in an SRU listing (its ``vraagnummer`` spares the metadata)."""
    options = client.options
    with db.transaction() as conn:
        held = store.publication_state(conn, eid)
    tries = (held[1] if held else 0) + 1
    if not valid_eid(eid):
        with db.transaction() as conn:
            store.publication_missing(conn, eid, "fout", "geen geldige externe identifier", NEVER)
            store.record_problem(
                conn, f"op:{eid}", "officiele-publicatie", "geen geldige externe identifier", eid
            )
        return "fout"
    url = f"{options.root}/officielepublicaties/{eid}/{eid}.xml"
    try:
        body = client.get(url)
        pub = parse_xml(body)
    except _Missing as exc:
        with db.transaction() as conn:
            store.publication_missing(
                conn,
                eid,
                "afwezig",
                f"niet (nog niet) gepubliceerd: {exc}",
                _next_try(options, now, tries),
            )
        return "afwezig"
    except (_Unreadable, PublicatieParseError) as exc:
        raw = getattr(exc, "raw", None)
        if isinstance(exc, PublicatieParseError):
            raw = body[:20_000].decode("utf-8", "replace")
        reason = f"{url}: {exc}"
        with db.transaction() as conn:
            store.publication_missing(conn, eid, "fout", reason, _next_try(options, now, tries))
            store.record_problem(conn, f"op:{eid}", "officiele-publicatie", reason, raw)
        return "fout"
    vraagnummer = aanhangsel = None
    values: dict[str, list[str]] | None = None
    if listed is not None and listed.vraagnummer:
        vraagnummer = listed.vraagnummer
    elif pub.kind == "kamervragen" and pub.metadata_url:
        murl = client.metadata_url(pub.metadata_url)
        try:
            meta = parse_metadata(client.get(murl))
            vraagnummer, aanhangsel, values = meta.vraagnummer, meta.aanhangsel, meta.values
        except (_Missing, _Unreadable, PublicatieParseError) as exc:
            with db.transaction() as conn:
                store.record_problem(
                    conn, f"op-meta:{eid}", "officiele-metadata", f"{murl}: {exc}", None
                )
    with db.transaction() as conn:
        store.store_publication(
            conn,
            eid,
            xml=body.decode("utf-8", "replace"),
            kind=pub.kind,
            vragen=len(pub.questions) if pub.kind == "kamervragen" else None,
            antwoorden=len(pub.answers) if pub.kind == "kamervragen" else None,
            vraagnummer=vraagnummer,
            aanhangsel=aanhangsel,
            metadata=values,
            text=plain_text(pub),
            listed=listed.modified or "?" if listed is not None else None,
        )
        store.clear_problem(conn, f"op:{eid}")
    return "ok"


def _count(report: OfficialReport, outcome: str) -> None:
    report.checked += 1
    if outcome == "ok":
        report.found += 1
    elif outcome == "afwezig":
        report.missing += 1
    else:
        report.failed += 1


def _fill_texts(db: Database) -> None:
    """The plain text of publications read before it was kept (no requests)."""
    while True:
        with db.transaction() as conn:
            todo = store.texts_missing(conn, 200)
            for eid, xml in todo:
                try:
                    text = plain_text(parse_xml(xml.encode("utf-8")))
                except PublicatieParseError:
                    text = ""
                store.set_text(conn, eid, text)
        if len(todo) < 200:
            return


def _walk_sru(
    db: Database,
    client: Client,
    now: datetime,
    report: OfficialReport,
    progress: Callable[[str, int], None] | None,
) -> None:
    """List the days not walked yet and fetch the publications of ours they show."""
    options = client.options
    today = now.astimezone(AMSTERDAM).date()
    with db.transaction() as conn:
        cursor = store.meta_value(conn, store.SRU_CURSOR_KEY)
        if store.meta_value(conn, store.SRU_ORIGIN_KEY) is None:
            origin = (today - timedelta(days=options.sru_days)).isoformat()
            store.set_meta_value(conn, store.SRU_ORIGIN_KEY, origin)
    if cursor is None:
        first = today - timedelta(days=options.sru_days)
    else:
        first = date.fromisoformat(cursor) + timedelta(days=1)
    day = first
    walked = 0
    # only complete days: one listing per day however often the stage runs
    while day < today and walked < options.sru_max_days:
        key = day.isoformat()
        try:
            records = client.sru_day(key)
        except _Unreadable as exc:
            reason = str(exc)
            report.errors.append(reason)
            with db.transaction() as conn:
                store.record_problem(conn, f"sru:{key}", "officiele-sru", reason, None)
            return  # the day is asked again next run; probing still covers everything
        report.sru_days += 1
        walked += 1
        with db.transaction() as conn:
            held = store.held_eids(conn, (r.identifier for r in records))
        for record in records:
            if record.identifier not in held:
                continue
            state, listed = held[record.identifier]
            if state == "ok" and listed == (record.modified or "?"):
                continue  # read for this listing already (a rerun after a kill)
            outcome = check_one(db, client, record.identifier, now, listed=record)
            report.listed += 1
            _count(report, outcome)
            if progress is not None:
                progress(record.identifier, 1)
        with db.transaction() as conn:
            store.clear_problem(conn, f"sru:{key}")
            store.set_meta_value(conn, store.SRU_CURSOR_KEY, key)
        day += timedelta(days=1)


def run_official(
    db: Database, options: OfficialOptions, progress: Callable[[str, int], None] | None = None
) -> OfficialReport:
    report = OfficialReport()
    now = options.now or datetime.now(UTC)
    _fill_texts(db)
    client = Client(options, report)
    try:
        origin = None
        if options.sru_url:
            _walk_sru(db, client, now, report, progress)
            with db.transaction() as conn:
                origin = store.meta_value(conn, store.SRU_ORIGIN_KEY)
        with db.transaction() as conn:
            todo = store.eids_to_check(conn, now.isoformat(timespec="seconds"), options.batch)
        wait_until = (now + timedelta(days=options.sru_grace_days)).isoformat(timespec="seconds")
        for item in todo:
            if origin is not None and item.never and (item.datum or "9999")[:10] >= origin:
                # published on a day walked or still to walk: a listing will show it
                with db.transaction() as conn:
                    store.publication_waiting(
                        conn, item.eid, "wacht op de SRU-lijst van zijn dag", wait_until
                    )
                report.waiting += 1
                continue
            _count(report, check_one(db, client, item.eid, now))
            if progress is not None:
                progress(item.eid, 1)
    finally:
        client.close()
    return report
