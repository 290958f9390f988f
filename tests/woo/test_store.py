"""The woo tables on both engines: listing → detail → history, files, withdrawal."""

from __future__ import annotations

import json
from pathlib import Path

from kamerwatch.store import woo as store
from kamerwatch.subsystems import open_migrated
from kamerwatch.woo import parse

DATA = Path(__file__).parent.parent / "data" / "woo"
LISTING = (DATA / "tkconv_comment_zoek_list_excerpt.json").read_bytes()
DETAIL = (DATA / "tkconv_comment_zoek_detail_eef2edec.json").read_bytes()
UUID = "eef2edec-019e-4085-8e2e-4d3f42686431"


def test_listing_detail_history_and_withdrawal(db_url: str) -> None:
    (item,) = parse.listing(LISTING).items
    with open_migrated(db_url) as db:
        with db.transaction() as conn:
            assert store.record_listed(conn, item, "2026-03-21") == "nieuw"
            assert store.record_listed(conn, item, "2026-03-21") == "ongewijzigd"
            assert store.wanted_details(conn) == [UUID]
            assert store.save_detail(conn, parse.detail(DETAIL), DETAIL)
            assert not store.save_detail(conn, parse.detail(DETAIL), DETAIL)  # same: no history
        conn = db.conn
        row = conn.execute(
            "SELECT state, titel, verantwoordelijke, documentsoorten, parent_id, versie, "
            "detail_json FROM woo_publication WHERE id = ?",
            (UUID,),
        ).fetchone()
        assert row[0] == "ok" and row[1] == "Kaart Oudemolen 10km"
        assert row[2] == "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"
        assert json.loads(row[3]) == ["kaart"]
        assert row[4] == "b2e91e90-a433-4985-91ed-5c1bffbc72a4"
        assert row[5] == 1
        assert json.loads(row[6]) == json.loads(DETAIL)  # the complete detail, as received
        assert store.wanted_details(conn) == []
        (f,) = store.wanted_files(conn)
        assert (f.entity_id, f.grootte, f.hash) == (
            f"woo-{UUID}-1",
            985738,
            "0c2f34fe8af84928dc2ea835836ca6ed1c457f4d",
        )
        # a changed publication: listed again with a new mutatiedatumtijd, new detail
        changed = json.loads(LISTING)
        changed["resultaten"][0]["document"]["mutatiedatumtijd"] = "2026-03-22T10:00:00.000Z"
        (item2,) = parse.listing(json.dumps(changed).encode()).items
        newer = json.loads(DETAIL)
        newer["document"]["titelcollectie"]["officieleTitel"] = "Kaart Oudemolen 10 km (herzien)"
        newer["versies"].append({**newer["versies"][0], "nummer": 2})
        raw2 = json.dumps(newer).encode()
        with db.transaction() as conn:
            store.file_ok(conn, UUID, 1, "0c2f34fe8af84928dc2ea835836ca6ed1c457f4d")
            assert store.record_listed(conn, item2, "2026-03-21") == "gewijzigd"
            assert store.save_detail(conn, parse.detail(raw2), raw2)
        conn = db.conn
        assert conn.execute(
            "SELECT titel, versie FROM woo_publication WHERE id = ?", (UUID,)
        ).fetchone() == ("Kaart Oudemolen 10 km (herzien)", 2)
        history = conn.execute(
            "SELECT seq, versie FROM woo_version WHERE id = ? ORDER BY seq", (UUID,)
        ).fetchall()
        assert [tuple(h) for h in history] == [(1, 1), (2, 2)]
        # same hash as the file held: nothing to download again
        assert store.wanted_files(conn) == []
        with db.transaction() as conn:
            store.withdraw(conn, UUID)
            assert store.record_listed(conn, item2, "2026-03-21") == "gewijzigd"  # back again
            store.detail_failed(conn, UUID, "afgebroken JSON", "{")
            store.detail_failed(conn, UUID, "afgebroken JSON", "{")
            store.detail_failed(conn, UUID, "afgebroken JSON", "{")
        s = store.status(db.conn)
        assert s.by_state == {"fout": 1}
        assert s.problems[0][:3] == (f"detail:{UUID}", "afgebroken JSON", 3)
