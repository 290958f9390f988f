"""Woo publications from open.overheid.nl: every SQL statement of the woo subsystem.

Tables (migration ``0011_woo`` in ``store/sql/woo/``, the woo set :data:`MIGRATIONS`):

* ``woo_publication``: one row per publication (id = the uuid or ``oep-<sha1>``): the
  listing result as received, the complete detail JSON, typed columns, and its ``state``:
  ``nieuw`` (listed; its detail is still to be fetched), ``ok``, ``fout`` (the detail could
  not be read three times) or ``ingetrokken`` (withdrawn: hidden from pages and search);
* ``woo_version``: every detail ever held, in harvest order (the history of a publication);
* ``woo_relation``: relations to other publications (parent, bundle, …);
* ``woo_file``: the files of the current version, with their download state (the bytes live
  in ``resource_file`` under ``entity_id`` = ``woo-<id>-<n>``, converted by the documents
  stage like any other file);
* ``woo_problem``: the reason of every listing page, result, detail or file that could not be
  used, with its raw answer where there was one.

The harvest cursor (the last day whose listing was walked to the end) is ``meta.woo_day``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kamerwatch.woo.parse import ListingItem, WooDetail

from . import changes
from .db import Connection, upsert_sql
from .migrations import Migrations

MIGRATIONS = Migrations("woo", "kamerwatch.store", "sql/woo")

# migration 0014_woo_position (store/sql/woo/): the change position of a publication (a
# counter over all of them, raised whenever its detail changes or it is withdrawn): the
# alerts' window

CURSOR_KEY = "woo_day"
MAX_ATTEMPTS = 3  # failed tries of a detail or file before it is left alone ("fout")
TWEEDE_KAMER = "Tweede Kamer"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _labels(values: Sequence[Any]) -> str:
    return json.dumps([v.label for v in values], ensure_ascii=False)


def entity_id(pub_id: str, n: int) -> str:
    """The key of a Woo file in ``resource_file`` / ``conversion``."""
    return f"woo-{pub_id}-{n}"


# ------------------------------------------------------------------ harvest writes


def cursor(conn: Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (CURSOR_KEY,)).fetchone()
    return str(row[0]) if row and row[0] else None


def set_cursor(conn: Connection, day: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (CURSOR_KEY, day),
    )


AUDIT_KEY = "woo_audited"


def audited(conn: Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (AUDIT_KEY,)).fetchone()
    return str(row[0]) if row and row[0] else None


def set_audited(conn: Connection, when: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (AUDIT_KEY, when),
    )


def newest_mutatie(conn: Connection) -> str | None:
    """The newest listing ``mutatiedatumtijd`` held (where the change walk stops)."""
    row = conn.execute("SELECT max(listed_mutatie) FROM woo_publication").fetchone()
    return str(row[0]) if row and row[0] else None


def counts_by_day(conn: Connection, first: str, last: str) -> dict[str, int]:
    """Publications held (not withdrawn) per listing day in [first, last]."""
    rows = conn.execute(
        "SELECT listed_datum, count(*) FROM woo_publication WHERE listed_datum >= ? "
        "AND listed_datum <= ? AND state <> 'ingetrokken' GROUP BY listed_datum",
        (first, last),
    )
    return {str(d): int(n) for d, n in rows}


def record_listed(conn: Connection, item: ListingItem, day: str) -> str:
    """A listing result: new → ``nieuw``; changed ``mutatiedatumtijd`` (or back after a
    withdrawal) → ``nieuw`` again; unchanged → nothing. Returns what happened:
    ``"nieuw"``, ``"gewijzigd"`` or ``"ongewijzigd"``."""
    row = conn.execute(
        "SELECT listed_mutatie, state FROM woo_publication WHERE id = ?", (item.uuid,)
    ).fetchone()
    raw = json.dumps(item.raw, ensure_ascii=False, sort_keys=True)
    if row is None:
        conn.execute(
            """INSERT INTO woo_publication
               (id, listing_id, listed_mutatie, listed_datum, listing_json, state, titel,
                openbaarmakingsdatum, mutatiedatumtijd, publisher, aanbieder, weblocatie,
                omschrijvingen, first_seen)
               VALUES (?, ?, ?, ?, ?, 'nieuw', ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                item.uuid,
                item.id,
                item.mutatiedatumtijd,
                item.openbaarmakingsdatum or day,
                raw,
                item.titel,
                item.openbaarmakingsdatum or day,
                item.mutatiedatumtijd,
                item.publisher,
                item.aanbieder,
                item.weblocatie,
                json.dumps([item.omschrijving] if item.omschrijving else [], ensure_ascii=False),
                _now(),
            ),
        )
        return "nieuw"
    listed, state = row[0], row[1]
    if listed == item.mutatiedatumtijd and state != "ingetrokken":
        return "ongewijzigd"
    conn.execute(
        """UPDATE woo_publication SET listing_id = ?, listed_mutatie = ?, listed_datum = ?,
           listing_json = ?, state = 'nieuw', withdrawn_at = NULL WHERE id = ?""",
        (item.id, item.mutatiedatumtijd, item.openbaarmakingsdatum or day, raw, item.uuid),
    )
    conn.execute("DELETE FROM woo_problem WHERE key = ?", (f"detail:{item.uuid}",))
    return "gewijzigd"


