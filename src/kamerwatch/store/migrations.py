"""Named migrations, recorded in ``schema_migration``. Each runs once, in order, in a transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import schema
from .db import POSTGRESQL, Connection, dialect

if TYPE_CHECKING:
    from .db import Database

log = logging.getLogger(__name__)

Migration = tuple[str, Callable[[Any], None]]
MIGRATION_LOCK = 0x6B77_0001  # PostgreSQL advisory lock key: one migrating process at a time


def run_script(conn: Connection, script: str) -> None:
    """Execute DDL statements one by one (``executescript`` would COMMIT the transaction).
    The SQLite DDL of this package is translated for PostgreSQL (``pg.ddl``)."""
    if dialect(conn) == POSTGRESQL:
        from .pg import ddl

        script = ddl(script)
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _core(conn: Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE sync_cursor (
            category   TEXT PRIMARY KEY,
            skiptoken  INTEGER NOT NULL,
            entries    INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        -- Append-only log of every feed entry as received (zlib-compressed <entry> XML).
        CREATE TABLE raw_entry (
            skiptoken INTEGER PRIMARY KEY,
            category  TEXT NOT NULL,
            id        TEXT NOT NULL,
            updated   TEXT,
            enclosure TEXT,
            xml       BLOB NOT NULL
        );
        CREATE INDEX raw_entry_category ON raw_entry (category, skiptoken);
        CREATE TABLE sync_run (
            id          INTEGER PRIMARY KEY,
            stage       TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            status      TEXT NOT NULL,
            entries     INTEGER NOT NULL DEFAULT 0,
            message     TEXT
        );
        CREATE TABLE unknown_element (
            category   TEXT NOT NULL,
            name       TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            example_id TEXT,
            PRIMARY KEY (category, name)
        );
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT
        );
        """,
    )


def _mirror(conn: Connection) -> None:
    run_script(conn, schema.mirror_ddl())


def _dashboard_indexes(conn: Connection) -> None:
    """Indexes for the dashboards: open questions, open commitments, recent gifts."""
    run_script(
        conn,
        """
        CREATE INDEX IF NOT EXISTS zaak_soort_afgedaan ON zaak (soort, afgedaan);
        CREATE INDEX IF NOT EXISTS toezegging_status ON toezegging (status);
        CREATE INDEX IF NOT EXISTS persoongeschenk_datum ON persoongeschenk (datum)
        """,
    )


def _documents(conn: Connection) -> None:
    """Stored resource files (versioned), download failures, conversions."""
    from . import documents

    run_script(conn, documents.DDL)


def _alerts(conn: Connection) -> None:
    from .alerts import ALERTS_DDL

    run_script(conn, ALERTS_DDL)


def _search(conn: Connection) -> None:
    """The full-text index (search/index.py owns its layout; search/pg.py on PostgreSQL)."""
    if dialect(conn) == POSTGRESQL:
        from kamerwatch.search.pg import DDL as PG_DDL

        conn.execute(PG_DDL)  # one script (it has a DO block): no parameters, many statements
        return
    from kamerwatch.search.index import DDL

    run_script(conn, DDL)


def _speaking(conn: Connection) -> None:
    """Speaking time per vergadering and person, read from the verslagen."""
    from . import speaking

    run_script(conn, speaking.DDL)


def _alert_feed(conn: Connection) -> None:
    """The personal RSS feed of the alerts."""
    from .alerts import FEED_DDL

    run_script(conn, FEED_DDL)


def _search_keys(conn: Connection) -> None:
    """The index with sort/facet rowids and a filter column: emptied and made anew (the next
    ``kamerwatch index`` fills it again)."""
    if dialect(conn) == POSTGRESQL:
        return  # born with the keyed layout (0006 made it)
    from kamerwatch.search.index import DDL

    for table in ("search_fts", "search_doc", "search_soort"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    run_script(conn, DDL)


def _search_fractie_tokens(conn: Connection) -> None:
    """Documents of several fracties got one filter token for all of them: the index is
    emptied (the next ``kamerwatch index`` fills it again, with one token per fractie)."""
    from kamerwatch.search.index import clear_index

    clear_index(conn)


# ---- woo subsystem (issue #23): its own tables, frozen DDL in store/woo.py ----
def _woo(conn: Connection) -> None:
    """Woo publications from open.overheid.nl (store/woo.py owns the layout)."""
    from . import woo

    run_script(conn, woo.DDL)


def _refused_entry(conn: Connection) -> None:
    """Entries refused at the parser (an id that is not a GUID); the raw log keeps them."""
    run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS refused_entry (
            skiptoken INTEGER PRIMARY KEY,
            category  TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            reason    TEXT NOT NULL,
            seen_at   TEXT NOT NULL
        )
        """,
    )


# ---- media subsystems (issue #24): Debat Direct + official publications, DDL in store/media.py
def _media(conn: Connection) -> None:
    """Debat Direct matches and official publications (store/media.py owns the layout)."""
    from . import media

    run_script(conn, media.DDL)


def _woo_position(conn: Connection) -> None:
    """A change position per Woo publication (the alerts' window, like a feed skiptoken)."""
    from . import woo

    run_script(conn, woo.POSITION_DDL)


def _account_secrets(conn: Connection) -> None:
    """Account and monitor ids never reused; a secret per account for its signed links;
    login links of known browsers counted apart."""
    from . import alerts

    if dialect(conn) == POSTGRESQL:
        conn.execute(alerts.ACCOUNT_SECRETS_PG)
    else:
        run_script(conn, alerts.ACCOUNT_SECRETS_SQLITE)
    run_script(conn, alerts.KNOWN_BROWSER_DDL)
    alerts.give_accounts_secrets(conn)


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_core", _core),
    ("0002_mirror_tables", _mirror),
    ("0003_dashboard_indexes", _dashboard_indexes),
    ("0004_documents", _documents),
    ("0005_alerts", _alerts),
    ("0006_search", _search),
    ("0007_speaking", _speaking),
    ("0008_alert_feed", _alert_feed),
    ("0009_search_keys", _search_keys),
    ("0010_search_fractie_tokens", _search_fractie_tokens),
    ("0011_woo", _woo),
    ("0012_refused_entry", _refused_entry),
    ("0013_media", _media),
    ("0014_woo_position", _woo_position),
    ("0015_account_secrets", _account_secrets),
)


def applied(conn: Connection) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    return [row[0] for row in conn.execute("SELECT name FROM schema_migration ORDER BY name")]


def migrate(db: Database) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    done = set(applied(db.conn))
    ran: list[str] = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with db.transaction() as conn:
            if dialect(conn) == POSTGRESQL:  # SQLite's BEGIN IMMEDIATE is the lock there
                conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            # re-check inside the write lock: another process may have migrated meanwhile
            exists = conn.execute("SELECT 1 FROM schema_migration WHERE name = ?", (name,))
            if exists.fetchone():
                continue
            step(conn)
            conn.execute(
                "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        log.info("migratie %s toegepast", name)
        ran.append(name)
    return ran
