"""#21.14 — the small ones: the trailing-slash redirect followed the ``Host`` header;
``/mijn`` went out without ``Cache-Control: private, no-store`` and ``Vary: Cookie``;
``/mijn?melding=`` showed any text; the iCal DESCRIPTION carried the raw ``noot`` HTML;
``/metrics`` could not be restricted (``KAMERWATCH_METRICS_ALLOW``)."""

from __future__ import annotations

from pathlib import Path

import httpx
import lxml.html
from icalendar import Calendar

from tests.security.conftest import gid, open_site, serve, sync_feed, write_entities

NOOT = "<p>Eerste &amp; beste</p><script>alert('x')</script><b>vet</b><br>tweede regel"


def test_redirects_headers_messages_and_calendar(tmp_path: Path, db_url: str) -> None:
    feed = tmp_path / "feed"
    activiteit = {
        "nummer": "2026A00001",
        "soort": "Commissiedebat",
        "onderwerp": "Debat",
        "datum": "2026-11-26T00:00:00",
        "aanvangstijd": "2026-11-26T10:00:00",
        "noot": NOOT,
    }
    write_entities(feed, [("Activiteit", gid("act"), activiteit, None)])
    data = tmp_path / "data"
    sync_feed(feed, data, db_url)
    with open_site(db_url, data, base_url="https://kamerwatch.example") as client:
        moved = client.get("/activiteit/2026A00001/", headers={"Host": "evil.example"})
        assert moved.status_code in (301, 307, 308)
        assert moved.headers["location"] == "https://kamerwatch.example/activiteit/2026A00001"
        mijn = client.get("/mijn", params={"melding": "Uw account is gehackt, bel 0900-…"})
        assert mijn.headers["cache-control"] == "private, no-store"
        assert "cookie" in mijn.headers["vary"].lower()
        shown = lxml.html.fromstring(mijn.text).xpath("string(//main)")
        assert "gehackt" not in shown
        assert "U bent uitgelogd." in client.get("/mijn", params={"melding": "uitgelogd"}).text
        ics = client.get("/activiteiten.ics", params={"van": "2026-11-20"})
    events = [c for c in Calendar.from_ical(ics.content).walk("VEVENT")]
    description = str(events[0]["description"])
    assert "<" not in description and "alert" not in description
    assert "Eerste & beste" in description and "tweede regel" in description


def test_metrics_can_be_restricted(tmp_path: Path) -> None:
    with serve(tmp_path / "data", {"KAMERWATCH_METRICS_ALLOW": "10.0.0.0/8"}) as server:
        assert httpx.get(server.url + "/metrics").status_code == 403
    with serve(tmp_path / "data", {"KAMERWATCH_METRICS_ALLOW": "127.0.0.1, ::1"}) as server:
        assert httpx.get(server.url + "/metrics").status_code == 200
