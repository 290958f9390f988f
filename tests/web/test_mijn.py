"""/mijn: password-less login through a mailed link and a button, the bell, CSRF, rate
limits, unsubscribe and deleting the account — with the mails as real .eml files."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from kamerwatch.web.app import create_app
from tests.web.conftest import data_dir_of


@pytest.fixture
def client(web_db_url: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(web_db_url, data_dir=data_dir_of(web_db_url)), follow_redirects=False
    ) as c:
        yield c


def _link(web_db_url: str, address: str) -> str:
    mails = sorted(
        (data_dir_of(web_db_url) / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime
    )
    for path in reversed(mails):
        msg = email.message_from_bytes(path.read_bytes())
        if msg["To"] == address:
            body = msg.get_payload(decode=True).decode()  # type: ignore[union-attr]
            return re.search(r"https?://\S+/mijn/inloggen\?t=\S+", body).group(0)  # type: ignore[union-attr]
    raise AssertionError(f"no mail to {address}")


def _login(client: TestClient, web_db_url: str, address: str) -> None:
    assert client.post("/mijn/link", data={"email": address}).status_code == 200
    link = _link(web_db_url, address)
    token = link.split("t=", 1)[1]
    page = client.get(f"/mijn/inloggen?t={token}")
    assert page.status_code == 200 and "Inloggen" in page.text
    assert "kw_sessie" not in page.headers.get("set-cookie", ""), "opening the link logs nobody in"
    done = client.post("/mijn/inloggen/bevestig", data={"t": token})
    assert done.status_code == 303
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    again = client.post("/mijn/inloggen/bevestig", data={"t": token})
    assert again.status_code == 400, "a login token works once"


def test_login_bell_monitor_and_delete(client: TestClient, web_db_url: str) -> None:
    assert "Stuur mij een inloglink" in client.get("/mijn").text
    _login(client, web_db_url, "lezer@example.org")
    page = client.get("/zaak/2023Z00142")
    assert page.status_code == 200 and "🔔" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    forged = client.post(
        "/mijn/monitor", data={"soort": "zaak", "waarde": "2023Z00142", "terug": "/zaak/2023Z00142"}
    )
    assert forged.status_code == 303 and "eerst-inloggen" in forged.headers["location"]
    assert "2023Z00142" not in client.get("/mijn").text
    added = client.post(
        "/mijn/monitor",
        data={"soort": "zaak", "waarde": "2023Z00142", "terug": "//evil.example/", "csrf": csrf},
    )
    assert added.status_code == 303 and added.headers["location"].startswith("/mijn")
    mine = client.get("/mijn").text
    assert "2023Z00142" in mine
    bad = client.post(
        "/mijn/monitor", data={"soort": "zaak", "waarde": "geen nummer", "csrf": csrf}
    )
    assert "monitor-niet-gezet" in bad.headers["location"]
    gone = client.post("/mijn/account/verwijderen", data={"csrf": csrf})
    assert gone.status_code == 303 and "verwijderd" in gone.headers["location"]
    assert "Stuur mij een inloglink" in client.get("/mijn").text


def test_rate_limit_per_address(client: TestClient) -> None:
    codes = [
        client.post("/mijn/link", data={"email": "druk@example.org"}).status_code for _ in range(4)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    assert client.post("/mijn/link", data={"email": "geen-adres"}).status_code == 400


def test_unsubscribe_link_needs_a_post(client: TestClient) -> None:
    page = client.get("/mijn/afmelden?t=m1.bogus")
    assert page.status_code == 200 and "Afmelden" in page.text
    assert "ongeldig" in client.post("/mijn/afmelden?t=m1.bogus").text


def test_webhooks_on_mijn(client: TestClient, web_db_url: str) -> None:
    """Add a webhook (CSRF required, bad URLs refused in Dutch), see its secret once (in the
    answer to the form, never again: not on /mijn, not in /mijn.json), the delivery log,
    remove it; the log lists a delivery made by an alerts run."""
    from kamerwatch import alerts
    from kamerwatch.subsystems import open_migrated

    _login(client, web_db_url, "haak@example.org")
    mine = client.get("/mijn").text
    assert "Webhooks (0)" in mine
    csrf = re.search(r'name="csrf" value="([^"]+)"', mine).group(1)  # type: ignore[union-attr]
    forged = client.post("/mijn/webhook", data={"url": "https://hooks.example.org/x"})
    assert "eerst-inloggen" in forged.headers["location"]
    for bad in ("ftp://x.example/", "https://user:pw@x.example/", "geen url"):
        refused = client.post("/mijn/webhook", data={"url": bad, "csrf": csrf})
        assert "webhook-niet-gezet" in refused.headers["location"]
    added = client.post(
        "/mijn/webhook",
        data={"url": "https://hooks.example.org/x", "wijze": "alleen", "csrf": csrf},
    )
    assert added.status_code == 200 and "Webhook toegevoegd" in added.text
    assert "no-store" in added.headers["cache-control"]
    secret = re.search(r"<code>([0-9a-f]{64})</code>", added.text)
    assert secret is not None and "wordt niet meer getoond" in added.text
    mine = client.get("/mijn").text
    assert "hooks.example.org/x" in mine and "in plaats van e-mail" in mine
    assert secret.group(1) not in mine and "alleen getoond bij het toevoegen" in mine
    assert secret.group(1) not in client.get("/mijn.json").text
    with open_migrated(web_db_url) as db:
        account = db.conn.execute(
            "SELECT id FROM account WHERE email = 'haak@example.org'"
        ).fetchone()[0]
        db.conn.execute(
            "INSERT INTO webhook_delivery (delivery_id, webhook_id, account_id, items, payload,"
            " created_at, next_at, attempts, last_error) SELECT 'd-test', id, account_id, 3,"
            " ?, '2026-12-01T00:00:00+00:00', '2026-12-01T00:01:00+00:00', 1, 'HTTP 500'"
            " FROM webhook WHERE account_id = ?",
            (b"{}", account),
        )
        db.conn.commit()
        assert [d.delivery_id for d in alerts.webhook_log(db, int(account))] == ["d-test"]
    mine = client.get("/mijn").text
    assert "d-test" in mine and "mislukt: HTTP 500" in mine
    ident = re.search(r'action="/mijn/webhook/(\d+)/verwijderen"', mine).group(1)  # type: ignore[union-attr]
    removed = client.post(f"/mijn/webhook/{ident}/verwijderen", data={"csrf": csrf})
    assert "webhook-verwijderd" in removed.headers["location"]
    assert "Webhooks (0)" in client.get("/mijn").text


def _csrf(text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', text).group(1)  # type: ignore[union-attr]


def test_a_follow_click_while_logged_out_survives_the_login_mail(
    client: TestClient, web_db_url: str
) -> None:
    """#25.4: the click is remembered through the mail round trip and done after the login;
    the bell then says so and can be undone; the visitor lands back on the page."""
    page = client.get("/zaak/2023Z00142")
    assert "🔔 volg dit" in page.text
    click = client.post(
        "/mijn/monitor",
        data={"soort": "zaak", "waarde": "2023Z00142", "terug": "/zaak/2023Z00142"},
    )
    assert click.status_code == 303
    remembered = client.get(click.headers["location"])
    assert "Log eerst in om zaak 2023Z00142 te volgen" in remembered.text
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', remembered.text))
    assert hidden == {"volg": "zaak", "waarde": "2023Z00142", "terug": "/zaak/2023Z00142"}
    address = "volger@example.org"
    assert client.post("/mijn/link", data={"email": address, **hidden}).status_code == 200
    link = _link(web_db_url, address)
    assert "volg=zaak" in link and "waarde=2023Z00142" in link
    parts = urlsplit(link)
    token_page = client.get(f"{parts.path}?{parts.query}")
    assert "Na het inloggen volgt u zaak 2023Z00142" in token_page.text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', token_page.text))
    done = client.post("/mijn/inloggen/bevestig", data=fields)
    assert done.status_code == 303 and done.headers["location"] == "/zaak/2023Z00142"
    following = client.get("/zaak/2023Z00142").text
    assert "🔔 U volgt dit" in following and ">ontvolg</button>" in following
    monitor = re.search(r'action="/mijn/monitor/(\d+)/verwijderen"', following).group(1)  # type: ignore[union-attr]
    undo = client.post(
        f"/mijn/monitor/{monitor}/verwijderen",
        data={"csrf": _csrf(following), "terug": "/zaak/2023Z00142"},
    )
    assert undo.status_code == 303 and undo.headers["location"] == "/zaak/2023Z00142"
    assert "🔔 volg dit" in client.get("/zaak/2023Z00142").text

    # following a search keeps the query: back on the same results, the bell on
    results = client.get("/zoeken", params={"q": "brief"}).text
    assert 'name="terug" value="/zoeken?q=brief"' in results
    follow = client.post(
        "/mijn/monitor",
        data={
            "soort": "zoek",
            "waarde": "brief",
            "terug": "/zoeken?q=brief",
            "csrf": _csrf(results),
        },
    )
    assert follow.headers["location"] == "/zoeken?q=brief"
    assert "🔔 U volgt deze zoekopdracht" in client.get("/zoeken", params={"q": "brief"}).text
    client.post("/mijn/account/verwijderen", data={"csrf": _csrf(results)})


def test_mijn_shows_titles_hits_and_changes_the_interval_inline(
    client: TestClient, web_db_url: str
) -> None:
    """#25.10: the followed thing's title, hits, last hit; the interval changed inline;
    /mijn.json for the logged-in visitor only."""
    anonymous = client.get("/mijn.json")
    assert anonymous.status_code == 401 and "Niet ingelogd" in anonymous.json()["fout"]
    _login(client, web_db_url, "mijn@example.org")
    csrf = _csrf(client.get("/mijn").text)
    client.post("/mijn/monitor", data={"soort": "zaak", "waarde": "2023Z00142", "csrf": csrf})
    zaak = client.get("/zaak/2023Z00142.json").json()
    mine = client.get("/mijn").text
    assert f">{zaak['onderwerp']}</a>" in mine and "<small>zaak 2023Z00142</small>" in mine
    assert "nog geen" in mine and '<option value="direct" selected>direct</option>' in mine
    monitor = re.search(r'action="/mijn/monitor/(\d+)/interval"', mine).group(1)  # type: ignore[union-attr]
    changed = client.post(
        f"/mijn/monitor/{monitor}/interval", data={"csrf": csrf, "interval": "1d"}
    )
    assert changed.headers["location"] == "/mijn?melding=interval-gewijzigd"
    assert '<option value="1d" selected>dagelijks</option>' in client.get("/mijn").text
    bad = client.post(f"/mijn/monitor/{monitor}/interval", data={"csrf": csrf, "interval": "7y"})
    assert "monitor-bestaat-niet" in bad.headers["location"]
    forged = client.post(f"/mijn/monitor/{monitor}/interval", data={"interval": "1w"})
    assert forged.headers["location"] == "/mijn"
    twin = client.get("/mijn.json")
    assert twin.status_code == 200 and twin.headers["cache-control"] == "private, no-store"
    data = twin.json()
    assert data["email"] == "mijn@example.org"
    (item,) = data["monitors"]
    assert (item["soort"], item["waarde"], item["interval"]) == ("zaak", "2023Z00142", "1d")
    assert item["titel"] == zaak["onderwerp"] and item["treffers"] == 0
    assert item["laatsteTreffer"] is None and item["url"].endswith("/zaak/2023Z00142")
    client.post("/mijn/account/verwijderen", data={"csrf": csrf})
