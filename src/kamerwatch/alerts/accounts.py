"""Password-less accounts, sessions, CSRF and monitors: the service functions of ``/mijn``.

The website calls these; they hold the policy (token lifetimes, rate limits, ownership),
``store.alerts`` holds the SQL. Tokens are random (``secrets``), only their SHA-256 is
stored; a login link does nothing by itself: the page shows a button that POSTs the token
to :func:`confirm_login`, so mail scanners that follow links log nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kamerwatch.store import alerts as q
from kamerwatch.store import webhooks as wq
from kamerwatch.store.db import Database

from .models import (
    DEFAULT_INTERVAL,
    Monitor,
    MonitorError,
    check_interval,
    normalise,
    normalise_email,
)
from .webhooks import WebhookError, check_url, new_secret

log = logging.getLogger(__name__)

LOGIN_PURPOSE = "login"
LOGIN_TTL = timedelta(minutes=30)
SESSION_TTL = timedelta(days=90)
RATE_WINDOW = timedelta(hours=1)
MAX_PER_ADDRESS = 3  # login links per address per hour (asked by unknown browsers)
MAX_PER_KNOWN = 3  # … and asked by browsers that confirmed a login for it before
MAX_WEBHOOKS = 20  # per account
MAX_PER_IP = 10  # login links per requester (IP address, IPv6 /64) per hour
SECRET_KEY = "alerts_secret"


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """A login link to mail: ``token`` goes into the URL, only its hash is stored."""

    email: str
    token: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class RateLimited:
    reason: str  # Dutch, for the page


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in browser: ``token`` goes into the HttpOnly, SameSite=Strict cookie."""

    token: str
    account_id: int
    email: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class Invalid:
    reason: str  # Dutch, for the page


def _now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_SECRETS: dict[str, bytes] = {}


def server_secret(db: Database) -> bytes:
    """A random key kept in ``meta``: signs CSRF and unsubscribe tokens (cached per file)."""
    cached = _SECRETS.get(db.url)
    if cached is not None:
        return cached
    value = q.meta_get(db.conn, SECRET_KEY)
    if value is None and db.conn.in_transaction:
        # made inside a caller's transaction that may still roll back: do not cache
        return bytes.fromhex(q.meta_set_default(db.conn, SECRET_KEY, secrets.token_hex(32)))
    if value is None:
        with db.transaction() as conn:
            value = q.meta_set_default(conn, SECRET_KEY, secrets.token_hex(32))
    _SECRETS[db.url] = bytes.fromhex(value)
    return _SECRETS[db.url]


def sign(db: Database, message: str) -> str:
    digest = hmac.new(server_secret(db), message.encode(), hashlib.sha256).digest()
    return digest[:18].hex()


# ------------------------------------------------------------------ login


def requester_key(ip: str | None) -> str | None:
    """The requester of a rate limit: the IPv4 address, or the /64 of an IPv6 address (one
    host owns a whole /64)."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def request_login(
    db: Database, email: str, ip: str | None, now: datetime, known: str = ""
) -> LoginRequest | RateLimited:
    """Make a one-time login link for ``email`` (no account is made yet). Limited per
    requester and per address; a browser that shows the ``known`` token of this address
    (:func:`known_browser_token`, given at a confirmed login) has an allowance of its own,
    so strangers asking links for someone's address cannot lock its owner out."""
    try:
        email = normalise_email(email)
    except MonitorError as exc:
        return RateLimited(str(exc))
    since = iso(now - RATE_WINDOW)
    requester = requester_key(ip)
    with db.transaction() as conn:
        is_known = bool(known) and _known_ok(db, email, known)
        limit = MAX_PER_KNOWN if is_known else MAX_PER_ADDRESS
        if q.count_tokens_since(conn, since=since, email=email, known=is_known) >= limit:
            log.warning("login-limiet per adres bereikt")
            return RateLimited(
                "Te veel inloglinks voor dit adres; probeer het over een uur opnieuw."
            )
        if requester and q.count_tokens_since(conn, since=since, ip=requester) >= MAX_PER_IP:
            log.warning("login-limiet per aanvrager bereikt voor %s", requester)
            return RateLimited("Te veel inloglinks vanaf dit adres; probeer het later opnieuw.")
        token = secrets.token_urlsafe(32)
        expires = iso(now + LOGIN_TTL)
        q.insert_token(
            conn, token_hash(token), LOGIN_PURPOSE, email, requester, iso(now), expires, is_known
        )
    return LoginRequest(email, token, expires)


