"""`update` costs what changed (issue #22.10): a cycle with nothing new skips the stages
whose inputs did not change (recorded as "niets veranderd"), and a document that appears
after such a cycle is still fetched, converted, indexed and found (both engines)."""

from __future__ import annotations

import random
import uuid
from datetime import date
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.files import pdf_bytes
from kamerwatch.sample.texts import document_text
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.search.engine import SearchQuery, search
from kamerwatch.store.db import Connection
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.parsers import spec_for
from tests.conftest import kamerwatch

WORD = "kwelderhavercyclus"
SKIPPED = ("fetch-documents", "convert", "index")


def _last_runs(conn: Connection) -> dict[str, tuple[int, str | None]]:
    """stage → (entries, message) of its newest run."""
    out: dict[str, tuple[int, str | None]] = {}
    for stage, entries, message in conn.execute(
        "SELECT stage, entries, message FROM sync_run ORDER BY id"
    ):
        out[str(stage)] = (int(entries or 0), message)
    return out


def _publish(feed: Path, top: int) -> str:
    """One new Document with a PDF file on a new feed page after token ``top``."""
    spec = spec_for("Document")
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, "kamerwatch-test-update-cycle"))
    nummer = "2026D99901"
    text = document_text(
        random.Random(1),
        soort="Brief regering",
        nummer=nummer,
        datum=date(2026, 11, 28),
        onderwerp=f"Brief over de {WORD}",
        titel=None,
        afzender="minister van Financiën",
        geadresseerde="Voorzitter van de Tweede Kamer",
        distinctive=[WORD],
    )
    body = pdf_bytes(text)
    (feed / "resources" / ident).write_bytes(body)
    values = {
        "soort": "Brief regering",
        "document_nummer": nummer,
        "onderwerp": f"Brief over de {WORD}",
        "datum": "2026-11-28T00:00:00",
    }
    xml = entity_xml(
        spec,
        values,
        id=ident,
        bijgewerkt="2026-11-28T10:00:00",
        content_type="application/pdf",
        content_length=len(body),
    )
    entry = entry_xml(
        spec, xml, token=top + 1, updated="2026-11-28T09:00:00.0000000Z", enclosure=True
    )
    (feed / "feed" / "zz-new.xml").write_bytes(feed_page(None, [entry], None))
    return nummer


def test_a_quiet_update_skips_what_did_not_change_and_a_new_document_still_arrives(
    sample_feed_dir: Path, tmp_path: Path, db_url: str
) -> None:
    data = tmp_path / "data"
    with FeedServer(sample_feed_dir) as server:
        for _ in range(2):  # the first cycle brings everything; the second finds all done
            done = kamerwatch(
                "update", "--feed-url", server.url, data_dir=data, database_url=db_url
            )
            assert done.returncode == 0, done.stderr
        quiet = kamerwatch("update", "--feed-url", server.url, data_dir=data, database_url=db_url)
        assert quiet.returncode == 0, quiet.stderr
    with open_migrated(db_url) as db:
        runs = _last_runs(db.conn)
        assert {s: runs[s] for s in SKIPPED} == {s: (0, "niets veranderd") for s in SKIPPED}
        top = int(db.conn.execute("SELECT max(skiptoken) FROM raw_entry").fetchone()[0])
    nummer = _publish(sample_feed_dir, top)
    with FeedServer(sample_feed_dir) as server:
        busy = kamerwatch("update", "--feed-url", server.url, data_dir=data, database_url=db_url)
        assert busy.returncode == 0, busy.stderr
    with open_migrated(db_url) as db:
        runs = _last_runs(db.conn)
        assert runs["fetch-documents"][0] == 1 and runs["convert"][0] == 1
        assert runs["index"][0] >= 1 and runs["index"][1] != "niets veranderd"
        hits = search(db.conn, SearchQuery(q=WORD)).hits
        assert [h.nummer for h in hits] == [nummer]
