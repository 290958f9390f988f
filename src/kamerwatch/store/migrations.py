"""Named migrations, grouped in one set per subsystem, recorded in ``schema_migration``.

Each subsystem (mirror, documents, alerts, search, speaking, …) owns its tables and declares
them as a :class:`Migrations` set: a directory of frozen SQL files, one pair per migration,

    <NNNN>_<name>.sqlite.sql        the statements for SQLite
    <NNNN>_<name>.postgresql.sql    the same change in PostgreSQL's words

A migration file is history: once released it is never edited, and it never calls code
that describes today's layout (``schema.mirror_ddl()`` and the like): a new table or
column is a new file. The sets are applied in the order given to :func:`migrate` (a
subsystem that reads another's tables comes after it); within a set by name. Each
migration runs once, in a transaction, and is recorded by its name, which is unique
across all sets (the ten migrations from before the sets keep their old names).

This module knows no subsystem: the list of sets is made above the store
(``kamerwatch.subsystems``), so ``store/`` imports nothing above it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .db import Connection, Database

log = logging.getLogger(__name__)

ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class Migration:
    """One frozen step: its recorded name and its SQL for each engine."""

    subsystem: str
    name: str
    sql: dict[str, str]

    def script(self, engine: str) -> str:
        return self.sql[engine]


class MigrationError(RuntimeError):
    """A set of migrations is malformed (a file missing for one engine, a duplicate name)."""


class Migrations:
    """The migrations of one subsystem, read from the ``*.sqlite.sql`` / ``*.postgresql.sql``
    files in ``directory`` of ``package`` (shipped as package data)."""

    def __init__(self, subsystem: str, package: str | Path, directory: str = "sql") -> None:
        """``package``: a package name (the files are package data), or a directory."""
        self.subsystem = subsystem
        self.package = package
        self.directory = directory
        self._loaded: tuple[Migration, ...] | None = None

    @property
    def migrations(self) -> tuple[Migration, ...]:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def _load(self) -> tuple[Migration, ...]:
        root = (
            self.package / self.directory
            if isinstance(self.package, Path)
            else resources.files(self.package).joinpath(self.directory)
        )
        found: dict[str, dict[str, str]] = {}
        for entry in root.iterdir():
            name = entry.name
            if not name.endswith(".sql"):
                continue
            stem, _, engine = name[: -len(".sql")].rpartition(".")
            if engine not in ENGINES or not stem:
                raise MigrationError(f"{self.subsystem}: onbekend migratiebestand {name}")
            found.setdefault(stem, {})[engine] = entry.read_text(encoding="utf-8")
        out: list[Migration] = []
        for stem in sorted(found):
            missing = [e for e in ENGINES if e not in found[stem]]
            if missing:
                raise MigrationError(
                    f"{self.subsystem}: migratie {stem} mist {', '.join(missing)}-bestand"
                )
            out.append(Migration(self.subsystem, stem, found[stem]))
        return tuple(out)

    def __iter__(self) -> Iterable[Migration]:
        return iter(self.migrations)

    def __repr__(self) -> str:
        return f"Migrations({self.subsystem!r}, {len(self.migrations)} stappen)"


def ordered(sets: Sequence[Migrations]) -> list[Migration]:
    """Every migration of ``sets`` in the order they are applied; names must be unique."""
    out: list[Migration] = []
    seen: dict[str, str] = {}
    for s in sets:
        for m in s.migrations:
            if m.name in seen:
                raise MigrationError(
                    f"migratienaam {m.name} komt voor in {seen[m.name]} en {m.subsystem}"
                )
            seen[m.name] = m.subsystem
            out.append(m)
    return out


def applied(conn: Connection) -> list[str]:
    """The recorded migrations (none on a new database: no table yet)."""
    if not conn.backend.has_table(conn, "schema_migration"):
        return []
    return [row[0] for row in conn.execute("SELECT name FROM schema_migration ORDER BY name")]


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database stands against the migrations this code knows."""

    applied: tuple[str, ...]
    pending: tuple[str, ...]  # known here, not applied there: the database is behind
    unknown: tuple[str, ...]  # applied there, unknown here: the database is ahead (newer code)

    @property
    def fresh(self) -> bool:
        return not self.applied

    @property
    def current(self) -> bool:
        return not self.pending and not self.unknown


def state(conn: Connection, sets: Sequence[Migrations]) -> SchemaState:
    names = [m.name for m in ordered(sets)]
    done = applied(conn)
    known = set(names)
    done_set = set(done)
    return SchemaState(
        applied=tuple(done),
        pending=tuple(n for n in names if n not in done_set),
        unknown=tuple(n for n in done if n not in known),
    )


def migrate(db: Database, sets: Sequence[Migrations]) -> list[str]:
    """Apply the migrations of ``sets`` this database lacks, in order; returns their names.
    Several processes may call this at once: one migrates, the others find it done."""
    todo = ordered(sets)
    with db.transaction() as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
    done = set(applied(db.conn))
    ran: list[str] = []
    for m in todo:
        if m.name in done:
            continue
        with db.transaction() as conn:
            conn.backend.lock_migrations(conn)
            # re-check inside the write lock: another process may have migrated meanwhile
            exists = conn.execute("SELECT 1 FROM schema_migration WHERE name = ?", (m.name,))
            if exists.fetchone():
                continue
            conn.backend.run_script(conn, m.script(conn.backend.name))
            conn.execute(
                "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                (m.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        log.info("migratie %s (%s) toegepast", m.name, m.subsystem)
        ran.append(m.name)
    return ran
