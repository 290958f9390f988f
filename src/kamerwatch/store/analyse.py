"""The analysis pages' data: how fracties vote together (``/analyse/stemmingen``), a
fractie's profile (``/fractie/{afkorting}``), a member's record (``/persoon/{n}``) and how
ministries answer and keep their word (``/analyse/ministeries``).

Three tables are computed from the mirror by :func:`rebuild` (the ``analyse`` stage of
``update``) whenever the cursors of the categories they read have moved
(:func:`pending_version`): ``analyse_stemming`` (per decided vote the position of every
fractie, by the one rule of :mod:`kamerwatch.votes`), ``analyse_indiening`` (per motie and
amendement its indiener and official outcome) and ``analyse_vraag`` (per written question
and addressee: asked, answered, postponed). The pages then read a few thousand small rows
instead of the ~170,000 vote rows. The rules are written out on ``/uitleg``.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from kamerwatch import votes

from .dashboards import MOTIE_SOORTEN, UITSTEL_SOORT, PersoonCijfers, ministry_of, persoon_cijfers
from .db import Connection, in_list
from .migrations import Migrations
from .pages import common

MIGRATIONS = Migrations("analyse", "kamerwatch.store", "sql/analyse")

VERSION = "3"  # bump when the rules change: the next `update` recomputes everything
TERMIJN_DAGEN = 21  # the legal three weeks for an answer to written questions
ANTWOORD = "Antwoord schriftelijke vragen"
STEMMING_SOORTEN = ("Met handopsteken", "Hoofdelijk")

# The parts of the tables, each with the mirror categories it is computed from and whether
# its figures are "as of a day" (then recomputed daily too). A part is computed again only
# when the newest entry of one of its categories moved; the votes and their topics are
# brought up to date vote by vote (:func:`refresh`).
PARTS: dict[str, tuple[tuple[str, ...], bool]] = {
    "stemmingen": (("Activiteit", "Agendapunt", "Besluit", "Fractie", "Stemming"), False),
    "onderwerpen": (("Commissie", "Kamerstukdossier", "Zaak", "ZaakActor"), False),
    "indieningen": (("Activiteit", "Agendapunt", "Besluit", "Fractie", "Zaak", "ZaakActor"), False),
    "vragen": (("Document", "Zaak", "ZaakActor"), True),
    "toezeggingen": (("Toezegging",), True),
}
INPUTS = tuple(sorted({c for categories, _daily in PARTS.values() for c in categories}))
# more changed votes than this: computed anew (as fast, and the order is exact again)
INCREMENTAL_LIMIT = 2000
CHUNK = 500


def _rows(conn: Connection, sql: str, params: Sequence[object] = ()) -> list[Any]:
    return list(conn.execute(sql, tuple(params)))


# -- keeping the tables current ----------------------------------------------------------------


def newest_entries(conn: Connection) -> dict[str, int]:
    """The skiptoken of the newest mirror entry of each of :data:`INPUTS` (0: none yet)."""
    return {
        category: int(
            conn.execute(
                "SELECT max(skiptoken) FROM raw_entry WHERE category = ?", (category,)
            ).fetchone()[0]
            or 0
        )
        for category in INPUTS
    }


def _state(conn: Connection, part: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT versie FROM analyse_state WHERE name = ?", (part,)).fetchone()
    if row is None:
        return None
    try:
        state = json.loads(row[0])
    except ValueError:
        return None
    return state if isinstance(state, dict) and state.get("regels") == VERSION else None


def _wanted(part: str, tokens: dict[str, int], today: date) -> dict[str, Any]:
    categories, daily = PARTS[part]
    return {
        "regels": VERSION,
        "dag": today.isoformat() if daily else None,
        "tokens": {c: tokens[c] for c in categories},
    }


def pending(conn: Connection, today: date) -> list[str]:
    """The parts whose inputs moved since they were computed (in :data:`PARTS` order)."""
    tokens = newest_entries(conn)
    return [p for p in PARTS if _state(conn, p) != _wanted(p, tokens, today)]


def stored_version(conn: Connection) -> str | None:
    row = conn.execute("SELECT versie FROM analyse_state WHERE name = 'inputs'").fetchone()
    return None if row is None else str(row[0])


def computed_on(conn: Connection) -> str | None:
    """The day the tables were last computed for (None: never)."""
    version = stored_version(conn)
    return version.split(";")[1] if version and ";" in version else None


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What :func:`refresh` computed: per part the rows written (``stemmingen``: the votes
    computed, all or the changed ones) and whether it was computed in full."""

    parts: dict[str, int]
    full: frozenset[str]

    @property
    def entries(self) -> int:
        return sum(self.parts.values())

    def message(self) -> str:
        if not self.parts:
            return "niets veranderd"
        done = ", ".join(
            f"{p} {self.parts[p]}{'' if p in self.full else ' (bijgewerkt)'}" for p in self.parts
        )
        same = [p for p in PARTS if p not in self.parts]
        return f"herberekend: {done}" + (f"; ongewijzigd: {', '.join(same)}" if same else "")


Coalition = Callable[[date], frozenset[str]]

TABLES = (
    "analyse_stemming",
    "analyse_afwijking",
    "analyse_bits",
    "analyse_indiening",
    "analyse_vraag",
    "analyse_toezegging",
    "analyse_groep",
)


def refresh(
    conn: Connection, *, today: date, coalition_on: Coalition, force: bool = False
) -> Refreshed:
    """Bring every part whose inputs moved up to date (every part with ``force``), in the
    caller's transaction, and record what it was computed from. ``coalition_on(day)`` gives
    the coalition's fracties on a day."""
    tokens = newest_entries(conn)
    parts: dict[str, int] = {}
    full: set[str] = set()
    for part in PARTS:
        state = None if force else _state(conn, part)
        wanted = _wanted(part, tokens, today)
        if state == wanted:
            continue
        since = state["tokens"] if state else None
        if part == "stemmingen":
            n, whole = _refresh_stemmingen(conn, coalition_on, since)
        elif part == "onderwerpen":
            # a full vote computation wrote every topic already
            n, whole = (0, True) if "stemmingen" in full else _refresh_topics(conn, since)
        elif part == "indieningen":
            n, whole = _refresh_indieningen(conn, since)
        elif part == "vragen":
            same_day = state is not None and state["dag"] == wanted["dag"]
            n, whole = _refresh_vragen(conn, today, since if same_day else None)
        else:
            n, whole = _build_toezeggingen(conn, today), True
        parts[part] = n
        if whole:
            full.add(part)
        conn.execute("DELETE FROM analyse_state WHERE name = ?", (part,))
        conn.execute(
            "INSERT INTO analyse_state (name, versie) VALUES (?, ?)",
            (part, json.dumps(wanted, sort_keys=True)),
        )
    if parts:
        conn.execute("DELETE FROM analyse_state WHERE name = 'inputs'")
        conn.execute(
            "INSERT INTO analyse_state (name, versie) VALUES ('inputs', ?)",
            (f"{VERSION};{today.isoformat()}",),
        )
    return Refreshed(parts, frozenset(full))


def computed(conn: Connection) -> bool:
    """Whether the tables were ever computed (a page says so when not)."""
    return stored_version(conn) is not None


def _dossier(nummer: object, toevoeging: object) -> str | None:
    if nummer is None:
        return None
    return f"{nummer}-{toevoeging}" if toevoeging else str(nummer)


OUTCOME = "*uitslag"  # bits: Voor = adopted, Tegen = rejected or not adopted
COALITION = "*coalitie"  # bits: the coalition's position (votes.bloc_position)


def lone(positions: dict[str, str]) -> list[str]:
    """The fracties that stood alone or nearly alone: at most one other fractie on their
    side, at least two on the other."""
    out = []
    for fractie, own in positions.items():
        if own not in votes.TOOK_PART:
            continue
        allies = sum(1 for f, p in positions.items() if f != fractie and p == own)
        against = sum(1 for p in positions.values() if p in votes.TOOK_PART and p != own)
        if allies <= 1 and against >= 2:
            out.append(fractie)
    return sorted(out)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _besluiten_of_moved_agendas(conn: Connection, since: dict[str, int]) -> set[str]:
    """The besluiten on agendapunten, or of activities, that changed since ``since``."""
    found: set[str] = set()
    for chunk in _chunks(_changed(conn, "Agendapunt", since)):
        sql = f"SELECT id FROM besluit WHERE agendapunt_id IN ({in_list(chunk)})"
        found |= {str(r[0]) for r in _rows(conn, sql, chunk)}
    for chunk in _chunks(_changed(conn, "Activiteit", since)):
        sql = (
            "SELECT b.id FROM besluit b JOIN agendapunt ap ON ap.id = b.agendapunt_id "
            f"WHERE ap.activiteit_id IN ({in_list(chunk)})"
        )
        found |= {str(r[0]) for r in _rows(conn, sql, chunk)}
    return found