def wanted_details(conn: Connection, limit: int = 1000) -> list[str]:
    """Publications whose detail is to be fetched, oldest listing day first."""
    rows = conn.execute(
        "SELECT id FROM woo_publication WHERE state = 'nieuw' ORDER BY listed_datum NULLS FIRST, id LIMIT ?",
        (limit,),
    ).fetchall()
    return [r[0] for r in rows]


def held_on(conn: Connection, day: str) -> set[str]:
    """Ids of the publications (not withdrawn) listed on ``day``."""
    rows = conn.execute(
        "SELECT id FROM woo_publication WHERE listed_datum = ? AND state <> 'ingetrokken'",
        (day,),
    ).fetchall()
    return {r[0] for r in rows}


def mark_recheck(conn: Connection, ids: Sequence[str]) -> None:
    """Publications missing from their day's listing: ask for their detail again."""
    for pub_id in ids:
        conn.execute(
            "UPDATE woo_publication SET state = 'nieuw' WHERE id = ? AND state <> 'ingetrokken'",
            (pub_id,),
        )


def save_detail(conn: Connection, d: WooDetail, raw: bytes, *, withdrawn: bool = False) -> bool:
    """Store a fetched detail: history row when it differs from the one held, typed
    columns, relations and files. Returns whether the detail changed."""
    text = raw.decode("utf-8-sig")
    now = _now()
    row = conn.execute(
        "SELECT detail_json, state FROM woo_publication WHERE id = ?", (d.id,)
    ).fetchone()
    changed = row is None or row[0] != text
    if changed:
        seq = conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM woo_version WHERE id = ?", (d.id,)
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO woo_version (id, seq, mutatiedatumtijd, versie, detail_json, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (d.id, seq, d.mutatiedatumtijd, d.versie.nummer if d.versie else None, text, now),
        )
    status = d.publicatiestatus
    gone = withdrawn or (status is not None and status != "gepubliceerd")
    verantw = d.verantwoordelijke
    publisher = d.publisher
    values = (
        "ingetrokken" if gone else "ok",
        d.titel,
        json.dumps(list(d.omschrijvingen), ensure_ascii=False),
        d.openbaarmakingsdatum,
        d.mutatiedatumtijd,
        d.versie.nummer if d.versie else None,
        verantw.label if verantw else None,
        verantw.id if verantw else None,
        publisher.label if publisher else None,
        publisher.id if publisher else None,
        d.aanbieder,
        _labels(d.documentsoorten),
        _labels(d.informatiecategorieen),
        _labels(d.themas),
        json.dumps(list(d.identifiers), ensure_ascii=False),
        d.weblocatie,
        d.parent,
        1 if d.is_tweede_kamer_copy else 0,
        text,
        now,
        now if gone else None,
    )
    if row is None:  # a detail without a listing row (a parent fetched for its child)
        conn.execute(
            "INSERT INTO woo_publication (id, listing_id, listing_json, state, first_seen) "
            "VALUES (?, ?, '{}', 'nieuw', ?)",
            (d.id, d.id, now),
        )
    conn.execute(
        """UPDATE woo_publication SET state = ?, titel = ?, omschrijvingen = ?,
           openbaarmakingsdatum = coalesce(?, openbaarmakingsdatum),
           mutatiedatumtijd = ?, versie = ?, verantwoordelijke = ?, verantwoordelijke_id = ?,
           publisher = ?, publisher_id = ?, aanbieder = coalesce(?, aanbieder),
           documentsoorten = ?, informatiecategorieen = ?, themas = ?, identifiers = ?,
           weblocatie = ?, parent_id = ?, tk_copy = ?, detail_json = ?, fetched_at = ?,
           withdrawn_at = ? WHERE id = ?""",
        (*values, d.id),
    )
    conn.execute("DELETE FROM woo_relation WHERE id = ?", (d.id,))
    for r in d.relaties:
        conn.execute(
            "INSERT INTO woo_relation (id, target, role, titel) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id, target, role) DO NOTHING",
            (d.id, r.target, r.role, r.titel),
        )
    _save_files(conn, d)
    conn.execute("DELETE FROM woo_problem WHERE key = ?", (f"detail:{d.id}",))
    if changed or row is None or row[1] != values[0]:
        _bump_position(conn, d.id)
        what = changes.DELETED if gone else changes.NEW if row is None else changes.CHANGED
        path = None if gone else changes.woo_path(d.id)
        changes.log(conn, [(changes.WOO, d.id, what, path)], now)
    return changed


