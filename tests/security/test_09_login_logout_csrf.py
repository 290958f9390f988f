"""#21.9 — the login confirmation had no Origin/Referer check (another site could log a
visitor into the attacker's account) and ``POST /mijn/uitloggen`` worked without a token.
Every state-changing POST checks Origin (or Referer); logout needs the CSRF token."""

from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

from starlette.testclient import TestClient

EVIL = {"Origin": "https://evil.example"}


def _token(data: Path, address: str) -> str:
    for path in (data / "mail").glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        if msg["To"] == address:
            body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            return re.search(r"/mijn/inloggen\?t=(\S+)", body).group(1)  # type: ignore[union-attr]
    raise AssertionError(address)


def test_cross_site_posts_are_refused_and_logout_needs_the_token(
    site: TestClient, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    # another site cannot even ask for a link, nor confirm one
    assert site.post("/mijn/link", data={"email": "x@example.org"}, headers=EVIL).status_code == 403
    assert site.post("/mijn/link", data={"email": "a@example.org"}).status_code == 200
    token = _token(data, "a@example.org")
    forged = site.post(
        "/mijn/inloggen/bevestig", data={"t": token}, headers={"Referer": "https://evil.example/x"}
    )
    assert forged.status_code == 403 and "kw_sessie" not in site.cookies
    assert site.post("/mijn/inloggen/bevestig", data={"t": token}, headers=EVIL).status_code == 403
    done = site.post(
        "/mijn/inloggen/bevestig", data={"t": token}, headers={"Origin": "http://testserver"}
    )
    assert done.status_code == 303 and "kw_sessie" in site.cookies  # the token still worked
    page = site.get("/mijn").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    # a monitor with a valid token but from another site: refused
    monitor = {"soort": "zaak", "waarde": "2026Z00001", "csrf": csrf}
    assert site.post("/mijn/monitor", data=monitor, headers=EVIL).status_code == 403
    # logout without the token does nothing
    site.post("/mijn/uitloggen")
    assert "Ingelogd als" in site.get("/mijn").text
    out = site.post("/mijn/uitloggen", data={"csrf": csrf})
    assert out.status_code == 303
    assert "Ingelogd als" not in site.get("/mijn").text
