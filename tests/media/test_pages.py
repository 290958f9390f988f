"""The pages of issue #24 over a database filled through the simulators, both engines:
video on activities, verslagen and member pages; "N vragen"; the official text of
questions/answers and kamerstukken; /op/{eid}; bad stored data still renders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store.db import Database
from kamerwatch.web.app import create_app


def rows(db_url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with Database(db_url) as db:
        return [tuple(r) for r in db.conn.execute(sql, params).fetchall()]


@pytest.fixture(scope="module")
def site(
    harvested: tuple[str, FeedServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, str, FeedServer]]:
    url, server = harvested
    app = create_app(url, data_dir=tmp_path_factory.mktemp("media-web"))
    with TestClient(app, follow_redirects=False) as client:
        yield client, url, server


def test_activity_page_links_and_embeds_the_debate(
    site: tuple[TestClient, str, FeedServer],
) -> None:
    client, url, _ = site
    (nummer, video, embed) = rows(
        url,
        "SELECT a.nummer, m.video_url, m.embed_url FROM dd_match m "
        "JOIN activiteit a ON a.id = m.activiteit_id JOIN dd_broadcast b ON b.id = m.broadcast_id "
        "WHERE b.location_name = 'Plenaire zaal' "
        # (an activity without agendapunten is a 500 on PostgreSQL: IN () — issue #22.1)
        "AND EXISTS (SELECT 1 FROM agendapunt p WHERE p.activiteit_id = a.id) "
        "ORDER BY a.nummer LIMIT 1",
    )[0]
    assert video.startswith("https://debatdirect.tweedekamer.nl/") and video.endswith("/video")
    page = client.get(f"/activiteit/{nummer}")
    assert page.status_code == 200
    assert f'<a href="{video}">Bekijk het debat</a>' in page.text
    assert f'<iframe class="video" src="{embed}"' in page.text
    csp = page.headers["content-security-policy"]
    assert "frame-src 'self' https://debatdirect.tweedekamer.nl" in csp
    assert "*" not in csp and "script-src 'none'" in csp
    assert len(page.headers.get_list("content-security-policy")) == 1
    twin = client.get(f"/activiteit/{nummer}.json").json()
    assert twin["videoUrl"] == video and twin["videoEmbedUrl"] == embed


def test_activity_without_a_broadcast_has_no_player(
    site: tuple[TestClient, str, FeedServer],
) -> None:
    client, url, _ = site
    (nummer, reason) = rows(
        url,
        "SELECT a.nummer, m.reason FROM dd_match m JOIN activiteit a ON a.id = m.activiteit_id "
        "WHERE m.broadcast_id IS NULL "
        "AND EXISTS (SELECT 1 FROM agendapunt p WHERE p.activiteit_id = a.id) "
        "ORDER BY a.nummer LIMIT 1",
    )[0]
    assert reason.startswith("geen uitzending")
    page = client.get(f"/activiteit/{nummer}")
    assert page.status_code == 200 and "<iframe" not in page.text
    assert "frame-src" not in page.headers["content-security-policy"]
    assert client.get(f"/activiteit/{nummer}.json").json()["videoUrl"] is None


def test_verslag_page_links_the_videos_of_its_vergadering(
    site: tuple[TestClient, str, FeedServer],
) -> None:
    client, url, _ = site
    (vid, day) = rows(
        url,
        "SELECT v.id, substr(v.aanvangstijd, 1, 10) FROM vergadering v WHERE v.zaal = 'Plenaire zaal' "
        "AND EXISTS (SELECT 1 FROM dd_broadcast b WHERE b.day = substr(v.aanvangstijd, 1, 10) "
        "AND b.location_name = 'Plenaire zaal') ORDER BY v.id LIMIT 1",
    )[0]
    page = client.get(f"/verslag/{vid}")
    assert page.status_code == 200
    links = re.findall(r'href="(https://debatdirect\.tweedekamer\.nl/[^"]+/video)"', page.text)
    assert links and all(f"/{day}/" in link and "/plenaire-zaal/" in link for link in links)


def test_open_questions_show_how_many_questions(site: tuple[TestClient, str, FeedServer]) -> None:
    client, _url, server = site
    page = client.get("/open-vragen")
    assert page.status_code == 200
    shown = re.findall(
        r'href="/(?:document|zaak)/[^"]+">[^<]*(?:<span class="visueel-verborgen">[^<]*</span>)?'
        r"</a> <small>\((\d+) vragen\)</small>",
        page.text,
    )
    assert shown, "no 'N vragen' on the open questions"
    twin = client.get("/open-vragen.json").json()
    counted = [v for v in twin["vragen"] if v["aantalVragen"]]
    assert counted
    for v in counted:
        assert v["aantalVragen"] == server.media.question_count(v["zaakNummer"])


def test_answer_document_shows_question_and_answer_blocks(
    site: tuple[TestClient, str, FeedServer],
) -> None:
    client, url, _server = site
    (eid, vragen) = rows(
        url,
        "SELECT eid, vragen FROM op_publication WHERE state = 'ok' AND eid LIKE 'ah-tk-%' "
        "ORDER BY eid LIMIT 1",
    )[0]
    (nummer,) = rows(
        url,
        "SELECT d.document_nummer FROM documentversie v JOIN document d ON d.id = v.document_id "
        "WHERE v.externeidentifier = ?",
        (eid,),
    )[0]
    page = client.get(f"/document/{nummer}")
    assert page.status_code == 200
    heads = re.findall(r"<h3>((?:Vraag|Antwoord) \d+)</h3>", page.text)
    expected = [x for i in range(1, vragen + 1) for x in (f"Vraag {i}", f"Antwoord {i}")]
    assert heads == expected
    assert f"<strong>{vragen} vragen</strong>" in page.text
    assert f'href="https://zoek.officielebekendmakingen.nl/{eid}.html"' in page.text
    twin = client.get(f"/document/{nummer}.json").json()
    assert twin["vragen"] == vragen
    assert twin["officielePublicatieUrl"] == f"https://zoek.officielebekendmakingen.nl/{eid}.html"


def test_kamerstuk_official_text_is_the_preview(site: tuple[TestClient, str, FeedServer]) -> None:
    client, url, _ = site
    (_eid, nummer) = rows(
        url,
        "SELECT p.eid, d.document_nummer FROM op_publication p "
        "JOIN documentversie v ON v.externeidentifier = p.eid JOIN document d ON d.id = v.document_id "
        "WHERE p.state = 'ok' AND p.kind = 'kamerstuk' ORDER BY p.eid LIMIT 1",
    )[0]
    page = client.get(f"/document/{nummer}")
    assert page.status_code == 200
    assert "Tekst (officiële publicatie)" in page.text
    assert "<p>De Kamer,</p>" in page.text and '<ol class="noten">' in page.text
    assert "<li>Kamerstuk" in page.text


def test_op_redirects_to_the_document(site: tuple[TestClient, str, FeedServer]) -> None:
    client, url, _ = site
    (eid, nummer) = rows(
        url,
        "SELECT v.externeidentifier, d.document_nummer FROM documentversie v "
        "JOIN document d ON d.id = v.document_id WHERE v.externeidentifier LIKE 'kst-%' "
        "ORDER BY v.externeidentifier LIMIT 1",
    )[0]
    moved = client.get(f"/op/{eid}")
    assert moved.status_code == 302 and moved.headers["location"] == f"/document/{nummer}"
    for bad in ("/op/kst-0-0", "/op/kst-1%2F..%2Fx", "/op/" + "k" * 200, "/op/kst-1.json"):
        answer = client.get(bad)
        assert answer.status_code == 404, bad


def test_vraagnummer_links_an_answer_to_its_zaak_when_the_feed_does_not(
    harvested: tuple[str, FeedServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, _server = harvested
    (_eid, nummer, doc_id, vraagnummer) = rows(
        url,
        "SELECT p.eid, d.document_nummer, d.id, p.vraagnummer FROM op_publication p "
        "JOIN documentversie v ON v.externeidentifier = p.eid JOIN document d ON d.id = v.document_id "
        "WHERE p.state = 'ok' AND p.eid LIKE 'ah-tk-%' AND p.vraagnummer IS NOT NULL "
        "ORDER BY p.eid LIMIT 1",
    )[0]
    app = create_app(url, data_dir=tmp_path_factory.mktemp("media-web2"))
    with TestClient(app, follow_redirects=False) as client:
        page = client.get(f"/document/{nummer}")
        assert (
            "Hoort volgens de officiële publicatie bij zaak" not in page.text
        )  # the feed links it
    # the feed's link removed (as in real data where it is missing): the metadata links it
    with Database(url) as db, db.transaction() as conn:
        held = [
            tuple(r)
            for r in conn.execute(
                "SELECT * FROM link WHERE src_id = ? AND relation = 'zaak'", (doc_id,)
            ).fetchall()
        ]
        conn.execute("DELETE FROM link WHERE src_id = ? AND relation = 'zaak'", (doc_id,))
    try:
        app = create_app(url, data_dir=tmp_path_factory.mktemp("media-web3"))
        with TestClient(app, follow_redirects=False) as client:
            page = client.get(f"/document/{nummer}")
            assert page.status_code == 200
            assert (
                f'Hoort volgens de officiële publicatie bij zaak <a href="/zaak/{vraagnummer}">'
                in page.text
            )
            assert (
                client.get(f"/document/{nummer}.json").json()["zaakVolgensPublicatie"]
                == vraagnummer
            )
    finally:
        with Database(url) as db, db.transaction() as conn:
            marks = ", ".join("?" * len(held[0]))
            for row in held:
                conn.execute(f"INSERT INTO link VALUES ({marks})", row)


def test_unreadable_stored_xml_still_renders(
    harvested: tuple[str, FeedServer], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, _ = harvested
    (eid, nummer, xml) = rows(
        url,
        "SELECT p.eid, d.document_nummer, p.xml FROM op_publication p "
        "JOIN documentversie v ON v.externeidentifier = p.eid JOIN document d ON d.id = v.document_id "
        "WHERE p.state = 'ok' AND p.kind = 'kamerstuk' ORDER BY p.eid DESC LIMIT 1",
    )[0]
    with Database(url) as db, db.transaction() as conn:
        conn.execute("UPDATE op_publication SET xml = ? WHERE eid = ?", ("<kapot", eid))
    try:
        app = create_app(url, data_dir=tmp_path_factory.mktemp("media-web4"))
        with TestClient(app, follow_redirects=False) as client:
            page = client.get(f"/document/{nummer}")
            assert page.status_code == 200
            assert "officiële publicatie)" not in page.text
    finally:
        with Database(url) as db, db.transaction() as conn:
            conn.execute("UPDATE op_publication SET xml = ? WHERE eid = ?", (xml, eid))


def test_member_page_shows_how_many_questions(site: tuple[TestClient, str, FeedServer]) -> None:
    client, url, _ = site
    (persoon, zaak, vragen) = rows(
        url,
        "SELECT p.nummer, z.nummer, o.vragen FROM zaak z JOIN zaakactor za ON za.zaak_id = z.id "
        "JOIN persoon p ON p.id = za.persoon_id JOIN op_publication o "
        "ON o.eid = 'kv-tk-' || z.nummer WHERE z.soort = 'Schriftelijke vragen' "
        "AND coalesce(z.afgedaan, 0) = 0 AND za.relatie = 'Indiener' ORDER BY z.nummer LIMIT 1",
    )[0]
    page = client.get(f"/persoon/{persoon}")
    assert page.status_code == 200
    assert re.search(
        rf'href="/zaak/{zaak}">[^<]*</a>[^<]*<small>\({vragen} vragen\)</small>', page.text
    ), page.text[:3000]


def test_member_page_links_the_video_of_the_debates_the_member_spoke_in(
    site: tuple[TestClient, str, FeedServer],
) -> None:
    client, url, _ = site
    spoken = rows(
        url,
        "SELECT p.nummer, s.vergadering_id FROM spreektijd s JOIN persoon p ON p.id = s.persoon_id "
        "JOIN vergadering v ON v.id = s.vergadering_id WHERE EXISTS (SELECT 1 FROM dd_broadcast b "
        "WHERE b.day = substr(v.aanvangstijd, 1, 10) AND b.location_name = coalesce(v.zaal, "
        "'Plenaire zaal')) ORDER BY p.nummer, s.vergadering_id LIMIT 1",
    )
    assert spoken, "no member spoke in a broadcast vergadering"
    ((persoon, vergadering_id),) = spoken
    with Database(url) as db:
        from kamerwatch.store import media as media_q

        expected = media_q.vergadering_videos(db.conn, [vergadering_id])[vergadering_id]
    page = client.get(f"/persoon/{persoon}")
    assert page.status_code == 200
    # the table row (the speaking-time chart above links the verslag too)
    row = re.search(
        rf'<tr><td>[^<]*</td><td><a href="/verslag/{re.escape(vergadering_id)}">.*?</tr>',
        page.text,
        re.S,
    )
    assert row, page.text[:2000]
    links = re.findall(r'href="(https://debatdirect\.tweedekamer\.nl/[^"]+/video)"', row.group(0))
    assert links == [b.video_url for b in expected]
    # a member who spoke nowhere with a broadcast has no video link
    quiet = rows(
        url,
        "SELECT p.nummer FROM persoon p WHERE NOT EXISTS (SELECT 1 FROM spreektijd s "
        "WHERE s.persoon_id = p.id) AND p.nummer IS NOT NULL ORDER BY p.nummer LIMIT 1",
    )
    if quiet:
        other = client.get(f"/persoon/{quiet[0][0]}")
        assert other.status_code == 200 and "debatdirect.tweedekamer.nl" not in other.text