def _bump_position(conn: Any, pub_id: str) -> None:
    conn.execute(
        "UPDATE woo_publication SET position = (SELECT coalesce(max(position), 0) + 1 "
        "FROM woo_publication) WHERE id = ?",
        (pub_id,),
    )


def position(conn: Any) -> int:
    """The newest change position (0: none)."""
    row = conn.execute("SELECT coalesce(max(position), 0) FROM woo_publication").fetchone()
    return int(row[0])


def save_relations(conn: Any, pub_id: str, rels: Sequence[Any]) -> None:
    """Relations from the ``_relaties`` answer (asked when the detail has none)."""
    for r in rels:
        conn.execute(
            "INSERT INTO woo_relation (id, target, role, titel) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id, target, role) DO UPDATE SET titel = excluded.titel",
            (pub_id, r.target, r.role, r.titel),
        )
        if r.role.endswith("/bundel") or r.role.endswith("c_4d1ea9ba"):
            conn.execute(
                "UPDATE woo_publication SET parent_id = ? WHERE id = ? AND parent_id IS NULL",
                (r.target, pub_id),
            )


def _save_files(conn: Connection, d: WooDetail) -> None:
    held = {
        int(r[0]): r[1]
        for r in conn.execute("SELECT n, have_hash FROM woo_file WHERE id = ?", (d.id,))
    }
    conn.execute("DELETE FROM woo_file WHERE id = ?", (d.id,))
    for n, f in enumerate(d.bestanden, 1):
        have = held.get(n)
        if not f.gepubliceerd or f.url is None:
            state = "overgeslagen"
        elif d.is_tweede_kamer_copy:
            state = "overgeslagen"  # the kamerwatch document has the file
        elif have is not None and f.hash is not None and have == f.hash:
            state = "ok"
        else:
            state = "nodig"
        conn.execute(
            """INSERT INTO woo_file (id, n, entity_id, url, label, bestandsnaam, mime_type,
               grootte, paginas, hash, gepubliceerd, state, have_hash, reason, attempts)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0)""",
            (
                d.id,
                n,
                entity_id(d.id, n),
                f.url,
                f.label,
                f.bestandsnaam,
                f.mime_type,
                f.grootte,
                f.paginas,
                f.hash,
                1 if f.gepubliceerd else 0,
                state,
                have,
            ),
        )


def withdraw(conn: Connection, pub_id: str) -> None:
    conn.execute(
        "UPDATE woo_publication SET state = 'ingetrokken', withdrawn_at = ? WHERE id = ?",
        (_now(), pub_id),
    )
    _bump_position(conn, pub_id)
    conn.execute("DELETE FROM woo_problem WHERE key = ?", (f"detail:{pub_id}",))
    changes.log(conn, [(changes.WOO, pub_id, changes.DELETED, None)])


def problem(conn: Connection, key: str, kind: str, reason: str, raw: str | None = None) -> int:
    """Record (or count again) a problem; returns how often it happened in a row."""
    row = conn.execute("SELECT attempts FROM woo_problem WHERE key = ?", (key,)).fetchone()
    attempts = (int(row[0]) if row else 0) + 1
    conn.execute(
        upsert_sql(
            "woo_problem", ("key", "kind", "reason", "raw", "attempts", "last_attempt"), ("key",)
        ),
        (key, kind, reason, raw[:200_000] if raw else None, attempts, _now()),
    )
    return attempts


def detail_failed(conn: Connection, pub_id: str, reason: str, raw: str | None) -> None:
    attempts = problem(conn, f"detail:{pub_id}", "detail", reason, raw)
    if attempts >= MAX_ATTEMPTS:
        conn.execute("UPDATE woo_publication SET state = 'fout' WHERE id = ?", (pub_id,))


