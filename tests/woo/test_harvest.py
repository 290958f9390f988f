"""The harvest through the simulated open.overheid.nl on loopback, both engines."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from kamerwatch.documents.convert import ZIP_BOMB
from kamerwatch.documents.run_convert import run_convert
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store.documents import current_file
from kamerwatch.subsystems import open_migrated
from kamerwatch.woo.harvest import PAGE

from .conftest import harvest


def rows(db_url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with open_migrated(db_url) as db:
        return [tuple(r) for r in db.conn.execute(sql, params).fetchall()]


def test_first_and_incremental_harvest(db_url: str, woo_server: FeedServer, tmp_path: Path) -> None:
    world = woo_server.woo
    files = tmp_path / "files"
    report = harvest(db_url, woo_server, files)
    visible = world.visible()
    assert report.errors == []
    assert report.new == len(visible) and report.details == len(visible)
    held = rows(
        db_url, "SELECT id, state, titel, verantwoordelijke FROM woo_publication ORDER BY id"
    )
    assert [(r[0], r[1]) for r in held] == sorted((p.id, "ok") for p in visible)
    by_id = {p.id: p for p in visible}
    for pub_id, _state, titel, org in held:
        d = by_id[str(pub_id)].detail["document"]
        assert titel == d["titelcollectie"]["officieleTitel"]
        assert org == d["verantwoordelijke"]["label"]
    # every file of a non-Tweede-Kamer publication is on disk with its SHA-1
    with_files = [p for p in visible if p.files]
    assert report.files == len(with_files) > 0
    with open_migrated(db_url) as db:
        for p in with_files:
            stored = current_file(db.conn, f"woo-{p.id}-1")
            assert stored is not None and stored.category == "Woo"
            data = (files / stored.path).read_bytes()
            want = p.detail["versies"][-1]["bestanden"][0]["hash"]
            assert hashlib.sha1(data).hexdigest() == want
    # Tweede Kamer copies: recorded, their file left to the kamerwatch document
    copies = rows(db_url, "SELECT id FROM woo_publication WHERE tk_copy = 1")
    assert {c[0] for c in copies} == {p.id for p in visible if p.id.startswith("oep-")}
    skipped = rows(db_url, "SELECT count(*) FROM woo_file WHERE state = 'overgeslagen'")
    assert skipped[0][0] == len(copies)
    # attachments know their parent
    children = [p for p in visible if p.detail["documentrelaties"]]
    assert children
    for c in children:
        parent = c.detail["documentrelaties"][0]["relation"].rsplit("/", 1)[1]
        assert rows(db_url, "SELECT parent_id FROM woo_publication WHERE id = ?", (c.id,)) == [
            (parent,)
        ]
    # the polite client asked one day at a time, 50 a page
    lists = [r for r in woo_server.requests() if "/api/v0/zoek?" in r["path"]]
    assert all(f"aantalResultaten={PAGE}" in r["path"] for r in lists)
    assert all("publicatiedatumVan=" in r["path"] for r in lists)

    # incremental: nothing new → no details asked
    woo_server.clear_requests()
    again = harvest(db_url, woo_server, files)
    assert (again.new, again.changed, again.details, again.files) == (0, 0, 0, 0)
    assert not [r for r in woo_server.requests() if "/documenten/" in r["path"]]

    # a changed publication (new title and file) and a withdrawn one
    changed, gone = with_files[0], with_files[1]
    new_file = b"%PDF-1.4\n% herziene versie\n"
    world.change(changed.id, "Herziene titel", file=new_file)
    world.withdraw(gone.id)
    third = harvest(db_url, woo_server, files)
    assert third.changed == 1 and third.withdrawn == 1 and third.files == 1
    assert rows(
        db_url, "SELECT titel, versie, state FROM woo_publication WHERE id = ?", (changed.id,)
    ) == [("Herziene titel", 2, "ok")]
    history = rows(
        db_url, "SELECT seq, versie FROM woo_version WHERE id = ? ORDER BY seq", (changed.id,)
    )
    assert history == [(1, 1), (2, 2)]
    assert rows(db_url, "SELECT state FROM woo_publication WHERE id = ?", (gone.id,)) == [
        ("ingetrokken",)
    ]
    with open_migrated(db_url) as db:
        stored = current_file(db.conn, f"woo-{changed.id}-1")
        assert stored is not None and stored.version == 2
        assert (files / stored.path).read_bytes() == new_file


def test_faults_are_retried_or_recorded(
    db_url: str, woo_server: FeedServer, tmp_path: Path
) -> None:
    world = woo_server.woo
    first = world.visible()[0]
    woo_server.add_faults(
        [
            {"mode": "500", "path": "woo", "category": "lijst", "times": 1},
            {"mode": "truncate", "path": "woo", "category": "lijst", "times": 1},
            {"mode": "malformed", "path": "woo", "category": "detail", "times": 1},
            {"mode": "truncate", "path": "woo", "category": "detail", "times": 1},
            {"mode": "close", "path": "woo", "category": "bestand", "times": 1},
            {"mode": "hang", "path": "woo", "category": "detail", "times": 1, "seconds": 5},
        ]
    )
    report = harvest(db_url, woo_server, tmp_path / "files", max_retries=4)
    assert report.errors == []  # every fault was retried away
    assert report.details == len(world.visible())
    assert rows(db_url, "SELECT count(*) FROM woo_publication WHERE state <> 'ok'") == [(0,)]
    assert first.id in {r[0] for r in rows(db_url, "SELECT id FROM woo_publication")}
    # a listing that keeps failing: recorded, the cursor stays, the next run goes on
    woo_server.add_faults([{"mode": "500", "path": "woo", "category": "lijst", "times": 3}])
    with open_migrated(db_url) as db:
        cursor_before = db.conn.execute("SELECT value FROM meta WHERE key = 'woo_day'").fetchone()
    bad = harvest(db_url, woo_server, tmp_path / "files")
    assert bad.errors and "HTTP 500" in bad.errors[0]
    problems = rows(db_url, "SELECT kind, reason FROM woo_problem")
    assert problems and problems[0][0] == "lijst"
    with open_migrated(db_url) as db:
        cursor_after = db.conn.execute("SELECT value FROM meta WHERE key = 'woo_day'").fetchone()
    assert tuple(cursor_before) == tuple(cursor_after)


def test_a_wrong_hash_keeps_the_good_file(
    db_url: str, woo_server: FeedServer, tmp_path: Path
) -> None:
    world = woo_server.woo
    files = tmp_path / "files"
    harvest(db_url, woo_server, files)
    pub = next(p for p in world.visible() if p.files)
    world.change(pub.id, "Nieuwe versie", file=b"%PDF-1.4\n% versie twee\n")
    woo_server.add_faults(
        [{"mode": "wronghash", "path": "woo", "category": "bestand", "times": -1}]
    )
    report = harvest(db_url, woo_server, files)
    assert report.file_failures == 1
    assert "SHA-1 klopt niet" in report.errors[0]
    state = rows(db_url, "SELECT state, reason FROM woo_file WHERE id = ? AND n = 1", (pub.id,))
    assert state[0][0] == "nodig" and "SHA-1" in str(state[0][1])
    with open_migrated(db_url) as db:
        stored = current_file(db.conn, f"woo-{pub.id}-1")
        assert stored is not None and stored.version == 1  # the good file of before
        old_hash = pub.detail["versies"][0]["bestanden"][0]["hash"]
        assert hashlib.sha1((files / stored.path).read_bytes()).hexdigest() == old_hash
    assert not list(files.rglob("*.part"))
    woo_server.clear_faults()
    assert harvest(db_url, woo_server, files).files == 1  # the next run gets it right


def test_bad_input_is_recorded_and_nothing_is_lost(
    db_url: str, woo_server: FeedServer, tmp_path: Path
) -> None:
    world = woo_server.woo
    day = "2026-11-26"
    base = world.visible()[0]

    def listed(ident: str, **doc: object) -> dict[str, object]:
        return {
            "document": {
                "id": f"{ident}_1",
                "titel": f"Titel {ident}",
                "openbaarmakingsdatum": day,
                "mutatiedatumtijd": "2026-11-26T10:00:00.000Z",
                **doc,
            }
        }

    def detail(ident: str, files: list[dict[str, object]]) -> dict[str, object]:
        d = json.loads(json.dumps(base.detail))
        d["document"]["pid"] = f"https://open.overheid.nl/documenten/{ident}"
        d["documentrelaties"] = []
        d["versies"] = [{"nummer": 1, "openbaarmakingsdatum": day, "bestanden": files}]
        d["nieuwVeld"] = {"x": 1}
        return d

    # an id with a slash and one with '..'
    world.put("bad-slash", {}, listed("a/b"))
    world.put("bad-dots", {}, listed(".."))
    # truncated detail JSON (every time)
    world.put(
        "kapot-1",
        b'{"document": {"pid": "https://open.overheid.nl/documenten/kapot-1"',
        listed("kapot-1"),
    )
    # no files at all
    world.put("zonder-bestand", detail("zonder-bestand", []), listed("zonder-bestand"))
    # a "2 GB" file: refused on its declared size, never downloaded
    huge = {
        "id": "https://open.overheid.nl/documenten/groot/file",
        "grootte": 2 * 1024**3,
        "hash": "0" * 40,
        "mime-type": "application/pdf",
        "bestandsnaam": "groot.pdf",
    }
    world.put(
        "groot",
        detail("groot", [huge]),
        listed("groot"),
        {"/documenten/groot/file": b"%PDF-1.4 klein"},
    )
    # a file that is bigger than it says (the stream stops at the declared size)
    liar_bytes = b"%PDF-1.4\n" + b"x" * 5000
    liar = {
        "id": "https://open.overheid.nl/documenten/leugen/file",
        "grootte": 100,
        "hash": hashlib.sha1(liar_bytes[:100]).hexdigest(),
        "mime-type": "application/pdf",
    }
    world.put(
        "leugen",
        detail("leugen", [liar]),
        listed("leugen"),
        {"/documenten/leugen/file": liar_bytes},
    )
    # a file that is not what its MIME type says (HTML as PDF): downloaded, conversion decides
    fake = b"<html><body>geen pdf</body></html>"
    wrong = {
        "id": "https://open.overheid.nl/documenten/nep/file",
        "grootte": len(fake),
        "hash": hashlib.sha1(fake).hexdigest(),
        "mime-type": "application/pdf",
    }
    world.put("nep", detail("nep", [wrong]), listed("nep"), {"/documenten/nep/file": fake})

    # a zip bomb posing as a Word document: 20 MB of zeros in a few kB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    bomb_bytes = buf.getvalue()
    bomb = {
        "id": "https://open.overheid.nl/documenten/bom/file",
        "grootte": len(bomb_bytes),
        "hash": hashlib.sha1(bomb_bytes).hexdigest(),
        "mime-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    world.put("bom", detail("bom", [bomb]), listed("bom"), {"/documenten/bom/file": bomb_bytes})

    report = harvest(db_url, woo_server, tmp_path / "files")
    problems = dict(rows(db_url, "SELECT key, reason FROM woo_problem"))
    rejected = [v for k, v in problems.items() if k.startswith("resultaat:")]
    assert len(rejected) == 2 and all("ongeldig id" in r for r in rejected)
    raws = rows(db_url, "SELECT raw FROM woo_problem WHERE kind = 'resultaat'")
    assert {json.loads(str(r[0]))["document"]["id"] for r in raws} == {"a/b_1", ".._1"}
    assert "afgebroken JSON" in problems["detail:kapot-1"]
    assert "te groot" in problems["bestand:groot:1"]
    assert "te groot" in problems["bestand:leugen:1"]
    state = dict(
        rows(
            db_url,
            "SELECT id, state FROM woo_publication WHERE id IN "
            "('kapot-1', 'zonder-bestand', 'groot', 'leugen', 'nep')",
        )
    )
    assert state == {
        "kapot-1": "nieuw",
        "zonder-bestand": "ok",
        "groot": "ok",
        "leugen": "ok",
        "nep": "ok",
    }
    assert rows(db_url, "SELECT state FROM woo_file WHERE id = 'groot'") == [("fout",)]
    assert rows(db_url, "SELECT state FROM woo_file WHERE id = 'nep'") == [("ok",)]
    # unknown fields kept in the stored JSON
    kept = rows(db_url, "SELECT detail_json FROM woo_publication WHERE id = 'zonder-bestand'")
    assert json.loads(str(kept[0][0]))["nieuwVeld"] == {"x": 1}
    # the listing result of the unreadable detail is kept; two more runs: left alone
    assert report.detail_failures == 1
    harvest(db_url, woo_server, tmp_path / "files")
    harvest(db_url, woo_server, tmp_path / "files")
    assert rows(db_url, "SELECT state FROM woo_publication WHERE id = 'kapot-1'") == [("fout",)]
    assert rows(db_url, "SELECT titel FROM woo_publication WHERE id = 'kapot-1'") == [
        ("Titel kapot-1",)
    ]
    # nothing outside the files directory, nothing half-written
    assert not list((tmp_path / "files").rglob("*.part"))
    # the converters judge what the files really are: reasons recorded, no crash
    with open_migrated(db_url) as db:
        run_convert(db, workers=1, files_dir=tmp_path / "files")
    failures = dict(
        rows(db_url, "SELECT entity_id, failure FROM conversion WHERE category = 'Woo'")
    )
    assert failures["woo-nep-1"] == "HTML-pagina in plaats van een document"
    assert failures["woo-bom-1"].startswith(ZIP_BOMB + " (")  # "te groot uitgepakt (… MB)"
