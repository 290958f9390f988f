"""#21.6 — three requests for someone else's address locked its owner out for an hour, and
``X-Forwarded-For`` from loopback was believed by default. Links are limited per requester
(the peer address, or what a configured proxy forwards) and per address, with an allowance
of its own for a browser that confirmed a login for that address before. Against a real
``kamerwatch serve``."""

from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

import httpx

from tests.conftest import DATA_DIR_URLS
from tests.security.conftest import serve


def _login_link(data: Path, address: str) -> str:
    for path in sorted(
        (data / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True
    ):
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        if msg["To"] == address:
            body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            return re.search(r"/mijn/inloggen\?t=(\S+)", body).group(1)  # type: ignore[union-attr]
    raise AssertionError(f"no mail to {address}")


def test_strangers_cannot_lock_out_the_owner_and_forwarded_headers_need_a_proxy(
    tmp_path: Path, db_url: str
) -> None:
    data = tmp_path / "data"
    if not db_url.startswith("sqlite"):
        DATA_DIR_URLS[data] = db_url
    owner = "eigenaar@example.org"
    with serve(data) as server:
        origin = {"Origin": server.url}
        with httpx.Client(base_url=server.url, headers=origin) as browser:
            assert browser.post("/mijn/link", data={"email": owner}).status_code == 200
            token = _login_link(data, owner)
            done = browser.post("/mijn/inloggen/bevestig", data={"t": token})
            assert done.status_code == 303 and "kw_bekend" in browser.cookies
            browser.cookies.delete("kw_sessie")  # logged out later; the browser is known
            with httpx.Client(base_url=server.url, headers=origin) as stranger:
                codes = [
                    stranger.post("/mijn/link", data={"email": owner}).status_code for _ in range(4)
                ]
                # three per hour for unknown browsers (the owner's first request was one)
                assert codes.count(200) <= 3 and codes[-1] == 429
            # the owner's own browser still gets a link
            assert browser.post("/mijn/link", data={"email": owner}).status_code == 200
        # spoofed X-Forwarded-For from loopback does not make a new requester each time
        with httpx.Client(base_url=server.url, headers=origin) as spoofer:
            codes = [
                spoofer.post(
                    "/mijn/link",
                    data={"email": f"iemand{i}@example.org"},
                    headers={"X-Forwarded-For": f"203.0.113.{i}"},
                ).status_code
                for i in range(12)
            ]
        assert 429 in codes
    # with the proxy configured, what it forwards is the requester
    data2 = tmp_path / "data2"
    if not db_url.startswith("sqlite"):
        DATA_DIR_URLS[data2] = db_url
    with serve(data2, {"KAMERWATCH_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        with httpx.Client(base_url=server.url, headers={"Origin": server.url}) as proxy:
            codes = [
                proxy.post(
                    "/mijn/link",
                    data={"email": f"ander{i}@example.org"},
                    headers={"X-Forwarded-For": f"198.51.100.{i}"},
                ).status_code
                for i in range(12)
            ]
        assert codes == [200] * 12
