"""#21.4 — after an account was deleted the next one got its ids, so the old account's
signed RSS and unsubscribe links acted on the new one. Ids are never reused and every
signed link is bound to a secret of its account that dies with it."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from starlette.testclient import TestClient

from kamerwatch.alerts import accounts
from kamerwatch.subsystems import open_migrated

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_deleted_accounts_links_never_reach_the_next_account(
    db_url: str, site: TestClient
) -> None:
    with open_migrated(db_url) as db:
        old = accounts.add_monitor_for_email(db, "oud@example.org", "zaak", "2026Z00001", NOW)
        old_account = accounts.list_monitors_for_email(db, "oud@example.org")[0]
        account_id = db.conn.execute(
            "SELECT id FROM account WHERE email = 'oud@example.org'"
        ).fetchone()[0]
        rss = accounts.feed_token(db, account_id)
        one = accounts.unsubscribe_token(db, old.id)
        every = accounts.unsubscribe_all_token(db, account_id)
        assert site.get(f"/mijn/rss/{quote(str(rss))}.xml").status_code == 200
        assert accounts.delete_account(db, account_id)
        new = accounts.add_monitor_for_email(db, "nieuw@example.org", "zaak", "2026Z00001", NOW)
        new_id = db.conn.execute(
            "SELECT id FROM account WHERE email = 'nieuw@example.org'"
        ).fetchone()[0]
        assert new_id > account_id and new.id > old_account.id  # never reused
    # the old links, used against the server, do nothing to the new account
    assert site.get(f"/mijn/rss/{quote(str(rss))}.xml").status_code == 404
    for token in (one, every):
        page = site.post(f"/mijn/afmelden?t={quote(token)}")
        assert "ongeldig" in page.text
    with open_migrated(db_url) as db:
        assert [m.id for m in accounts.list_monitors_for_email(db, "nieuw@example.org")] == [new.id]
        # and a forged link for an id that does not exist yet is no key to it either
        assert accounts.unsubscribe(db, f"m{new.id + 1}." + one.split(".", 1)[1]) == 0
