"""Debat Direct video and the official publications: every SQL statement of both
subsystems (issue #24, docs/media.md).

Tables (migration ``0013_media`` in ``store/sql/media/``, the set :data:`MIGRATIONS`):

* ``dd_day``: each day whose Debat Direct search was asked: when, the hash of its listing,
  how many broadcasts, ``state`` (``ok`` / ``fout``) and the reason of a failure;
* ``dd_broadcast``: the broadcasts of the days asked (replaced when a day is asked again);
* ``dd_match``: per activity the best matching broadcast (or none, with the reason), its
  score (seconds between the midpoints), ties, when it was made, and what it was made from
  (the activity's start/end/room and the day's listing hash: a change of either re-matches);
* ``op_publication``: per externe identifier the official publication: ``state`` ``ok``,
  ``afwezig`` (not published (yet): retried with backoff at ``next_try``) or ``fout``
  (unreadable; retried like ``afwezig``), the XML as received, the number of questions and
  answers, the ``vraagnummer`` and ``aanhangsel`` of its metadata;
* ``media_problem``: the reason (and raw answer) of everything that could not be used.

All functions take an open connection; nothing here commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kamerwatch.debatdirect.parse import SITE, room_key

from .db import in_list, upsert_sql
from .migrations import Migrations

MIGRATIONS = Migrations("media", "kamerwatch.store", "sql/media")

DD_CURSOR_KEY = "debatdirect_bijgewerkt"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ------------------------------------------------------------------ problems


def record_problem(conn: Any, key: str, kind: str, reason: str, raw: str | None) -> None:
    conn.execute(
        "INSERT INTO media_problem (key, kind, reason, raw, attempts, last_attempt) "
        "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (key) DO UPDATE SET reason = excluded.reason, "
        "raw = excluded.raw, attempts = media_problem.attempts + 1, "
        "last_attempt = excluded.last_attempt",
        (key, kind, reason, raw, now()),
    )


def clear_problem(conn: Any, key: str) -> None:
    conn.execute("DELETE FROM media_problem WHERE key = ?", (key,))


def problems(conn: Any, kind: str | None = None) -> list[tuple[str, str, str, int]]:
    """(key, kind, reason, attempts), ordered by key."""
    sql = "SELECT key, kind, reason, attempts FROM media_problem"
    args: tuple[Any, ...] = ()
    if kind is not None:
        sql += " WHERE kind = ?"
        args = (kind,)
    return [
        (str(a), str(b), str(c), int(d))
        for a, b, c, d in conn.execute(sql + " ORDER BY key NULLS FIRST", args)
    ]


# ------------------------------------------------------------------ Debat Direct


@dataclass(frozen=True, slots=True)
class ActivitySlot:
    id: str
    nummer: str | None
    day: str
    start: str
    end: str | None
    room: str | None
    onderwerp: str | None = None

    @property
    def made_from(self) -> str:
        return f"{self.start}|{self.end or ''}|{self.room or ''}|{self.onderwerp or ''}"


def dd_cursor(conn: Any) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DD_CURSOR_KEY,)).fetchone()
    return str(row[0]) if row and row[0] else None


def set_dd_cursor(conn: Any, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (DD_CURSOR_KEY, value),
    )


def activity_days(conn: Any, first: str, last: str) -> list[str]:
    """Days in [first, last] that have an activity with a start time, ascending."""
    rows = conn.execute(
        "SELECT DISTINCT substr(aanvangstijd, 1, 10) AS d FROM activiteit "
        "WHERE aanvangstijd >= ? AND aanvangstijd < ? ORDER BY d NULLS FIRST",
        (first, last + "T99"),
    )
    return [str(r[0]) for r in rows]


def changed_activity_days(conn: Any, since: str | None, limit: int) -> tuple[list[str], str | None]:
    """Days of activities changed after ``since`` (``bijgewerkt``), newest days first, and
    the newest ``bijgewerkt`` seen (the next cursor)."""
    newest = conn.execute("SELECT max(bijgewerkt) FROM activiteit").fetchone()
    top = str(newest[0]) if newest and newest[0] else None
    if since is None:
        return [], top
    rows = conn.execute(
        "SELECT DISTINCT substr(aanvangstijd, 1, 10) AS d FROM activiteit "
        "WHERE bijgewerkt > ? AND aanvangstijd IS NOT NULL ORDER BY d DESC NULLS LAST LIMIT ?",
        (since, limit),
    )
    return [str(r[0]) for r in rows], top


def activities_on(conn: Any, day: str) -> list[ActivitySlot]:
    """The activities starting on ``day`` with their first reservation's room, by id."""
    rows = conn.execute(
        "SELECT id, nummer, aanvangstijd, eindtijd, onderwerp FROM activiteit "
        "WHERE aanvangstijd >= ? AND aanvangstijd < ? ORDER BY id",
        (day, day + "T99"),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = in_list(ids)
    rooms: dict[str, str] = {}
    for act_id, naam in conn.execute(
        "SELECT l.dst_id, z.naam FROM link l JOIN reservering r ON r.id = l.src_id "
        "JOIN zaal z ON z.id = r.zaal_id WHERE l.src_category = 'Reservering' "
        f"AND l.relation = 'activiteit' AND l.dst_id IN ({marks}) "
        "ORDER BY l.dst_id NULLS FIRST, r.nummer NULLS FIRST, r.id",
        ids,
    ):
        rooms.setdefault(str(act_id), str(naam))
    return [
        ActivitySlot(str(r[0]), r[1], day, str(r[2]), r[3], rooms.get(str(r[0])), r[4])
        for r in rows
    ]


def day_state(conn: Any, day: str) -> tuple[str, str, str] | None:
    """(state, listing_hash, fetched_at) of a day asked before."""
    row = conn.execute(
        "SELECT state, listing_hash, fetched_at FROM dd_day WHERE day = ?", (day,)
    ).fetchone()
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


_BROADCAST_COLS = (
    "id",
    "day",
    "name",
    "slug",
    "location_id",
    "location_name",
    "category_id",
    "starts_at",
    "ends_at",
    "started_at",
    "ended_at",
    "raw_json",
)


def store_day(conn: Any, day: str, broadcasts: Iterable[Any], listing_hash: str) -> None:
    """The complete listing of a day: its broadcasts replace those held for that day."""
    items = list(broadcasts)
    conn.execute("DELETE FROM dd_broadcast WHERE day = ?", (day,))
    sql = upsert_sql("dd_broadcast", _BROADCAST_COLS, ("id",))
    for b in items:
        conn.execute(
            sql,
            (
                b.id,
                day,
                b.name,
                b.slug,
                b.location_id,
                b.location_name,
                b.category_id,
                b.starts_at,
                b.ends_at,
                b.started_at,
                b.ended_at,
                b.raw,
            ),
        )
    conn.execute(
        upsert_sql(
            "dd_day",
            ("day", "fetched_at", "listing_hash", "broadcasts", "state", "reason"),
            ("day",),
        ),
        (day, now(), listing_hash, len(items), "ok", None),
    )


def day_failed(conn: Any, day: str, reason: str) -> None:
    """A day whose listing could not be read: its broadcasts and matches stay as they were."""
    conn.execute(
        "INSERT INTO dd_day (day, fetched_at, listing_hash, broadcasts, state, reason) "
        "VALUES (?, ?, '', 0, 'fout', ?) ON CONFLICT (day) DO UPDATE SET state = 'fout', "
        "reason = excluded.reason, fetched_at = excluded.fetched_at",
        (day, now(), reason),
    )


def match_made_from(conn: Any, activiteit_id: str) -> tuple[str, str] | None:
    row = conn.execute(
        "SELECT made_from, listing_hash FROM dd_match WHERE activiteit_id = ?", (activiteit_id,)
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


_MATCH_COLS = (
    "activiteit_id",
    "day",
    "broadcast_id",
    "video_url",
    "embed_url",
    "name",
    "score",
    "ties",
    "reason",
    "made_from",
    "listing_hash",
    "matched_at",
)


def store_match(conn: Any, slot: ActivitySlot, found: Any, listing_hash: str) -> None:
    """``found``: a :class:`kamerwatch.debatdirect.parse.Match`."""
    b = found.broadcast
    conn.execute(
        upsert_sql("dd_match", _MATCH_COLS, ("activiteit_id",)),
        (
            slot.id,
            slot.day,
            b.id if b else None,
            b.video_url if b else None,
            b.embed_url if b else None,
            b.name if b else None,
            found.score,
            found.ties,
            found.reason,
            slot.made_from,
            listing_hash,
            now(),
        ),
    )


@dataclass(frozen=True, slots=True)
class Video:
    video_url: str
    embed_url: str
    name: str | None
    score: float | None
    reason: str
    matched_at: str


def videos(conn: Any, activiteit_ids: Iterable[str]) -> dict[str, Video]:
    """The matched broadcast of each activity that has one."""
    ids = sorted(set(activiteit_ids))
    out: dict[str, Video] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = in_list(chunk)
        for row in conn.execute(
            "SELECT activiteit_id, video_url, embed_url, name, score, reason, matched_at "
            f"FROM dd_match WHERE broadcast_id IS NOT NULL AND activiteit_id IN ({marks})",
            chunk,
        ):
            out[str(row[0])] = Video(
                str(row[1]), str(row[2]), row[3], row[4], str(row[5]), str(row[6])
            )
    return out


def match_reason(conn: Any, activiteit_id: str) -> str | None:
    row = conn.execute(
        "SELECT reason FROM dd_match WHERE activiteit_id = ?", (activiteit_id,)
    ).fetchone()
    return str(row[0]) if row else None


# ------------------------------------------------------------------ official publications


@dataclass(frozen=True, slots=True)
class ToCheck:
    eid: str
    datum: str | None  # the newest date of the document versions carrying it
    never: bool  # never asked before


def eids_to_check(conn: Any, when: str, limit: int) -> list[ToCheck]:
    """Externe identifiers to ask for: never asked (newest documents first), then those
    not published (yet) or unreadable whose ``next_try`` has come (oldest ``next_try``
    first); at most ``limit``."""
    fresh = [
        ToCheck(str(r[0]), str(r[1]) if r[1] else None, True)
        for r in conn.execute(
            "SELECT v.externeidentifier, max(v.datum) AS d FROM documentversie v "
            "WHERE v.externeidentifier IS NOT NULL AND v.externeidentifier <> '' "
            "AND NOT EXISTS (SELECT 1 FROM op_publication p WHERE p.eid = v.externeidentifier) "
            "GROUP BY v.externeidentifier "
            "ORDER BY d DESC NULLS LAST, v.externeidentifier NULLS FIRST LIMIT ?",
            (limit,),
        )
    ]
    if len(fresh) >= limit:
        return fresh
    again = [
        ToCheck(str(r[0]), None, False)
        for r in conn.execute(
            "SELECT eid FROM op_publication WHERE state <> 'ok' AND next_try <= ? "
            "ORDER BY next_try NULLS FIRST, eid NULLS FIRST LIMIT ?",
            (when, limit - len(fresh)),
        )
    ]
    return fresh + again


def held_eids(conn: Any, eids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """Of ``eids``, those carried by a document version we hold: eid → (state, the listing
    day it was fetched for); (None, None) when never asked."""
    wanted = sorted(set(eids))
    out: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = in_list(chunk)
        for eid, state, listed in conn.execute(
            "SELECT DISTINCT v.externeidentifier, p.state, p.listed FROM documentversie v "
            "LEFT JOIN op_publication p ON p.eid = v.externeidentifier "
            f"WHERE v.externeidentifier IN ({marks}) ORDER BY v.externeidentifier",
            chunk,
        ):
            out[str(eid)] = (state, listed)
    return out


SRU_CURSOR_KEY = "officiele_sru_dag"
SRU_ORIGIN_KEY = "officiele_sru_begin"


def meta_value(conn: Any, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] else None


def set_meta_value(conn: Any, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def publication_waiting(conn: Any, eid: str, reason: str, next_try: str) -> None:
    """An identifier not asked because the SRU listing will show it once published: kept
    as ``afwezig`` (no try counted) until ``next_try``, when it is asked directly."""
    stamp = now()
    conn.execute(
        "INSERT INTO op_publication (eid, state, tries, first_try, checked_at, next_try, reason) "
        "VALUES (?, 'afwezig', 0, ?, ?, ?, ?) ON CONFLICT (eid) DO NOTHING",
        (eid, stamp, stamp, next_try, reason),
    )


def texts_missing(conn: Any, limit: int) -> list[tuple[str, str]]:
    """(eid, xml) of publications held without their plain text (kept before 0030)."""
    return [
        (str(a), str(b))
        for a, b in conn.execute(
            "SELECT eid, xml FROM op_publication WHERE xml IS NOT NULL AND text IS NULL "
            "AND state = 'ok' ORDER BY eid LIMIT ?",
            (limit,),
        )
    ]


def set_text(conn: Any, eid: str, text: str) -> None:
    conn.execute("UPDATE op_publication SET text = ? WHERE eid = ?", (text, eid))


def publication_state(conn: Any, eid: str) -> tuple[str, int, str] | None:
    row = conn.execute(
        "SELECT state, tries, first_try FROM op_publication WHERE eid = ?", (eid,)
    ).fetchone()
    return (str(row[0]), int(row[1]), str(row[2])) if row else None


def store_publication(
    conn: Any,
    eid: str,
    *,
    xml: str,
    kind: str,
    vragen: int | None,
    antwoorden: int | None,
    vraagnummer: str | None,
    aanhangsel: str | None,
    metadata: dict[str, list[str]] | None,
    text: str | None = None,
    listed: str | None = None,
) -> None:
    """A publication read: its XML as received, its plain text (for the search index),
    and the SRU listing day it was fetched for (``None`` when asked directly)."""
    stamp = now()
    conn.execute(
        "INSERT INTO op_publication (eid, state, tries, first_try, checked_at, next_try, "
        "reason, kind, xml, vragen, antwoorden, vraagnummer, aanhangsel, metadata_json, text, "
        "listed) VALUES (?, 'ok', 1, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (eid) DO UPDATE "
        "SET state = 'ok', tries = op_publication.tries + 1, checked_at = excluded.checked_at, "
        "next_try = NULL, reason = NULL, kind = excluded.kind, xml = excluded.xml, "
        "vragen = excluded.vragen, antwoorden = excluded.antwoorden, "
        "vraagnummer = excluded.vraagnummer, aanhangsel = excluded.aanhangsel, "
        "metadata_json = excluded.metadata_json, text = excluded.text, "
        "listed = coalesce(excluded.listed, op_publication.listed)",
        (
            eid,
            stamp,
            stamp,
            kind,
            xml,
            vragen,
            antwoorden,
            vraagnummer,
            aanhangsel,
            json.dumps(metadata, ensure_ascii=False) if metadata is not None else None,
            text,
            listed,
        ),
    )


def publication_missing(conn: Any, eid: str, state: str, reason: str, next_try: str) -> None:
    """Not published (yet) (``afwezig``) or unreadable (``fout``): retried at ``next_try``.
    A publication held before keeps its XML."""
    stamp = now()
    conn.execute(
        "INSERT INTO op_publication (eid, state, tries, first_try, checked_at, next_try, reason) "
        "VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (eid) DO UPDATE SET "
        "state = CASE WHEN op_publication.xml IS NOT NULL THEN 'ok' ELSE excluded.state END, "
        "tries = op_publication.tries + 1, checked_at = excluded.checked_at, "
        "next_try = excluded.next_try, reason = excluded.reason",
        (eid, state, stamp, stamp, next_try, reason),
    )


@dataclass(frozen=True, slots=True)
class Official:
    eid: str
    state: str
    reason: str | None
    kind: str | None
    xml: str | None
    vragen: int | None
    antwoorden: int | None
    vraagnummer: str | None
    aanhangsel: str | None
    checked_at: str


def official(conn: Any, eid: str) -> Official | None:
    row = conn.execute(
        "SELECT eid, state, reason, kind, xml, vragen, antwoorden, vraagnummer, aanhangsel, "
        "checked_at FROM op_publication WHERE eid = ?",
        (eid,),
    ).fetchone()
    return Official(*row) if row else None


def question_counts(conn: Any, document_ids: Iterable[str]) -> dict[str, int]:
    """Number of questions (``<vraag>`` in the official XML) per document id."""
    ids = sorted(set(document_ids))
    out: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = in_list(chunk)
        for doc_id, n in conn.execute(
            "SELECT v.document_id, max(p.vragen) FROM documentversie v "
            "JOIN op_publication p ON p.eid = v.externeidentifier "
            f"WHERE p.vragen IS NOT NULL AND v.document_id IN ({marks}) GROUP BY v.document_id",
            chunk,
        ):
            out[str(doc_id)] = int(n)
    return out


def document_of_eid(conn: Any, eid: str) -> str | None:
    """The document nummer of the newest document version carrying this identifier."""
    row = conn.execute(
        "SELECT d.document_nummer FROM documentversie v JOIN document d ON d.id = v.document_id "
        "WHERE v.externeidentifier = ? AND d.document_nummer IS NOT NULL "
        "ORDER BY v.datum DESC NULLS LAST, d.document_nummer NULLS FIRST LIMIT 1",
        (eid,),
    ).fetchone()
    return str(row[0]) if row else None


def zaak_of_vraagnummer(conn: Any, eid: str) -> str | None:
    """The zaak nummer the official metadata's ``vraagnummer`` names, if that zaak is held."""
    row = conn.execute(
        "SELECT z.nummer FROM op_publication p JOIN zaak z ON z.nummer = p.vraagnummer "
        "WHERE p.eid = ? ORDER BY z.nummer NULLS FIRST LIMIT 1",
        (eid,),
    ).fetchone()
    return str(row[0]) if row else None


def question_counts_by_zaak(conn: Any, zaak_nummers: Iterable[str]) -> dict[str, int]:
    """Number of questions of the official written questions (``kv-tk-…``) per zaak nummer
    (the metadata's ``vraagnummer``, or the identifier ``kv-tk-<nummer>`` itself)."""
    nummers = sorted({n for n in zaak_nummers if n})
    out: dict[str, int] = {}
    for i in range(0, len(nummers), 500):
        chunk = nummers[i : i + 500]
        marks = in_list(chunk)
        eids = [f"kv-tk-{n}" for n in chunk]
        for key, n in conn.execute(
            "SELECT coalesce(vraagnummer, substr(eid, 7)), vragen FROM op_publication "
            f"WHERE vragen IS NOT NULL AND (eid IN ({marks}) OR (vraagnummer IN ({marks}) "
            "AND eid LIKE 'kv-%')) ORDER BY eid",
            [*eids, *chunk],
        ):
            out.setdefault(str(key), int(n))
    return out


@dataclass(frozen=True, slots=True)
class Broadcasted:
    name: str | None
    starts_at: str
    video_url: str


def vergadering_videos(conn: Any, vergadering_ids: Iterable[str]) -> dict[str, list[Broadcasted]]:
    """The broadcasts in a vergadering's room during its hours (all of its day when it has
    no closing time), by start; per vergadering id."""
    ids = sorted(set(vergadering_ids))
    out: dict[str, list[Broadcasted]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = in_list(chunk)
        meetings = conn.execute(
            "SELECT id, aanvangstijd, sluiting, zaal FROM vergadering "
            f"WHERE aanvangstijd IS NOT NULL AND id IN ({marks})",
            chunk,
        ).fetchall()
        days = sorted({str(start)[:10] for _vid, start, _end, _zaal in meetings})
        by_day: dict[str, list[Any]] = {}
        for row in (
            conn.execute(
                "SELECT name, starts_at, ends_at, location_name, day, category_id, location_id, "
                f"slug FROM dd_broadcast WHERE day IN ({in_list(days)}) "
                "ORDER BY day, starts_at, id",
                days,
            )
            if days
            else ()
        ):
            by_day.setdefault(str(row[4]), []).append(row)
        for vid, start, end, zaal in meetings:
            day = str(start)[:10]
            found = []
            for name, b_start, b_end, loc, date_, cat, loc_id, slug in by_day.get(day, ()):
                if room_key(loc) != room_key(zaal or "Plenaire zaal"):
                    continue
                if end and not (b_start < str(end) and b_end > str(start)):
                    continue
                found.append(
                    Broadcasted(name, str(b_start), f"{SITE}/{date_}/{cat}/{loc_id}/{slug}/video")
                )
            if found:
                out[str(vid)] = found
    return out


@dataclass(frozen=True, slots=True)
class MediaStatus:
    days: dict[str, int]  # dd_day state → days
    matches: tuple[int, int]  # activities matched, without a broadcast
    publications: dict[str, int]  # op_publication state → identifiers
    problems: list[tuple[str, str, int, str]]  # key, reason, attempts, last attempt


def status(conn: Any, limit: int = 20) -> MediaStatus:
    days = {
        str(s): int(n) for s, n in conn.execute("SELECT state, count(*) FROM dd_day GROUP BY state")
    }
    row = conn.execute(
        "SELECT count(broadcast_id), count(*) - count(broadcast_id) FROM dd_match"
    ).fetchone()
    pubs = {
        str(s): int(n)
        for s, n in conn.execute("SELECT state, count(*) FROM op_publication GROUP BY state")
    }
    problems = [
        (str(r[0]), str(r[1]), int(r[2]), str(r[3]))
        for r in conn.execute(
            "SELECT key, reason, attempts, last_attempt FROM media_problem "
            "ORDER BY last_attempt DESC, key LIMIT ?",
            (limit,),
        )
    ]
    return MediaStatus(days, (int(row[0] or 0), int(row[1] or 0)), pubs, problems)
