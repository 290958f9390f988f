"""The subsystems that own tables, in the order their migrations are applied.

Each subsystem declares its tables as a :class:`kamerwatch.store.migrations.Migrations`
set (a directory of frozen SQL files) next to its SQL; this module only lists them. A new
subsystem adds its set to :data:`SETS` (after the sets whose tables it reads).

The schema changes in one place: :func:`migrate`, called by ``kamerwatch db migrate`` (and
by ``update``, and by a command that finds a new, empty database). Every other command and
the web server only :func:`check` where the database stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from kamerwatch.search.index import MIGRATIONS as SEARCH
from kamerwatch.store import migrations
from kamerwatch.store.alerts import MIGRATIONS as ALERTS
from kamerwatch.store.analyse import MIGRATIONS as ANALYSE
from kamerwatch.store.changes import MIGRATIONS as CHANGES
from kamerwatch.store.dashboards import MIGRATIONS as OVERZICHT
from kamerwatch.store.dashboards import PERSOON_MIGRATIONS as PERSOON
from kamerwatch.store.db import Database, DatabaseError, errors
from kamerwatch.store.documents import MIGRATIONS as DOCUMENTS
from kamerwatch.store.media import MIGRATIONS as MEDIA
from kamerwatch.store.migrations import Migrations, SchemaState
from kamerwatch.store.mirror import MIGRATIONS as MIRROR
from kamerwatch.store.speaking import MIGRATIONS as SPEAKING
from kamerwatch.store.woo import MIGRATIONS as WOO

SETS: tuple[Migrations, ...] = (
    MIRROR,
    DOCUMENTS,
    ALERTS,
    SEARCH,
    SPEAKING,
    WOO,
    MEDIA,
    CHANGES,
    ANALYSE,
    OVERZICHT,
    PERSOON,
)


class SchemaError(DatabaseError):
    """The database's schema is not the one this code expects (behind or ahead)."""


def migrate(db: Database, sets: Sequence[Migrations] = SETS) -> list[str]:
    """Apply what the database lacks; returns the names applied."""
    try:
        return migrations.migrate(db, sets)
    except errors() as exc:
        raise DatabaseError(f"migratie van database {db.name} mislukt: {exc}") from exc


def state(db: Database, sets: Sequence[Migrations] = SETS) -> SchemaState:
    try:
        return migrations.state(db.conn, sets)
    except errors() as exc:
        raise DatabaseError(f"database {db.name} is onbruikbaar: {exc}") from exc


def problem(found: SchemaState) -> str | None:
    """A Dutch sentence saying why this code cannot use the database, or None."""
    if found.unknown:
        return (
            f"het databaseschema is nieuwer dan deze versie van kamerwatch "
            f"(onbekende migraties: {', '.join(found.unknown)}); "
            "installeer de nieuwere versie van kamerwatch"
        )
    if found.fresh:
        return "de database is nog leeg (geen schema); voer eerst `kamerwatch db migrate` uit"
    if found.pending:
        return (
            f"het databaseschema loopt achter ({len(found.pending)} migratie(s) open: "
            f"{', '.join(found.pending)}); voer eerst `kamerwatch db migrate` uit"
        )
    return None


def check(db: Database, sets: Sequence[Migrations] = SETS) -> None:
    """Raise :class:`SchemaError` unless the schema is exactly the one of this code."""
    message = problem(state(db, sets))
    if message:
        raise SchemaError(f"{db.name}: {message}")


def prepare(db: Database, *, upgrade: bool = False) -> list[str]:
    """For a command that writes: a new, empty database gets its schema (nothing to lose);
    one that is behind is migrated only with ``upgrade`` (``update``), else refused; one
    that is ahead is always refused."""
    found = state(db)
    if found.unknown or not (found.fresh or upgrade):
        check(db)
        return []
    return migrate(db)


def open_migrated(url: str) -> Database:
    """The database at ``url`` with every migration applied (tests, benchmarks, demo)."""
    db = Database(url)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db
