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
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from kamerwatch import USER_AGENT
from kamerwatch.httpclient import BodyLimitError, BodyLimits, get_bounded
from kamerwatch.store import media as store
from kamerwatch.store.db import Database

from .parse import (
    OFFICIELE_BEKENDMAKINGEN,
    PublicatieParseError,
    parse_metadata,
    parse_xml,
    valid_eid,
)

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
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


@dataclass
class OfficialReport:
    checked: int = 0
    found: int = 0
    missing: int = 0
    failed: int = 0
    refused: int = 0
    requests: int = 0
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

    def metadata_url(self, url: str) -> str:
        real = OFFICIELE_BEKENDMAKINGEN
        if url.startswith(real + "/"):
            return self.options.metadata_root.rstrip("/") + url[len(real) :]
        return url


def _next_try(options: OfficialOptions, now: datetime, tries: int) -> str:
    wait = min(options.retry_base * 2 ** max(tries - 1, 0), options.retry_cap)
    return (now + timedelta(seconds=wait)).isoformat(timespec="seconds")


def check_one(db: Database, client: Client, eid: str, now: datetime) -> str:
    """Ask for one identifier and record the outcome; returns ``ok``/``afwezig``/``fout``."""
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
    if pub.kind == "kamervragen" and pub.metadata_url:
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
        )
        store.clear_problem(conn, f"op:{eid}")
    return "ok"


def run_official(
    db: Database, options: OfficialOptions, progress: Callable[[str, int], None] | None = None
) -> OfficialReport:
    report = OfficialReport()
    now = options.now or datetime.now(UTC)
    with db.transaction() as conn:
        eids = store.eids_to_check(conn, now.isoformat(timespec="seconds"), options.batch)
    client = Client(options, report)
    try:
        for eid in eids:
            outcome = check_one(db, client, eid, now)
            report.checked += 1
            if outcome == "ok":
                report.found += 1
            elif outcome == "afwezig":
                report.missing += 1
            else:
                report.failed += 1
            if progress is not None:
                progress(eid, 1)
    finally:
        client.close()
    return report