def known_browser_token(db: Database, account_id: int) -> str | None:
    """The value of the long-lived cookie that marks a browser which confirmed a login for
    this account (signed with the account's secret: void when the account is deleted)."""
    found = q.account_secret(db.conn, account_id)
    if found is None:
        return None
    return f"a{account_id}.{sign(db, f'bekend:a{account_id}:{found[0]}')}"


def _known_ok(db: Database, email: str, token: str) -> bool:
    account = q.account_by_email(db.conn, email)
    if account is None:
        return False
    expected = known_browser_token(db, account.id)
    return expected is not None and hmac.compare_digest(expected, token[:100])


def check_login_token(db: Database, token: str, now: datetime) -> Invalid | None:
    """For the GET of the link page: is the token usable? Consumes nothing."""
    row = q.token(db.conn, token_hash(token))
    if row is None or row.purpose != LOGIN_PURPOSE:
        return Invalid("Deze link is ongeldig.")
    if row.used_at is not None:
        return Invalid("Deze link is al gebruikt; vraag een nieuwe aan.")
    if row.expires_at <= iso(now):
        return Invalid("Deze link is verlopen; vraag een nieuwe aan.")
    return None


def confirm_login(db: Database, token: str, now: datetime) -> Session | Invalid:
    """The POST behind the button: use the token once, make the account if new, log in."""
    hashed = token_hash(token)
    with db.transaction() as conn:
        row = q.token(conn, hashed)
        if row is None or row.purpose != LOGIN_PURPOSE:
            return Invalid("Deze link is ongeldig.")
        if row.used_at is not None:
            return Invalid("Deze link is al gebruikt; vraag een nieuwe aan.")
        if row.expires_at <= iso(now):
            return Invalid("Deze link is verlopen; vraag een nieuwe aan.")
        if not q.use_token(conn, hashed, iso(now)):
            return Invalid("Deze link is al gebruikt; vraag een nieuwe aan.")
        account = q.ensure_account(conn, row.email, iso(now))
        session = secrets.token_urlsafe(32)
        expires = iso(now + SESSION_TTL)
        q.insert_session(conn, token_hash(session), account.id, iso(now), expires)
        q.purge_expired(conn, iso(now))
    return Session(session, account.id, account.email, expires)


def session_account(db: Database, session_token: str, now: datetime) -> q.Account | None:
    if not session_token:
        return None
    return q.session_account(db.conn, token_hash(session_token), iso(now))


def logout(db: Database, session_token: str) -> None:
    with db.transaction() as conn:
        q.delete_session(conn, token_hash(session_token))


def csrf_token(db: Database, session_token: str) -> str:
    """The hidden form field of every state-changing form of this session."""
    return sign(db, "csrf:" + token_hash(session_token))


def check_csrf(db: Database, session_token: str, submitted: str) -> bool:
    return bool(session_token) and hmac.compare_digest(csrf_token(db, session_token), submitted)


def delete_account(db: Database, account_id: int) -> bool:
    """Remove the account and all its data: sessions, tokens, monitors, mail records."""
    with db.transaction() as conn:
        account = q.account_by_id(conn, account_id)
        if account is None:
            return False
        q.delete_account(conn, account.id, account.email)
        wq.delete_account_webhooks(conn, account.id)
    log.info("account %d verwijderd", account_id)
    return True


# ------------------------------------------------------------------ monitors


def _monitor(row: q.MonitorRow) -> Monitor:
    return Monitor(
        row.id,
        row.email,
        row.kind,
        row.value,
        row.interval,
        row.created_at,
        row.last_run_at,
        row.hits,
    )


