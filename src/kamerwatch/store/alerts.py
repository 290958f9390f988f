"""SQL of the alerts layer: accounts, one-time tokens, sessions, monitors, outbox.

Pure storage: no policy (expiry lengths, rate limits, intervals) lives here, only named,
parameterised statements over typed rows. Times are ISO 8601 UTC strings.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from . import speaking, woo
from .db import Connection, in_list
from .migrations import Migrations

MIGRATIONS = Migrations("alerts", "kamerwatch.store", "sql/alerts")

# the personal RSS feed: what each sent item was, and a generation that renews its address


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


def meta_get(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def meta_set_default(conn: Connection, key: str, value: str) -> str:
    """Store ``value`` unless the key exists; returns the stored value."""
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value))
    stored = meta_get(conn, key)
    assert stored is not None
    return stored


def feed_cursors(conn: Connection) -> dict[str, int]:
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


def account_by_email(conn: Connection, email: str) -> Account | None:
    cur = conn.execute("SELECT id, email, created_at FROM account WHERE email = ?", (email,))
    return _account(cur.fetchone())


def account_by_id(conn: Connection, account_id: int) -> Account | None:
    cur = conn.execute("SELECT id, email, created_at FROM account WHERE id = ?", (account_id,))
    return _account(cur.fetchone())


def ensure_account(conn: Connection, email: str, now: str) -> Account:
    """The account of ``email``, made when new with a random secret of its own (it signs
    the account's links and dies with it)."""
    conn.execute(
        "INSERT INTO account (email, created_at, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (email, now, secrets.token_hex(16)),
    )
    found = account_by_email(conn, email)
    assert found is not None
    return found


def delete_account(conn: Connection, account_id: int, email: str) -> None:
    """The account and everything that belongs to it, including its pending mail."""
    for table in ("session", "monitor", "outbox", "sent_item"):
        conn.execute(f"DELETE FROM {table} WHERE account_id = ?", (account_id,))
    conn.execute("DELETE FROM auth_token WHERE email = ?", (email,))
    conn.execute("DELETE FROM account WHERE id = ?", (account_id,))


def all_accounts(conn: Connection) -> list[Account]:
    cur = conn.execute("SELECT id, email, created_at FROM account ORDER BY id")
    return [Account(int(r[0]), str(r[1]), str(r[2])) for r in cur]


# ------------------------------------------------------------------ tokens and sessions


def insert_token(
    conn: Connection,
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
    conn: Connection,
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


def token(conn: Connection, token_hash: str) -> TokenRow | None:
    row = conn.execute(
        "SELECT purpose, email, expires_at, used_at FROM auth_token WHERE token_hash = ?",
        (token_hash,),
    ).fetchone()
    return None if row is None else TokenRow(*row)


def use_token(conn: Connection, token_hash: str, now: str) -> bool:
    """Mark a token used; False when it was used already (single use, also under races)."""
    cur = conn.execute(
        "UPDATE auth_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
        (now, token_hash),
    )
    return cur.rowcount == 1


def insert_session(
    conn: Connection, token_hash: str, account_id: int, now: str, expires_at: str
) -> None:
    conn.execute(
        "INSERT INTO session (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash, account_id, now, expires_at),
    )


def session_account(conn: Connection, token_hash: str, now: str) -> Account | None:
    row = conn.execute(
        "SELECT a.id, a.email, a.created_at FROM session s JOIN account a ON a.id = s.account_id "
        "WHERE s.token_hash = ? AND s.expires_at > ?",
        (token_hash, now),
    ).fetchone()
    return _account(row)


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute("DELETE FROM session WHERE token_hash = ?", (token_hash,))


def purge_expired(conn: Connection, now: str) -> None:
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
    conn: Connection,
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


def find_monitor(conn: Connection, account_id: int, kind: str, value: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM monitor WHERE account_id = ? AND kind = ? AND value = ?",
        (account_id, kind, value),
    ).fetchone()
    return None if row is None else int(row[0])


def monitors(conn: Connection, account_id: int | None = None) -> list[MonitorRow]:
    sql = f"SELECT {_MONITOR_COLS} FROM monitor m JOIN account a ON a.id = m.account_id"
    if account_id is None:
        return [_monitor(r) for r in conn.execute(sql + " ORDER BY m.id")]
    cur = conn.execute(sql + " WHERE m.account_id = ? ORDER BY m.id", (account_id,))
    return [_monitor(r) for r in cur]


def monitor_by_id(conn: Connection, monitor_id: int) -> MonitorRow | None:
    row = conn.execute(
        f"SELECT {_MONITOR_COLS} FROM monitor m JOIN account a ON a.id = m.account_id "
        "WHERE m.id = ?",
        (monitor_id,),
    ).fetchone()
    return None if row is None else _monitor(row)


def delete_monitor(conn: Connection, monitor_id: int, account_id: int | None) -> bool:
    if account_id is None:
        cur = conn.execute("DELETE FROM monitor WHERE id = ?", (monitor_id,))
    else:
        cur = conn.execute(
            "DELETE FROM monitor WHERE id = ? AND account_id = ?", (monitor_id, account_id)
        )
    return cur.rowcount == 1


def set_interval(conn: Connection, monitor_id: int, account_id: int, interval: str) -> bool:
    cur = conn.execute(
        "UPDATE monitor SET interval = ? WHERE id = ? AND account_id = ?",
        (interval, monitor_id, account_id),
    )
    return cur.rowcount == 1


def advance_monitor(
    conn: Connection, monitor_id: int, cursor: dict[str, int], now: str, hits: int
) -> None:
    conn.execute(
        "UPDATE monitor SET cursor = ?, last_run_at = ?, hits = hits + ? WHERE id = ?",
        (json.dumps(cursor, sort_keys=True), now, hits, monitor_id),
    )


# ------------------------------------------------------------------ outbox


def sent_items(conn: Connection, account_id: int, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = in_list(chunk)
        cur = conn.execute(
            f"SELECT item_key FROM sent_item WHERE account_id = ? AND item_key IN ({marks})",
            (account_id, *chunk),
        )
        found.update(str(r[0]) for r in cur)
    return found


def insert_outbox(
    conn: Connection,
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
    insert_sent_items(conn, account_id, outbox_id, now, items)
    return outbox_id


def insert_sent_items(
    conn: Connection, account_id: int, outbox_id: int, now: str, items: list[SentItem]
) -> None:
    """Items handed on (``outbox_id`` 0: to webhooks only, no mail)."""
    conn.executemany(
        "INSERT INTO sent_item (account_id, item_key, monitor_id, outbox_id, "
        "found_at, title, detail, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (account_id, i.item_key, i.monitor_id, outbox_id, now, i.title, i.detail, i.url)
            for i in items
        ],
    )


def feed_items(conn: Connection, account_id: int, limit: int = 100) -> list[FeedItem]:
    """The newest items mailed to an account (its personal RSS feed)."""
    cur = conn.execute(
        "SELECT item_key, found_at, title, detail, url FROM sent_item WHERE account_id = ? "
        "ORDER BY found_at DESC NULLS LAST, outbox_id DESC NULLS LAST LIMIT ?",
        (account_id, limit),
    )
    return [FeedItem(*r) for r in cur]


def feed_generation(conn: Connection, account_id: int) -> int | None:
    row = conn.execute("SELECT feed_generation FROM account WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else int(row[0])


def account_secret(conn: Connection, account_id: int) -> tuple[str, int] | None:
    """(the account's own secret, its feed generation); None: no such account."""
    row = conn.execute(
        "SELECT secret, feed_generation FROM account WHERE id = ?", (account_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def monitor_secret(conn: Connection, monitor_id: int) -> str | None:
    """The secret of the account that owns the monitor; None: no such monitor."""
    row = conn.execute(
        "SELECT a.secret FROM monitor m JOIN account a ON a.id = m.account_id WHERE m.id = ?",
        (monitor_id,),
    ).fetchone()
    return None if row is None else str(row[0])


def renew_feed(conn: Connection, account_id: int) -> None:
    conn.execute(
        "UPDATE account SET feed_generation = feed_generation + 1 WHERE id = ?", (account_id,)
    )


def pending_outbox(conn: Connection) -> list[OutboxRow]:
    cur = conn.execute(
        "SELECT o.id, o.account_id, o.message_id, o.message, o.attempts, a.email FROM outbox o"
        " JOIN account a ON a.id = o.account_id WHERE o.sent_at IS NULL ORDER BY o.id"
    )
    return [
        OutboxRow(int(r[0]), int(r[1]), str(r[2]), bytes(r[3]), int(r[4]), str(r[5])) for r in cur
    ]


def mark_attempt(conn: Connection, outbox_id: int, error: str | None) -> None:
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error, outbox_id),
    )


def note_error(conn: Connection, outbox_id: int, error: str) -> None:
    conn.execute("UPDATE outbox SET last_error = ? WHERE id = ?", (error, outbox_id))


def mark_sent(conn: Connection, outbox_id: int, now: str) -> None:
    conn.execute("UPDATE outbox SET sent_at = ? WHERE id = ?", (now, outbox_id))


def outbox_counts(conn: Connection) -> tuple[int, int]:
    """(sent, pending) digests."""
    row = conn.execute("SELECT count(sent_at), count(*) - count(sent_at) FROM outbox").fetchone()
    return int(row[0]), int(row[1])


# ---------------------------------------------------------------- /mijn: what is followed


def last_hits(conn: Connection, monitor_ids: list[int]) -> dict[int, str]:
    """The time (UTC ISO) of each monitor's newest hit, for the monitors that have one."""
    if not monitor_ids:
        return {}
    rows = conn.execute(
        f"SELECT monitor_id, max(found_at) FROM sent_item "
        f"WHERE monitor_id IN ({in_list(monitor_ids)}) AND found_at IS NOT NULL "
        "GROUP BY monitor_id",
        monitor_ids,
    )
    return {int(r[0]): str(r[1]) for r in rows}


def _title(conn: Connection, sql: str, params: tuple[object, ...]) -> str | None:
    row = conn.execute(sql, params).fetchone()
    return None if row is None or not row[0] else str(row[0])


def followed_title(conn: Connection, kind: str, value: str) -> str | None:
    """The title of the thing a monitor follows (a zaak's subject, a person's name, …), or
    None when it is not (yet) in the mirror or the monitor follows no one thing."""
    if kind == "zaak":
        sql = "SELECT coalesce(onderwerp, titel) FROM zaak WHERE nummer = ? ORDER BY id LIMIT 1"
        return _title(conn, sql, (value,))
    if kind == "activiteit":
        return _title(
            conn, "SELECT onderwerp FROM activiteit WHERE nummer = ? ORDER BY id LIMIT 1", (value,)
        )
    if kind == "vraag":
        sql = "SELECT onderwerp FROM document WHERE document_nummer = ? ORDER BY id LIMIT 1"
        return _title(conn, sql, (value,))
    if kind == "persoon":
        row = conn.execute(
            "SELECT roepnaam, voornamen, tussenvoegsel, achternaam FROM persoon "
            "WHERE nummer = ? ORDER BY id LIMIT 1",
            (value,),
        ).fetchone()
        if row is None:
            return None
        return " ".join(str(p) for p in (row[0] or row[1], row[2], row[3]) if p) or None
    if kind == "commissie":
        return _title(
            conn,
            "SELECT naam_nl FROM commissie WHERE lower(id) = lower(?) OR upper(afkorting) = "
            "upper(?) ORDER BY id LIMIT 1",
            (value, value),
        )
    if kind == "kamerstukdossier":
        nummer, _, toevoeging = value.partition("-")
        if not nummer.isdigit():
            return None
        return _title(
            conn,
            "SELECT titel FROM kamerstukdossier WHERE nummer = ? AND coalesce(toevoeging, '') = ?"
            " ORDER BY id LIMIT 1",
            (int(nummer), toevoeging),
        )
    return None
