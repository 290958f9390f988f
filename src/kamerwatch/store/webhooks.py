"""SQL of webhooks: an account's (or one monitor's) webhook URLs and their deliveries.

The tables belong to the alerts set (``sql/alerts/0021_webhooks``). Pure storage: backoff,
signing and the network are in ``alerts/webhooks.py``."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Connection, in_list


@dataclass(frozen=True, slots=True)
class WebhookRow:
    id: int
    account_id: int
    monitor_id: int | None  # None: every monitor of the account
    url: str
    secret: str
    instead: bool  # True: instead of mail, False: besides it
    created_at: str


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    delivery_id: str
    webhook_id: int
    url: str
    secret: str
    payload: bytes
    created_at: str
    attempts: int


@dataclass(frozen=True, slots=True)
class DeliveryLog:
    delivery_id: str
    url: str
    items: int
    created_at: str
    attempts: int
    last_status: int | None
    last_error: str | None
    delivered_at: str | None
    given_up_at: str | None
    next_at: str


_COLS = "id, account_id, monitor_id, url, secret, instead, created_at"


def _row(r: tuple[object, ...]) -> WebhookRow:
    return WebhookRow(
        int(r[0]),  # type: ignore[call-overload]
        int(r[1]),  # type: ignore[call-overload]
        None if r[2] is None else int(r[2]),  # type: ignore[call-overload]
        str(r[3]),
        str(r[4]),
        bool(r[5]),
        str(r[6]),
    )


def insert_webhook(
    conn: Connection,
    account_id: int,
    monitor_id: int | None,
    url: str,
    secret: str,
    instead: bool,
    now: str,
) -> int:
    cur = conn.execute(
        "INSERT INTO webhook (account_id, monitor_id, url, secret, instead, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (account_id, monitor_id, url, secret, int(instead), now),
    )
    return int(cur.fetchone()[0])


def webhooks_of(conn: Connection, account_id: int) -> list[WebhookRow]:
    cur = conn.execute(
        f"SELECT {_COLS} FROM webhook WHERE account_id = ? ORDER BY id", (account_id,)
    )
    return [_row(r) for r in cur]


def webhooks_of_accounts(conn: Connection, account_ids: list[int]) -> dict[int, list[WebhookRow]]:
    out: dict[int, list[WebhookRow]] = {}
    for start in range(0, len(account_ids), 500):
        chunk = account_ids[start : start + 500]
        cur = conn.execute(
            f"SELECT {_COLS} FROM webhook WHERE account_id IN ({in_list(chunk)}) ORDER BY id",
            tuple(chunk),
        )
        for r in cur:
            row = _row(r)
            out.setdefault(row.account_id, []).append(row)
    return out


def delete_webhook(conn: Connection, webhook_id: int, account_id: int | None) -> bool:
    if account_id is None:
        cur = conn.execute("DELETE FROM webhook WHERE id = ?", (webhook_id,))
    else:
        cur = conn.execute(
            "DELETE FROM webhook WHERE id = ? AND account_id = ?", (webhook_id, account_id)
        )
    return cur.rowcount == 1


def delete_account_webhooks(conn: Connection, account_id: int) -> None:
    conn.execute("DELETE FROM webhook_delivery WHERE account_id = ?", (account_id,))
    conn.execute("DELETE FROM webhook WHERE account_id = ?", (account_id,))


def delete_monitor_webhooks(conn: Connection, monitor_id: int) -> None:
    conn.execute("DELETE FROM webhook WHERE monitor_id = ?", (monitor_id,))


def insert_deliveries(conn: Connection, rows: list[tuple[str, int, int, int, bytes, str]]) -> None:
    """(delivery id, webhook id, account id, items, payload, now) — due at once."""
    conn.executemany(
        "INSERT INTO webhook_delivery (delivery_id, webhook_id, account_id, items, payload,"
        " created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(d, w, a, n, p, now, now) for d, w, a, n, p, now in rows],
    )


def due_deliveries(
    conn: Connection, now: str, after: int = 0, limit: int = 500
) -> list[DeliveryRow]:
    """Pending deliveries whose next attempt is due, oldest first (webhook still there),
    with a row id above ``after``: a page at a time (payloads can be large)."""
    cur = conn.execute(
        "SELECT d.id, d.delivery_id, d.webhook_id, w.url, w.secret, d.payload, d.created_at,"
        " d.attempts FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
        " WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_at <= ?"
        " AND d.id > ? ORDER BY d.id LIMIT ?",
        (now, after, limit),
    )
    return [
        DeliveryRow(
            int(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), bytes(r[5]), str(r[6]), int(r[7])
        )
        for r in cur
    ]


def mark_delivered(conn: Connection, results: list[tuple[int, int, str]]) -> None:
    """(row id, HTTP status, now): delivered; never sent again."""
    conn.executemany(
        "UPDATE webhook_delivery SET attempts = attempts + 1, last_status = ?, last_error = NULL,"
        " delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
        [(status, now, ident) for ident, status, now in results],
    )


def mark_failed(
    conn: Connection, results: list[tuple[int, int | None, str, str, str | None]]
) -> None:
    """(row id, HTTP status or None, error, next attempt, given up at or None)."""
    conn.executemany(
        "UPDATE webhook_delivery SET attempts = attempts + 1, last_status = ?, last_error = ?,"
        " next_at = ?, given_up_at = ? WHERE id = ? AND delivered_at IS NULL",
        [(status, error, nxt, gone, ident) for ident, status, error, nxt, gone in results],
    )


def delivery_log(conn: Connection, account_id: int, limit: int = 30) -> list[DeliveryLog]:
    cur = conn.execute(
        "SELECT d.delivery_id, coalesce(w.url, ''), d.items, d.created_at, d.attempts,"
        " d.last_status, d.last_error, d.delivered_at, d.given_up_at, d.next_at"
        " FROM webhook_delivery d LEFT JOIN webhook w ON w.id = d.webhook_id"
        " WHERE d.account_id = ? ORDER BY d.id DESC LIMIT ?",
        (account_id, limit),
    )
    return [
        DeliveryLog(
            str(r[0]),
            str(r[1]),
            int(r[2]),
            str(r[3]),
            int(r[4]),
            None if r[5] is None else int(r[5]),
            None if r[6] is None else str(r[6]),
            None if r[7] is None else str(r[7]),
            None if r[8] is None else str(r[8]),
            str(r[9]),
        )
        for r in cur
    ]


def delivery_counts(conn: Connection) -> tuple[int, int]:
    """(delivered, pending) deliveries."""
    row = conn.execute(
        "SELECT count(delivered_at), count(*) - count(delivered_at) - count(given_up_at)"
        " FROM webhook_delivery"
    ).fetchone()
    return int(row[0]), int(row[1])
