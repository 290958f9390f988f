"""The ``kamerwatch`` command: wiring only (settings → stage → report)."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from kamerwatch import __version__, clitaal, logs, pipeline
from kamerwatch.config import ENV_PREFIX, Settings, SettingsError, load_settings
from kamerwatch.dutch import getal
from kamerwatch.progress import ConsoleProgress, console, out
from kamerwatch.safetext import terminal_text
from kamerwatch.store.db import Database, DatabaseError
from kamerwatch.subsystems import SchemaError, check, migrate, prepare, state
from kamerwatch.subsystems import problem as schema_problem

log = logging.getLogger("kamerwatch")

clitaal.install()  # Click's own words (usage, help, errors) in Dutch (#25.11)


class _Port(click.ParamType):
    """A TCP port, 1–65535 (``--port 99999`` used to be announced and listened elsewhere)."""

    name = "poort"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            port = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is geen poortnummer", param, ctx)
        if not 1 <= port <= 65535:
            self.fail(f"poort {port} bestaat niet (kies 1 t/m 65535)", param, ctx)
        return port


PORT = _Port()


SCHEMA_EXIT = 3  # the database's schema is behind or ahead of this code


def _echo(message: str, err: bool = False) -> None:
    """click.echo of text that may hold upstream texts: no control or bidi characters."""
    click.echo(terminal_text(message), err=err)


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, no traceback, non-zero exit."""
    _echo(f"kamerwatch: fout: {terminal_text(message)}", err=True)
    sys.exit(code)


class Context:
    def __init__(self, overrides: dict[str, Any], quiet: bool) -> None:
        self.overrides = overrides
        self.quiet = quiet

    def settings(self, **more: Any) -> Settings:
        try:
            return load_settings({**self.overrides, **more})
        except SettingsError as exc:
            fail(str(exc))

    def database(self, settings: Settings, *, upgrade: bool = False) -> Database:
        """The database for a command that writes: a new, empty one gets its schema; one
        whose schema is behind is migrated only with ``upgrade`` (``update``), else refused
        (exit code 3: run `kamerwatch db migrate`), as is one that is ahead."""
        db = self.open(settings)
        try:
            for name in prepare(db, upgrade=upgrade):
                log.info("migratie %s toegepast", name)
        except SchemaError as exc:
            db.close()
            fail(str(exc), SCHEMA_EXIT)
        except DatabaseError as exc:
            db.close()
            fail(str(exc))
        return db

    def open(self, settings: Settings) -> Database:
        """The database as it is (no schema change, no check)."""
        try:
            return Database(settings.resolved_database_url)
        except DatabaseError as exc:
            fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kamerwatch")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Map voor database, documenten en caches (KAMERWATCH_DATA_DIR; standaard ./data).",
)
@click.option(
    "--database-url",
    help="Database-URL (KAMERWATCH_DATABASE_URL; standaard sqlite:///<data-dir>/kamerwatch.sqlite3).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Geen voortgang en geen waarschuwingen: alleen fouten (stderr) en de samenvatting (stdout).",
)
@click.option("-v", "--verbose", count=True, help="Meer logregels (-vv voor debug).")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    envvar="KAMERWATCH_LOG_FORMAT",
    help="Logregels op stderr als tekst of als JSON (één object per regel).",
)
@click.pass_context
def main(
    ctx: click.Context,
    data_dir: Path | None,
    database_url: str | None,
    quiet: bool,
    verbose: int,
    log_format: str,
) -> None:
    """kamerwatch: de open data van de Tweede Kamer spiegelen, doorzoeken en volgen.

    Samenvattingen gaan naar stdout, problemen (logregels met tijd en niveau) naar stderr;
    met -q alleen fouten."""
    logs.setup(logs.level_of(quiet, verbose), log_format)
    ctx.obj = Context({"data_dir": data_dir, "database_url": database_url}, quiet)


