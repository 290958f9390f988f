"""The debatdirect and officiele-publicaties stages through the simulators on loopback,
both engines (issue #24)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kamerwatch.debatdirect.harvest import (
    DebatDirectOptions,
    DebatDirectReport,
    DebatDirectUnavailable,
    run_debatdirect,
)
from kamerwatch.publicaties.harvest import (
    Client,
    OfficialOptions,
    OfficialReport,
    check_one,
    run_official,
)
from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.store import media as store
from kamerwatch.subsystems import open_migrated
from tests.conftest import kamerwatch

from .conftest import TODAY


def rows(db_url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with open_migrated(db_url) as db:
        return [tuple(r) for r in db.conn.execute(sql, params).fetchall()]


def dd(db_url: str, server: FeedServer, **more: Any) -> DebatDirectReport:
    values: dict[str, Any] = {
        "root": server.media_url,
        "pause": 0.0,
        "timeout": 2.0,
        "max_retries": 1,
        "backoff": 0.01,
        "window_back": 70,
        "window_ahead": 30,
        "today": TODAY,
        "deadline": 3.0,
    }
    values.update(more)
    with open_migrated(db_url) as db:
        return run_debatdirect(db, DebatDirectOptions(**values))


def op(db_url: str, server: FeedServer, now: datetime, **more: Any) -> OfficialReport:
    values: dict[str, Any] = {
        "root": server.media_url,
        "metadata_root": server.media_url,
        "pause": 0.0,
        "timeout": 2.0,
        "max_retries": 1,
        "backoff": 0.01,
        "batch": 10_000,
        "deadline": 3.0,
        "now": now,
    }
    values.update(more)
    with open_migrated(db_url) as db:
        return run_official(db, OfficialOptions(**values))


def test_debatdirect_matches_every_broadcast_to_its_activity(
    synced: str, media_server: FeedServer
) -> None:
    import hashlib

    world = media_server.media
    report = dd(synced, media_server)
    assert report.errors == [] and report.failed_days == 0
    assert report.broadcasts == len(world.broadcasts) > 20
    matched = rows(synced, "SELECT activiteit_id, broadcast_id, score, video_url FROM dd_match")
    assert len(matched) == report.matched + report.unmatched
    own = {b["id"] for b in world.broadcasts}
    mine = 0
    for act_id, broadcast_id, score, video in matched:
        expected = hashlib.sha1(act_id.encode()).hexdigest()[:24]
        if expected in own:
            mine += 1
            assert broadcast_id == expected, act_id
            assert score == 0.0
            assert video.startswith("https://debatdirect.tweedekamer.nl/") and video.endswith(
                "/video"
            )
    assert mine == len(world.broadcasts)
    # a plenary activity's link is the real site's, ending in the scheduled start
    plenary = rows(
        synced,
        "SELECT b.slug, b.starts_at, m.video_url FROM dd_broadcast b "
        "JOIN dd_match m ON m.broadcast_id = b.id WHERE b.location_name = 'Plenaire zaal'",
    )
    assert plenary
    for slug, starts_at, video in plenary:
        assert slug.endswith(f"-{starts_at[11:13]}-{starts_at[14:16]}")
        assert f"/plenaire-zaal/{slug}/video" in video
    # a second run asks the same days once each and changes nothing
    again = dd(synced, media_server)
    assert again.matched == 0 and again.unmatched == 0
    assert again.unchanged == len(matched)
    assert again.requests == again.days


def test_debatdirect_rematches_when_the_listing_changes(
    synced: str, media_server: FeedServer
) -> None:
    dd(synced, media_server)
    world = media_server.media
    gone = world.broadcasts.pop(0)
    report = dd(synced, media_server)
    day = gone["debateDate"]
    on_day = rows(synced, "SELECT count(*) FROM dd_match WHERE day = ?", (day,))[0][0]
    assert report.matched + report.unmatched == on_day  # that day only
    assert rows(synced, "SELECT count(*) FROM dd_match WHERE broadcast_id = ?", (gone["id"],)) == [
        (0,)
    ]
    assert rows(synced, "SELECT count(*) FROM dd_broadcast WHERE id = ?", (gone["id"],)) == [(0,)]


def test_debatdirect_refuses_agents_that_are_not_browsers(media_server: FeedServer) -> None:
    url = media_server.media_url + "/search?van=2026-11-24&tot=2026-11-24&vanaf=0"
    assert httpx.get(url, headers={"User-Agent": "kamerwatch/1"}).status_code == 403
    assert httpx.get(url, headers={"User-Agent": "Mozilla/5.0 (X11)"}).status_code == 200


def test_debatdirect_403_stops_the_stage(synced: str, media_server: FeedServer) -> None:
    media_server.add_faults([{"mode": "500", "status": 403, "path": "debatdirect", "times": -1}])
    with pytest.raises(DebatDirectUnavailable, match="403"):
        dd(synced, media_server)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"mode": "500", "times": -1}, "HTTP 500"),
        ({"mode": "malformed", "times": -1}, "geen JSON"),
        ({"mode": "hang", "seconds": 5, "times": -1}, "Timeout"),
    ],
)
def test_debatdirect_bad_day_is_recorded_and_loses_nothing(
    synced: str, media_server: FeedServer, rule: dict[str, Any], reason: str
) -> None:
    first = dd(synced, media_server)
    before = rows(synced, "SELECT activiteit_id, broadcast_id FROM dd_match ORDER BY activiteit_id")
    media_server.add_faults([{**rule, "path": "debatdirect"}])
    report = dd(synced, media_server, window_back=3, window_ahead=0, timeout=0.5, deadline=1.0)
    media_server.clear_faults()
    assert report.failed_days > 0 and report.days == 0
    assert any(reason.lower() in e.lower() for e in report.errors), report.errors
    after = rows(synced, "SELECT activiteit_id, broadcast_id FROM dd_match ORDER BY activiteit_id")
    assert after == before and first.matched > 0
    problems = rows(synced, "SELECT key, reason FROM media_problem WHERE kind = 'debatdirect'")
    assert problems and all(k.startswith("dd:") for k, _ in problems)
    states = rows(synced, "SELECT DISTINCT state FROM dd_day WHERE reason IS NOT NULL")
    assert states == [("fout",)]


def _newest_answer_not_out_yet(world: Any) -> None:
    """Make the sample's newest answers wait for their publication: the simulator
    publishes an answer ``answer_delay_days`` after its date, and how recent the newest
    answer is depends on the sample's ministries' answering pace."""
    world.warm()
    newest = max(
        date.fromisoformat(doc.datum)
        for doc, kind in world.publications.values()
        if kind == "ah" and doc.datum
    )
    world.answer_delay_days = max(world.answer_delay_days, (TODAY - newest).days + 1)


def test_official_publications_questions_answers_and_delay(
    synced: str, media_server: FeedServer
) -> None:
    world = media_server.media
    _newest_answer_not_out_yet(world)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    report = op(synced, media_server, now)
    assert report.checked == len(world.publications)
    held = dict(rows(synced, "SELECT eid, state FROM op_publication"))
    late = {
        eid
        for eid, (doc, kind) in world.publications.items()
        if kind == "ah" and not world._published(doc, kind)
    }
    assert late, "the sample has answers within the delay"
    assert {e for e, s in held.items() if s == "afwezig"} == late
    assert report.missing == len(late) and report.failed == 0
    assert report.found == len(world.publications) - len(late)
    # written questions: the count of <vraag>, the vraagnummer = the zaak nummer
    for eid, vragen, antwoorden, vraagnummer in rows(
        synced,
        "SELECT eid, vragen, antwoorden, vraagnummer FROM op_publication "
        "WHERE state = 'ok' AND kind = 'kamervragen'",
    ):
        doc, kind = world.publications[eid]
        zaak = world._zaak_of(doc)
        assert vraagnummer == zaak
        assert vragen == world.question_count(zaak or "")
        assert antwoorden == (vragen if kind == "ah" else 0)
    # not published yet: retried only after the backoff, then found once the delay passed
    soon = op(synced, media_server, now + timedelta(minutes=30))
    assert soon.checked == 0
    world.today = TODAY + timedelta(days=30)
    later = op(synced, media_server, now + timedelta(hours=2))
    assert later.checked == len(late) and later.found == len(late)
    assert rows(synced, "SELECT count(*) FROM op_publication WHERE state <> 'ok'") == [(0,)]


def test_official_bad_answers_are_recorded_and_retried(
    synced: str, media_server: FeedServer, tmp_path: Path
) -> None:
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    # one malformed answer: whether a publication takes one request or two (its metadata
    # record too) depends on the sample, so one fault makes exactly one publication fail
    media_server.add_faults([{"mode": "malformed", "path": "officiele", "times": 1}])
    report = op(synced, media_server, now, batch=3)
    assert report.checked == 3 and report.failed == 1
    (eid, reason, raw) = rows(
        synced, "SELECT key, reason, raw FROM media_problem WHERE kind = 'officiele-publicatie'"
    )[0]
    assert "goedgevormde" in reason and raw
    eid = eid.removeprefix("op:")
    assert rows(synced, "SELECT state FROM op_publication WHERE eid = ?", (eid,)) == [("fout",)]
    shown = kamerwatch("status", data_dir=tmp_path / "data", database_url=synced)
    assert f"op:{eid}: " in shown.stdout and "goedgevormde" in shown.stdout, shown.stdout
    later = op(synced, media_server, now + timedelta(hours=2), batch=10_000)
    assert later.failed == 0
    assert rows(synced, "SELECT state FROM op_publication WHERE eid = ?", (eid,)) == [("ok",)]


def test_official_identifier_with_slash_is_never_asked(
    synced: str, media_server: FeedServer
) -> None:
    report = OfficialReport()
    options = OfficialOptions(root=media_server.media_url, pause=0.0, max_retries=0)
    client = Client(options, report)
    media_server.clear_requests()
    with open_migrated(synced) as db:
        assert check_one(db, client, "kst-1/../../etc", datetime.now(UTC)) == "fout"
        held = store.publication_state(db.conn, "kst-1/../../etc")
        assert held is not None and held[:2] == ("fout", 1)
    client.close()
    assert report.requests == 0 and media_server.requests() == []
    assert rows(synced, "SELECT reason FROM media_problem WHERE key = 'op:kst-1/../../etc'") == [
        ("geen geldige externe identifier",)
    ]


def test_debatdirect_rematches_a_changed_activity(synced: str, media_server: FeedServer) -> None:
    dd(synced, media_server, window_back=3, window_ahead=0)
    # an activity far outside the window, moved (as a feed update would): its day is asked
    # again because it changed after the cursor, and it is matched anew
    (act_id, start, bijgewerkt) = rows(
        synced,
        "SELECT id, aanvangstijd, bijgewerkt FROM activiteit WHERE aanvangstijd < ? "
        "AND aanvangstijd IS NOT NULL ORDER BY aanvangstijd, id LIMIT 1",
        ((TODAY - timedelta(days=10)).isoformat(),),
    )[0]
    assert rows(synced, "SELECT count(*) FROM dd_match WHERE activiteit_id = ?", (act_id,)) == [
        (0,)
    ]
    with open_migrated(synced) as db, db.transaction() as conn:
        conn.execute(
            "UPDATE activiteit SET bijgewerkt = ? WHERE id = ?", ("2099-01-01T00:00:00Z", act_id)
        )
    report = dd(synced, media_server, window_back=3, window_ahead=0)
    assert report.days >= 1
    ((made_from, reason),) = rows(
        synced, "SELECT made_from, reason FROM dd_match WHERE activiteit_id = ?", (act_id,)
    )
    assert made_from.startswith(start) and reason
    # its start moved: matched again on the next run (the listing did not change)
    later = start[:11] + "06:00:00"
    with open_migrated(synced) as db, db.transaction() as conn:
        conn.execute(
            "UPDATE activiteit SET aanvangstijd = ?, bijgewerkt = ? WHERE id = ?",
            (later, "2099-01-02T00:00:00Z", act_id),
        )
    dd(synced, media_server, window_back=3, window_ahead=0)
    ((made_from,),) = rows(
        synced, "SELECT made_from FROM dd_match WHERE activiteit_id = ?", (act_id,)
    )
    assert made_from.startswith(later)
    del bijgewerkt


def test_official_huge_answer_is_refused_with_its_reason(
    synced: str, media_server: FeedServer
) -> None:
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    report = op(synced, media_server, now, batch=5, max_bytes=200)
    assert report.found == 0 and report.failed >= 1
    assert report.failed + report.missing == 5  # (answers within the delay are not there)
    reasons = [r[0] for r in rows(synced, "SELECT reason FROM op_publication WHERE state = 'fout'")]
    assert len(reasons) == report.failed and all("te groot" in r for r in reasons), reasons
    problems = rows(
        synced, "SELECT count(*) FROM media_problem WHERE kind = 'officiele-publicatie'"
    )
    assert problems == [(report.failed,)]


# ------------------------------------------------------------ SRU: what was published on day D


def test_official_sru_lists_days_and_reads_what_they_show(
    synced: str, media_server: FeedServer
) -> None:
    world = media_server.media
    world._build()
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    sru = media_server.media_url + "/sru"
    media_server.clear_requests()
    report = op(synced, media_server, now, sru_url=sru, sru_days=10, sru_page=3)
    assert report.errors == [] and report.sru_days == 10
    seen = media_server.requests()
    listings = [r["path"] for r in seen if r["path"].startswith("/sru")]
    assert len(listings) == report.sru_requests > report.sru_days  # some days have pages
    assert report.requests == len(seen) - sum(r["path"].startswith("/fout404") for r in seen)
    origin = (TODAY - timedelta(days=10)).isoformat()
    held_eids = {
        r[0] for r in rows(synced, "SELECT DISTINCT externeidentifier FROM documentversie")
    }
    listed = {
        e
        for e in world.publications
        if e in held_eids and origin <= (world.published_on(e) or "") < TODAY.isoformat()
    }
    assert listed and report.listed == len(listed)
    got = dict(rows(synced, "SELECT eid, listed FROM op_publication WHERE listed IS NOT NULL"))
    assert set(got) == listed and all(got[e] == world.published_on(e) for e in listed)
    # a listing carries the vraagnummer: no metadata record asked for what it showed
    asked_meta = {r["path"].split("/")[1] for r in seen if r["path"].endswith("/metadata.xml")}
    assert not asked_meta & listed
    for eid, vraagnummer in rows(
        synced,
        "SELECT eid, vraagnummer FROM op_publication WHERE listed IS NOT NULL AND kind = 'kamervragen'",
    ):
        assert vraagnummer == world._zaak_of(world.publications[eid][0]), eid
    # documents dated in the walked days but not listed yet wait for a listing, unasked
    waiting = rows(synced, "SELECT eid, tries FROM op_publication WHERE reason LIKE 'wacht op%'")
    assert waiting and all(tries == 0 for _, tries in waiting)
    asked = {
        r["path"].split("/")[2] for r in seen if r["path"].startswith("/officielepublicaties/")
    }
    assert not asked & {e for e, _ in waiting}
    # older documents were asked directly
    assert report.checked == report.listed + len(asked - listed)
    # the same run again: nothing listed twice, nothing asked again
    media_server.clear_requests()
    again = op(synced, media_server, now + timedelta(minutes=5), sru_url=sru, sru_days=10)
    assert again.requests == 0 and media_server.requests() == []
    # the next day: one listing (yesterday's), and what it shows is read
    world.today = TODAY + timedelta(days=1)
    media_server.clear_requests()
    later = op(synced, media_server, now + timedelta(days=1), sru_url=sru, sru_days=10)
    assert later.sru_days == 1 and later.sru_requests == 1
    shown = {
        e
        for e in world.publications
        if e in held_eids and world.published_on(e) == TODAY.isoformat()
    }
    assert later.listed == len(shown)
    assert rows(
        synced,
        "SELECT count(*) FROM op_publication WHERE state = 'ok' AND listed = ?",
        (TODAY.isoformat(),),
    ) == [(len(shown),)]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"mode": "500", "times": -1}, "HTTP 500"),
        ({"mode": "malformed", "times": -1}, "goedgevormde"),
        ({"mode": "500", "status": 404, "times": -1}, "HTTP 404"),
    ],
)
def test_official_sru_failure_is_recorded_and_the_day_asked_again(
    synced: str, media_server: FeedServer, rule: dict[str, Any], reason: str
) -> None:
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    sru = media_server.media_url + "/sru"
    media_server.add_faults([{**rule, "path": "sru"}])
    report = op(synced, media_server, now, sru_url=sru, sru_days=5)
    media_server.clear_faults()
    assert report.sru_days == 0 and any(reason in e for e in report.errors), report.errors
    first_day = (TODAY - timedelta(days=5)).isoformat()
    ((key, why),) = rows(
        synced, "SELECT key, reason FROM media_problem WHERE kind = 'officiele-sru'"
    )
    assert key == f"sru:{first_day}" and reason in why
    assert rows(synced, "SELECT count(*) FROM meta WHERE key = 'officiele_sru_dag'") == [(0,)]
    # older documents were still asked directly
    assert report.checked > 0
    fixed = op(synced, media_server, now + timedelta(minutes=1), sru_url=sru, sru_days=5)
    assert fixed.errors == [] and fixed.sru_days == 5 and fixed.listed > 0
    assert rows(synced, "SELECT count(*) FROM media_problem WHERE kind = 'officiele-sru'") == [(0,)]


def test_sru_simulator_pages_and_refuses_a_query_without_a_day(media_server: FeedServer) -> None:
    from kamerwatch.publicaties.parse import parse_sru, sru_params

    world = media_server.media
    world._build()
    day = max(
        d for e in world.publications if (d := world.published_on(e)) and d <= TODAY.isoformat()
    )
    url = media_server.media_url + "/sru"
    whole = parse_sru(httpx.get(url, params=sru_params(day, 1)).content)
    assert whole.total == len(whole.records) >= 2 and whole.next_position is None
    # one publication a day that is not in the feed, as the real listing has
    assert sum(r.identifier not in world.publications for r in whole.records) == 1
    first = parse_sru(httpx.get(url, params=sru_params(day, 1, 1)).content)
    assert first.total == whole.total and first.next_position == 2 and len(first.records) == 1
    second = parse_sru(httpx.get(url, params=sru_params(day, 2, 1)).content)
    assert second.records[0] == whole.records[1]
    future = (TODAY + timedelta(days=400)).isoformat()
    assert parse_sru(httpx.get(url, params=sru_params(future, 1)).content).total == 0
    bad = httpx.get(url, params={"operation": "searchRetrieve", "query": "dt.type==x"})
    with pytest.raises(Exception, match="SRU-fout"):
        parse_sru(bad.content)


def test_a_word_only_in_the_official_text_is_found_by_search(
    synced: str, media_server: FeedServer, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from kamerwatch.web.app import create_app

    world = media_server.media
    world._build()
    data = (
        Path(synced.removeprefix("sqlite:///")).parent
        if synced.startswith("sqlite:")
        else tmp_path / "data"
    )
    (eid, nummer) = rows(
        synced,
        "SELECT v.externeidentifier, d.document_nummer FROM documentversie v "
        "JOIN document d ON d.id = v.document_id WHERE v.externeidentifier LIKE 'kst-%' "
        "ORDER BY v.externeidentifier LIMIT 1",
    )[0]
    word = world.official_word(eid)

    def found() -> str:
        result = kamerwatch("index", data_dir=data, database_url=synced)
        assert result.returncode == 0, result.stderr
        with TestClient(create_app(synced, data_dir=tmp_path / "web")) as client:
            page = client.get("/zoeken", params={"q": word})
            assert page.status_code == 200
            return page.text

    assert f"/document/{nummer}" not in found()  # the feed and its files lack the word
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    assert op(synced, media_server, now).found > 0
    assert f'href="/document/{nummer}"' in found()


def test_debatdirect_huge_answer_is_refused_with_its_reason_and_loses_nothing(
    synced: str, media_server: FeedServer
) -> None:
    first = dd(synced, media_server)
    before = rows(synced, "SELECT activiteit_id, broadcast_id FROM dd_match ORDER BY activiteit_id")
    report = dd(synced, media_server, window_back=3, window_ahead=0, max_bytes=100)
    assert report.failed_days > 0 and report.days == 0
    assert all("te groot" in e for e in report.errors), report.errors
    after = rows(synced, "SELECT activiteit_id, broadcast_id FROM dd_match ORDER BY activiteit_id")
    assert after == before and first.matched > 0
    reasons = rows(synced, "SELECT reason FROM dd_day WHERE state = 'fout'")
    assert reasons and all("te groot" in r for (r,) in reasons)


def test_official_plain_404_is_not_published_yet_and_retried_later(
    synced: str, media_server: FeedServer
) -> None:
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    media_server.add_faults([{"mode": "500", "status": 404, "path": "officiele", "times": 1}])
    report = op(synced, media_server, now, batch=1)
    assert report.checked == 1 and report.missing == 1 and report.requests == 1
    ((eid, state, reason, next_try),) = rows(
        synced, "SELECT eid, state, reason, next_try FROM op_publication"
    )
    assert state == "afwezig" and "HTTP 404" in reason
    assert next_try == (now + timedelta(hours=1)).isoformat(timespec="seconds")
    assert op(synced, media_server, now + timedelta(minutes=59), batch=1).checked in (0, 1)
    assert rows(synced, "SELECT state FROM op_publication WHERE eid = ?", (eid,)) == [("afwezig",)]
    media_server.media.today = TODAY + timedelta(days=30)  # whatever it is, it is out now
    later = op(synced, media_server, now + timedelta(hours=30), batch=10_000)
    assert later.failed == 0
    assert rows(synced, "SELECT state, tries FROM op_publication WHERE eid = ?", (eid,)) == [
        ("ok", 2)
    ]
