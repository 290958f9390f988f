"""The ``kamerwatch`` command: wiring only (settings → stage → report)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from kamerwatch import __version__
from kamerwatch.config import Settings, SettingsError, load_settings
from kamerwatch.progress import ConsoleProgress, console, print_sync_report
from kamerwatch.store.db import Database, DatabaseError

log = logging.getLogger("kamerwatch")


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, no traceback, non-zero exit."""
    click.echo(f"kamerwatch: fout: {message}", err=True)
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

    def database(self, settings: Settings) -> Database:
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
    "-q", "--quiet", is_flag=True, help="Geen voortgang, alleen fouten en de samenvatting."
)
@click.option("-v", "--verbose", count=True, help="Meer logregels (-vv voor debug).")
@click.pass_context
def main(
    ctx: click.Context, data_dir: Path | None, database_url: str | None, quiet: bool, verbose: int
) -> None:
    """kamerwatch: de open data van de Tweede Kamer spiegelen, doorzoeken en volgen."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
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
    from kamerwatch.sync.client import ClientOptions
    from kamerwatch.sync.parsers import CATEGORIES, by_name_casefold
    from kamerwatch.sync.runner import SyncError, run_reparse, run_sync

    settings = obj.settings(feed_url=feed_url, sync_workers=workers)
    chosen: list[str] = []
    for name in categories:
        found = by_name_casefold(name)
        if found is None:
            fail(f"onbekende categorie {name!r}; kies uit: {', '.join(CATEGORIES)}")
        chosen.append(found)
    todo = chosen or list(CATEGORIES)
    db = obj.database(settings)
    progress = ConsoleProgress(enabled=not obj.quiet)
    try:
        with progress:
            if reparse:
                report = run_reparse(db, todo, settings.sync_workers, progress)
            else:
                options = ClientOptions(
                    base_url=settings.feed_base,
                    timeout=settings.request_timeout,
                    max_retries=settings.max_retries,
                    backoff=settings.retry_backoff,
                    pause=settings.politeness_pause,
                )
                report = run_sync(db, options, todo, settings.sync_workers, progress)
    except KeyboardInterrupt:
        fail("onderbroken; de volgende run gaat verder waar deze stopte", 130)
    except SyncError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(str(exc))
    finally:
        db.close()
    print_sync_report(report, reparse=reparse)
    if report.errors:
        fail(
            report.errors[0]
            + (f" (en {len(report.errors) - 1} meer)" if len(report.errors) > 1 else "")
        )


@main.command()
@click.pass_obj
def status(obj: Context) -> None:
    """Hoe vers is alles: per categorie de cursor, aantallen en de laatste runs."""
    from kamerwatch.progress import print_status

    settings = obj.settings()
    db = obj.database(settings)
    try:
        print_status(db)
    finally:
        db.close()


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Luisteradres.")
@click.option("--port", default=8001, show_default=True, type=int, help="Poort.")
@click.option("--page-size", default=250, show_default=True, type=int, help="Entries per pagina.")
def feedserver(directory: Path, host: str, port: int, page_size: int) -> None:
    """Serveer een map met feedpagina's en bestanden zoals de echte SyncFeed dat doet."""
    from kamerwatch.sample.feedserver import serve

    console.print(f"SyncFeed-testserver op http://{host}:{port}/SyncFeed/2.0 (Ctrl-C stopt)")
    try:
        serve(directory, host, port, page_size)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        fail(f"kan niet luisteren op {host}:{port}: {exc}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Luisteradres.")
@click.option("--port", default=8000, show_default=True, type=int, help="Poort.")
@click.pass_obj
def serve(obj: Context, host: str, port: int) -> None:
    """De website en de JSON-API over de gespiegelde gegevens."""
    _serve(obj.settings(), host, port)


@main.command()
@click.option("--entries", default=20_000, show_default=True, help="Grootte van de testfeed.")
@click.option("--serve/--no-serve", default=True, help="Na het syncen de website starten.")
@click.option("--port", default=8000, show_default=True, type=int, help="Poort van de website.")
@click.pass_obj
def demo(obj: Context, entries: int, serve: bool, port: int) -> None:
    """Laat alles werken zonder internet: testfeed maken, serveren op loopback, syncen, website.

    Voorlopige demo: de feed is gegenereerd (geen samenhangend parlement). De gegevens komen
    in <data-dir>/demo; een tweede keer start meteen."""
    from kamerwatch.sample import benchfeed
    from kamerwatch.sample.feedserver import FeedServer
    from kamerwatch.sync.client import ClientOptions
    from kamerwatch.sync.runner import SyncError, run_sync

    settings = obj.settings()
    base = settings.data_dir / "demo"
    feed_dir = base / "feed"
    if not (feed_dir / "expected.json").exists():
        console.print(f"testfeed van {entries:,} entries maken in {feed_dir} …")
        benchfeed.generate(feed_dir, entries=entries, seed=1)
    db = obj.database(settings.__class__(data_dir=base))
    progress = ConsoleProgress(enabled=not obj.quiet)
    try:
        with FeedServer(feed_dir) as server, progress:
            console.print(f"testserver: {server.url}")
            options = ClientOptions(base_url=server.url, pause=0.0, timeout=10)
            report = run_sync(db, options, progress=progress)
    except KeyboardInterrupt:
        fail("onderbroken; `make demo` gaat de volgende keer verder", 130)
    except SyncError as exc:
        fail(str(exc))
    print_sync_report(report)
    from kamerwatch.progress import print_status

    print_status(db)
    db.close()
    console.print(f"De gespiegelde gegevens staan in {base / 'kamerwatch.sqlite3'}.")
    if serve:
        _serve(settings.__class__(data_dir=base), "127.0.0.1", port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from kamerwatch.web.app import create_app

    try:
        app = create_app(settings.resolved_database_url, settings.base_url)
    except DatabaseError as exc:
        fail(str(exc))
    console.print(f"kamerwatch op http://{host}:{port}/ (Ctrl-C stopt)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except OSError as exc:
        fail(f"kan niet luisteren op {host}:{port}: {exc}")


if __name__ == "__main__":  # pragma: no cover
    main()