@main.command()
@click.option("--feed-url", help="Basis-URL van de SyncFeed (…/SyncFeed/2.0; KAMERWATCH_FEED_URL).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Alleen deze categorie (herhaalbaar), bv. --category Zaak --category Document.",
)
@click.option(
    "--reparse",
    is_flag=True,
    help="Bouw de tabellen opnieuw op uit het opgeslagen ruwe logboek (zonder netwerk).",
)
@click.option(
    "--workers", type=int, help="Aantal ophaal-/parseerprocessen (standaard: 1 per kern, max 2)."
)
@click.pass_obj
def sync(
    obj: Context,
    feed_url: str | None,
    categories: tuple[str, ...],
    reparse: bool,
    workers: int | None,
) -> None:
    """Spiegel de SyncFeed in de database; hervat bij de laatst opgeslagen skiptoken."""
    settings = obj.settings(feed_url=feed_url, sync_workers=workers)
    _stage(
        lambda: pipeline.locked(
            settings,
            "sync",
            lambda: pipeline.sync_stage(settings, obj.quiet, categories, reparse=reparse),
        )
    )


STOPPED = "gestopt (SIGTERM); de volgende run gaat verder waar deze stopte"


def _stage(run: Callable[[], str | None]) -> None:
    """A stage command: SIGTERM handled as Ctrl-C (the run is closed "onderbroken"); a
    failure line is the command's error."""
    try:
        with pipeline.interruptible():
            error = run()
    except pipeline.Terminated:
        _echo(f"kamerwatch: {STOPPED}", err=True)
        sys.exit(143)
    except KeyboardInterrupt:
        fail("onderbroken; de volgende run gaat verder waar deze stopte", 130)
    except pipeline.StageUsageError as exc:
        fail(str(exc))
    except SchemaError as exc:
        fail(str(exc), SCHEMA_EXIT)
    if error:
        fail(error)


@main.command()
@click.pass_obj
def convert(obj: Context) -> None:
    """Zet gedownloade bestanden om naar tekst en een HTML-voorvertoning (PDF, DOCX, DOC,
    RTF, ODT, verslagen); mislukkingen worden met reden bewaard, de rest gaat door."""
    settings = obj.settings()
    _stage(
        lambda: pipeline.locked(
            settings, "convert", lambda: pipeline.convert_stage(settings, obj.quiet)
        )
    )


@main.command()
@click.option("--rebuild", is_flag=True, help="Bouw de index helemaal opnieuw op.")
@click.pass_obj
def index(obj: Context, rebuild: bool) -> None:
    """Werk de zoekindex bij: nieuwe, gewijzigde en verdwenen documenten, verslagen,
    activiteiten, toezeggingen en geschenken (incrementeel; lezers worden niet geblokkeerd)."""
    settings = obj.settings()
    _stage(
        lambda: pipeline.locked(
            settings, "index", lambda: pipeline.index_stage(settings, obj.quiet, rebuild=rebuild)
        )
    )


@main.command()
@click.option("--force", is_flag=True, help="Bereken opnieuw, ook als er niets veranderde.")
@click.pass_obj
def analyse(obj: Context, force: bool) -> None:
    """Bereken de tabellen van de analysepagina's (stemgedrag, fracties, ministeries) opnieuw
    als de gegevens sinds de vorige keer veranderden (en minstens één keer per dag); ook een
    stap van `update`."""
    settings = obj.settings()
    _stage(
        lambda: pipeline.locked(
            settings, "analyse", lambda: pipeline.analyse_stage(settings, obj.quiet, force=force)
        )
    )


@main.command("fetch-documents")
@click.option("--feed-url", help="Basis-URL van de SyncFeed (…/SyncFeed/2.0; KAMERWATCH_FEED_URL).")
@click.pass_obj
def fetch_documents(obj: Context, feed_url: str | None) -> None:
    """Download de bestanden (documenten, verslagen, foto's) die ontbreken of veranderd zijn.

    Een bestand telt als aanwezig als het precies contentLength bytes heeft; anders wordt
    het opnieuw opgehaald als nieuwe versie (de oude blijft bewaard). Bestanden komen in
    KAMERWATCH_FILES_DIR (standaard <data-dir>/files)."""
    settings = obj.settings(feed_url=feed_url)
    _stage(
        lambda: pipeline.locked(
            settings, "fetch-documents", lambda: pipeline.fetch_stage(settings, obj.quiet)
        )
    )


