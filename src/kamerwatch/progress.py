"""Terminal output for the command line: progress bars (quiet when not a TTY) and summaries."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from kamerwatch.dutch import getal, kommagetal
from kamerwatch.safetext import terminal_text
from kamerwatch.store import mirror

if TYPE_CHECKING:
    from kamerwatch.store.db import Database
    from kamerwatch.sync.runner import SyncReport


class SafeConsole(Console):
    """A rich console for text that may come from upstream: every string is printed as
    plain text (no markup, no emoji codes) without control or bidi characters
    (:func:`kamerwatch.safetext.terminal_text`); styles are given as objects instead."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(terminal_text(text), **kwargs)


console = SafeConsole(stderr=True)
out = SafeConsole(soft_wrap=True)  # summaries on stdout, one line each (logs, cron mails)


class ConsoleProgress:
    """Implements :class:`kamerwatch.sync.runner.Progress` with rich; silent off a TTY."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and console.is_terminal
        self._progress = Progress(
            TextColumn("{task.description:<32}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>9} entries/s"),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            disable=not self.enabled,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}
        self._started: dict[str, float] = {}

    def __enter__(self) -> ConsoleProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)

    def start(self, category: str, total: int | None = None) -> None:
        self._started[category] = time.monotonic()
        self._tasks[category] = self._progress.add_task(
            category, total=total, rate="", status="bezig"
        )

    def advance(self, category: str, entries: int) -> None:
        task = self._tasks.get(category)
        if task is None:
            self.start(category)
            task = self._tasks[category]
        self._progress.advance(task, entries)
        done = self._progress.tasks[task].completed
        elapsed = max(time.monotonic() - self._started[category], 1e-6)
        self._progress.update(task, rate=f"{getal(round(done / elapsed))}")

    def finish(self, category: str, status: str) -> None:
        task = self._tasks.get(category)
        if task is None:
            self.start(category)
            task = self._tasks[category]
        done = self._progress.tasks[task].completed
        self._progress.update(task, total=done, status=status)


class StageProgress:
    """One bar for a stage with a known amount of work (days, files, …); silent off a TTY."""

    def __init__(self, description: str, total: int | None, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<32}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not (enabled and console.is_terminal),
        )
        self._task = self._progress.add_task(description, total=total)

    def __enter__(self) -> StageProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)

    def update(self, completed: int, total: int | None = None) -> None:
        self._progress.update(self._task, completed=completed, total=total)


def print_sync_report(report: SyncReport, reparse: bool = False) -> None:
    verb = "herbouwd" if reparse else "nieuw"
    changed = [s for s in report.stats.values() if s.entries or s.error]
    if changed:
        table = Table(title="sync" if not reparse else "reparse", show_edge=False)
        table.add_column("categorie")
        table.add_column(f"entries {verb}", justify="right")
        table.add_column("bijgewerkt", justify="right")
        table.add_column("verwijderd", justify="right")
        table.add_column("fout")
        for s in changed:
            table.add_row(
                s.category,
                f"{getal(s.entries)}",
                f"{getal(s.applied)}",
                f"{getal(s.deleted)}",
                s.error or "",
            )
        out.print(table)
    if reparse:
        seconds = max(report.seconds, 1e-9)
        out.print(
            f"{getal(report.raw_entries)} entries in het logboek ({getal(round(report.raw_entries / seconds))}/s), "
            f"waarvan {getal(report.entries)} nieuwste versies herbouwd in {report.seconds:.1f}s; "
            f"{len(report.errors)} categorieën met fouten"
        )
        return
    out.print(
        f"{getal(report.entries)} entries {verb} in {report.seconds:.1f}s "
        f"({getal(round(report.rate))}/s); {len(report.errors)} categorieën met fouten"
    )


def print_status(db: Database, states: list[Any] | None = None) -> None:
    """The status tables; ``states`` (:func:`kamerwatch.freshness.judge`) adds the verdict
    per stage."""
    conn = db.conn
    cursors = mirror.cursors(conn)
    table = Table(title="kamerwatch status", show_edge=False)
    for col in ("categorie", "skiptoken", "entries ontvangen", "rijen", "laatst bijgewerkt"):
        table.add_column(col, justify="right" if col != "categorie" else "left")
    for category in mirror.all_categories():
        token, entries, when = cursors.get(category, (None, 0, "nooit"))
        table.add_row(
            category,
            "" if token is None else str(token),
            f"{getal(entries)}",
            f"{getal(mirror.count_rows(conn, category))}",
            when,
        )
    out.print(table)
    runs = mirror.last_runs(conn, 5)
    if runs:
        runs_table = Table(title="laatste runs", show_edge=False)
        for col in ("stage", "start", "einde", "status", "entries", "melding"):
            runs_table.add_column(col)
        for stage, start, end, state, entries, message in runs:
            runs_table.add_row(stage, start, end or "", state, f"{getal(entries)}", message or "")
        out.print(runs_table)
    if states:
        stages = Table(title="stappen", show_edge=False)
        for col in ("stap", "laatste run", "status", "laatste geslaagde run", "oordeel"):
            stages.add_column(col)
        for st in states:
            stages.add_row(
                st.stage,
                st.started_at,
                st.status,
                st.last_ok or "nooit",
                st.problem or "in orde",
            )
        out.print(stages)
    _print_documents(conn)
    _print_woo(conn)
    _print_media(conn)
    unknown = mirror.unknown_elements(conn)
    if unknown:
        out.print(f"{len(unknown)} onbekende elementen gezien (bewaard in kolom extra):")
        for category, name, first, example in unknown:
            out.print(f"  {category}: <{name}> sinds {first} (bv. {example})")
    total, refused = mirror.refused_entries(conn, 10)
    if total:
        out.print(f"{getal(total)} entries geweigerd (id geen GUID; bewaard in het ruwe log):")
        for category, token, _ident, reason, seen in refused:
            out.print(f"  {category}, skiptoken {token}: {reason} ({seen})")


def _print_woo(conn: Any) -> None:
    from kamerwatch.store import woo

    st = woo.status(conn, 10)
    if not st.by_state and not st.problems:
        return
    states = ", ".join(f"{getal(n)} {s}" for s, n in sorted(st.by_state.items()))
    files = ", ".join(f"{getal(n)} {s}" for s, n in sorted(st.files_by_state.items()))
    out.print(
        f"Woo-publicaties: {states or 'geen'}; bestanden: {files or 'geen'}; "
        f"lijst opgehaald t/m {st.cursor or 'nog niets'}"
    )
    for key, reason, attempts, when in st.problems:
        out.print(f"  {key}: {reason} ({attempts}×, laatst {when})")


def _print_media(conn: Any) -> None:
    from kamerwatch.store import media

    st = media.status(conn, 10)
    if not st.days and not st.publications and not st.problems:
        return
    days = ", ".join(f"{getal(n)} {s}" for s, n in sorted(st.days.items()))
    pubs = ", ".join(f"{getal(n)} {s}" for s, n in sorted(st.publications.items()))
    out.print(
        f"Debat Direct: dagen {days or 'geen'}; {getal(st.matches[0])} activiteiten met video, "
        f"{getal(st.matches[1])} zonder; officiële publicaties: {pubs or 'geen'}"
    )
    for key, reason, attempts, when in st.problems:
        out.print(f"  {key}: {reason} ({attempts}×, laatst {when})")


def _print_documents(conn: Any) -> None:
    from kamerwatch.store import documents

    st = documents.status(conn)
    out.print(
        f"bestanden: {getal(st.stored)} van {getal(st.wanted)} aanwezig ({getal(st.versions)} versies, "
        f"{kommagetal(st.bytes / 1e6)} MB); omgezet: {getal(st.converted)}, waarvan {getal(st.conversion_failures)} "
        f"mislukt; downloads mislukt: {getal(st.download_failures)}, tijdelijk overgeslagen: {getal(st.throttled)}"
    )
    for reason, n in st.failure_reasons:
        out.print(f"  omzetten mislukt ({getal(n)}×): {reason}")
    for f in documents.failures(conn, 10):
        until = f" — overgeslagen tot {f.retry_after}" if f.retry_after else ""
        out.print(f"  download {f.category} {f.entity_id}: {f.reason} ({f.attempts}×){until}")