@dataclass(frozen=True, slots=True)
class WantedFile:
    id: str
    n: int
    entity_id: str
    url: str
    bestandsnaam: str | None
    mime_type: str | None
    grootte: int | None
    hash: str | None


def wanted_files(conn: Connection, limit: int = 1000) -> list[WantedFile]:
    rows = conn.execute(
        """SELECT f.id, f.n, f.entity_id, f.url, f.bestandsnaam, f.mime_type, f.grootte, f.hash
           FROM woo_file f JOIN woo_publication p ON p.id = f.id
           WHERE f.state = 'nodig' AND p.state = 'ok'
           ORDER BY p.listed_datum NULLS FIRST, f.id, f.n NULLS FIRST LIMIT ?""",
        (limit,),
    ).fetchall()
    return [WantedFile(*r) for r in rows]


def file_ok(conn: Connection, pub_id: str, n: int, sha1: str) -> None:
    conn.execute(
        "UPDATE woo_file SET state = 'ok', have_hash = ?, reason = NULL, attempts = 0 "
        "WHERE id = ? AND n = ?",
        (sha1, pub_id, n),
    )
    conn.execute("DELETE FROM woo_problem WHERE key = ?", (f"bestand:{pub_id}:{n}",))


def file_failed(conn: Connection, pub_id: str, n: int, reason: str, *, permanent: bool) -> None:
    attempts = problem(conn, f"bestand:{pub_id}:{n}", "bestand", reason)
    state = "fout" if permanent or attempts >= MAX_ATTEMPTS else "nodig"
    conn.execute(
        "UPDATE woo_file SET state = ?, reason = ?, attempts = ? WHERE id = ? AND n = ?",
        (state, reason, attempts, pub_id, n),
    )


# ------------------------------------------------------------------ alerts


@dataclass(frozen=True, slots=True)
class Changed:
    """A publication published or changed in an alerts window, with its searchable text."""

    id: str
    titel: str
    organisatie: str
    datum: str
    soort: str
    text: str


def changed_between(conn: Any, lo: int, hi: int, organisatie: str | None = None) -> list[Changed]:
    """Publications (shown on the site: not withdrawn, not a Tweede Kamer copy) whose
    position is in (lo, hi], oldest change first; ``organisatie``: of that verantwoordelijke
    or publisher (case-insensitive)."""
    sql = """SELECT id, titel, verantwoordelijke, openbaarmakingsdatum, documentsoorten,
                    omschrijvingen FROM woo_publication
             WHERE position > ? AND position <= ? AND state = 'ok' AND tk_copy = 0"""
    args: list[Any] = [lo, hi]
    if organisatie:
        sql += " AND (lower(verantwoordelijke) = lower(?) OR lower(publisher) = lower(?))"
        args += [organisatie, organisatie]
    out = []
    for r in conn.execute(sql + " ORDER BY position NULLS FIRST", args).fetchall():
        soorten = json.loads(r[4]) if r[4] else []
        omschrijvingen = json.loads(r[5]) if r[5] else []
        out.append(
            Changed(
                str(r[0]),
                str(r[1] or ""),
                str(r[2] or ""),
                str(r[3] or ""),
                soorten[0] if soorten else "",
                " ".join([str(r[1] or ""), *omschrijvingen, str(r[2] or "")]),
            )
        )
    return out


# ------------------------------------------------------------------ status


@dataclass(frozen=True, slots=True)
class WooStatus:
    by_state: dict[str, int]
    files_by_state: dict[str, int]
    problems: list[tuple[str, str, int, str]]  # key, reason, attempts, last attempt
    cursor: str | None


def status(conn: Connection, limit: int = 20) -> WooStatus:
    by_state = {
        str(s): int(n)
        for s, n in conn.execute("SELECT state, count(*) FROM woo_publication GROUP BY state")
    }
    files = {
        str(s): int(n)
        for s, n in conn.execute("SELECT state, count(*) FROM woo_file GROUP BY state")
    }
    problems = [
        (str(r[0]), str(r[1]), int(r[2]), str(r[3]))
        for r in conn.execute(
            "SELECT key, reason, attempts, last_attempt FROM woo_problem "
            "ORDER BY last_attempt DESC NULLS LAST, key NULLS FIRST LIMIT ?",
            (limit,),
        )
    ]
    return WooStatus(by_state, files, problems, cursor(conn))