def add_monitor(
    db: Database,
    account_id: int,
    kind: str,
    value: str,
    now: datetime,
    interval: str = DEFAULT_INTERVAL,
) -> Monitor:
    """A new monitor (or the existing one for the same kind and value); raises MonitorError."""
    value = normalise(kind, value)
    kind = kind.strip().lower()
    interval = check_interval(interval)
    with db.transaction() as conn:
        existing = q.find_monitor(conn, account_id, kind, value)
        if existing is None:
            # reports only what appears after now: the current sync position is its start
            existing = q.insert_monitor(
                conn, account_id, kind, value, interval, iso(now), q.feed_cursors(conn)
            )
        row = q.monitor_by_id(conn, existing)
    assert row is not None
    return _monitor(row)


def add_monitor_for_email(
    db: Database, email: str, kind: str, value: str, now: datetime, interval: str = DEFAULT_INTERVAL
) -> Monitor:
    """The shell's ``monitor add``: creates the account when needed."""
    email = normalise_email(email)
    normalise(kind, value)
    check_interval(interval)
    with db.transaction() as conn:
        account = q.ensure_account(conn, email, iso(now))
    return add_monitor(db, account.id, kind, value, now, interval)


def list_monitors(db: Database, account_id: int | None = None) -> list[Monitor]:
    return [_monitor(r) for r in q.monitors(db.conn, account_id)]


def list_monitors_for_email(db: Database, email: str | None) -> list[Monitor]:
    if email is None:
        return list_monitors(db)
    account = q.account_by_email(db.conn, email.strip().lower())
    return [] if account is None else list_monitors(db, account.id)


def has_monitor(db: Database, account_id: int, kind: str, value: str) -> int | None:
    """The bell: the id of this account's monitor on (kind, value), or None."""
    try:
        value = normalise(kind, value)
    except MonitorError:
        return None
    return q.find_monitor(db.conn, account_id, kind.strip().lower(), value)


def remove_monitor(db: Database, monitor_id: int, account_id: int | None = None) -> bool:
    """Delete a monitor; with ``account_id`` only when it belongs to that account."""
    with db.transaction() as conn:
        gone = q.delete_monitor(conn, monitor_id, account_id)
        if gone:
            wq.delete_monitor_webhooks(conn, monitor_id)
        return gone


# ------------------------------------------------------------------ webhooks


def add_webhook(
    db: Database,
    account_id: int,
    url: str,
    *,
    monitor_id: int | None = None,
    instead: bool = False,
    now: datetime | None = None,
) -> tuple[int, str]:
    """A webhook for every monitor of the account, or for one of its monitors; returns
    (id, secret). Raises :class:`WebhookError` (Dutch) for an unusable URL or monitor."""
    url = check_url(url)
    secret = new_secret()
    with db.transaction() as conn:
        if monitor_id is not None:
            row = q.monitor_by_id(conn, monitor_id)
            if row is None or row.account_id != account_id:
                raise WebhookError(f"monitor {monitor_id} bestaat niet (bij dit account)")
        if len(wq.webhooks_of(conn, account_id)) >= MAX_WEBHOOKS:
            raise WebhookError(f"hoogstens {MAX_WEBHOOKS} webhooks per account")
        ident = wq.insert_webhook(
            conn, account_id, monitor_id, url, secret, instead, iso(now or _now())
        )
    return ident, secret


def remove_webhook(db: Database, webhook_id: int, account_id: int | None = None) -> bool:
    with db.transaction() as conn:
        return wq.delete_webhook(conn, webhook_id, account_id)


def list_webhooks(db: Database, account_id: int) -> list[wq.WebhookRow]:
    return wq.webhooks_of(db.conn, account_id)


def webhook_log(db: Database, account_id: int, limit: int = 30) -> list[wq.DeliveryLog]:
    return wq.delivery_log(db.conn, account_id, limit)


def set_monitor_interval(db: Database, account_id: int, monitor_id: int, interval: str) -> bool:
    interval = check_interval(interval)
    with db.transaction() as conn:
        return q.set_interval(conn, monitor_id, account_id, interval)