@main.command()
@click.option(
    "--woo-url", help="Wortel van open.overheid.nl (KAMERWATCH_WOO_URL; standaard de echte site)."
)
@click.option(
    "--convert/--no-convert",
    default=True,
    help="Na het ophalen de bestanden omzetten en de zoekindex bijwerken (standaard aan).",
)
@click.pass_obj
def woo(obj: Context, woo_url: str | None, convert: bool) -> None:
    """Haal Woo-publicaties van open.overheid.nl op: lijst per dag, details, bestanden.

    Begint bij de laatst volledig opgehaalde dag (eerste keer: KAMERWATCH_WOO_START,
    standaard 2025-01-01); tempo met KAMERWATCH_WOO_PAUSE (seconden, standaard 0,25).
    Hervat na een onderbreking waar hij was."""
    settings = obj.settings(woo_url=woo_url)
    stages: list[pipeline.Stage] = [("woo", lambda: pipeline.woo_stage(settings, obj.quiet))]
    if convert:
        stages += [
            ("convert", lambda: pipeline.convert_stage(settings, obj.quiet)),
            ("index", lambda: pipeline.index_stage(settings, obj.quiet)),
        ]

    def run() -> str | None:
        failures = [e for name, stage in stages if (e := pipeline.locked(settings, name, stage))]
        return "; ".join(failures) or None

    _stage(run)


@main.command()
@click.option("--feed-url", help="Basis-URL van de SyncFeed (…/SyncFeed/2.0; KAMERWATCH_FEED_URL).")
@click.option(
    "--woo/--no-woo",
    "with_woo",
    default=None,
    help="De stap woo (open.overheid.nl) meenemen (standaard: KAMERWATCH_UPDATE_WOO, aan).",
)
@click.option(
    "--loop",
    "loop_seconds",
    type=click.IntRange(min=1),
    help="Herhaal de cyclus: wacht zoveel seconden na elke cyclus (Ctrl-C of SIGTERM stopt; "
    "een lopende stap wordt netjes onderbroken en gaat de volgende keer verder).",
)
@click.pass_obj
def update(
    obj: Context, feed_url: str | None, with_woo: bool | None, loop_seconds: int | None
) -> None:
    """Eén volledige cyclus: sync → woo → debatdirect → officiële publicaties → documenten
    → omzetten → index → alerts.

    Een mislukte stap wordt gemeld en de volgende stappen werken verder met wat er is;
    de exitcode is dan niet 0."""
    settings = obj.settings(
        feed_url=feed_url, update_woo=None if with_woo is None else int(with_woo)
    )

    def cycle() -> str | None:
        logs.new_run()  # each cycle may report a problem again
        obj.database(settings, upgrade=True).close()  # `update` applies new migrations
        failures = pipeline.run_update(settings, obj.quiet, _echo, _echo_err)
        return "; ".join(failures) or None

    while True:
        if loop_seconds is None:
            _stage(cycle)
            break
        try:
            with pipeline.interruptible():
                error = cycle()
        except pipeline.Terminated:  # systemd / docker stop: a clean stop of the service
            _echo(f"kamerwatch: {STOPPED}", err=True)
            sys.exit(0)
        except KeyboardInterrupt:
            fail("onderbroken; de volgende run gaat verder waar deze stopte", 130)
        if error:
            _echo(f"kamerwatch: fout: {error}", err=True)
        try:
            with pipeline.interruptible():
                time.sleep(loop_seconds)
        except pipeline.Terminated:
            _echo("kamerwatch: gestopt (SIGTERM)", err=True)
            sys.exit(0)
        except KeyboardInterrupt:  # Ctrl-C between cycles: a clean stop
            sys.exit(0)


def _echo_err(line: str) -> None:
    _echo(line, err=True)