def _changed(conn: Connection, category: str, since: dict[str, int]) -> list[str]:
    """The ids of ``category`` with a mirror entry newer than ``since`` (tombstones too)."""
    return [
        str(r[0])
        for r in _rows(
            conn,
            "SELECT DISTINCT id FROM raw_entry WHERE category = ? AND skiptoken > ? ORDER BY id",
            (category, since.get(category, 0)),
        )
    ]


_BESLUITEN_SQL = f"""SELECT b.id, substr(a.datum, 1, 10), b.stemmings_soort, b.besluit_soort,
           b.besluit_tekst
    FROM besluit b
    JOIN agendapunt ap ON ap.id = b.agendapunt_id
    JOIN activiteit a ON a.id = ap.activiteit_id
    WHERE b.stemmings_soort IN ({in_list(STEMMING_SOORTEN)}) AND a.datum IS NOT NULL"""

_CAST_SQL = """SELECT s.besluit_id, s.persoon_id, coalesce(f.afkorting, s.actor_fractie),
           s.fractie_grootte, s.soort, coalesce(s.vergissing, 0)
    FROM stemming s LEFT JOIN fractie f ON f.id = s.fractie_id
    WHERE s.besluit_id IS NOT NULL"""

_TOPICS_SQL = """SELECT l.src_id, z.nummer, z.soort, z.onderwerp, k.nummer, k.toevoeging,
           za.commissie_id, coalesce(c.naam_nl, za.actor_naam)
    FROM link l JOIN zaak z ON z.id = l.dst_id
    LEFT JOIN kamerstukdossier k ON k.id = z.kamerstukdossier_id
    LEFT JOIN zaakactor za ON za.id = (
        SELECT x.id FROM zaakactor x WHERE x.zaak_id = z.id
        AND x.relatie = 'Voortouwcommissie' ORDER BY x.id LIMIT 1)
    LEFT JOIN commissie c ON c.id = za.commissie_id
    WHERE l.src_category = 'Besluit' AND l.relation = 'zaak' AND l.pos = 0"""

Topic = tuple[Any, ...]  # zaak nummer, soort, onderwerp, dossier, commissie id, commissie


def _besluiten(conn: Connection, ids: Sequence[str] | None) -> list[Any]:
    """(id, datum, stemmings_soort, besluit_soort, besluit_tekst) of the decided votes (of
    ``ids``), in (datum, id) order."""
    if ids is None:
        return _rows(
            conn, f"{_BESLUITEN_SQL} ORDER BY substr(a.datum, 1, 10), b.id", STEMMING_SOORTEN
        )
    out = []
    for chunk in _chunks(ids):
        out += _rows(
            conn, f"{_BESLUITEN_SQL} AND b.id IN ({in_list(chunk)})", (*STEMMING_SOORTEN, *chunk)
        )
    return sorted(out, key=lambda r: (r[1], r[0]))


def _cast(conn: Connection, ids: Sequence[str] | None) -> dict[str, list[tuple[str, votes.Vote]]]:
    """The votes cast per besluit (of ``ids``), as :mod:`kamerwatch.votes` counts them."""
    rows: list[Any] = []
    if ids is None:
        rows = _rows(conn, f"{_CAST_SQL} ORDER BY s.besluit_id, s.id")
    else:
        for chunk in _chunks(ids):
            rows += _rows(
                conn,
                f"{_CAST_SQL} AND s.besluit_id IN ({in_list(chunk)}) ORDER BY s.besluit_id, s.id",
                chunk,
            )
    cast: dict[str, list[tuple[str, votes.Vote]]] = {}
    for bid, persoon_id, fractie, grootte, soort, mistake in rows:
        if fractie:
            cast.setdefault(bid, []).append(
                (fractie, votes.Vote(soort, grootte, persoon_id, bool(mistake)))
            )
    return cast


def _topics(conn: Connection, ids: Sequence[str] | None) -> dict[str, Topic]:
    """Per besluit (of ``ids``) the topic of its first zaak: (zaak nummer, soort,
    onderwerp, dossier, commissie id, commissie)."""
    rows: list[Any] = []
    if ids is None:
        rows = _rows(conn, f"{_TOPICS_SQL} ORDER BY l.src_id")
    else:
        for chunk in _chunks(ids):
            rows += _rows(
                conn, f"{_TOPICS_SQL} AND l.src_id IN ({in_list(chunk)}) ORDER BY l.src_id", chunk
            )
    return {r[0]: (r[1], r[2], r[3], _dossier(r[4], r[5]), r[6], r[7]) for r in rows}


NO_TOPIC: Topic = (None,) * 6


@dataclass(frozen=True, slots=True)
class VoteFacts:
    """One decided vote as the tables keep it: its row, its members' deviations and its
    bits (name, position)."""

    row: tuple[Any, ...]
    deviations: list[tuple[Any, ...]]
    bits: list[tuple[str, str]]


def _vote_facts(
    besluit: Any,
    k: int,
    rows: list[tuple[str, votes.Vote]],
    topic: Topic,
    coalition_on: Coalition,
) -> VoteFacts:
    bid, datum, _soort, besluit_soort, besluit_tekst = besluit
    positions = votes.fractie_positions(rows)
    seats: dict[str, int] = {}
    for fractie, vote in rows:
        if vote.persoon_id:
            seats[fractie] = seats.get(fractie, 0) + 1
        else:
            seats[fractie] = vote.fractie_grootte or 0
    bits = [(f, p) for f, p in positions.items() if p in votes.TOOK_PART]
    kind = votes.outcome_kind(besluit_soort, besluit_tekst)
    adopted = votes.adopted(kind)
    if adopted is not None:
        bits.append((OUTCOME, votes.VOOR if adopted else votes.TEGEN))
    bloc = votes.bloc_position(positions, seats, coalition_on(date.fromisoformat(datum)))
    if bloc in votes.TOOK_PART:
        bits.append((COALITION, bloc))
    row = (
        bid,
        k,
        datum,
        1 if votes.is_roll_call(v for _f, v in rows) else 0,
        None if adopted is None else int(adopted),
        votes.official_label(besluit_soort, besluit_tekst) if kind else None,
        *topic,
        json.dumps(dict(sorted(positions.items())), ensure_ascii=False),
        json.dumps(dict(sorted(seats.items())), ensure_ascii=False),
        json.dumps(lone(positions), ensure_ascii=False),
    )
    deviations = [(pid, bid, datum, *rest) for pid, *rest in roll_call_deviations(rows)]
    return VoteFacts(row, deviations, bits)


