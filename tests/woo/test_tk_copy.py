"""A Woo publication that copies a Tweede Kamer document (``oep-…``, verantwoordelijke
"Tweede Kamer") links to the kamerwatch document and is not shown twice (both engines)."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.search.engine import SearchQuery, search
from kamerwatch.search.index import run_index
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.client import ClientOptions
from kamerwatch.sync.runner import run_sync
from kamerwatch.web.app import create_app
from tests.ports import free_port
from tests.web.world import write_feed

from .conftest import harvest, small_world

DATA = Path(__file__).parent.parent / "data" / "woo"
COPY = "oep-9f17b506fd03cafa9e242bfdb1071d9bb3e2fbf2"


def test_a_tweede_kamer_copy_links_to_the_document(db_url: str, tmp_path: Path) -> None:
    root = write_feed(tmp_path / "world")  # has kst-36228-3 = document 2023D03702
    world = small_world()
    record = json.loads((DATA / "plooi_store_oep-9f17b506_kst-36202-56.json").read_bytes())
    record["document"]["identifiers"] = ["kst-36228-3"]
    record["versies"][0]["openbaarmakingsdatum"] = "2026-11-26"
    record["versies"][0]["mutatiedatumtijd"] = "2026-11-26T08:00:00.000Z"
    listed = {
        "document": {
            "id": f"{COPY}_1",
            "titel": "36228, nr. 3 - Kopie",
            "openbaarmakingsdatum": "2026-11-26",
            "mutatiedatumtijd": "2026-11-26T08:00:00.000Z",
        }
    }
    world.put(COPY, record, listed)
    files = tmp_path / "files"
    with FeedServer(root, port=free_port(), woo=world) as server:
        with open_migrated(db_url) as db:
            options = ClientOptions(base_url=server.url, pause=0.0, timeout=5, backoff=0.01)
            assert not run_sync(db, options, workers=1).errors
        harvest(db_url, server, files)
    with open_migrated(db_url) as db:
        run_index(db.conn)
        woo_hits = search(db.conn, SearchQuery(q="", kinds=("woo",)))
        assert COPY not in {h.ref for h in woo_hits.hits}  # the document itself is indexed
        row = db.conn.execute(
            "SELECT tk_copy, state FROM woo_publication WHERE id = ?", (COPY,)
        ).fetchone()
        assert tuple(row) == (1, "ok")
        # its files were not downloaded: the kamerwatch document has them
        states = {r[0] for r in db.conn.execute("SELECT state FROM woo_file WHERE id = ?", (COPY,))}
        assert states == {"overgeslagen"}
    app = create_app(db_url, data_dir=tmp_path, files_dir=files)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get(f"/woo/{COPY}")
        assert page.status_code == 200
        assert 'href="/document/2023D03702"' in page.text
        assert client.get(f"/woo/{COPY}.json").json()["tweedeKamerDocument"] == "2023D03702"
        listed_ids = [p["id"] for p in client.get("/woo.json").json()["publicaties"]]
        assert COPY not in listed_ids and listed_ids