def _transport(settings: Settings) -> Any:
    try:
        return pipeline.transport(settings)
    except pipeline.StageUsageError as exc:
        fail(str(exc))


@main.group()
def alerts() -> None:
    """E-mailmeldingen van monitors."""


@alerts.command("run")
@click.option(
    "--dry-run", is_flag=True, help="Toon wat verstuurd zou worden; verstuur en wijzig niets."
)
@click.pass_obj
def alerts_run(obj: Context, dry_run: bool) -> None:
    """Evalueer elke monitor die aan de beurt is en verstuur de digests."""
    settings = obj.settings()
    _stage(
        lambda: pipeline.locked(
            settings,
            "alerts",
            lambda: pipeline.alerts_stage(settings, obj.quiet, dry_run=dry_run, echo=_echo),
        )
    )


@main.group()
def monitor() -> None:
    """Monitors beheren vanuit de shell."""


@monitor.command("add")
@click.argument("email")
@click.argument("kind")
@click.argument("value")
@click.option(
    "--interval",
    default="direct",
    show_default=True,
    help="direct, 5m, 1h, 1d of 1w.",
)
@click.pass_obj
def monitor_add(obj: Context, email: str, kind: str, value: str, interval: str) -> None:
    """Nieuwe monitor (KIND: zoek, zaak, persoon, commissie, activiteit, kamerstukdossier,
    toezeggingen, vraag); maakt het account aan als het nog niet bestaat."""
    from datetime import UTC, datetime

    from kamerwatch.alerts import MonitorError, add_monitor_for_email

    settings = obj.settings()
    with obj.database(settings) as db:
        try:
            mon = add_monitor_for_email(db, email, kind, value, datetime.now(UTC), interval)
        except MonitorError as exc:
            fail(str(exc))
    _echo(f"monitor {mon.id}: {mon.email} volgt {mon.description} ({mon.interval})")


@monitor.command("list")
@click.argument("email", required=False)
@click.pass_obj
def monitor_list(obj: Context, email: str | None) -> None:
    """Alle monitors, of die van één adres."""
    from kamerwatch.alerts import list_monitors_for_email

    settings = obj.settings()
    with obj.database(settings) as db:
        found = list_monitors_for_email(db, email)
    for mon in found:
        last = mon.last_run_at or "nog niet"
        _echo(
            f"{mon.id}\t{mon.email}\t{mon.kind}\t{mon.value}\t{mon.interval}\t"
            f"laatste run: {last}\ttreffers: {mon.hits}"
        )
    if not found:
        _echo("geen monitors")


@monitor.command("remove")
@click.argument("monitor_id", type=int)
@click.pass_obj
def monitor_remove(obj: Context, monitor_id: int) -> None:
    """Verwijder monitor ID."""
    from kamerwatch.alerts import remove_monitor

    settings = obj.settings()
    with obj.database(settings) as db:
        if not remove_monitor(db, monitor_id):
            fail(f"monitor {monitor_id} bestaat niet")
    _echo(f"monitor {monitor_id} verwijderd")


@main.group()
def db() -> None:
    """Beheer van de database (SQLite of PostgreSQL)."""


@db.command("migrate")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Niets veranderen; exitcode 3 als er migraties openstaan of het schema nieuwer is.",
)
@click.pass_obj
def db_migrate(obj: Context, check_only: bool) -> None:
    """Breng het databaseschema bij: voer de migraties uit die nog ontbreken.

    Dit is de enige manier waarop het schema verandert (`update` roept het ook aan; een
    nieuwe, lege database krijgt zijn schema bij het eerste gebruik). `serve` weigert een
    database waarvan het schema achterloopt of nieuwer is dan deze versie."""
    settings = obj.settings()
    db = obj.open(settings)
    try:
        found = state(db)
        if found.unknown or check_only:
            message = schema_problem(found)
            if message:
                fail(f"{db.name}: {message}", SCHEMA_EXIT)
            _echo(f"{db.name}: schema is bij ({len(found.applied)} migraties)")
            return
        ran = migrate(db)
    except DatabaseError as exc:
        fail(str(exc))
    finally:
        db.close()
    if ran:
        _echo(f"{len(ran)} migratie(s) toegepast: {', '.join(ran)}")
    else:
        _echo(f"{db.name}: schema is al bij ({len(found.applied)} migraties)")


