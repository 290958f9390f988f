"""Password-less login, sessions, CSRF, rate limits, unsubscribe and account deletion."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from kamerwatch import alerts
from kamerwatch.alerts.accounts import LOGIN_TTL, MAX_PER_ADDRESS, MAX_PER_IP, unsubscribe_token
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    with open_migrated(db_url) as database:
        yield database


def _login(db: Database, email: str = "Iemand@Example.org") -> alerts.Session:
    req = alerts.request_login(db, email, "192.0.2.1", NOW)
    assert isinstance(req, alerts.LoginRequest)
    session = alerts.confirm_login(db, req.token, NOW + timedelta(minutes=1))
    assert isinstance(session, alerts.Session)
    return session


def test_login_flow_stores_only_hashes_and_makes_the_account_on_confirm(db: Database) -> None:
    req = alerts.request_login(db, "Iemand@Example.org", "192.0.2.1", NOW)
    assert isinstance(req, alerts.LoginRequest) and req.email == "iemand@example.org"
    stored = [r[0] for r in db.conn.execute("SELECT token_hash FROM auth_token")]
    assert stored == [hashlib.sha256(req.token.encode()).hexdigest()]
    assert req.token not in stored
    assert db.conn.execute("SELECT count(*) FROM account").fetchone()[0] == 0, (
        "requesting (or a scanner following) the link makes no account"
    )
    assert alerts.check_login_token(db, req.token, NOW) is None, "looking consumes nothing"
    session = alerts.confirm_login(db, req.token, NOW)
    assert isinstance(session, alerts.Session)
    assert isinstance(alerts.check_login_token(db, req.token, NOW), alerts.Invalid)
    account = alerts.session_account(db, session.token, NOW)
    assert account is not None and account.email == "iemand@example.org"
    assert (
        db.conn.execute(
            "SELECT count(*) FROM session WHERE token_hash = ?", (session.token,)
        ).fetchone()[0]
        == 0
    )
    alerts.logout(db, session.token)
    assert alerts.session_account(db, session.token, NOW) is None


def test_token_single_use_expiry_and_purpose(db: Database) -> None:
    req = alerts.request_login(db, "a@example.org", None, NOW)
    assert isinstance(req, alerts.LoginRequest)
    late = alerts.confirm_login(db, req.token, NOW + LOGIN_TTL + timedelta(seconds=1))
    assert isinstance(late, alerts.Invalid) and "verlopen" in late.reason
    req = alerts.request_login(db, "a@example.org", None, NOW)
    assert isinstance(req, alerts.LoginRequest)
    assert isinstance(alerts.confirm_login(db, req.token, NOW), alerts.Session)
    again = alerts.confirm_login(db, req.token, NOW)
    assert isinstance(again, alerts.Invalid) and "gebruikt" in again.reason
    assert isinstance(alerts.confirm_login(db, "verzonnen", NOW), alerts.Invalid)
    # a token of another purpose (here: a session token) is no login token
    session = _login(db)
    assert isinstance(alerts.confirm_login(db, session.token, NOW), alerts.Invalid)
    # an unsubscribe token is not a login token either, and vice versa
    assert isinstance(alerts.confirm_login(db, unsubscribe_token(db, 1), NOW), alerts.Invalid)
    assert alerts.unsubscribe(db, req.token) == 0


def test_rate_limits_per_address_and_per_ip(db: Database) -> None:
    for _ in range(MAX_PER_ADDRESS):
        assert isinstance(
            alerts.request_login(db, "b@example.org", "192.0.2.9", NOW), alerts.LoginRequest
        )
    limited = alerts.request_login(db, "b@example.org", "192.0.2.10", NOW)
    assert isinstance(limited, alerts.RateLimited) and "adres" in limited.reason
    later = NOW + timedelta(hours=1, seconds=1)
    assert isinstance(
        alerts.request_login(db, "b@example.org", "192.0.2.10", later), alerts.LoginRequest
    )
    for i in range(MAX_PER_IP):
        alerts.request_login(db, f"u{i}@example.org", "198.51.100.7", NOW)
    blocked = alerts.request_login(db, "nieuw@example.org", "198.51.100.7", NOW)
    assert isinstance(blocked, alerts.RateLimited)
    assert isinstance(alerts.request_login(db, "kapot", "198.51.100.8", NOW), alerts.RateLimited)


def test_csrf_token_belongs_to_the_session(db: Database) -> None:
    one, two = _login(db, "x@example.org"), _login(db, "y@example.org")
    token = alerts.csrf_token(db, one.token)
    assert alerts.check_csrf(db, one.token, token)
    assert not alerts.check_csrf(db, two.token, token)
    assert not alerts.check_csrf(db, one.token, "")


def test_monitors_bell_interval_and_ownership(db: Database) -> None:
    one, two = _login(db, "x@example.org"), _login(db, "y@example.org")
    mon = alerts.add_monitor(db, one.account_id, "zaak", "2026z01234", NOW)
    assert (mon.value, mon.interval) == ("2026Z01234", "direct")
    assert alerts.add_monitor(db, one.account_id, "zaak", "2026Z01234", NOW).id == mon.id
    assert alerts.has_monitor(db, one.account_id, "zaak", "2026Z01234") == mon.id
    assert alerts.has_monitor(db, two.account_id, "zaak", "2026Z01234") is None
    assert alerts.set_monitor_interval(db, one.account_id, mon.id, "1d")
    assert not alerts.remove_monitor(db, mon.id, two.account_id), "not someone else's"
    with pytest.raises(alerts.MonitorError, match="onbekende soort"):
        alerts.add_monitor(db, one.account_id, "geschenk", "x", NOW)
    with pytest.raises(alerts.MonitorError, match="ongeldige waarde"):
        alerts.add_monitor(db, one.account_id, "kamerstukdossier", "abc", NOW)
    with pytest.raises(alerts.MonitorError, match="interval"):
        alerts.add_monitor(db, one.account_id, "zoek", "stikstof", NOW, "2d")
    assert alerts.remove_monitor(db, mon.id, one.account_id)


def test_one_click_unsubscribe(db: Database) -> None:
    session = _login(db)
    a = alerts.add_monitor(db, session.account_id, "zoek", "stikstof", NOW)
    b = alerts.add_monitor(db, session.account_id, "zoek", "woningbouw", NOW)
    token = unsubscribe_token(db, a.id)
    forged = token[:-2] + ("00" if not token.endswith("00") else "11")
    assert alerts.unsubscribe(db, forged) == 0
    assert alerts.unsubscribe(db, token) == 1
    assert [m.id for m in alerts.list_monitors(db, session.account_id)] == [b.id]


def test_delete_account_removes_everything(db: Database) -> None:
    session = _login(db, "weg@example.org")
    keep = _login(db, "blijf@example.org")
    alerts.add_monitor(db, session.account_id, "zoek", "stikstof", NOW)
    alerts.add_monitor(db, keep.account_id, "zoek", "stikstof", NOW)
    db.conn.execute(
        "INSERT INTO outbox (account_id, message_id, created_at, message) VALUES (?, 'm', 'x', ?)",
        (session.account_id, b"\x00"),
    )
    db.conn.execute(
        "INSERT INTO sent_item (account_id, item_key, outbox_id) VALUES (?, 'document:1', 1)",
        (session.account_id,),
    )
    assert alerts.delete_account(db, session.account_id)
    assert alerts.session_account(db, session.token, NOW) is None
    for table, column in (
        ("account", "id"),
        ("session", "account_id"),
        ("monitor", "account_id"),
        ("outbox", "account_id"),
        ("sent_item", "account_id"),
    ):
        count = db.conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", (session.account_id,)
        ).fetchone()[0]
        assert count == 0, table
    assert (
        db.conn.execute(
            "SELECT count(*) FROM auth_token WHERE email = 'weg@example.org'"
        ).fetchone()[0]
        == 0
    )
    assert len(alerts.list_monitors(db, keep.account_id)) == 1
    assert not alerts.delete_account(db, session.account_id)
