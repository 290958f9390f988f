"""#21.7 — a gift described as ``Wijn;=2+5;…`` passed the first-character guard and became a
formula in a spreadsheet that splits on ``;`` (Dutch Excel). Every text field is quoted
and a formula start is defused after every separator, whatever the delimiter."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.security.conftest import gid, open_site, sync_feed, write_entities

HOSTILE = "Wijn;=2+5;@SUM(1)\n-3+3,+cmd|' /C calc'!A0\t=1"


def test_no_cell_starts_a_formula_whatever_the_delimiter(tmp_path: Path, db_url: str) -> None:
    feed = tmp_path / "feed"
    write_entities(
        feed,
        [("PersoonGeschenk", gid("gift"), {"omschrijving": HOSTILE, "datum": "2026-11-20"}, None)],
    )
    data = tmp_path / "data"
    sync_feed(feed, data, db_url)
    with open_site(db_url, data) as client:
        download = client.get("/geschenken.csv")
    assert download.status_code == 200
    text = download.text.lstrip("\ufeff")
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert cell.lstrip('"')[:1] not in ("=", "+", "-", "@"), (delimiter, cell)
    rows = list(csv.reader(io.StringIO(text)))  # read as written: the text is all there
    assert any("Wijn;'=2+5;'@SUM(1)" in cell for row in rows for cell in row)
