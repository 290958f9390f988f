"""SQL of the alerts layer: accounts, one-time tokens, sessions, monitors, outbox.

Pure storage: no policy (expiry lengths, rate limits, intervals) lives here, only named,
parameterised statements over typed rows. Times are ISO 8601 UTC strings.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from . import speaking, woo

ALERTS_DDL = """
CREATE TABLE account (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
-- one-time tokens (login links): only the SHA-256 of the token is stored
CREATE TABLE auth_token (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    email      TEXT NOT NULL,
    ip         TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX auth_token_email ON auth_token (email, created_at);
CREATE INDEX auth_token_ip ON auth_token (ip, created_at);
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);
CREATE TABLE monitor (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    interval    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    last_run_at TEXT,
    hits        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX monitor_account ON monitor (account_id);
CREATE INDEX monitor_query ON monitor (kind, value);
-- a digest is recorded here (with its hits) before it is sent, sent_at marks delivery
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    message    BLOB NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at    TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
CREATE INDEX outbox_account ON outbox (account_id);
-- every item ever put in a digest of an account: an item is mailed at most once per user
CREATE TABLE sent_item (
    account_id INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    monitor_id INTEGER,
    outbox_id  INTEGER NOT NULL,
    PRIMARY KEY (account_id, item_key)
) WITHOUT ROWID;
CREATE INDEX document_skiptoken ON document (skiptoken);
CREATE INDEX documentactor_skiptoken ON documentactor (skiptoken);
CREATE INDEX activiteit_skiptoken ON activiteit (skiptoken);
CREATE INDEX toezegging_skiptoken ON toezegging (skiptoken)
"""


# ids never reused (a deleted account's links must not reach the next one) and a secret per
# account that signs its links (issue #21.4); SQLite needs the tables rebuilt for
# AUTOINCREMENT, PostgreSQL's identity columns never reuse an id
ACCOUNT_SECRETS_SQLITE = """
CREATE TABLE account_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    feed_generation INTEGER NOT NULL DEFAULT 0,
    secret          TEXT NOT NULL DEFAULT ''
);
INSERT INTO account_new (id, email, created_at, feed_generation)
    SELECT id, email, created_at, feed_generation FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
CREATE TABLE monitor_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    interval    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    last_run_at TEXT,
    hits        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO monitor_new SELECT id, account_id, kind, value, interval, created_at, cursor,
    last_run_at, hits FROM monitor;
DROP TABLE monitor;
ALTER TABLE monitor_new RENAME TO monitor;
CREATE INDEX monitor_account ON monitor (account_id);
CREATE INDEX monitor_query ON monitor (kind, value)
"""
ACCOUNT_SECRETS_PG = "ALTER TABLE account ADD COLUMN secret TEXT NOT NULL DEFAULT ''"
# login links asked by a browser that confirmed a login for the address before (#21.6)
KNOWN_BROWSER_DDL = "ALTER TABLE auth_token ADD COLUMN known INTEGER NOT NULL DEFAULT 0"


def give_accounts_secrets(conn: Any) -> None:
    """A random secret for every account that has none (links signed before it stop working)."""
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM account WHERE secret = '' ORDER BY id")]
    for account_id in ids:
        conn.execute(
            "UPDATE account SET secret = ? WHERE id = ?", (secrets.token_hex(16), account_id)
        )


# the personal RSS feed: what each sent item was, and a generation that renews its address
FEED_DDL = """
ALTER TABLE sent_item ADD COLUMN found_at TEXT;
ALTER TABLE sent_item ADD COLUMN title TEXT;
ALTER TABLE sent_item ADD COLUMN detail TEXT;
ALTER TABLE sent_item ADD COLUMN url TEXT;
ALTER TABLE account ADD COLUMN feed_generation INTEGER NOT NULL DEFAULT 0
"""


@dataclass(frozen=True, slots=True)
class SentItem:
    """One item put in a digest: ``title``/``detail``/``url`` also feed the personal RSS."""

    item_key: str
    monitor_id: int
    title: str
    detail: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedItem:
    item_key: str
    found_at: str | None
    title: str | None
    detail: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    email: str
    created_at: str


@dataclass(frozen=True, slots=True)
class MonitorRow:
    id: int
    account_id: int
    kind: str
    value: str
    interval: str
    created_at: str
    cursor: dict[str, int]
    last_run_at: str | None
    hits: int
    email: str = ""


@dataclass(frozen=True, slots=True)
class TokenRow:
    purpose: str
    email: str
    expires_at: str
    used_at: str | None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    account_id: int
    message_id: str
    message: bytes
    attempts: int
    email: str


# ------------------------------------------------------------------ meta / cursors


def meta_get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def meta_set_default(conn: sqlite3.Connection, key: str, value: str) -> str:
    """Store ``value`` unless the key exists; returns the stored value."""
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value))
    stored = meta_get(conn, key)
    assert stored is not None
    return stored


def feed_cursors(conn: sqlite3.Connection) -> dict[str, int]:
    """The sync position of every category: everything at or below it is in the mirror;
    plus ``Spreektijd``, the position of the speaking times read from verslagen."""
    cursors = {
        str(c): int(t) for c, t in conn.execute("SELECT category, skiptoken FROM sync_cursor")
    }
    cursors["Spreektijd"] = speaking.position(conn)
    cursors["Woo"] = woo.position(conn)
    return cursors


# ------------------------------------------------------------------ accounts


def _account(row: tuple[object, ...] | None) -> Account | None:
    return None if row is None else Account(int(row[0]), str(row[1]), str(row[2]))  # type: ignore[call-overload]


def account_by_email(conn: sqlite3.Connection, email: str) -> Account | None:
    cur = conn.execute("SELECT id, email, created_at FROM account WHERE email = ?", (email,))
    return _account(cur.fetchone())


def account_by_id(conn: sqlite3.Connection, account_id: int) -> Account | None:
    cur = conn.execute("SELECT id, email, created_at FROM account WHERE id = ?", (account_id,))
    return _account(cur.fetchone())


def ensure_account(conn: sqlite3.Connection, email: str, now: str) -> Account:
    """The account of ``email``, made when new with a random secret of its own (it signs
    the account's links and dies with it)."""
    conn.execute(
        "INSERT INTO account (email, created_at, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (email, now, secrets.token_hex(16)),
    )
    found = account_by_email(conn, email)
    assert found is not None
    return found


def delete_account(conn: sqlite3.Connection, account_id: int, email: str) -> None:
    """The account and everything that belongs to it, including its pending mail."""
    for table in ("session", "monitor", "outbox", "sent_item"):
        conn.execute(f"DELETE FROM {table} WHERE account_id = ?", (account_id,))
    conn.execute("DELETE FROM auth_token WHERE email = ?", (email,))
    conn.execute("DELETE FROM account WHERE id = ?", (account_id,))


def all_accounts(conn: sqlite3.Connection) -> list[Account]:
    cur = conn.execute("SELECT id, email, created_at FROM account ORDER BY id")
    return [Account(int(r[0]), str(r[1]), str(r[2])) for r in cur]


# ------------------------------------------------------------------ tokens and sessions


def insert_token(
    conn: sqlite3.Connection,
    token_hash: str,
    purpose: str,
    email: str,
    ip: str | None,
    now: str,
    expires_at: str,
    known: bool = False,
) -> None:
    conn.execute(
        "INSERT INTO auth_token (token_hash, purpose, email, ip, created_at, expires_at, known) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash, purpose, email, ip, now, expires_at, int(known)),
    )


def count_tokens_since(
    conn: sqlite3.Connection,
    *,
    since: str,
    email: str | None = None,
    ip: str | None = None,
    known: bool = False,
) -> int:
    """Login links made since ``since`` for ``email`` (those asked by a browser that
    confirmed a login for it before, ``known``, apart from the others) or from ``ip``."""
    if email is not None:
        row = conn.execute(
            "SELECT count(*) FROM auth_token WHERE email = ? AND created_at > ? AND known = ?",
            (email, since, int(known)),
        )
    else:
        row = conn.execute(
            "SELECT count(*) FROM auth_token WHERE ip = ? AND created_at > ?", (ip or "", since)
        )
    return int(row.fetchone()[0])


def token(conn: sqlite3.Connection, token_hash: str) -> TokenRow | None:
    row = conn.execute(
        "SELECT purpose, email, expires_at, used_at FROM auth_token WHERE token_hash = ?",
        (token_hash,),
    ).fetchone()
    return None if row is None else TokenRow(*row)


def use_token(conn: sqlite3.Connection, token_hash: str, now: str) -> bool:
    """Mark a token used; False when it was used already (single use, also under races)."""
    cur = conn.execute(
        "UPDATE auth_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
        (now, token_hash),
    )
    return cur.rowcount == 1


def insert_session(
    conn: sqlite3.Connection, token_hash: str, account_id: int, now: str, expires_at: str
) -> None:
    conn.execute(
        "INSERT INTO session (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash, account_id, now, expires_at),
    )


def session_account(conn: sqlite3.Connection, token_hash: str, now: str) -> Account | None:
    row = conn.execute(
        "SELECT a.id, a.email, a.created_at FROM session s JOIN account a ON a.id = s.account_id "
        "WHERE s.token_hash = ? AND s.expires_at > ?",
        (token_hash, now),
    ).fetchone()
    return _account(row)


def delete_session(conn: sqlite3.Connection, token_hash: str) -> None:
    conn.execute("DELETE FROM session WHERE token_hash = ?", (token_hash,))


def purge_expired(conn: sqlite3.Connection, now: str) -> None:
    conn.execute("DELETE FROM session WHERE expires_at <= ?", (now,))


# ------------------------------------------------------------------ monitors

_MONITOR_COLS = (
    "m.id, m.account_id, m.kind, m.value, m.interval, m.created_at, m.cursor, "
    "m.last_run_at, m.hits, a.email"
)


def _monitor(row: tuple[object, ...]) -> MonitorRow:
    cursor = {str(k): int(v) for k, v in json.loads(str(row[6])).items()}
    return MonitorRow(
        id=int(row[0]),  # type: ignore[call-overload]
        account_id=int(row[1]),  # type: ignore[call-overload]
        kind=str(row[2]),
        value=str(row[3]),
        interval=str(row[4]),
        created_at=str(row[5]),
        cursor=cursor,
        last_run_at=None if row[7] is None else str(row[7]),
        hits=int(row[8]),  # type: ignore[call-overload]
        email=str(row[9]),
    )


def insert_monitor(
    conn: sqlite3.Connection,
    account_id: int,
    kind: str,
    value: str,
    interval: str,
    now: str,
    cursor: dict[str, int],
) -> int:
    cur = conn.execute(
        "INSERT INTO monitor (account_id, kind, value, interval, created_at, cursor) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (account_id, kind, value, interval, now, json.dumps(cursor, sort_keys=True)),
    )
    return int(cur.fetchone()[0])


def find_monitor(conn: sqlite3.Connection, account_id: int, kind: str, value: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM monitor WHERE account_id = ? AND kind = ? AND value = ?",
        (account_id, kind, value),
    ).fetchone()
    return None if row is None else int(row[0])


def monitors(conn: sqlite3.Connection, account_id: int | None = None) -> list[MonitorRow]:
    sql = f"SELECT {_MONITOR_COLS} FROM monitor m JOIN account a ON a.id = m.account_id"
    if account_id is None:
        return [_monitor(r) for r in conn.execute(sql + " ORDER BY m.id")]
    cur = conn.execute(sql + " WHERE m.account_id = ? ORDER BY m.id", (account_id,))
    return [_monitor(r) for r in cur]


def monitor_by_id(conn: sqlite3.Connection, monitor_id: int) -> MonitorRow | None:
    row = conn.execute(
        f"SELECT {_MONITOR_COLS} FROM monitor m JOIN account a ON a.id = m.account_id "
        "WHERE m.id = ?",
        (monitor_id,),
    ).fetchone()
    return None if row is None else _monitor(row)


def delete_monitor(conn: sqlite3.Connection, monitor_id: int, account_id: int | None) -> bool:
    if account_id is None:
        cur = conn.execute("DELETE FROM monitor WHERE id = ?", (monitor_id,))
    else:
        cur = conn.execute(
            "DELETE FROM monitor WHERE id = ? AND account_id = ?", (monitor_id, account_id)
        )
    return cur.rowcount == 1


def set_interval(conn: sqlite3.Connection, monitor_id: int, account_id: int, interval: str) -> bool:
    cur = conn.execute(
        "UPDATE monitor SET interval = ? WHERE id = ? AND account_id = ?",
        (interval, monitor_id, account_id),
    )
    return cur.rowcount == 1


def advance_monitor(
    conn: sqlite3.Connection, monitor_id: int, cursor: dict[str, int], now: str, hits: int
) -> None:
    conn.execute(
        "UPDATE monitor SET cursor = ?, last_run_at = ?, hits = hits + ? WHERE id = ?",
        (json.dumps(cursor, sort_keys=True), now, hits, monitor_id),
    )


# ------------------------------------------------------------------ outbox


def sent_items(conn: sqlite3.Connection, account_id: int, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        cur = conn.execute(
            f"SELECT item_key FROM sent_item WHERE account_id = ? AND item_key IN ({marks})",
            (account_id, *chunk),
        )
        found.update(str(r[0]) for r in cur)
    return found


def insert_outbox(
    conn: sqlite3.Connection,
    account_id: int,
    message_id: str,
    message: bytes,
    now: str,
    items: list[SentItem],
) -> int:
    cur = conn.execute(
        "INSERT INTO outbox (account_id, message_id, created_at, message) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        (account_id, message_id, now, message),
    )
    outbox_id = int(cur.fetchone()[0])
    conn.executemany(
        "INSERT INTO sent_item (account_id, item_key, monitor_id, outbox_id, "
        "found_at, title, detail, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (account_id, i.item_key, i.monitor_id, outbox_id, now, i.title, i.detail, i.url)
            for i in items
        ],
    )
    return outbox_id


def feed_items(conn: sqlite3.Connection, account_id: int, limit: int = 100) -> list[FeedItem]:
    """The newest items mailed to an account (its personal RSS feed)."""
    cur = conn.execute(
        "SELECT item_key, found_at, title, detail, url FROM sent_item WHERE account_id = ? "
        "ORDER BY found_at DESC, outbox_id DESC LIMIT ?",
        (account_id, limit),
    )
    return [FeedItem(*r) for r in cur]


def feed_generation(conn: sqlite3.Connection, account_id: int) -> int | None:
    row = conn.execute("SELECT feed_generation FROM account WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else int(row[0])


def account_secret(conn: sqlite3.Connection, account_id: int) -> tuple[str, int] | None:
    """(the account's own secret, its feed generation); None: no such account."""
    row = conn.execute(
        "SELECT secret, feed_generation FROM account WHERE id = ?", (account_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def monitor_secret(conn: sqlite3.Connection, monitor_id: int) -> str | None:
    """The secret of the account that owns the monitor; None: no such monitor."""
    row = conn.execute(
        "SELECT a.secret FROM monitor m JOIN account a ON a.id = m.account_id WHERE m.id = ?",
        (monitor_id,),
    ).fetchone()
    return None if row is None else str(row[0])


def renew_feed(conn: sqlite3.Connection, account_id: int) -> None:
    conn.execute(
        "UPDATE account SET feed_generation = feed_generation + 1 WHERE id = ?", (account_id,)
    )


def pending_outbox(conn: sqlite3.Connection) -> list[OutboxRow]:
    cur = conn.execute(
        "SELECT o.id, o.account_id, o.message_id, o.message, o.attempts, a.email FROM outbox o"
        " JOIN account a ON a.id = o.account_id WHERE o.sent_at IS NULL ORDER BY o.id"
    )
    return [
        OutboxRow(int(r[0]), int(r[1]), str(r[2]), bytes(r[3]), int(r[4]), str(r[5])) for r in cur
    ]


def mark_attempt(conn: sqlite3.Connection, outbox_id: int, error: str | None) -> None:
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error, outbox_id),
    )


def note_error(conn: sqlite3.Connection, outbox_id: int, error: str) -> None:
    conn.execute("UPDATE outbox SET last_error = ? WHERE id = ?", (error, outbox_id))


def mark_sent(conn: sqlite3.Connection, outbox_id: int, now: str) -> None:
    conn.execute("UPDATE outbox SET sent_at = ? WHERE id = ?", (now, outbox_id))


def outbox_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(sent, pending) digests."""
    row = conn.execute("SELECT count(sent_at), count(*) - count(sent_at) FROM outbox").fetchone()
    return int(row[0]), int(row[1])