_STEMMING_INSERT = (
    "INSERT INTO analyse_stemming (besluit_id, volgorde, datum, hoofdelijk, aangenomen, "
    "uitslag, zaak_nummer, zaak_soort, onderwerp, dossier, commissie_id, commissie, "
    "posities, zetels, alleen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_AFWIJKING_INSERT = (
    "INSERT INTO analyse_afwijking (persoon_id, besluit_id, datum, stem, fractie, "
    "fractie_positie, vergissing) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _save_bits(conn: Connection, bits: dict[tuple[str, str], int], size: int) -> None:
    conn.execute("DELETE FROM analyse_bits")
    length = size // 8 + 1
    conn.executemany(
        "INSERT INTO analyse_bits (naam, positie, bits) VALUES (?, ?, ?)",
        [(n, p, b.to_bytes(length, "little")) for (n, p), b in sorted(bits.items())],
    )


def _build_stemmingen(conn: Connection, coalition_on: Coalition) -> int:
    """Every decided vote anew, numbered (volgorde) in (datum, id) order."""
    for table in ("analyse_stemming", "analyse_afwijking", "analyse_bits"):
        conn.execute(f"DELETE FROM {table}")
    besluiten = _besluiten(conn, None)
    cast = _cast(conn, None)
    topics = _topics(conn, None)
    out: list[tuple[Any, ...]] = []
    deviations: list[tuple[Any, ...]] = []
    bits: dict[tuple[str, str], int] = {}
    for besluit in besluiten:
        rows = cast.get(besluit[0])
        if not rows:
            continue
        k = len(out)
        facts = _vote_facts(besluit, k, rows, topics.get(besluit[0], NO_TOPIC), coalition_on)
        out.append(facts.row)
        deviations += facts.deviations
        for key in facts.bits:
            bits[key] = bits.get(key, 0) | 1 << k
    conn.executemany(_STEMMING_INSERT, out)
    conn.executemany(_AFWIJKING_INSERT, deviations)
    _save_bits(conn, bits, len(out))
    return len(out)


def _changed_besluiten(conn: Connection, since: dict[str, int]) -> list[str] | None:
    """The besluiten whose vote may have changed since ``since`` (a besluit, its votes, its
    agendapunt or activiteit changed); None when only a full computation is right (a
    fractie or a vote was changed or removed in a way that cannot be traced to a besluit)."""
    if _changed(conn, "Fractie", since):
        return None
    found = set(_changed(conn, "Besluit", since))
    stemmingen = _changed(conn, "Stemming", since)
    for chunk in _chunks(stemmingen):
        rows = _rows(
            conn, f"SELECT id, besluit_id FROM stemming WHERE id IN ({in_list(chunk)})", chunk
        )
        if len(rows) < len(chunk):
            return None  # a vote was removed: its besluit is not known any more
        found |= {str(b) for _i, b in rows if b is not None}
    found |= _besluiten_of_moved_agendas(conn, since)
    return sorted(found)


def _refresh_stemmingen(
    conn: Connection, coalition_on: Coalition, since: dict[str, int] | None
) -> tuple[int, bool]:
    """The votes brought up to date: only the changed ones when that keeps the numbering in
    date order (a changed vote keeps its place; a new one comes last, on or after the newest
    day), else all anew. Returns (votes computed, whether all)."""
    changed = None if since is None else _changed_besluiten(conn, since)
    if changed is None or len(changed) > INCREMENTAL_LIMIT:
        return _build_stemmingen(conn, coalition_on), True
    if not changed:
        return 0, False
    existing: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(changed):
        for bid, k, datum in _rows(
            conn,
            "SELECT besluit_id, volgorde, datum FROM analyse_stemming "
            f"WHERE besluit_id IN ({in_list(chunk)})",
            chunk,
        ):
            existing[str(bid)] = (int(k), str(datum))
    last = conn.execute("SELECT max(volgorde), max(datum) FROM analyse_stemming").fetchone()
    next_k = -1 if last[0] is None else int(last[0])
    newest = last[1] or ""
    besluiten = _besluiten(conn, changed)
    cast = _cast(conn, changed)
    topics = _topics(conn, changed)
    placed: list[tuple[Any, int]] = []
    for besluit in besluiten:
        bid, datum = besluit[0], besluit[1]
        old = existing.get(bid)
        if not cast.get(bid):
            if old is not None:
                return _build_stemmingen(conn, coalition_on), True  # a vote disappeared
            continue
        if old is not None:
            if old[1] != datum:
                return _build_stemmingen(conn, coalition_on), True  # moved to another day
            placed.append((besluit, old[0]))
        elif datum >= newest:
            next_k += 1
            newest = datum
            placed.append((besluit, next_k))
        else:
            return _build_stemmingen(conn, coalition_on), True  # a new vote in the past
    gone = set(existing) - {b[0] for b, _k in placed}
    if gone:
        return _build_stemmingen(conn, coalition_on), True  # no longer a decided vote
    bits = _load_bits(conn)
    ids = [b[0] for b, _k in placed]
    for chunk in _chunks(ids):
        for table in ("analyse_stemming", "analyse_afwijking"):
            conn.execute(f"DELETE FROM {table} WHERE besluit_id IN ({in_list(chunk)})", chunk)
    rows, deviations = [], []
    for besluit, k in placed:
        facts = _vote_facts(
            besluit, k, cast[besluit[0]], topics.get(besluit[0], NO_TOPIC), coalition_on
        )
        mask = ~(1 << k)
        for key in bits:
            bits[key] &= mask
        for key in facts.bits:
            bits[key] = bits.get(key, 0) | 1 << k
        rows.append(facts.row)
        deviations += facts.deviations
    conn.executemany(_STEMMING_INSERT, rows)
    conn.executemany(_AFWIJKING_INSERT, deviations)
    _save_bits(conn, bits, next_k + 1)
    return len(rows), False


def _refresh_topics(conn: Connection, since: dict[str, int] | None) -> tuple[int, bool]:
    """The votes' topics (their zaak, dossier, commissie) brought up to date: those of the
    votes on a changed zaak, or all when a commissie or dossier changed. Returns (rows
    changed, whether all were looked at)."""
    whole = (
        since is None
        or bool(_changed(conn, "Commissie", since))
        or bool(_changed(conn, "Kamerstukdossier", since))
    )
    if whole:
        ids: list[str] | None = None
    else:
        assert since is not None
        zaken = set(_changed(conn, "Zaak", since))
        actors = _changed(conn, "ZaakActor", since)
        for chunk in _chunks(actors):
            rows = _rows(
                conn, f"SELECT id, zaak_id FROM zaakactor WHERE id IN ({in_list(chunk)})", chunk
            )
            if len(rows) < len(chunk):
                return _refresh_topics(conn, None)  # an actor was removed: its zaak unknown
            zaken |= {str(z) for _i, z in rows if z is not None}
        found: set[str] = set()
        for chunk in _chunks(sorted(zaken)):
            found |= {
                str(r[0])
                for r in _rows(
                    conn,
                    "SELECT src_id FROM link WHERE src_category = 'Besluit' AND relation = 'zaak' "
                    f"AND pos = 0 AND dst_id IN ({in_list(chunk)})",
                    chunk,
                )
            }
        ids = sorted(found)
        if not ids:
            return 0, False
    current: dict[str, Topic] = {}
    sql = (
        "SELECT besluit_id, zaak_nummer, zaak_soort, onderwerp, dossier, commissie_id, "
        "commissie FROM analyse_stemming"
    )
    if ids is None:
        current = {r[0]: tuple(r[1:]) for r in _rows(conn, sql)}
    else:
        for chunk in _chunks(ids):
            current |= {
                r[0]: tuple(r[1:])
                for r in _rows(conn, f"{sql} WHERE besluit_id IN ({in_list(chunk)})", chunk)
            }
    topics = _topics(conn, ids)
    updates = [
        (*topics.get(bid, NO_TOPIC), bid)
        for bid, old in sorted(current.items())
        if topics.get(bid, NO_TOPIC) != old
    ]
    conn.executemany(
        "UPDATE analyse_stemming SET zaak_nummer = ?, zaak_soort = ?, onderwerp = ?, "
        "dossier = ?, commissie_id = ?, commissie = ? WHERE besluit_id = ?",
        updates,
    )
    return len(updates), ids is None


def roll_call_deviations(
    rows: Sequence[tuple[str, votes.Vote]],
) -> list[tuple[str, str, str, str, int]]:
    """In a roll call: (persoon_id, vote, fractie, fractie position, vergissing) of every
    member who voted ``Voor`` or ``Tegen`` while their fractie's position
    (:func:`kamerwatch.votes.fractie_positions`: the majority of its members who voted) was
    the other one; a fractie split evenly has no majority to vote against."""
    if not votes.is_roll_call(v for _f, v in rows):
        return []
    positions = votes.fractie_positions(rows)
    return [
        (vote.persoon_id, vote.soort, fractie, positions[fractie], int(vote.vergissing))
        for fractie, vote in rows
        if vote.persoon_id
        and vote.soort in votes.TOOK_PART
        and positions.get(fractie) in votes.TOOK_PART
        and positions[fractie] != vote.soort
    ]


def _indiening_rows(conn: Connection, ids: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """Per motie and amendement (of the zaken ``ids``) its first indiener and its newest
    official outcome."""
    zaken: list[Any] = []
    found: list[Any] = []
    sql_zaken = f"""SELECT z.id, z.nummer, z.soort, z.onderwerp, substr(z.gestart_op, 1, 10),
               za.persoon_id, za.actor_naam, coalesce(f.afkorting, za.actor_fractie)
        FROM zaak z
        LEFT JOIN zaakactor za ON za.id = (SELECT x.id FROM zaakactor x WHERE x.zaak_id = z.id
                                            AND x.relatie = 'Indiener' ORDER BY x.id LIMIT 1)
        LEFT JOIN fractie f ON f.id = za.fractie_id
        WHERE z.soort IN ({in_list(MOTIE_SOORTEN)})"""
    sql_outcomes = f"""SELECT l.dst_id, coalesce(a.datum, ''), b.besluit_soort, b.besluit_tekst, b.id
        FROM link l JOIN besluit b ON b.id = l.src_id
        LEFT JOIN agendapunt ap ON ap.id = b.agendapunt_id
        LEFT JOIN activiteit a ON a.id = ap.activiteit_id
        JOIN zaak z ON z.id = l.dst_id
        WHERE l.src_category = 'Besluit' AND l.relation = 'zaak'
          AND z.soort IN ({in_list(MOTIE_SOORTEN)})"""
    if ids is None:
        zaken = _rows(conn, f"{sql_zaken} ORDER BY z.id", MOTIE_SOORTEN)
        found = _rows(conn, sql_outcomes, MOTIE_SOORTEN)
    else:
        for chunk in _chunks(ids):
            params = (*MOTIE_SOORTEN, *chunk)
            zaken += _rows(conn, f"{sql_zaken} AND z.id IN ({in_list(chunk)})", params)
            found += _rows(conn, f"{sql_outcomes} AND l.dst_id IN ({in_list(chunk)})", params)
    outcomes: dict[str, tuple[str, str | None, bool | None]] = {}
    for zid, datum, soort, tekst, _bid in sorted(found, key=lambda r: (r[0], r[1], r[4])):
        kind = votes.outcome_kind(soort, tekst)
        adopted = votes.adopted(kind)
        if adopted is None and kind is None:
            continue
        previous = outcomes.get(zid)
        if previous is None or datum >= previous[0]:  # the newest outcome counts
            outcomes[zid] = (datum, votes.official_label(soort, tekst), adopted)
    rows = []
    for zid, nummer, soort, onderwerp, datum, persoon_id, naam, fractie in sorted(zaken):
        _d, uitslag, adopted = outcomes.get(zid, ("", None, None))
        rows.append(
            (
                zid,
                nummer,
                soort,
                onderwerp,
                datum,
                persoon_id,
                naam,
                fractie,
                uitslag,
                None if adopted is None else int(adopted),
            )
        )
    return rows


_INDIENING_INSERT = (
    "INSERT INTO analyse_indiening (zaak_id, nummer, soort, onderwerp, datum, persoon_id, "
    "indiener, fractie, uitslag, aangenomen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _build_indieningen(conn: Connection) -> int:
    conn.execute("DELETE FROM analyse_indiening")
    rows = _indiening_rows(conn, None)
    conn.executemany(_INDIENING_INSERT, rows)
    return len(rows)


def _zaken_of_actors(conn: Connection, since: dict[str, int]) -> set[str] | None:
    """The zaken of the ZaakActor entries newer than ``since``; None when one was removed
    (its zaak is not known any more)."""
    out: set[str] = set()
    for chunk in _chunks(_changed(conn, "ZaakActor", since)):
        rows = _rows(
            conn, f"SELECT id, zaak_id FROM zaakactor WHERE id IN ({in_list(chunk)})", chunk
        )
        if len(rows) < len(chunk):
            return None
        out |= {str(z) for _i, z in rows if z is not None}
    return out


def _zaken_of_besluiten(conn: Connection, besluiten: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(besluiten):
        out |= {
            str(r[0])
            for r in _rows(
                conn,
                "SELECT dst_id FROM link WHERE src_category = 'Besluit' AND relation = 'zaak' "
                f"AND src_id IN ({in_list(chunk)})",
                chunk,
            )
        }
    return out


def _refresh_indieningen(conn: Connection, since: dict[str, int] | None) -> tuple[int, bool]:
    """The moties and amendementen brought up to date: those of a changed zaak, actor or
    vote (its besluit, agendapunt or activiteit), or all anew. Returns (rows, whether all)."""
    if since is None or _changed(conn, "Fractie", since):
        return _build_indieningen(conn), True
    zaken = set(_changed(conn, "Zaak", since))
    actors = _zaken_of_actors(conn, since)
    besluiten = _changed(conn, "Besluit", since)
    present = set()
    for chunk in _chunks(besluiten):
        present |= {
            str(r[0])
            for r in _rows(conn, f"SELECT id FROM besluit WHERE id IN ({in_list(chunk)})", chunk)
        }
    if actors is None or len(present) < len(besluiten):
        return _build_indieningen(conn), True  # a removed actor or besluit
    zaken |= actors
    voted = set(besluiten)
    voted |= _besluiten_of_moved_agendas(conn, since)
    zaken |= _zaken_of_besluiten(conn, sorted(voted))
    if len(zaken) > INCREMENTAL_LIMIT:
        return _build_indieningen(conn), True
    ids = sorted(zaken)
    for chunk in _chunks(ids):
        conn.execute(f"DELETE FROM analyse_indiening WHERE zaak_id IN ({in_list(chunk)})", chunk)
    rows = _indiening_rows(conn, ids)
    conn.executemany(_INDIENING_INSERT, rows)
    return len(rows), False


def _withdrawn(soort: str, onderwerp: str | None) -> bool:
    text = (onderwerp or "").lower()
    return soort.startswith("Mededeling") and ("intrek" in text or "ingetrokken" in text)


_VRAGEN_SQL = """SELECT z.id, z.nummer, z.onderwerp, substr(z.gestart_op, 1, 10), d.soort,
           d.onderwerp, substr(d.datum, 1, 10)
    FROM zaak z
    LEFT JOIN link l ON l.dst_id = z.id AND l.src_category = 'Document' AND l.relation = 'zaak'
    LEFT JOIN document d ON d.id = l.src_id
    WHERE z.soort = 'Schriftelijke vragen' AND z.gestart_op IS NOT NULL"""
_VRAGEN_ORDER = " ORDER BY z.id, d.datum NULLS FIRST, d.id NULLS FIRST"
_GERICHT_SQL = """SELECT za.zaak_id, za.actor_naam, za.functie
    FROM zaakactor za JOIN zaak z ON z.id = za.zaak_id
    WHERE z.soort = 'Schriftelijke vragen' AND za.relatie = 'Gericht aan'"""


def _vraag_rows(conn: Connection, today: date, ids: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """Per written question (of the zaken ``ids``) and addressee: asked, answered,
    postponed, days to the answer (or open so far), ministry and bewindspersoon."""
    found: list[Any] = []
    gericht: list[Any] = []
    if ids is None:
        found = _rows(conn, _VRAGEN_SQL + _VRAGEN_ORDER)
        gericht = _rows(conn, f"{_GERICHT_SQL} ORDER BY za.zaak_id, za.id")
    else:
        for chunk in _chunks(ids):
            clause = f" AND z.id IN ({in_list(chunk)})"
            found += _rows(conn, _VRAGEN_SQL + clause + _VRAGEN_ORDER, chunk)
            gericht += _rows(conn, f"{_GERICHT_SQL}{clause} ORDER BY za.zaak_id, za.id", chunk)
    facts: dict[str, list[Any]] = {}  # zaak id -> [nummer, onderwerp, gesteld, antwoord, uitstel]
    withdrawn: set[str] = set()
    for zid, nummer, onderwerp, gestart, soort, doc_onderwerp, doc_datum in found:
        entry = facts.setdefault(zid, [nummer, onderwerp, gestart, None, 0])
        soort = soort or ""
        if soort.startswith(ANTWOORD) and doc_datum:
            if entry[3] is None or doc_datum < entry[3]:
                entry[3] = doc_datum
        elif soort == UITSTEL_SOORT:
            entry[4] = 1
        elif _withdrawn(soort, doc_onderwerp):
            withdrawn.add(zid)
    addressees: dict[str, list[tuple[str, str]]] = {}
    for zid, naam, functie in gericht:
        ministerie = ministry_of(functie) or ministry_of(naam) or ONBEKEND
        addressees.setdefault(zid, []).append((ministerie, (naam or ONBEKEND).strip()))
    rows = []
    for zid, (nummer, onderwerp, gesteld, antwoord, uitstel) in sorted(facts.items()):
        if zid in withdrawn and antwoord is None:
            continue  # a withdrawn question is no unanswered one
        dagen = days_between(gesteld, antwoord or today.isoformat())
        for pos, (ministerie, naam) in enumerate(addressees.get(zid) or [(ONBEKEND, ONBEKEND)]):
            rows.append(
                (zid, pos, nummer, onderwerp, gesteld, antwoord, uitstel, dagen, ministerie, naam)
            )
    return rows


_VRAAG_INSERT = (
    "INSERT INTO analyse_vraag (zaak_id, pos, zaak_nummer, onderwerp, gesteld, beantwoord, "
    "uitstel, dagen, ministerie, bewindspersoon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
GroupKey = tuple[str, str, str]  # (groep, naam, kwartaal: '' = all)


def _group_keys(gesteld: str, ministerie: str, naam: str) -> list[GroupKey]:
    return [
        (groep, key, period)
        for groep, key in (("ministerie", ministerie), ("bewindspersoon", naam), ("totaal", ""))
        for period in ("", quarter(gesteld))
    ]


def _write_question_groups(
    conn: Connection, groups: dict[GroupKey, list[VraagFeit]], today: date
) -> None:
    conn.executemany(
        "INSERT INTO analyse_groep (soort, groep, naam, kwartaal, cijfers) VALUES (?, ?, ?, ?, ?)",
        [
            ("vragen", g, n, k, json.dumps(question_figures(items, today).__dict__))
            for (g, n, k), items in sorted(groups.items())
            if items
        ],
    )


def _build_vragen(conn: Connection, today: date) -> int:
    conn.execute("DELETE FROM analyse_vraag")
    conn.execute("DELETE FROM analyse_groep WHERE soort = 'vragen'")
    rows = _vraag_rows(conn, today, None)
    conn.executemany(_VRAAG_INSERT, rows)
    groups: dict[GroupKey, list[VraagFeit]] = {}
    for _z, _p, _n, _o, gesteld, antwoord, uitstel, dagen, ministerie, naam in rows:
        feit = VraagFeit(gesteld, antwoord, bool(uitstel), dagen)
        for key in _group_keys(gesteld, ministerie, naam):
            groups.setdefault(key, []).append(feit)
    _write_question_groups(conn, groups, today)
    return len(rows)


def _refresh_vragen(
    conn: Connection, today: date, since: dict[str, int] | None
) -> tuple[int, bool]:
    """The written questions of a changed zaak, document or actor brought up to date, and
    the figures of the ministries, bewindspersonen and quarters they belong (belonged) to;
    or all anew (``since`` None: another day, or never computed). Returns (rows, whether
    all)."""
    if since is None:
        return _build_vragen(conn, today), True
    zaken = set(_changed(conn, "Zaak", since))
    actors = _zaken_of_actors(conn, since)
    documenten = _changed(conn, "Document", since)
    present: set[str] = set()
    for chunk in _chunks(documenten):
        present |= {
            str(r[0])
            for r in _rows(conn, f"SELECT id FROM document WHERE id IN ({in_list(chunk)})", chunk)
        }
        zaken |= {
            str(r[0])
            for r in _rows(
                conn,
                "SELECT dst_id FROM link WHERE src_category = 'Document' AND relation = 'zaak' "
                f"AND src_id IN ({in_list(chunk)})",
                chunk,
            )
        }
    if actors is None or len(present) < len(documenten):
        return _build_vragen(conn, today), True  # a removed actor or document
    zaken |= actors
    if len(zaken) > INCREMENTAL_LIMIT:
        return _build_vragen(conn, today), True
    ids = sorted(zaken)
    keys: set[GroupKey] = set()
    for chunk in _chunks(ids):
        for gesteld, ministerie, naam in _rows(
            conn,
            "SELECT gesteld, ministerie, bewindspersoon FROM analyse_vraag "
            f"WHERE zaak_id IN ({in_list(chunk)})",
            chunk,
        ):
            keys.update(_group_keys(gesteld, ministerie, naam))
        conn.execute(f"DELETE FROM analyse_vraag WHERE zaak_id IN ({in_list(chunk)})", chunk)
    rows = _vraag_rows(conn, today, ids)
    conn.executemany(_VRAAG_INSERT, rows)
    for row in rows:
        keys.update(_group_keys(row[4], row[8], row[9]))
    # the figures of every group touched, from all of its questions
    groups: dict[GroupKey, list[VraagFeit]] = {k: [] for k in keys}
    column = {"ministerie": "ministerie", "bewindspersoon": "bewindspersoon"}
    for groep, naam in sorted({(g, n) for g, n, _k in keys}):
        where, params = ("", ()) if groep == "totaal" else (f" WHERE {column[groep]} = ?", (naam,))
        for gesteld, antwoord, uitstel, dagen in _rows(
            conn,
            f"SELECT gesteld, beantwoord, uitstel, dagen FROM analyse_vraag{where} "
            "ORDER BY zaak_id, pos",
            params,
        ):
            feit = VraagFeit(gesteld, antwoord, bool(uitstel), int(dagen))
            for period in ("", quarter(gesteld)):
                if (groep, naam, period) in groups:
                    groups[groep, naam, period].append(feit)
    for groep, naam, period in sorted(keys):
        conn.execute(
            "DELETE FROM analyse_groep WHERE soort = 'vragen' AND groep = ? AND naam = ? "
            "AND kwartaal = ?",
            (groep, naam, period),
        )
    _write_question_groups(conn, groups, today)
    return len(rows), False


def _build_toezeggingen(conn: Connection, today: date) -> int:
    conn.execute("DELETE FROM analyse_toezegging")
    conn.execute("DELETE FROM analyse_groep WHERE soort = 'toezeggingen'")
    rows = []
    groups: dict[tuple[str, str], list[ToezeggingFeit]] = {}
    for r in _rows(
        conn,
        """SELECT id, nummer, tekst, status, ministerie, functie,
                  trim(coalesce(initialen || ' ', '') || coalesce(tussenvoegsel || ' ', '') ||
                       coalesce(naam, achternaam, '')),
                  substr(aanmaakdatum, 1, 10), substr(datum_nakoming, 1, 10), kamerbrief_nakoming
           FROM toezegging ORDER BY id""",
    ):
        ministerie = ministry_name(r[4]) or ministry_of(r[5]) or ONBEKEND
        naam = r[6] or ONBEKEND
        feit = ToezeggingFeit(r[3], r[7], r[8], letter_date(r[9]))
        klasse = feit.klasse(today)
        dagen = days_between(r[7], feit.nagekomen) if r[7] and feit.nagekomen else None
        rows.append(
            (
                r[0],
                r[1],
                (r[2] or "")[:500],
                r[3],
                klasse,
                ministerie,
                naam,
                r[7],
                r[8],
                feit.nagekomen,
                dagen,
            )
        )
        for groep, key in (("ministerie", ministerie), ("bewindspersoon", naam), ("totaal", "")):
            groups.setdefault((groep, key), []).append(feit)
    conn.executemany(
        "INSERT INTO analyse_toezegging (id, nummer, tekst, status, klasse, ministerie, "
        "bewindspersoon, aanmaakdatum, datum_nakoming, nagekomen, dagen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO analyse_groep (soort, groep, naam, kwartaal, cijfers) VALUES (?, ?, ?, '', ?)",
        [
            ("toezeggingen", g, n, json.dumps(commitment_figures(items, today).__dict__))
            for (g, n), items in sorted(groups.items())
        ],
    )
    return len(rows)


# -- pure figures ---------------------------------------------------------------------------------

ONBEKEND = "onbekend"


def median(values: Iterable[float]) -> float | None:
    """The median (the mean of the middle two for an even count); None for no values."""
    items = list(values)
    return statistics.median(items) if items else None


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 3 decimals; None when ``whole`` is 0."""
    return round(part / whole, 3) if whole else None


def quarter(day: str) -> str:
    """``2025-05-14`` → ``2025-K2``."""
    return f"{day[:4]}-K{(int(day[5:7]) - 1) // 3 + 1}"


def days_between(start: str, end: str) -> int:
    return max(0, (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days)


@dataclass(frozen=True, slots=True)
class VraagFeit:
    gesteld: str
    beantwoord: str | None
    uitstel: bool
    dagen: int  # to the answer, or open so far


@dataclass
class VraagCijfers:
    """The figures of a group of written questions on a day (see /uitleg)."""

    gesteld: int  # questions asked (per addressee)
    beantwoord: int
    binnen_termijn: int  # answered within 21 days
    termijn_voorbij: int  # answered, or open for more than 21 days: the base of the share
    met_uitstel: int  # a postponement notice (uitstelbrief) came
    open: int
    mediaan_dagen: float | None  # days to the answer, answered questions only
    oudste_open: str | None  # the day the oldest unanswered question was asked
    aandeel_binnen_termijn: float | None
    aandeel_uitstel: float | None


def question_figures(items: Sequence[VraagFeit], today: date) -> VraagCijfers:
    answered = [v for v in items if v.beantwoord]
    open_ = [v for v in items if not v.beantwoord]
    within = sum(1 for v in answered if v.dagen <= TERMIJN_DAGEN)
    base = len(answered) + sum(1 for v in open_ if v.dagen > TERMIJN_DAGEN)
    uitstel = sum(1 for v in items if v.uitstel)
    return VraagCijfers(
        gesteld=len(items),
        beantwoord=len(answered),
        binnen_termijn=within,
        termijn_voorbij=base,
        met_uitstel=uitstel,
        open=len(open_),
        mediaan_dagen=median(v.dagen for v in answered),
        oudste_open=min((v.gesteld for v in open_), default=None),
        aandeel_binnen_termijn=share(within, base),
        aandeel_uitstel=share(uitstel, len(items)),
    )


OPEN, OVERDUE, FULFILLED, FULFILLED_LATE, OTHER = (
    "open",
    "te laat",
    "voldaan",
    "voldaan te laat",
    "overig",
)


@dataclass(frozen=True, slots=True)
class ToezeggingFeit:
    status: str | None
    aanmaakdatum: str | None
    datum_nakoming: str | None
    nagekomen: str | None  # the date of the letter that fulfilled it, when known

    def klasse(self, today: date) -> str:
        """open / te laat (open, datumNakoming passed) / voldaan / voldaan te laat (the
        fulfilling letter is dated after datumNakoming) / overig (another status)."""
        status = (self.status or "").lower()
        if status in ("openstaand", "deels voldaan"):
            late = self.datum_nakoming is not None and self.datum_nakoming < today.isoformat()
            return OVERDUE if late else OPEN
        if status == "voldaan":
            late = (
                self.nagekomen is not None
                and self.datum_nakoming is not None
                and self.nagekomen > self.datum_nakoming
            )
            return FULFILLED_LATE if late else FULFILLED
        return OTHER


@dataclass
class ToezeggingCijfers:
    totaal: int
    open: int  # still open, overdue ones included
    te_laat: int  # open and past datumNakoming
    voldaan: int  # fulfilled, late ones included
    voldaan_te_laat: int
    mediaan_dagen: float | None  # made → fulfilling letter, where the letter's date is known
    aandeel_te_laat: float | None  # of the open ones


def commitment_figures(items: Sequence[ToezeggingFeit], today: date) -> ToezeggingCijfers:
    classes = [t.klasse(today) for t in items]
    open_ = sum(1 for k in classes if k in (OPEN, OVERDUE))
    late = sum(1 for k in classes if k == OVERDUE)
    days = [
        days_between(t.aanmaakdatum, t.nagekomen)
        for t, k in zip(items, classes, strict=True)
        if k in (FULFILLED, FULFILLED_LATE) and t.aanmaakdatum and t.nagekomen
    ]
    return ToezeggingCijfers(
        totaal=len(items),
        open=open_,
        te_laat=late,
        voldaan=sum(1 for k in classes if k in (FULFILLED, FULFILLED_LATE)),
        voldaan_te_laat=sum(1 for k in classes if k == FULFILLED_LATE),
        mediaan_dagen=median(days),
        aandeel_te_laat=share(late, open_),
    )


def ministry_name(ministerie: str | None) -> str | None:
    """``Ministerie van Defensie`` → ``Defensie`` (the form the questions' addressees give)."""
    if not ministerie:
        return None
    text = ministerie.strip()
    for prefix in ("ministerie van ", "ministerie voor "):
        if text.lower().startswith(prefix):
            return text[len(prefix) :].strip() or None
    return text or None


def letter_date(kamerbrief: str | None) -> str | None:
    """The date in ``Kamerbrief van 01-02-2025`` (``DD-MM-YYYY``) as ``2025-02-01``."""
    if not kamerbrief:
        return None
    for word in kamerbrief.replace(",", " ").split():
        parts = word.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
            except ValueError:
                return None
    return None


# -- party agreement ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paar:
    a: str
    b: str
    zelfde: int  # votes in which both took part and voted the same
    samen: int  # votes in which both took part (Voor or Tegen)

    JSON_PROPERTIES: ClassVar[tuple[str, ...]] = ("aandeel",)

    @property
    def aandeel(self) -> float | None:
        return share(self.zelfde, self.samen)


@dataclass(frozen=True, slots=True)
class Overeenstemming:
    van: str
    tot: str
    stemmingen: int  # decided votes in the period (and topic)
    fracties: list[str]
    paren: list[Paar]  # every ordered pair a != b, in fracties order
    berekend_op: str | None = None  # the day the tables were computed (None: never)

    def paar(self, a: str, b: str) -> Paar | None:
        return next((p for p in self.paren if p.a == a and p.b == b), None)


def agreement_of(
    voor: dict[str, int], tegen: dict[str, int], mask: int
) -> tuple[list[str], list[Paar]]:
    """Pair counts from each fractie's bit sets of ``Voor`` and ``Tegen`` votes, over the
    votes in ``mask``: two fracties voted the same when both voted ``Voor`` or both
    ``Tegen`` (:func:`kamerwatch.votes.same`); a vote counts for a pair only when both took
    part. A pair costs three ANDs and bit counts, whatever the number of votes."""
    v = {f: b & mask for f, b in voor.items()}
    t = {f: b & mask for f, b in tegen.items()}
    names = {f for f in v if v[f]} | {f for f in t if t[f]}
    order = sorted(names, key=lambda f: (f.lower(), f))
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for i, a in enumerate(order):
        va, ta = v.get(a, 0), t.get(a, 0)
        for b in order[i + 1 :]:
            vb, tb = v.get(b, 0), t.get(b, 0)
            zelfde = (va & vb).bit_count() + (ta & tb).bit_count()
            samen = ((va | ta) & (vb | tb)).bit_count()
            counts[a, b] = counts[b, a] = (zelfde, samen)
    paren = [Paar(a, b, *counts[a, b]) for a in order for b in order if a != b]
    return order, paren


def agreement_of_positions(rows: Iterable[dict[str, str]]) -> tuple[list[str], list[Paar]]:
    """The same counts from positions per vote (the slow, plain way: tests compare)."""
    items = list(rows)
    voor: dict[str, int] = {}
    tegen: dict[str, int] = {}
    for k, positions in enumerate(items):
        for fractie, position in positions.items():
            if position == votes.VOOR:
                voor[fractie] = voor.get(fractie, 0) | 1 << k
            elif position == votes.TEGEN:
                tegen[fractie] = tegen.get(fractie, 0) | 1 << k
    return agreement_of(voor, tegen, (1 << len(items)) - 1)


def _load_bits(conn: Connection) -> dict[tuple[str, str], int]:
    return {
        (n, p): int.from_bytes(bytes(b), "little")
        for n, p, b in _rows(
            conn, "SELECT naam, positie, bits FROM analyse_bits ORDER BY naam, positie"
        )
    }


def _range_mask(conn: Connection, van: date, tot: date) -> int:
    """The bits of the votes in [van, tot] (volgorde is in date order: one run of bits)."""
    row = conn.execute(
        "SELECT min(volgorde), max(volgorde) FROM analyse_stemming WHERE datum >= ? AND datum <= ?",
        (van.isoformat(), tot.isoformat()),
    ).fetchone()
    if row is None or row[0] is None:
        return 0
    lo, hi = int(row[0]), int(row[1])
    return ((1 << (hi - lo + 1)) - 1) << lo


def _topic_mask(conn: Connection, column: str, value: str) -> int:
    mask = 0
    for (k,) in _rows(
        conn,
        f"SELECT volgorde FROM analyse_stemming WHERE {column} = ? ORDER BY volgorde",
        (value,),
    ):
        mask |= 1 << int(k)
    return mask


def overeenstemming(
    conn: Connection,
    *,
    van: date,
    tot: date,
    commissie_id: str | None = None,
    dossier: str | None = None,
) -> Overeenstemming:
    """The agreement of every pair of fracties over the votes in [van, tot] (and topic)."""
    mask = _range_mask(conn, van, tot)
    if commissie_id:
        mask &= _topic_mask(conn, "commissie_id", commissie_id)
    if dossier:
        mask &= _topic_mask(conn, "dossier", dossier)
    bits = _load_bits(conn)
    voor = {n: b for (n, p), b in bits.items() if p == votes.VOOR and not n.startswith("*")}
    tegen = {n: b for (n, p), b in bits.items() if p == votes.TEGEN and not n.startswith("*")}
    fracties, paren = agreement_of(voor, tegen, mask)
    return Overeenstemming(
        van.isoformat(), tot.isoformat(), mask.bit_count(), fracties, paren, computed_on(conn)
    )


@dataclass(frozen=True, slots=True)
class Onderwerp:
    id: str
    naam: str
    stemmingen: int


def onderwerpen(
    conn: Connection, *, van: date, tot: date
) -> tuple[list[Onderwerp], list[Onderwerp]]:
    """The commissies and dossiers with votes in [van, tot]: (commissies, dossiers), each by
    number of votes, then name."""
    params = (van.isoformat(), tot.isoformat())
    commissies = [
        Onderwerp(i, n or i, c)
        for i, n, c in _rows(
            conn,
            "SELECT commissie_id, max(commissie), count(*) FROM analyse_stemming "
            "WHERE datum >= ? AND datum <= ? AND commissie_id IS NOT NULL "
            "GROUP BY commissie_id ORDER BY count(*) DESC, max(commissie) NULLS FIRST, commissie_id",
            params,
        )
    ]
    dossiers = [
        Onderwerp(d, d, c)
        for d, c in _rows(
            conn,
            "SELECT dossier, count(*) FROM analyse_stemming "
            "WHERE datum >= ? AND datum <= ? AND dossier IS NOT NULL "
            "GROUP BY dossier ORDER BY count(*) DESC, dossier LIMIT 100",
            params,
        )
    ]
    return commissies, dossiers


# -- a fractie's profile --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Zetels:
    maand: str  # YYYY-MM: seats held on the first of the month
    zetels: int


@dataclass(frozen=True, slots=True)
class Lid:
    nummer: str | None
    naam: str
    functie: str | None
    van: str | None


@dataclass(frozen=True, slots=True)
class Indiening:
    zaak_nummer: str | None
    soort: str
    onderwerp: str | None
    datum: str | None
    indiener: str | None
    fractie: str | None
    uitslag: str | None
    aangenomen: bool | None


@dataclass(frozen=True, slots=True)
class Telling:
    """Moties or amendementen: submitted, decided (an official outcome), adopted."""

    soort: str
    ingediend: int
    besloten: int
    aangenomen: int

    JSON_PROPERTIES: ClassVar[tuple[str, ...]] = ("aandeel_aangenomen",)

    @property
    def aandeel_aangenomen(self) -> float | None:
        return share(self.aangenomen, self.besloten)


@dataclass(frozen=True, slots=True)
class Stem:
    """One vote in which a fractie stood alone or nearly alone."""

    besluit_id: str
    datum: str
    zaak_nummer: str | None
    onderwerp: str | None
    positie: str
    uitslag: str | None
    medestanders: list[str]
    tegenstanders: int


@dataclass(frozen=True, slots=True)
class FractiePage:
    id: str
    afkorting: str
    naam: str | None
    zetels: int | None
    actief: bool
    van: str
    tot: str
    zetels_per_maand: list[Zetels]
    leden: list[Lid]
    indieningen: list[Telling]
    recente_indieningen: list[Indiening]
    stemmingen: int  # votes in the period in which the fractie took part
    met_meerderheid: int  # ... on the side of the official outcome
    met_uitslag: int  # ... of those with an official outcome
    met_coalitie: int  # ... on the coalition's side
    coalitie_stemmingen: int  # ... in which the coalition took a side
    eenzaam: list[Stem]  # the fractie alone or nearly alone (at most one other on its side)
    berekend_op: str | None
    bron: dict[str, Any] = field(default_factory=dict)

    JSON_PROPERTIES: ClassVar[tuple[str, ...]] = ("aandeel_meerderheid", "aandeel_coalitie")

    @property
    def aandeel_meerderheid(self) -> float | None:
        return share(self.met_meerderheid, self.met_uitslag)

    @property
    def aandeel_coalitie(self) -> float | None:
        return share(self.met_coalitie, self.coalitie_stemmingen)


def fractie_row(conn: Connection, afkorting: str) -> Any:
    """(id, afkorting, naam_nl, aantal_zetels, datum_inactief) of the fractie with this
    afkorting (case-insensitive; an active one before a former)."""
    return conn.execute(
        "SELECT id, afkorting, naam_nl, aantal_zetels, datum_inactief FROM fractie "
        "WHERE lower(afkorting) = lower(?) ORDER BY datum_inactief DESC NULLS FIRST, id LIMIT 1",
        (afkorting,),
    ).fetchone()


def seats_over_time(spans: Iterable[tuple[str | None, str | None]], today: date) -> list[Zetels]:
    """Seats held on the first of every month from the first membership to this month (ten
    years at most): a membership [van, tot_en_met] holds a seat on each first in it."""
    periods = [(v[:10], (t or "9999-12-31")[:10]) for v, t in spans if v]
    if not periods:
        return []
    first = max(min(v for v, _t in periods), f"{today.year - 10:04d}-{today.month:02d}-01")
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while (year, month) <= (today.year, today.month):
        day = f"{year:04d}-{month:02d}-01"
        out.append(Zetels(day[:7], sum(1 for v, t in periods if v <= day <= t)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _counts(conn: Connection, column: str, value: str) -> list[Telling]:
    found = {
        s: (int(n), int(b), int(a or 0))
        for s, n, b, a in _rows(
            conn,
            f"SELECT soort, count(*), count(aangenomen), sum(aangenomen) FROM analyse_indiening "
            f"WHERE {column} = ? GROUP BY soort ORDER BY soort",
            (value,),
        )
    }
    return [Telling(s, *found.get(s, (0, 0, 0))) for s in MOTIE_SOORTEN]


def _indiening(r: Any) -> Indiening:
    return Indiening(r[0], r[1], r[2], r[3], r[4], r[5], r[6], None if r[7] is None else bool(r[7]))


_INDIENING_SQL = (
    "SELECT nummer, soort, onderwerp, datum, indiener, fractie, uitslag, aangenomen "
    "FROM analyse_indiening"
)


def fractie_page(
    conn: Connection, afkorting: str, *, van: date, tot: date, today: date
) -> FractiePage | None:
    row = fractie_row(conn, afkorting)
    if row is None:
        return None
    fid, afk, naam, aantal_zetels, inactief = row
    members = _rows(
        conn,
        """SELECT p.nummer, trim(coalesce(p.roepnaam, p.voornamen, p.initialen, '') || ' ' ||
                  coalesce(p.tussenvoegsel || ' ', '') || coalesce(p.achternaam, '')),
                  fzp.functie, fzp.van, fzp.tot_en_met
           FROM fractiezetel z JOIN fractiezetelpersoon fzp ON fzp.fractie_zetel_id = z.id
           LEFT JOIN persoon p ON p.id = fzp.persoon_id
           WHERE z.fractie_id = ?
           ORDER BY fzp.van NULLS FIRST, fzp.id""",
        (fid,),
    )
    t = today.isoformat()
    leden = sorted(
        (
            Lid(None if n is None else str(n), name or "", functie, v)
            for n, name, functie, v, tm in members
            if (v or "") <= t and (tm is None or tm[:10] >= t)
        ),
        key=lambda m: (m.naam.lower(), m.nummer or ""),
    )
    recent = [
        _indiening(r)
        for r in _rows(
            conn,
            f"{_INDIENING_SQL} WHERE fractie = ? ORDER BY datum DESC NULLS LAST, zaak_id LIMIT 20",
            (afk,),
        )
    ]
    mask = _range_mask(conn, van, tot)
    bits = {
        (n, p): int.from_bytes(bytes(b), "little") & mask
        for n, p, b in _rows(
            conn,
            "SELECT naam, positie, bits FROM analyse_bits WHERE naam IN (?, ?, ?) "
            "ORDER BY naam, positie",
            (afk, OUTCOME, COALITION),
        )
    }
    v, tg = bits.get((afk, votes.VOOR), 0), bits.get((afk, votes.TEGEN), 0)
    uv, ut = bits.get((OUTCOME, votes.VOOR), 0), bits.get((OUTCOME, votes.TEGEN), 0)
    cv, ct = bits.get((COALITION, votes.VOOR), 0), bits.get((COALITION, votes.TEGEN), 0)
    eenzaam = []
    needle = json.dumps(afk, ensure_ascii=False)
    for bid, datum, nummer, onderwerp, uitslag, posities in _rows(
        conn,
        "SELECT besluit_id, datum, zaak_nummer, onderwerp, uitslag, posities "
        f"FROM analyse_stemming WHERE datum >= ? AND datum <= ? AND "
        f"{conn.backend.contains('alleen', '?')} ORDER BY datum DESC, besluit_id LIMIT 60",
        (van.isoformat(), tot.isoformat(), needle),
    ):
        positions = json.loads(posities)
        own = positions.get(afk)
        if own not in votes.TOOK_PART:
            continue
        allies = sorted(f for f, p in positions.items() if f != afk and p == own)
        against = sum(1 for p in positions.values() if p in votes.TOOK_PART and p != own)
        eenzaam.append(Stem(bid, datum, nummer, onderwerp, own, uitslag, allies, against))
    spans = [(m[3], m[4]) for m in members]
    return FractiePage(
        id=fid,
        afkorting=afk,
        naam=naam,
        zetels=aantal_zetels,
        actief=inactief is None,
        van=van.isoformat(),
        tot=tot.isoformat(),
        zetels_per_maand=seats_over_time(spans, today),
        leden=leden,
        indieningen=_counts(conn, "fractie", afk),
        recente_indieningen=recent,
        stemmingen=(v | tg).bit_count(),
        met_meerderheid=(v & uv).bit_count() + (tg & ut).bit_count(),
        met_uitslag=((v | tg) & (uv | ut)).bit_count(),
        met_coalitie=(v & cv).bit_count() + (tg & ct).bit_count(),
        coalitie_stemmingen=((v | tg) & (cv | ct)).bit_count(),
        eenzaam=eenzaam[:50],
        berekend_op=computed_on(conn),
        bron=common.source_record(
            conn, "Fractie", conn.execute("SELECT * FROM fractie WHERE id = ?", (fid,)).fetchone()
        ),
    )


# -- a member's record ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Medeondertekenaar:
    naam: str
    fractie: str | None
    persoon_nummer: str | None
    keer: int


@dataclass(frozen=True, slots=True)
class Spreektijd:
    maand: str
    seconden: int


@dataclass(frozen=True, slots=True)
class Afwijking:
    """A roll-call vote in which the member voted against the majority of their fractie."""

    besluit_id: str
    datum: str
    zaak_nummer: str | None
    onderwerp: str | None
    stem: str
    fractie: str
    fractie_positie: str
    vergissing: bool


@dataclass(frozen=True, slots=True)
class Profiel:
    indieningen: list[Telling]  # as first signer
    medeondertekend: int  # moties/amendementen co-signed
    medeondertekenaars: list[Medeondertekenaar]
    schriftelijke_vragen: int  # sets of written questions (as indiener or medeindiener)
    spreektijd_per_maand: list[Spreektijd]
    hoofdelijke_stemmingen: int
    tegen_fractie: list[Afwijking]


def profiel(conn: Connection, persoon_id: str, cijfers: PersoonCijfers | None = None) -> Profiel:
    """A member's record: moties/amendementen, co-signers, written questions, speaking time
    per month and the roll-call votes against their fractie's majority. ``cijfers``: the
    figures over all their zaken and votes as the overviews keep them (None: computed here,
    the same way)."""
    if cijfers is None:
        cijfers = persoon_cijfers(conn, persoon_id)[persoon_id]
    maanden: Counter[str] = Counter()
    for datum, seconden in _rows(
        conn,
        """SELECT substr(v.datum, 1, 7), s.woordvoerder + s.interrumpant
           FROM spreektijd s JOIN vergadering v ON v.id = s.vergadering_id
           WHERE s.persoon_id = ? AND v.datum IS NOT NULL""",
        (persoon_id,),
    ):
        maanden[datum] += int(seconden or 0)
    return Profiel(
        indieningen=_counts(conn, "persoon_id", persoon_id),
        medeondertekend=cijfers.medeondertekend,
        medeondertekenaars=[Medeondertekenaar(*m) for m in cijfers.medeondertekenaars],
        schriftelijke_vragen=cijfers.schriftelijke_vragen,
        spreektijd_per_maand=[Spreektijd(m, s) for m, s in sorted(maanden.items())],
        hoofdelijke_stemmingen=cijfers.hoofdelijke_stemmingen,
        tegen_fractie=_deviations(conn, persoon_id),
    )


def _deviations(conn: Connection, persoon_id: str) -> list[Afwijking]:
    return [
        Afwijking(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))
        for r in _rows(
            conn,
            """SELECT x.besluit_id, x.datum, s.zaak_nummer, s.onderwerp, x.stem, x.fractie,
                      x.fractie_positie, x.vergissing
               FROM analyse_afwijking x LEFT JOIN analyse_stemming s ON s.besluit_id = x.besluit_id
               WHERE x.persoon_id = ? ORDER BY x.datum DESC, x.besluit_id""",
            (persoon_id,),
        )
    ]


# -- ministries -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Groep:
    naam: str
    cijfers: dict[str, Any]


def groepen(conn: Connection, soort: str, groep: str, kwartaal: str = "") -> list[Groep]:
    """The precomputed figures of every ministry or bewindspersoon (``groep``) for written
    questions or toezeggingen (``soort``), by name."""
    return [
        Groep(n, json.loads(c))
        for n, c in _rows(
            conn,
            "SELECT naam, cijfers FROM analyse_groep WHERE soort = ? AND groep = ? AND kwartaal = ? "
            "ORDER BY naam",
            (soort, groep, kwartaal),
        )
    ]


def kwartalen(
    conn: Connection, groep: str, naam: str, vanaf: str = ""
) -> list[tuple[str, dict[str, Any]]]:
    """The written-question figures of one group per quarter, oldest first (from the
    quarter ``vanaf`` on, when given)."""
    return [
        (k, json.loads(c))
        for k, c in _rows(
            conn,
            "SELECT kwartaal, cijfers FROM analyse_groep WHERE soort = 'vragen' AND groep = ? "
            "AND naam = ? AND kwartaal <> '' AND kwartaal >= ? ORDER BY kwartaal",
            (groep, naam, vanaf),
        )
    ]


def newest_quarters(conn: Connection, series: Sequence[tuple[str, str]], n: int) -> list[str]:
    """The newest ``n`` quarters for which any of ``series`` ((groep, naam) pairs) has
    written-question figures, oldest first (their figures are not read)."""
    if not series:
        return []
    which = " OR ".join("(groep = ? AND naam = ?)" for _ in series)
    found = _rows(
        conn,
        "SELECT DISTINCT kwartaal FROM analyse_groep WHERE soort = 'vragen' AND kwartaal <> '' "
        f"AND ({which}) ORDER BY kwartaal DESC LIMIT ?",
        (*(part for pair in series for part in pair), n),
    )
    return sorted(str(r[0]) for r in found)


@dataclass(frozen=True, slots=True)
class Vraag:
    zaak_nummer: str | None
    onderwerp: str | None
    gesteld: str
    beantwoord: str | None
    uitstel: bool
    dagen: int
    ministerie: str
    bewindspersoon: str


# which questions a figure counts (the list behind the number)
VRAAG_MATEN = {
    "gesteld": "1 = 1",
    "beantwoord": "beantwoord IS NOT NULL",
    "binnen-termijn": f"beantwoord IS NOT NULL AND dagen <= {TERMIJN_DAGEN}",
    "te-laat": f"dagen > {TERMIJN_DAGEN}",
    "uitstel": "uitstel = 1",
    "open": "beantwoord IS NULL",
}


def vragen_lijst(
    conn: Connection, *, maat: str, ministerie: str | None, bewindspersoon: str | None, limit: int
) -> tuple[list[Vraag], int]:
    """The written questions behind a figure (newest first, at most ``limit``) and their
    number."""
    where = [VRAAG_MATEN[maat]]
    params: list[object] = []
    if ministerie:
        where.append("ministerie = ?")
        params.append(ministerie)
    if bewindspersoon:
        where.append("bewindspersoon = ?")
        params.append(bewindspersoon)
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM analyse_vraag WHERE {clause}", params).fetchone()[0]
    items = [
        Vraag(r[0], r[1], r[2], r[3], bool(r[4]), int(r[5]), r[6], r[7])
        for r in _rows(
            conn,
            "SELECT zaak_nummer, onderwerp, gesteld, beantwoord, uitstel, dagen, ministerie, "
            f"bewindspersoon FROM analyse_vraag WHERE {clause} "
            "ORDER BY gesteld DESC, zaak_id, pos LIMIT ?",
            (*params, limit),
        )
    ]
    return items, int(total)


@dataclass(frozen=True, slots=True)
class ToezeggingRegel:
    nummer: str | None
    tekst: str | None
    status: str | None
    klasse: str
    ministerie: str
    bewindspersoon: str
    aanmaakdatum: str | None
    datum_nakoming: str | None
    nagekomen: str | None
    dagen: int | None


TOEZEGGING_MATEN = {
    "totaal": "1 = 1",
    "open": f"klasse IN ('{OPEN}', '{OVERDUE}')",
    "te-laat": f"klasse = '{OVERDUE}'",
    "voldaan": f"klasse IN ('{FULFILLED}', '{FULFILLED_LATE}')",
    "voldaan-te-laat": f"klasse = '{FULFILLED_LATE}'",
}
_TOEZEGGING_SQL = (
    "SELECT nummer, tekst, status, klasse, ministerie, bewindspersoon, aanmaakdatum, "
    "datum_nakoming, nagekomen, dagen FROM analyse_toezegging"
)


def toezeggingen_lijst(
    conn: Connection, *, maat: str, ministerie: str | None, bewindspersoon: str | None, limit: int
) -> tuple[list[ToezeggingRegel], int]:
    where = [TOEZEGGING_MATEN[maat]]
    params: list[object] = []
    if ministerie:
        where.append("ministerie = ?")
        params.append(ministerie)
    if bewindspersoon:
        where.append("bewindspersoon = ?")
        params.append(bewindspersoon)
    clause = " AND ".join(where)
    total = conn.execute(
        f"SELECT count(*) FROM analyse_toezegging WHERE {clause}", params
    ).fetchone()[0]
    items = [
        ToezeggingRegel(*r)
        for r in _rows(
            conn,
            f"{_TOEZEGGING_SQL} WHERE {clause} "
            "ORDER BY aanmaakdatum DESC NULLS LAST, nummer NULLS FIRST, id LIMIT ?",
            (*params, limit),
        )
    ]
    return items, int(total)


def newly_overdue(conn: Connection, *, today: date, days: int = 30) -> list[ToezeggingRegel]:
    """Open toezeggingen whose datumNakoming passed in the last ``days`` days, the most
    recently overdue first."""
    since = (today - timedelta(days=days)).isoformat()
    return [
        ToezeggingRegel(*r)
        for r in _rows(
            conn,
            f"{_TOEZEGGING_SQL} WHERE klasse = '{OVERDUE}' AND datum_nakoming >= ? "
            "AND datum_nakoming < ? ORDER BY datum_nakoming DESC, nummer NULLS FIRST, id",
            (since, today.isoformat()),
        )
    ]
