"""The stages of kamerwatch — sync, woo, debatdirect, officiele-publicaties, fetch-documents,
convert, index, alerts — and their
bookkeeping, used the same way by ``kamerwatch update`` and by each stage command
(``cli.py`` only parses arguments and calls these).

- :func:`recorded` is the one stage bookkeeping: it records the run (``sync_run``, status
  "bezig"), and closes it whatever happens: "ok" (with the count and note the stage set),
  "fout" (the stage's failure, or the text of an exception), "onderbroken" (Ctrl-C or
  SIGTERM). So no run stays "bezig" after the process ends, except after ``kill -9`` (the
  next run of the stage marks those "afgebroken": :func:`locked`).
- :func:`interruptible`: while it runs, SIGTERM raises :class:`Terminated` (a
  ``KeyboardInterrupt``) in the main thread, so a stopped service closes its run as Ctrl-C
  does.
- :func:`locked`: a stage holds its lock (one runner per stage, whichever host it is on).

Each stage function returns the failure line of its stage, or ``None``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import FrameType
from typing import Any

from rich.text import Text

from kamerwatch import kabinetten
from kamerwatch.alerts import LogTransport, MailError, SmtpTransport, WebhookOptions, run_alerts
from kamerwatch.config import DEFAULT_OFFICIELE_PUBLICATIES_URL, Settings
from kamerwatch.debatdirect.harvest import (
    DebatDirectOptions,
    DebatDirectUnavailable,
    run_debatdirect,
)
from kamerwatch.documents.convert.ocr import available as ocr_available
from kamerwatch.documents.fetch import FetchOptions, StageError, run_fetch
from kamerwatch.documents.run_convert import run_convert
from kamerwatch.documents.run_speaking import run_speaking
from kamerwatch.dutch import getal, kommagetal
from kamerwatch.progress import ConsoleProgress, StageProgress, console, out, print_sync_report
from kamerwatch.publicaties.harvest import OfficialOptions, run_official
from kamerwatch.publicaties.parse import OFFICIELE_BEKENDMAKINGEN
from kamerwatch.runs import Terminated, recorded
from kamerwatch.search.index import run_index
from kamerwatch.store import analyse, mirror, stamps
from kamerwatch.store.db import Database, DatabaseError, errors
from kamerwatch.store.locks import LOCK_OF_RUN, StageBusy, stage_lock
from kamerwatch.subsystems import SchemaError, prepare
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.parsers import CATEGORIES, by_name_casefold
from kamerwatch.sync.runner import SyncError, run_reparse, run_sync
from kamerwatch.woo.harvest import WooOptions, WooUnavailable, run_harvest

log = logging.getLogger("kamerwatch")


class StageSkipped(Exception):
    """The stage runs elsewhere right now (its lock is taken)."""


class StageUsageError(ValueError):
    """A stage cannot start with what it was given (unknown category, bad SMTP URL)."""


@contextmanager
def interruptible() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    came: list[int] = []

    def on_term(signum: int, frame: FrameType | None) -> None:
        if came:  # already stopping: let the clean-up finish
            return
        came.append(signum)
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def database(settings: Settings) -> Database:
    """The database of a stage. A new, empty one gets its schema (nothing to lose); one
    whose schema is behind or ahead raises :class:`SchemaError` (``kamerwatch db migrate``
    is the one way to upgrade; ``update`` runs it first)."""
    db = Database(settings.resolved_database_url)
    try:
        prepare(db)
    except BaseException:
        db.close()
        raise
    return db


def locked(
    settings: Settings,
    stage: str,
    run: Callable[[], str | None],
    *,
    busy_is_error: bool = True,
) -> str | None:
    """Run a stage holding its lock. A taken lock is the failure line, or
    :class:`StageSkipped` when ``busy_is_error`` is off. Runs of the stage still "bezig"
    belong to a process that died (we hold its lock): marked "afgebroken" first."""
    try:
        db = database(settings)
    except SchemaError:
        raise  # not a stage failure: the command refuses the database (exit code 3)
    except DatabaseError as exc:
        return str(exc)
    try:
        with stage_lock(db, stage):
            runs_of = (stage, *(r for r, lock in LOCK_OF_RUN.items() if lock == stage))
            with db.transaction() as conn:
                dead = mirror.abandon_runs(conn, runs_of)
            if dead:
                log.warning(
                    "%s: %d run(s) van een gestopt proces als afgebroken gemarkeerd", stage, dead
                )
            db.close()  # the lock lives on its own connection (or file)
            return run()
    except StageBusy as exc:
        if busy_is_error:
            return str(exc)
        raise StageSkipped(str(exc)) from exc
    except DatabaseError as exc:
        return str(exc)
    finally:
        db.close()


# -- the stages -------------------------------------------------------------------------------


def sync_stage(
    settings: Settings, quiet: bool, categories: tuple[str, ...] = (), *, reparse: bool = False
) -> str | None:
    """Run the sync (or re-parse) and print its report."""
    chosen: list[str] = []
    for name in categories:
        found = by_name_casefold(name)
        if found is None:
            raise StageUsageError(
                f"onbekende categorie {name!r}; kies uit: {', '.join(CATEGORIES)}"
            )
        chosen.append(found)
    todo = chosen or list(CATEGORIES)
    progress = ConsoleProgress(enabled=not quiet)
    with database(settings) as db:
        try:
            with progress:  # the runner records its run (kamerwatch.runs.recorded)
                if reparse:
                    report = run_reparse(db, todo, settings.sync_workers, progress)
                else:
                    options = ClientOptions(
                        base_url=settings.feed_base,
                        timeout=settings.request_timeout,
                        max_retries=settings.max_retries,
                        backoff=settings.retry_backoff,
                        pause=settings.politeness_pause,
                        max_page_bytes=settings.feed_page_max_mb * 1024 * 1024,
                        deadline=settings.request_deadline,
                    )
                    report = run_sync(db, options, todo, settings.sync_workers, progress)
        except (SyncError, DatabaseError) as exc:
            return str(exc)
    print_sync_report(report, reparse=reparse)
    if report.errors:
        more = f" (en {len(report.errors) - 1} meer)" if len(report.errors) > 1 else ""
        return report.errors[0] + more
    return None


def _unchanged(
    db: Database, stage: str, key: str, inputs: tuple[str, ...], outputs: tuple[str, ...]
) -> tuple[bool, str]:
    """(whether ``stage`` may be skipped: its stamp is the one it stored when it last found
    nothing left to do; the inputs part of the stamp, read now, to store after a run)."""
    before = f"{key}|{stamps.aggregates(db.conn, inputs)}"
    now = f"{before}|{stamps.aggregates(db.conn, outputs)}"
    return stamps.stored(db.conn, stage) == now, before


def _settle(db: Database, stage: str, before: str, outputs: tuple[str, ...], done: bool) -> None:
    """After a run: store its stamp when it left nothing to do (else forget the old one)."""
    with db.transaction() as conn:
        if done:
            stamps.store(conn, stage, f"{before}|{stamps.aggregates(conn, outputs)}")
        else:
            stamps.forget(conn, stage)


def _skipped(db: Database, stage: str) -> None:
    """Record a run that had nothing to do (``status`` and /healthz see the stage is alive)."""
    with recorded(db, stage) as run:
        run.message = "niets veranderd"


def fetch_stage(settings: Settings, quiet: bool, *, skip_unchanged: bool = False) -> str | None:
    """Download the files of the mirror (``skip_unchanged``: not when no row that names a
    file and no recorded file changed since a run that left nothing to do; the command
    itself always checks every file on disk)."""
    options = FetchOptions(
        base_url=settings.feed_base,
        files_dir=settings.resolved_files_dir,
        workers=max(1, settings.download_workers),
        timeout=settings.request_timeout,
        max_retries=min(settings.max_retries, 3),
        backoff=settings.retry_backoff,
        pause=settings.politeness_pause,
        max_bytes=settings.max_file_mb * 1024 * 1024,
        deadline=settings.download_deadline,
    )
    with database(settings) as db:
        key = str(options.files_dir)
        same, before = _unchanged(
            db, "fetch-documents", key, stamps.FETCH_INPUTS, stamps.FETCH_OUTPUTS
        )
        if skip_unchanged and same:
            _skipped(db, "fetch-documents")
            out.print("bestanden: niets veranderd sinds de vorige keer")
            return None
        try:
            with (
                recorded(db, "fetch-documents") as run,
                StageProgress("bestanden downloaden", None, enabled=not quiet) as bar,
            ):
                report = run_fetch(
                    db, options, progress=lambda done, total: bar.update(done, total)
                )
                run.entries = report.downloaded + report.adopted
                if report.failed or report.throttled:
                    run.message = f"{report.failed} mislukt, {report.throttled} overgeslagen"
        except StageError as exc:
            return str(exc)
        done = not (report.failed or report.throttled)
        _settle(db, "fetch-documents", before, stamps.FETCH_OUTPUTS, done)
    out.print(
        f"{getal(report.wanted)} bestanden nodig: {getal(report.present)} al aanwezig, "
        f"{getal(report.downloaded)} gedownload ({kommagetal(report.bytes / 1e6)} MB, "
        f"{getal(report.new_versions)} nieuwe versies), {getal(report.adopted)} hervat, "
        f"{getal(report.failed)} mislukt, {getal(report.throttled)} overgeslagen (te vaak mislukt of te "
        "groot; zie `kamerwatch status`)"
    )
    return None


def convert_stage(settings: Settings, quiet: bool, *, skip_unchanged: bool = False) -> str | None:
    """Text and previews of the stored files, then the speaking times of the verslagen
    (``skip_unchanged``: not when no file and no conversion changed since a run that left
    nothing to do)."""
    with database(settings) as db:
        key = f"{settings.ocr_max_pages > 0 and ocr_available()}"
        same, before = _unchanged(db, "convert", key, stamps.CONVERT_INPUTS, stamps.CONVERT_OUTPUTS)
        if skip_unchanged and same:
            _skipped(db, "convert")
            out.print("omzetten: niets veranderd sinds de vorige keer")
            return None
        try:
            with recorded(db, "convert") as run:
                with StageProgress("bestanden omzetten", None, enabled=not quiet) as bar:
                    report = run_convert(
                        db,
                        workers=2,
                        progress=lambda done, total: bar.update(done, total),
                        ocr_max_pages=settings.ocr_max_pages,
                        files_dir=settings.resolved_files_dir,
                        time_limit=settings.convert_time_limit,
                        memory_mb=settings.convert_memory_mb,
                    )
                spoken = run_speaking(db, files_dir=settings.resolved_files_dir)
                run.entries = report.converted + report.failed
                run.message = f"{report.failed} mislukt" if report.failed else None
        except OSError as exc:
            return f"omzetten: {exc}"
        _settle(db, "convert", before, stamps.CONVERT_OUTPUTS, not report.failed)
    methods = ", ".join(f"{getal(n)} {m}" for m, n in sorted(report.by_method.items()))
    out.print(
        f"omzetten: {getal(report.todo)} te doen, {getal(report.converted)} gelukt, {getal(report.failed)} "
        f"mislukt{(' (' + methods + ')') if methods else ''}"
    )
    for reason, n in sorted(report.reasons.items(), key=lambda kv: -kv[1])[:5]:
        out.print(f"  {getal(n)}× {reason}")
    if spoken.todo:
        out.print(
            f"spreektijd: {getal(spoken.read)} verslagen gelezen ({getal(spoken.speakers)} sprekers), "
            f"{getal(spoken.failed)} onleesbaar"
            + (
                f", {getal(spoken.implausible)} fragmenten met onwaarschijnlijke tijden (zie log)"
                if spoken.implausible
                else ""
            )
        )
    return None


REBUILT_FOR_RULES = "opnieuw opgebouwd: de regels voor woorden en samenstellingen zijn veranderd"


def index_stage(settings: Settings, quiet: bool, *, rebuild: bool = False) -> str | None:
    """Bring the full-text index up to date."""
    with database(settings) as db:
        try:
            with (
                recorded(db, "index") as run,
                StageProgress("index bijwerken", None, enabled=not quiet) as bar,
            ):
                report = run_index(
                    db.conn,
                    rebuild=rebuild,
                    progress=lambda kind, n: bar.update(n),
                    batch=max(1, settings.index_batch),
                )
                run.entries = report.added + report.updated
                if report.new_rules:
                    run.message = REBUILT_FOR_RULES
                elif not report.read:
                    run.message = "niets veranderd"
        except errors() as exc:
            return f"index: {exc}"
    if report.new_rules:
        out.print(f"index: {REBUILT_FOR_RULES}")
    out.print(
        f"index: {getal(report.added)} nieuw, {getal(report.updated)} bijgewerkt, {getal(report.removed)} "
        f"verwijderd, {getal(report.unchanged)} ongewijzigd"
    )
    return None


def analyse_stage(settings: Settings, quiet: bool, *, force: bool = False) -> str | None:
    """Bring the tables of the analysis pages up to date: only the parts whose inputs changed
    (the votes vote by vote), or every part with ``force``."""
    with database(settings) as db:
        try:
            with recorded(db, "analyse") as run, db.transaction() as conn:
                done = analyse.refresh(
                    conn, today=date.today(), coalition_on=kabinetten.coalition_on, force=force
                )
                run.entries = done.entries
                run.message = done.message()
        except errors() as exc:
            return f"analyse: {exc}"
    out.print(f"analyse: {done.message()}")
    return None


def woo_stage(settings: Settings, quiet: bool) -> str | None:
    """Harvest open.overheid.nl."""
    options = WooOptions(
        root=settings.woo_url.rstrip("/"),
        start=date.fromisoformat(settings.woo_start),
        files_dir=settings.resolved_files_dir,
        pause=settings.woo_pause,
        timeout=settings.request_timeout,
        max_retries=min(settings.max_retries, 3),
        backoff=settings.retry_backoff,
        max_bytes=settings.max_file_mb * 1024 * 1024,
    )
    with database(settings) as db:
        try:
            with (
                recorded(db, "woo") as run,
                StageProgress("Woo-publicaties ophalen", None, enabled=not quiet) as bar,
            ):
                report = run_harvest(db, options, progress=lambda what, n: bar.update(n))
                run.entries = report.details
                run.message = "; ".join(report.errors[:3]) or None
        except WooUnavailable as exc:
            return f"woo: {exc}"
    out.print(
        f"woo: {getal(report.days)} dagen, {getal(report.pages)} lijstpagina's, {getal(report.new)} nieuw, "
        f"{getal(report.changed)} gewijzigd, {getal(report.details)} details, {getal(report.withdrawn)} "
        f"ingetrokken, {getal(report.files)} bestanden ({kommagetal(report.bytes / 1e6)} MB), "
        f"{getal(report.adopted)} hervat, {getal(report.rejected)} resultaten afgewezen, "
        f"{getal(report.detail_failures + report.file_failures)} mislukt (zie `kamerwatch status`)"
    )
    listing_failed = [e for e in report.errors if e.startswith("lijst")]
    return f"woo: {listing_failed[0]}" if listing_failed else None


def debatdirect_stage(settings: Settings, quiet: bool) -> str | None:
    """Match activities to Debat Direct broadcasts."""
    options = DebatDirectOptions(
        root=settings.debatdirect_url.rstrip("/"),
        pause=settings.media_pause,
        window_back=settings.debatdirect_days,
        timeout=settings.request_timeout,
        max_retries=min(settings.max_retries, 3),
        backoff=settings.retry_backoff,
    )
    with database(settings) as db:
        try:
            with (
                recorded(db, "debatdirect") as run,
                StageProgress("Debat Direct-uitzendingen", None, enabled=not quiet) as bar,
            ):
                report = run_debatdirect(db, options, progress=lambda what, n: bar.update(n))
                run.entries = report.matched
                run.message = "; ".join(report.errors[:3]) or None
        except DebatDirectUnavailable as exc:
            return f"debatdirect: {exc}"
    out.print(
        f"debatdirect: {getal(report.days)} dagen ({getal(report.requests)} verzoeken), "
        f"{getal(report.broadcasts)} uitzendingen, {getal(report.matched)} activiteiten gekoppeld, "
        f"{getal(report.unmatched)} zonder uitzending, {getal(report.unchanged)} ongewijzigd, "
        f"{getal(report.failed_days)} dagen mislukt, {getal(report.rejected)} uitzendingen afgewezen"
    )
    return None


def official_stage(settings: Settings, quiet: bool) -> str | None:
    """Fetch official publications."""
    root = settings.officiele_publicaties_url.rstrip("/")
    options = OfficialOptions(
        root=root,
        pause=settings.media_pause,
        timeout=settings.request_timeout,
        max_retries=min(settings.max_retries, 3),
        backoff=settings.retry_backoff,
        batch=settings.officiele_batch,
        retry_base=settings.officiele_retry_hours * 3600.0,
        # a simulated repository also serves the metadata records
        metadata_root=OFFICIELE_BEKENDMAKINGEN
        if root == DEFAULT_OFFICIELE_PUBLICATIES_URL
        else root,
        sru_url=settings.sru_url if settings.officiele_sru else None,
        sru_days=settings.officiele_sru_days,
        sru_grace_days=settings.officiele_sru_grace_days,
    )
    with (
        database(settings) as db,
        recorded(db, "officiele-publicaties") as run,
        StageProgress("Officiële publicaties", None, enabled=not quiet) as bar,
    ):
        report = run_official(db, options, progress=lambda what, n: bar.update(n))
        run.entries = report.found
        run.message = "; ".join(report.errors[:3]) or None
    sru = (
        f"SRU: {getal(report.sru_days)} dagen ({getal(report.sru_requests)} verzoeken), "
        f"{getal(report.listed)} uit de lijsten, {getal(report.waiting)} wachten op een lijst; "
        if settings.officiele_sru
        else ""
    )
    out.print(
        f"officiële publicaties: {sru}{getal(report.checked)} gevraagd "
        f"({getal(report.requests)} verzoeken in totaal), {getal(report.found)} gevonden, "
        f"{getal(report.missing)} (nog) niet gepubliceerd, {getal(report.failed)} onleesbaar "
        "(zie `kamerwatch status`)"
    )
    return f"officiele-publicaties: {report.errors[0]}" if report.errors else None


def transport(settings: Settings) -> Any:
    """The mail transport of the settings: SMTP, or .eml files in <data-dir>/mail."""
    if not settings.smtp_url:
        return LogTransport(settings.data_dir / "mail")
    try:
        return SmtpTransport(
            settings.smtp_url,
            timeout=settings.request_timeout,
            retries=settings.max_retries,
            backoff=settings.retry_backoff,
        )
    except MailError as exc:
        raise StageUsageError(str(exc)) from exc


def alerts_stage(
    settings: Settings, quiet: bool, *, dry_run: bool, echo: Callable[[str], None]
) -> str | None:
    """Evaluate the due monitors and send the digests (a dry run records nothing)."""
    mail = transport(settings)
    with database(settings) as db:

        def evaluate() -> Any:
            return run_alerts(
                db,
                mail,
                base_url=settings.resolved_base_url,
                mail_from=settings.mail_from,
                now=datetime.now(UTC),
                dry_run=dry_run,
                webhooks=WebhookOptions(
                    allow_private=bool(settings.webhook_allow_private),
                    timeout=settings.webhook_timeout,
                    retry_base=settings.webhook_retry_base,
                    workers=settings.webhook_workers,
                ),
                reminder_days=settings.alerts_reminder_days,
            )

        if dry_run:
            report = evaluate()
        else:
            with recorded(db, "alerts") as run:
                report = evaluate()
                run.entries = report.sent
                if report.error:
                    run.failure = report.error
    for planned in report.planned if dry_run else []:
        echo(f"--- aan {planned.email}: {planned.subject} ({planned.hits} treffers)")
        echo(planned.text)
    verb = "zou versturen" if dry_run else "verstuurd"
    echo(
        f"alerts: {report.due} monitors aan de beurt, {report.queries} verschillende vragen, "
        f"{report.digests} digests ({report.hits} treffers); {verb}: "
        f"{report.digests if dry_run else report.sent}; wachtend: {report.pending}"
    )
    hooks = report.webhooks
    if report.webhook_deliveries or hooks.delivered or hooks.failed:
        echo(
            f"webhooks: {report.webhook_deliveries} nieuwe leveringen; afgeleverd: "
            f"{hooks.delivered}; mislukt: {hooks.failed} (opgegeven: {hooks.given_up})"
        )
    if report.error:
        return f"{report.error}; {report.pending} digest(s) blijven bewaard voor de volgende run"
    return None


# -- update -----------------------------------------------------------------------------------

Stage = tuple[str, Callable[[], str | None]]


def update_stages(settings: Settings, quiet: bool, echo: Callable[[str], None]) -> list[Stage]:
    """The stages of ``kamerwatch update``, in order (woo when ``settings.update_woo``, the
    media stages when ``settings.update_media``)."""
    woo: list[Stage] = [("woo", lambda: woo_stage(settings, quiet))] if settings.update_woo else []
    media: list[Stage] = (
        [
            ("debatdirect", lambda: debatdirect_stage(settings, quiet)),
            ("officiele-publicaties", lambda: official_stage(settings, quiet)),
        ]
        if settings.update_media
        else []
    )
    return [
        ("sync", lambda: sync_stage(settings, quiet)),
        *woo,
        *media,
        ("fetch-documents", lambda: fetch_stage(settings, quiet, skip_unchanged=True)),
        ("convert", lambda: convert_stage(settings, quiet, skip_unchanged=True)),
        ("index", lambda: index_stage(settings, quiet)),
        ("analyse", lambda: analyse_stage(settings, quiet)),
        ("alerts", lambda: alerts_stage(settings, quiet, dry_run=False, echo=echo)),
    ]


def run_stages(
    settings: Settings,
    stages: list[Stage],
    *,
    quiet: bool,
    echo_err: Callable[[str], None],
    skip_busy: bool = True,
) -> list[str]:
    """Each stage under its lock, in order; a failing stage is reported and the next
    stages still run on the data that is there. Returns the failure lines."""
    failures = []
    for name, run in stages:
        if not quiet:
            console.rule(Text(name, style="bold"))
        start = time.perf_counter()
        try:
            error = locked(settings, name, run, busy_is_error=not skip_busy)
        except StageSkipped as exc:  # another host runs it now: its work, not a failure
            echo_err(f"kamerwatch: {exc}")
            continue
        seconds = time.perf_counter() - start
        log.info("%s: %.2f s", name, seconds, extra={"stage": name, "seconds": round(seconds, 3)})
        if error:
            failures.append(f"{name}: {error}")
            echo_err(f"kamerwatch: {name} mislukt: {error}")
    return failures


def run_update(
    settings: Settings, quiet: bool, echo: Callable[[str], None], echo_err: Callable[[str], None]
) -> list[str]:
    """One cycle of every stage of ``update``."""
    return run_stages(
        settings, update_stages(settings, quiet, echo), quiet=quiet, echo_err=echo_err
    )