@db.command("copy")
@click.argument("source_url")
@click.argument("target_url")
@click.pass_obj
def db_copy(obj: Context, source_url: str, target_url: str) -> None:
    """Kopieer een hele installatie van SOURCE_URL naar TARGET_URL (SQLite ⇄ PostgreSQL).

    Bijvoorbeeld: kamerwatch db copy sqlite:///data/kamerwatch.sqlite3
    postgresql://kamerwatch@dbhost/kamerwatch

    De bron moet bestaan en gegevens bevatten; het doel moet leeg zijn. Alles gaat in één transactie en wordt pas vastgelegd als het
    aantal rijen per tabel klopt. De zoekindex wordt niet gekopieerd: draai daarna
    `kamerwatch index` op het doel. De bestanden blijven in KAMERWATCH_FILES_DIR."""
    from kamerwatch.store.copy import CopyError, copy_database
    from kamerwatch.store.db import is_postgres_url, redact, sqlite_path

    if source_url == target_url:
        fail("bron en doel zijn dezelfde database")
    made: list[Path] = []  # a new SQLite target file is removed again when the copy fails
    try:  # a mistyped SQLite source must not become a new, empty database
        if not is_postgres_url(source_url) and not sqlite_path(source_url).is_file():
            fail(f"bron {redact(source_url)} bestaat niet (geen bestand {sqlite_path(source_url)})")
        if not is_postgres_url(target_url) and not sqlite_path(target_url).exists():
            made.append(sqlite_path(target_url))
        source = Database(source_url)
        target = Database(target_url)
    except DatabaseError as exc:
        fail(str(exc))
    try:
        check(source)  # the same schema on both sides: the source as this code knows it,
        prepare(target)  # the target new and empty (migrated here) or already current
    except SchemaError as exc:
        source.close()
        target.close()
        fail(str(exc), SCHEMA_EXIT)
    except DatabaseError as exc:
        source.close()
        target.close()
        fail(str(exc))
    progress = ConsoleProgress(enabled=not obj.quiet)
    problem: tuple[str, int] | None = None
    try:
        with progress:
            copied = copy_database(source, target, progress)
    except KeyboardInterrupt:
        problem = "onderbroken; het doel is onveranderd", 130
    except (CopyError, DatabaseError) as exc:
        problem = f"{exc} (het doel is onveranderd)", 1
    finally:
        source.close()
        target.close()
    if problem is not None:
        for path in made:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        fail(*problem)
    rows = sum(c.rows for c in copied)
    _echo(
        f"{len(copied)} tabellen, {getal(rows)} rijen gekopieerd naar {target.name}; "
        "aantallen gecontroleerd. Bouw nu de zoekindex: kamerwatch index"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Als JSON op stdout (voor monitoring).")
@click.option(
    "--max-age",
    "max_age",
    default=24.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Uren: een stap waarvan de laatste geslaagde run langer geleden eindigde, is verouderd.",
)
@click.pass_obj
def status(obj: Context, as_json: bool, max_age: float) -> None:
    """Hoe vers is alles: per categorie de cursor, aantallen en de laatste runs.

    Exitcode 1 als de laatste run van een stap mislukte of afbrak (ook een gedood proces
    dat nog "bezig" leek) of als een stap verouderd is (--max-age); anders 0."""
    import json
    from datetime import timedelta

    from kamerwatch.progress import print_status
    from kamerwatch.subsystems import state

    settings = obj.settings()
    db = obj.open(settings)
    try:
        found = state(db)
        if found.fresh:
            db.close()
            db = obj.database(settings)  # a new, empty database gets its schema
        elif message := schema_problem(found):
            _echo(f"kamerwatch: let op: {message}", err=True)
        states = _stage_states(db.conn, timedelta(hours=max_age))
        if as_json:
            _echo(json.dumps(status_document(db.conn, states), ensure_ascii=False, indent=2))
        else:
            print_status(db, states)
    except DatabaseError as exc:
        fail(str(exc))
    finally:
        db.close()
    problems = [s.problem for s in states if s.problem]
    for problem in problems if not as_json else []:
        _echo(f"kamerwatch: {problem}", err=True)
    if problems:
        sys.exit(1)


def _stage_states(conn: Any, max_age: Any) -> list[Any]:
    from datetime import UTC, datetime

    from kamerwatch.freshness import judge
    from kamerwatch.store import mirror
    from kamerwatch.store.locks import LOCK_OF_RUN, held_locks, lock_of

    rows = mirror.stage_runs(conn)
    busy = {lock_of(str(r[0])) for r in rows if r[3] == "bezig"}
    running = held_locks(conn, busy) if busy else set()
    return judge(rows, running, datetime.now(UTC), max_age, LOCK_OF_RUN)


def status_document(conn: Any, states: list[Any]) -> dict[str, Any]:
    """``kamerwatch status --json``: stages with their verdict, categories, files."""
    from kamerwatch.store import documents, mirror

    cursors = mirror.cursors(conn)
    files = documents.status(conn)
    return {
        "ok": all(s.ok for s in states),
        "problemen": [s.problem for s in states if s.problem],
        "stappen": [
            {
                "stap": s.stage,
                "status": s.status,
                "begonnen": s.started_at,
                "klaar": s.finished_at,
                "entries": s.entries,
                "melding": s.message,
                "laatsteGeslaagd": s.last_ok,
                "leeftijdSeconden": None if s.age_seconds is None else round(s.age_seconds),
                "verouderd": s.stale,
                "probleem": s.problem,
            }
            for s in states
        ],
        "categorieen": [
            {
                "categorie": category,
                "skiptoken": cursors[category][0] if category in cursors else None,
                "entries": cursors[category][1] if category in cursors else 0,
                "rijen": mirror.count_rows(conn, category),
                "bijgewerkt": cursors[category][2] if category in cursors else None,
            }
            for category in mirror.all_categories()
        ],
        "bestanden": {
            "nodig": files.wanted,
            "aanwezig": files.stored,
            "versies": files.versions,
            "bytes": files.bytes,
            "omgezet": files.converted,
            "omzettenMislukt": files.conversion_failures,
            "downloadsMislukt": files.download_failures,
            "overgeslagen": files.throttled,
        },
    }


@main.command()
@click.argument(
    "directory", metavar="MAP", type=click.Path(path_type=Path, exists=True, file_okay=False)
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Luisteradres.")
@click.option("--port", default=8001, show_default=True, type=PORT, help="Poort.")
@click.option("--page-size", default=250, show_default=True, type=int, help="Entries per pagina.")
def feedserver(directory: Path, host: str, port: int, page_size: int) -> None:
    """Serveer MAP met feedpagina's en bestanden zoals de echte SyncFeed dat doet."""
    from kamerwatch.sample.feedserver import serve

    console.print(f"SyncFeed-testserver op http://{host}:{port}/SyncFeed/2.0 (Ctrl-C stopt)")
    console.print(f"open.overheid.nl-simulator op http://{host}:{port} (KAMERWATCH_WOO_URL)")
    console.print(f"Debat Direct-simulator op http://{host}:{port} (KAMERWATCH_DEBATDIRECT_URL)")
    console.print(
        f"officiële publicaties op http://{host}:{port} (KAMERWATCH_OFFICIELE_PUBLICATIES_URL)"
    )
    try:
        serve(directory, host, port, page_size)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        fail(f"kan niet luisteren op {host}:{port}: {exc}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Luisteradres.")
@click.option("--port", default=8000, show_default=True, type=PORT, help="Poort.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=64),
    help="Aantal serverprocessen (elk met een eigen cache); meer dan 1 benut meer kernen.",
)
@click.pass_obj
def serve(obj: Context, host: str, port: int, workers: int) -> None:
    """De website en de JSON-API over de gespiegelde gegevens."""
    _serve(obj.settings(), host, port, workers)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--scale",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Omvang: 26 weken geschiedenis per eenheid (1 = demo, 100 = benchmark).",
)
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Zelfde seed + dag = zelfde bestanden."
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Doe alsof het deze dag is (JJJJ-MM-DD; standaard vandaag).",
)
@click.pass_obj
def sample(obj: Context, outdir: Path, scale: int, seed: int, today: Any) -> None:
    """Maak een samenhangend, verzonnen parlement als echte SyncFeed-pagina's + bestanden.

    OUTDIR krijgt feed/page-*.xml, resources/<guid> en expected.json; serveer het met
    `kamerwatch feedserver OUTDIR`. Alle personen zijn verzonnen."""
    summary = _generate_sample(
        outdir, scale=scale, seed=seed, today=today.date() if today else None, quiet=obj.quiet
    )
    out.print(
        f"{getal(summary['entries'])} entries in {getal(summary['pages'])} pagina's en "
        f"{getal(summary['resources'])} bestanden geschreven naar {outdir}"
    )