# Signed links carry the id of a monitor or account and an HMAC (server key) over it and
# the owning account's own secret: when the account is deleted its secret goes with it, so
# its old links can never act on whatever later gets the same id.


def _unsubscribe_signature(db: Database, head: str) -> str | None:
    """The signature of ``m<id>`` or ``a<id>``; None when it does not exist (any more)."""
    ident = int(head[1:])
    if head[0] == "m":
        secret = q.monitor_secret(db.conn, ident)
    else:
        found = q.account_secret(db.conn, ident)
        secret = None if found is None else found[0]
    if secret is None:
        return None
    return sign(db, f"unsubscribe:{head}:{secret}")


def unsubscribe_token(db: Database, monitor_id: int) -> str:
    """The secret of the one-click unsubscribe link of one monitor (no storage needed)."""
    return f"m{monitor_id}.{_unsubscribe_signature(db, f'm{monitor_id}')}"


def unsubscribe_all_token(db: Database, account_id: int) -> str:
    """The ``List-Unsubscribe`` secret of a digest: stops every monitor of the account."""
    return f"a{account_id}.{_unsubscribe_signature(db, f'a{account_id}')}"


def feed_token(db: Database, account_id: int) -> str | None:
    """The secret of the account's personal RSS address (None: no such account). Signed, so
    nothing is stored; renewing bumps a generation number, which voids the old address."""
    found = q.account_secret(db.conn, account_id)
    if found is None:
        return None
    secret, generation = found
    return f"a{account_id}.{sign(db, f'rss:a{account_id}:{generation}:{secret}')}"


def feed_account(db: Database, token: str) -> int | None:
    """The account whose personal RSS address carries ``token``."""
    head = token.partition(".")[0]
    if head[:1] != "a" or not (head[1:].isascii() and head[1:].isdigit()) or len(head) > 19:
        return None
    account_id = int(head[1:])
    expected = feed_token(db, account_id)
    if expected is None or not hmac.compare_digest(expected, token):
        return None
    return account_id


def feed_items(db: Database, account_id: int) -> list[q.FeedItem]:
    return q.feed_items(db.conn, account_id)


def renew_feed(db: Database, account_id: int) -> None:
    with db.transaction() as conn:
        q.renew_feed(conn, account_id)


def unsubscribe(db: Database, token: str) -> int:
    """One-click unsubscribe (RFC 8058 POST); returns how many monitors were removed."""
    head, _, signature = token.partition(".")
    scope, ident = head[:1], head[1:]
    if scope not in ("m", "a") or not (ident.isascii() and ident.isdigit()) or len(ident) > 18:
        return 0
    expected = _unsubscribe_signature(db, head)
    if expected is None or not hmac.compare_digest(expected, signature):
        return 0
    if scope == "m":
        return int(remove_monitor(db, int(ident)))
    removed = 0
    for mon in list_monitors(db, int(ident)):
        removed += int(remove_monitor(db, mon.id))
    return removed


@dataclass(frozen=True, slots=True)
class Followed:
    """One monitor of an account as ``/mijn`` shows it (and ``/mijn.json`` gives it)."""

    id: int
    soort: str
    waarde: str
    omschrijving: str  # "zaak 2026Z01853", "zoekopdracht ‘stikstof’"
    titel: str | None  # what is followed: the zaak's subject, the person's name, …
    interval: str
    sinds: str
    treffers: int
    laatste_treffer: str | None  # UTC ISO of the newest hit
    laatste_controle: str | None


def followed(db: Database, account_id: int) -> list[Followed]:
    """The monitors of an account with the title of what they follow and their hits."""
    rows = list_monitors(db, account_id)
    last = q.last_hits(db.conn, [m.id for m in rows])
    return [
        Followed(
            id=m.id,
            soort=m.kind,
            waarde=m.value,
            omschrijving=m.description,
            titel=q.followed_title(db.conn, m.kind, m.value),
            interval=m.interval,
            sinds=m.created_at,
            treffers=m.hits,
            laatste_treffer=last.get(m.id),
            laatste_controle=m.last_run_at,
        )
        for m in rows
    ]
