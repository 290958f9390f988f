"""Webhooks: an account's new items as signed JSON to a URL, besides or instead of mail.

- **Payload**: the items of the digest (each with why it matched and which monitors found
  it), plus a ``text`` field written for chat: Slack, Mattermost and Microsoft Teams
  incoming webhooks show it as is (they ignore the other fields).
- **Signature**: ``X-Kamerwatch-Signature: sha256=<hex>``, HMAC-SHA256 over the exact body
  with the webhook's own secret; ``X-Kamerwatch-Delivery`` (also ``id`` in the body) is the
  delivery id: the same for every attempt, so a receiver can drop repeats.
- **Retries**: a delivery that fails (no connection, a timeout, a status other than 2xx) is
  tried again after ``retry_base`` seconds, doubling each time, for a day; then it is given
  up (shown on /mijn). After a 2xx it is marked delivered in its own transaction and never
  sent again; a kill between the 2xx and that mark sends it once more (at-least-once).
- **Only public hosts**: http(s) only, and the address the name resolves to *when we
  connect* must be public — loopback, private, link-local, shared, reserved and multicast
  addresses are refused (also a name that resolves to one, also after a DNS change: the
  check is in the connection itself, :class:`GuardedBackend`), unless the setting
  ``webhook_allow_private`` allows them (the tests, an intranet installation).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpcore

from kamerwatch import __version__
from kamerwatch.safetext import one_line
from kamerwatch.store import webhooks as q
from kamerwatch.store.db import Database

from .models import Hit, describe

log = logging.getLogger(__name__)

RETRY_FOR = timedelta(days=1)
MAX_URL = 2000
SIGNATURE_HEADER = "X-Kamerwatch-Signature"
DELIVERY_HEADER = "X-Kamerwatch-Delivery"


class WebhookError(ValueError):
    """A webhook URL that cannot be used; the message is Dutch."""


class Refused(OSError):
    """The host resolves to an address webhooks may not reach."""


@dataclass(frozen=True, slots=True)
class Options:
    allow_private: bool = False
    timeout: float = 10.0  # seconds per connect / read / write
    retry_base: float = 60.0  # seconds before the first retry; doubles
    workers: int = 8  # deliveries in parallel


def check_url(url: str) -> str:
    """The URL as stored, or :class:`WebhookError`: http(s), a host, no credentials."""
    url = url.strip()
    if not url:
        raise WebhookError("lege webhook-URL")
    if len(url) > MAX_URL:
        raise WebhookError(f"webhook-URL is te lang (max. {MAX_URL} tekens)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookError(f"ongeldige webhook-URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise WebhookError("een webhook-URL begint met https:// (of http://)")
    if not parts.hostname:
        raise WebhookError("de webhook-URL mist een host")
    if parts.username or parts.password:
        raise WebhookError("geen gebruikersnaam of wachtwoord in de webhook-URL")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise WebhookError("de webhook-URL bevat spaties of stuurtekens")
    del port
    return url


def shown(url: str) -> str:
    """A webhook URL for logs and run reports: scheme and host only (a chat webhook's path
    is its credential: Slack, Mattermost and Teams put the token there)."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
    except ValueError:
        return "(ongeldige URL)"
    return f"{parts.scheme}://{host}/…" if parts.path not in ("", "/") or parts.query else url