def _generate_sample(
    outdir: Path, *, scale: int, seed: int, today: Any, quiet: bool
) -> dict[str, Any]:
    from kamerwatch.progress import StageProgress
    from kamerwatch.sample.parliament import generate

    with StageProgress("voorbeeldparlement maken", None, enabled=not quiet) as bar:

        def on_day(day: Any, first: Any, last: Any) -> None:
            bar.update((day - first).days + 1, (last - first).days + 1)

        try:
            return generate(outdir, scale=scale, seed=seed, today=today, on_day=on_day)
        except OSError as exc:
            fail(f"kan niet schrijven in {outdir}: {exc}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=PORT, help="Poort van de website.")
@click.option(
    "--seed", default=1, show_default=True, type=int, help="Seed van het voorbeeldparlement."
)
@click.option("--serve/--no-serve", default=True, help="Na de update de website starten.")
@click.pass_obj
def demo(obj: Context, port: int, seed: int, serve: bool) -> None:
    """Alles in één: voorbeeldparlement maken, op loopback serveren, `update` ertegen draaien.

    Alles komt in <data-dir>/demo (een eigen database, los van een echte spiegel). Een
    tweede keer gebruikt wat er al is en start binnen seconden."""
    from datetime import date, timedelta

    from kamerwatch.sample.feedserver import FeedServer

    settings = obj.settings()
    base = settings.data_dir / "demo"
    sample_dir = base / "sample"
    if not (sample_dir / "expected.json").exists():
        console.print(f"voorbeeldparlement maken in {sample_dir} …")
        _generate_sample(sample_dir, scale=1, seed=seed, today=None, quiet=obj.quiet)
    try:
        with FeedServer(sample_dir) as server:
            console.print(f"SyncFeed-testserver: {server.url}")
            console.print(f"open.overheid.nl-simulator: {server.woo_url}")
            console.print(f"Debat Direct en officiële publicaties: {server.media_url}")
            demo_settings = obj.settings(
                data_dir=base,
                feed_url=server.url,
                politeness_pause=0.0,
                woo_url=server.woo_url,
                woo_pause=0.0,
                woo_start=(date.today() - timedelta(days=30)).isoformat(),
                update_woo=1,
                debatdirect_url=server.media_url,
                officiele_publicaties_url=server.media_url,
                sru_url=server.media_url + "/sru",
                officiele_sru_days=120,
                media_pause=0.0,
                debatdirect_days=120,
                officiele_batch=100_000,
                update_media=1,
            )
            obj.database(demo_settings, upgrade=True).close()  # as `update` does
            failures = pipeline.run_update(demo_settings, obj.quiet, _echo, _echo_err)
    except KeyboardInterrupt:
        fail("onderbroken; `make demo` gaat de volgende keer verder", 130)
    if failures:
        fail("; ".join(failures))
    from kamerwatch.progress import print_status

    db = obj.database(demo_settings)
    try:
        print_status(db)
    finally:
        db.close()
    console.print(f"De demo-gegevens staan in {base}.")
    if serve:
        _serve(demo_settings, "127.0.0.1", port)


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from kamerwatch.web.app import create_app, tune_collector

    logs.serve_setup()  # the access log, no de-duplication
    # links in mails point where this server answers, unless the base URL is set (#25.5)
    settings = dataclasses.replace(settings, base_url=settings.base_url_for(host, port))

    try:  # also in the parent with several workers: a database problem ends here, once
        app = create_app(
            settings.resolved_database_url,
            settings.base_url,
            transport=_transport(settings),
            mail_from=settings.mail_from,
            files_dir=settings.resolved_files_dir,
            metrics_allow=settings.metrics_allow,
            page_cache_mb=settings.page_cache_mb,
            today=settings.pinned_today,
            page_threads=settings.serve_page_threads,
        )
    except SchemaError as exc:
        fail(f"de website start niet: {exc}", SCHEMA_EXIT)
    except (DatabaseError, ValueError) as exc:
        fail(str(exc))
    console.print(f"kamerwatch op http://{host}:{port}/ (Ctrl-C stopt)")
    console.print(f"links in mails wijzen naar {settings.base_url} (KAMERWATCH_BASE_URL)")
    if not settings.smtp_url:
        console.print(
            "geen mailserver ingesteld (KAMERWATCH_SMTP_URL): mails worden niet verstuurd maar "
            f"elk als eigen bestand bewaard in {settings.data_dir / 'mail'}"
        )
    server = _server_options(settings)
    try:
        if workers == 1:
            tune_collector()
            uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, **server)
        else:  # each worker process builds the app from the same settings (environment)
            from kamerwatch.web.workers import WorkerStartError, supervise

            os.environ.update(settings_environment(settings))
            try:  # a listening socket per worker: the kernel spreads the connections
                supervise(host, port, workers, "kamerwatch.cli:worker_app", server)
            except WorkerStartError as exc:
                fail(f"de website start niet: {exc}")
    except OSError as exc:
        fail(f"kan niet luisteren op {host}:{port}: {exc}")


