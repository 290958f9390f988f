"""Woo publications are a search kind (both engines): their texts (also the files') are
found, the kind has its facet, a withdrawn one disappears from the index."""

from __future__ import annotations

from pathlib import Path

from kamerwatch.documents.run_convert import run_convert
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.search.engine import SearchQuery, search
from kamerwatch.search.index import run_index
from kamerwatch.subsystems import open_migrated

from .conftest import harvest


def test_woo_is_a_search_kind(db_url: str, woo_server: FeedServer, tmp_path: Path) -> None:
    files = tmp_path / "files"
    harvest(db_url, woo_server, files)
    world = woo_server.woo
    pub = next(
        p for p in world.visible() if p.files and "Woo-verzoek" in p.listed["document"]["titel"]
    )
    body_word = "Kenmerk"  # only in the PDF text, not in title or description
    with open_migrated(db_url) as db:
        report = run_convert(db, workers=1, files_dir=files)
        assert report.failed == 0 and report.converted > 0
        run_index(db.conn)
        res = search(db.conn, SearchQuery(q=body_word, kinds=("woo",)))
        assert res.error is None and res.total > 0
        assert all(h.kind == "woo" for h in res.hits)
        assert ("woo", res.total) in res.facets_kind
        title_word = pub.listed["document"]["titel"].split()[-1]
        found = search(db.conn, SearchQuery(q=f'"{pub.listed["document"]["titel"]}"'))
        assert pub.id in {h.ref for h in found.hits}, title_word
        hit = next(h for h in found.hits if h.ref == pub.id)
        assert hit.soort == "Woo-besluit" and hit.nummer == pub.id
        # Tweede Kamer copies are not indexed twice
        copies = [p.id for p in world.visible() if p.id.startswith("oep-")]
        everything = search(db.conn, SearchQuery(q="", kinds=("woo",)))
        assert not set(copies) & {h.ref for h in everything.hits}
    world.withdraw(pub.id)
    harvest(db_url, woo_server, files)
    with open_migrated(db_url) as db:
        run_index(db.conn)
        again = search(db.conn, SearchQuery(q=f'"{pub.listed["document"]["titel"]}"'))
        assert pub.id not in {h.ref for h in again.hits}