def address_allowed(address: str, allow_private: bool) -> bool:
    """Whether a webhook may connect to this IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_private:
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving the name itself and connecting only to an
    allowed address (the check is at connect time: DNS rebinding cannot slip past it)."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"naam {host} onbekend: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        allowed = [a for a in addresses if address_allowed(a, self.allow_private)]
        if not allowed or len(allowed) < len(addresses):
            refused = ", ".join(a for a in addresses if a not in allowed)
            raise httpcore.ConnectError(
                f"{host} wijst naar een niet-openbaar adres ({refused}): geweigerd"
            )
        last: Exception | None = None
        for address in allowed:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does (also the tests): compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)


@dataclass(frozen=True, slots=True)
class PayloadMonitor:
    id: int
    kind: str
    value: str


def _item_json(hit: Hit) -> str:
    """One item as JSON without its closing brace (its monitors differ per account)."""
    body = {
        "sleutel": hit.item_key,
        "soort": hit.kind,
        "nummer": hit.nummer,
        "onderwerp": hit.onderwerp,
        "fragment": hit.snippet,
        "waarom": hit.why,
        "url": hit.url,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))[:-1]


def _chat_line(hit: Hit) -> str:
    return f"• {one_line(hit.nummer)} – {one_line(hit.onderwerp)} ({one_line(hit.why)}) {hit.url}"


def payload(
    delivery_id: str,
    email: str,
    monitors: dict[int, PayloadMonitor],
    hits: list[tuple[Hit, tuple[int, ...]]],
    manage_url: str,
    now: datetime,
    made: dict[int, tuple[str, str]] | None = None,
) -> bytes:
    """The JSON body (UTF-8): ``text`` for chat, ``items`` for programs. ``made``: items
    already written in this run (by the id of their hit: its JSON without the closing brace,
    and its chat line), shared by the accounts."""
    cache = {} if made is None else made

    def written(hit: Hit) -> tuple[str, str]:
        found = cache.get(id(hit))
        if found is None:
            found = cache[id(hit)] = (_item_json(hit), _chat_line(hit))
        return found

    lines = [f"kamerwatch: {len(hits)} nieuw{'e' if len(hits) != 1 else ''} item(s)"]
    lines += [written(hit)[1] for hit, _ids in hits[:20]]
    if len(hits) > 20:
        lines.append(f"… en {len(hits) - 20} meer: {manage_url}")
    head = {
        "text": "\n".join(lines),
        "id": delivery_id,
        "bron": "kamerwatch",
        "versie": __version__,
        "tijd": now.isoformat(timespec="seconds"),
        "account": email,
        "monitors": [
            {
                "id": m.id,
                "soort": m.kind,
                "waarde": m.value,
                "omschrijving": describe(m.kind, m.value),
            }
            for m in monitors.values()
        ],
    }
    items = [
        f'{written(hit)[0]},"monitors":[{",".join(str(i) for i in ids)}]}}' for hit, ids in hits
    ]
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return (text[:-1] + ',"items":[' + ",".join(items) + "]}").encode()


def new_delivery_id() -> str:
    return secrets.token_hex(16)


@dataclass(slots=True)
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


def _post(
    pool: httpcore.ConnectionPool, row: q.DeliveryRow, timeout: float
) -> tuple[int | None, str | None]:
    """(status, error): error None = delivered."""
    headers = [
        (b"Content-Type", b"application/json; charset=utf-8"),
        (b"User-Agent", f"kamerwatch/{__version__} (webhook)".encode()),
        (SIGNATURE_HEADER.encode(), sign(row.secret, row.payload).encode()),
        (DELIVERY_HEADER.encode(), row.delivery_id.encode()),
    ]
    limits = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
    try:
        response = pool.request(
            "POST", row.url, headers=headers, content=row.payload, extensions={"timeout": limits}
        )
    except httpcore.TimeoutException as exc:
        return None, f"time-out: {exc or type(exc).__name__}"
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        return None, f"geen verbinding: {exc}"
    except (ValueError, OSError) as exc:
        return None, f"geen verbinding: {exc}"
    if 200 <= response.status < 300:
        return response.status, None
    return response.status, f"HTTP {response.status}"


def deliver(db: Database, now: datetime, options: Options) -> DeliveryReport:
    """Try every due delivery once; record the outcome of each."""
    report = DeliveryReport()
    stamp = now.isoformat(timespec="seconds")
    rows = q.due_deliveries(db.conn, stamp)
    if not rows:
        return report
    backend = GuardedBackend(options.allow_private)
    with (
        httpcore.ConnectionPool(
            network_backend=backend, max_connections=options.workers * 2, retries=0
        ) as pool,
        ThreadPoolExecutor(max_workers=max(1, options.workers)) as workers,
    ):
        while rows:  # a page of 500 at a time: the payloads stay out of memory
            outcomes = list(workers.map(lambda r: _post(pool, r, options.timeout), rows))
            _record(db, rows, outcomes, now, options, report)
            rows = q.due_deliveries(db.conn, stamp, rows[-1].id)
    return report


def _record(
    db: Database,
    rows: list[q.DeliveryRow],
    outcomes: list[tuple[int | None, str | None]],
    now: datetime,
    options: Options,
    report: DeliveryReport,
) -> None:
    stamp = now.isoformat(timespec="seconds")
    done: list[tuple[int, int, str]] = []
    failed: list[tuple[int, int | None, str, str, str | None]] = []
    for row, (status, error) in zip(rows, outcomes, strict=True):
        if error is None:
            assert status is not None
            done.append((row.id, status, stamp))
            report.delivered += 1
            continue
        wait = timedelta(seconds=options.retry_base * 2 ** min(row.attempts, 20))
        nxt = now + wait
        gone = stamp if nxt > datetime.fromisoformat(row.created_at) + RETRY_FOR else None
        failed.append((row.id, status, error[:500], nxt.isoformat(timespec="seconds"), gone))
        report.failed += 1
        report.given_up += gone is not None
        if len(report.errors) < 5:
            report.errors.append(f"webhook {shown(row.url)}: {error}")
        log.warning(
            "webhook-levering %s naar %s mislukt: %s", row.delivery_id, shown(row.url), error
        )
    with db.transaction() as conn:
        q.mark_delivered(conn, done)
        q.mark_failed(conn, failed)