def _server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options from the settings: the guarded HTTP protocol (request head size and
    time, see ``web/protocol.py``) and forwarded headers only from trusted proxies
    (``KAMERWATCH_TRUSTED_PROXIES``: addresses or networks, comma-separated)."""
    from kamerwatch.web.protocol import PROTOCOL, configure

    configure(settings.serve_max_header_kb, settings.serve_header_timeout)
    trusted = ",".join(p.strip() for p in settings.trusted_proxies.split(",") if p.strip())
    return {
        "http": PROTOCOL,
        "timeout_keep_alive": 5,
        # X-Forwarded-For/-Proto count only from these addresses (none by default)
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }


def settings_environment(settings: Settings) -> dict[str, str]:
    """``settings`` as the environment variables that :func:`load_settings` reads."""
    out: dict[str, str] = {}
    for f in dataclasses.fields(settings):
        value = (
            settings.resolved_database_url
            if f.name == "database_url"
            else getattr(settings, f.name)
        )
        if value not in (None, ""):
            out[ENV_PREFIX + f.name.upper()] = str(value)
    return out


def worker_app() -> Any:
    """The app of one ``serve --workers N`` process (settings from the environment)."""
    from kamerwatch.web.app import create_app, tune_collector

    logs.setup_from_environment()
    settings = load_settings()
    _server_options(settings)  # the protocol limits of this worker process
    app = create_app(
        settings.resolved_database_url,
        settings.resolved_base_url,
        transport=_transport(settings),
        mail_from=settings.mail_from,
        files_dir=settings.resolved_files_dir,
        metrics_allow=settings.metrics_allow,
        page_cache_mb=settings.page_cache_mb,
        today=settings.pinned_today,
        page_threads=settings.serve_page_threads,
    )
    tune_collector()
    return app


clitaal.dutch_usage(main)


if __name__ == "__main__":  # pragma: no cover
    main()
