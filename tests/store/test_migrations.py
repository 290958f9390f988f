"""Migrations per subsystem: frozen SQL files, applied once in order on both engines; a
database made by the previous release's schema upgrades cleanly; the layout the code
derives from the parser specs is exactly what the migrations made (a new category or
field without its own migration fails here)."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from kamerwatch.store import schema
from kamerwatch.store.db import Database, sqlite_path
from kamerwatch.store.migrations import MigrationError, Migrations, ordered, state
from kamerwatch.subsystems import SETS, SchemaError, check, migrate, open_migrated
from kamerwatch.sync.parsers import all_specs
from tests.conftest import connect

SCHEMA_DATA = Path(__file__).parent.parent / "data" / "schema"
SRC = Path(__file__).parents[2] / "src" / "kamerwatch"


def _load_previous(url: str) -> None:
    """The schema of the previous release (``tests/data/schema/previous.*.sql``: what its
    migrations 0001–0010 made, dumped from a fresh database) into the empty ``url``."""
    if url.startswith("sqlite:///"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
        conn.executescript((SCHEMA_DATA / "previous.sqlite.sql").read_text())
        conn.close()
        return
    dump = (SCHEMA_DATA / "previous.postgresql.sql").read_text()
    dump = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(dump.encode())


def layout(url: str) -> dict[str, Any]:
    """Tables with their columns (name, type, not null), indexes with their definition."""
    conn = connect(url)
    try:
        if url.startswith("sqlite:///"):
            tables = {}
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'search_fts_%' ORDER BY name"
            ):
                tables[name] = [
                    (r[1], r[2], r[3], r[5]) for r in conn.execute(f"PRAGMA table_info({name})")
                ]
            indexes = sorted(
                conn.execute(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND sql IS NOT NULL"
                )
            )
            return {"tables": tables, "indexes": indexes}
        tables = {}
        for name, column, kind, nullable, default in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY table_name, ordinal_position"
        ):
            tables.setdefault(name, []).append((column, kind, nullable, default))
        indexes = sorted(
            tuple(r)
            for r in conn.execute(
                "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            )
        )
        functions = sorted(
            r[0] for r in conn.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'kamer%'")
        )
        return {"tables": tables, "indexes": indexes, "functions": functions}
    finally:
        conn.close()


def test_fresh_database_gets_every_migration_once(db_url: str) -> None:
    with Database(db_url) as db:
        assert state(db.conn, SETS).fresh
        with pytest.raises(SchemaError, match="db migrate"):
            check(db)
        ran = migrate(db)
        assert ran == [m.name for m in ordered(SETS)]
        assert migrate(db) == []
        check(db)  # current now


def test_previous_release_upgrades_cleanly(
    db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A database built by the previous release's migrations (frozen dump in tests/data)
    upgrades with `migrate` and ends up exactly like a new database of this release."""
    _load_previous(db_url)
    with Database(db_url) as db:
        before = state(db.conn, SETS)
        assert not before.unknown and not before.fresh
        migrate(db)
        check(db)
    if db_url.startswith("sqlite:///"):
        fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        fresh = request.getfixturevalue("pg_server").new_database()
    try:
        open_migrated(fresh).close()
        assert layout(db_url) == layout(fresh)
    finally:
        if not fresh.startswith("sqlite:///"):
            request.getfixturevalue("pg_server").drop_database(fresh)


def test_live_layout_matches_the_migrations(db_url: str) -> None:
    """Every category table has exactly the columns the parser specs give it now: a field
    or a category added to a parser without a migration of its own fails here."""
    with open_migrated(db_url) as db:
        for spec in all_specs():
            cur = db.conn.execute(f"SELECT * FROM {spec.table} WHERE 1 = 0")
            names = tuple(d[0] for d in cur.description)
            assert names == schema.columns(spec), spec.table


def test_a_new_category_table_is_a_migration_of_its_own(db_url: str) -> None:
    """The mirror's 0002 is frozen text: on a new database it creates the tables of its
    release only, so a later migration that creates a new category's table runs on a new
    database as on an old one (it used to fail there: 0002 ran the live layout)."""
    extra = Migrations("nieuw", SCHEMA_DATA, "extra_set")
    with Database(db_url) as db:
        ran = migrate(db, (*SETS, extra))
        assert ran[-1] == "0001_nieuwe_categorie"
        db.conn.execute("INSERT INTO nieuwecategorie (id, skiptoken) VALUES ('x', 1)")
        assert migrate(db, (*SETS, extra)) == []
        # the same set on an existing database of this release
    mirror = next(s for s in SETS if s.subsystem == "mirror")
    tables = re.findall(r"CREATE TABLE (\w+)", mirror.migrations[1].script("sqlite"))
    assert "nieuwecategorie" not in tables
    assert len(tables) == len(list(all_specs())) + 1  # the categories of that release + link


def test_database_ahead_of_the_code_is_refused(db_url: str) -> None:
    with open_migrated(db_url) as db:
        with db.transaction() as conn:
            conn.execute(
                "INSERT INTO schema_migration (name, applied_at) VALUES ('9999_toekomst', 'x')"
            )
        with pytest.raises(SchemaError, match=r"nieuwer.*9999_toekomst"):
            check(db)


def test_released_migration_files_never_change() -> None:
    """A released migration is history: its text is fixed by its hash (tests/data/schema/
    migrations.sha256). A new migration is a new file and a new line there."""
    recorded = {}
    for line in (SCHEMA_DATA / "migrations.sha256").read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    found = {}
    for s in SETS:
        for m in s.migrations:
            for engine, text in m.sql.items():
                key = f"{s.subsystem}/{m.name}.{engine}.sql"
                found[key] = hashlib.sha256(text.encode()).hexdigest()
    changed = [k for k in recorded if k in found and found[k] != recorded[k]]
    assert not changed, f"vrijgegeven migraties veranderd: {changed}"
    missing = sorted(set(found) - set(recorded))
    assert not missing, f"nieuwe migraties: voeg hun sha256 toe aan migrations.sha256: {missing}"


def test_a_malformed_set_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "0001_x.sqlite.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="mist postgresql"):
        _ = Migrations("x", tmp_path).migrations
    with pytest.raises(MigrationError, match="komt voor in"):
        ordered((*SETS, Migrations("mirror2", SRC / "store", "sql/mirror")))


def test_store_imports_nothing_above_it() -> None:
    """``store/`` is the bottom layer: no import of another kamerwatch package (the parser
    declarations — feed categories, Woo answers — and the pure kinds registry, votes rules
    and config excepted), also not inside functions or TYPE_CHECKING."""
    allowed = (
        "kamerwatch.store",
        "kamerwatch.sync.parsers",
        "kamerwatch.woo.parse",
        "kamerwatch.debatdirect.parse",
        "kamerwatch.publicaties.parse",
        "kamerwatch.config",
        "kamerwatch.kinds",
        "kamerwatch.votes",
    )
    bad = []
    for path in sorted((SRC / "store").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = (
                    [f"kamerwatch.{a.name}" for a in node.names]
                    if node.module == "kamerwatch"
                    else [node.module]
                )
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("kamerwatch") and not name.startswith(allowed):
                    bad.append(f"{path.relative_to(SRC)}: {name}")
    assert not bad
