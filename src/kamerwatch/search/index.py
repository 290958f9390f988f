"""The full-text index (SQLite FTS5) and ``kamerwatch index``.

``search_doc`` holds one row per searchable source (a document, the newest non-Casco
verslag of a vergadering, an activity, a commitment, a gift, a zaak) with what results show;
``search_fts`` (same rowid) holds its text twice: ``body`` as written (the ``unicode61
remove_diacritics 2`` tokenizer folds case and accents) for phrases, prefixes and NEAR, and
``stem`` with every word replaced by its Dutch Snowball stem, so a plain word also finds its
inflections; ``meta`` holds filter tokens (dossier, fractie, kind, soort); ``parts`` the stems
of the known words inside its compounds ("stikstofuitstoot" → stikstof, uitstoot; see
search/analysis.py), ranked low so a text with the word itself comes first. The words known
to the corpus are kept in ``search_word`` (filled by a first pass when the index is empty).

The rowid is not a counter but a sort and facet key (see :func:`row_key`):
``day << 32 | kind << 29 | soort << 20 | n`` — the date of the source (days since year 1),
its kind, the code of its soort (``search_soort``) and a number within that combination.
So "newest first" is FTS5's own ``ORDER BY rowid DESC`` (stops after one page), a date
filter is a rowid range, and the facets of a result set come from its rowids alone, without
reading a row.

Incremental: each source has a version (its feed position and, for files, the conversion
time); ``index`` re-indexes exactly the sources whose version changed, adds new ones and
removes the ones that disappeared, in short transactions so readers are never blocked. It
costs what changed: a kind whose tables show the same stamp as after the last run (counts
and sums of feed positions, newest conversion and official publication: see
``_STAMP_QUERIES``) is not read at all; of a kind that changed only the versions are read
(no texts), then the texts of the changed sources.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from kamerwatch.store.db import Connection, SqliteConnection, in_list
from kamerwatch.store.migrations import Migrations

from .analysis import RULES, Decompounder, fold, stem, stemmed, vocabulary_words, words

MIGRATIONS = Migrations("search", "kamerwatch.search", "sql")


def _pg() -> ModuleType:
    """The PostgreSQL side of the index (search/pg.py), imported when first used: a SQLite
    installation's commands start without psycopg."""
    from . import pg

    return pg


# the layout of a rowid (see the module docstring)
DAY_SHIFT, KIND_SHIFT, SOORT_SHIFT = 32, 29, 20
N_MASK = (1 << SOORT_SHIFT) - 1
SOORT_MASK = (1 << (KIND_SHIFT - SOORT_SHIFT)) - 1
KIND_MASK = (1 << (DAY_SHIFT - KIND_SHIFT)) - 1
KIND_CODES = {
    "document": 1,
    "verslag": 2,
    "activiteit": 3,
    "toezegging": 4,
    "geschenk": 5,
    "woo": 6,
    "zaak": 7,
}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
OTHER_SOORT = SOORT_MASK  # the code shared by soorten beyond the 510th


def day_of(datum: str | None) -> int:
    """Days since 0001-01-01 of an ISO date(-time); 0 without a (valid) date."""
    if not datum:
        return 0
    try:
        return date.fromisoformat(datum[:10]).toordinal()
    except ValueError:
        return 0


def row_key(day: int, kind: int, soort: int, n: int) -> int:
    return day << DAY_SHIFT | kind << KIND_SHIFT | soort << SOORT_SHIFT | n


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def token(prefix: str, value: str) -> str:
    """A filter token of the ``meta`` column: letters and digits only ("36800-XVI" →
    ``d36800xvi``), so it is one FTS5 word whatever the value."""
    return prefix + _NON_ALNUM.sub("", fold(value))


def meta_tokens(dossier: str | None, fracties: str | None) -> str:
    out: list[str] = []
    if dossier:
        out.append(token("d", dossier))
        if "-" in dossier:
            out.append(token("d", dossier.split("-", 1)[0]))
    for fractie in (fracties or "").split(","):  # " D66,GL-PvdA ": one token per fractie
        if fractie.strip():
            out.append(token("f", fractie.strip()))
    return " ".join(out)


BATCH = 500
KINDS = ("document", "verslag", "activiteit", "toezegging", "geschenk", "woo", "zaak")


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    ref: str
    version: str
    nummer: str | None
    titel: str | None
    soort: str | None
    datum: str | None
    dossier: str | None
    fracties: str | None
    text: str
    bijgewerkt: str | None = None


_SOURCES: dict[str, str] = {
    "document": """
        SELECT d.id, d.skiptoken || '/' || coalesce(c.converted_at, '') || coalesce('/op' || (
                   SELECT max(p.checked_at) FROM documentversie v
                   JOIN op_publication p ON p.eid = v.externeidentifier
                   WHERE v.document_id = d.id AND p.text IS NOT NULL AND p.text <> ''), ''),
               d.document_nummer,
               coalesce(d.onderwerp, d.titel), d.soort, d.datum,
               CASE WHEN k.nummer IS NULL THEN NULL
                    WHEN k.toevoeging IS NULL THEN CAST(k.nummer AS TEXT)
                    ELSE k.nummer || '-' || k.toevoeging END,
               (SELECT ' ' || group_concat(DISTINCT actor_fractie) || ' ' FROM documentactor
                WHERE document_id = d.id AND actor_fractie IS NOT NULL),
               coalesce(d.onderwerp, '') || char(10) || coalesce(d.titel, '') || char(10) || coalesce(d.citeertitel, '') || char(10) || coalesce((
                   -- the official publication's text (docs/media.md) in place of the converted file's
                   SELECT max(p.text) FROM documentversie v
                   JOIN op_publication p ON p.eid = v.externeidentifier
                   WHERE v.document_id = d.id AND p.text IS NOT NULL AND p.text <> ''), c.text, ''),
               d.bijgewerkt
        FROM document d
        LEFT JOIN kamerstukdossier k ON k.id = d.kamerstukdossier_id
        LEFT JOIN conversion c ON c.entity_id = d.id AND c.text IS NOT NULL""",
    "verslag": """
        SELECT s.id, s.skiptoken || '/' || c.converted_at, s.vergadering_id, v.titel, v.soort, v.datum,
               NULL, NULL, c.text, s.bijgewerkt
        FROM (SELECT id, vergadering_id, bijgewerkt, max(skiptoken) AS skiptoken FROM verslag
              WHERE coalesce(status, '') <> 'Casco' GROUP BY vergadering_id) s
        JOIN conversion c ON c.entity_id = s.id AND c.text IS NOT NULL
        LEFT JOIN vergadering v ON v.id = s.vergadering_id""",
    "activiteit": """
        SELECT a.id, a.skiptoken || '/' || coalesce((SELECT max(skiptoken) FROM agendapunt
                                                      WHERE activiteit_id = a.id), ''),
               a.nummer, a.onderwerp, a.soort, a.datum, NULL, NULL,
               coalesce(a.onderwerp, '') || char(10) || coalesce(a.soort, '') || char(10) || coalesce(a.noot, '') || char(10) || coalesce(a.voortouwnaam, '') || char(10) || coalesce((SELECT group_concat(onderwerp, char(10)) FROM agendapunt
                          WHERE activiteit_id = a.id), ''),
               a.bijgewerkt
        FROM activiteit a""",
    "toezegging": """
        SELECT t.id, t.skiptoken, t.nummer, t.tekst, t.status, t.aanmaakdatum, NULL,
               (SELECT ' ' || afkorting || ' ' FROM fractie WHERE id = t.toegezegd_aan_fractie_id),
               coalesce(t.tekst, '') || char(10) || coalesce(t.naam, '') || char(10) || coalesce(t.functie, '') || char(10) || coalesce(t.ministerie, ''),
               t.bijgewerkt
        FROM toezegging t""",
    "geschenk": """
        SELECT g.id, g.skiptoken, p.nummer, g.omschrijving, NULL, g.datum, NULL,
               ' ' || p.fractielabel || ' ',
               coalesce(g.omschrijving, '') || char(10) || coalesce(p.roepnaam, '') || char(10) || coalesce(p.tussenvoegsel, '') || char(10) || coalesce(p.achternaam, ''),
               g.bijgewerkt
        FROM persoongeschenk g LEFT JOIN persoon p ON p.id = g.persoon_id""",
    # Woo publications (not withdrawn, not copies of Tweede Kamer documents): soort = the
    # first documentsoort; the text = title, descriptions, organisation and the files' text
    "woo": """
        SELECT p.id, coalesce(p.mutatiedatumtijd, '') || '/' || coalesce((SELECT max(c.converted_at)
                 FROM woo_file f JOIN conversion c ON c.entity_id = f.entity_id
                 WHERE f.id = p.id), ''),
               p.id, p.titel, json_extract(p.documentsoorten, '$[0]'), p.openbaarmakingsdatum,
               NULL, NULL,
               coalesce(p.titel, '') || char(10) || coalesce(p.omschrijvingen, '') || char(10) || coalesce(p.verantwoordelijke, '') || char(10) || coalesce((SELECT group_concat(c.text, char(10)) FROM woo_file f
                          JOIN conversion c ON c.entity_id = f.entity_id AND c.text IS NOT NULL
                          WHERE f.id = p.id), ''),
               p.mutatiedatumtijd
        FROM woo_publication p WHERE p.state = 'ok' AND p.tk_copy = 0""",
    # a zaak by itself, also one without documents: number, onderwerp, titel, indieners
    "zaak": """
        SELECT z.id, z.skiptoken || '/' || coalesce((SELECT max(skiptoken) FROM zaakactor
                                                      WHERE zaak_id = z.id), ''),
               z.nummer, coalesce(z.onderwerp, z.titel), z.soort, z.gestart_op,
               CASE WHEN k.nummer IS NULL THEN NULL
                    WHEN k.toevoeging IS NULL THEN CAST(k.nummer AS TEXT)
                    ELSE k.nummer || '-' || k.toevoeging END,
               (SELECT ' ' || group_concat(DISTINCT actor_fractie) || ' ' FROM zaakactor
                WHERE zaak_id = z.id AND actor_fractie IS NOT NULL),
               coalesce(z.nummer, '') || char(10) || coalesce(z.onderwerp, '') || char(10) || coalesce(z.titel, '') || char(10) || coalesce(z.citeertitel, '') || char(10) || coalesce(z.alias, '') || char(10) || coalesce((SELECT group_concat(actor_naam, char(10)) FROM zaakactor
                          WHERE zaak_id = z.id AND relatie IN ('Indiener', 'Medeindiener')), ''),
               z.bijgewerkt
        FROM zaak z
        LEFT JOIN kamerstukdossier k ON k.id = z.kamerstukdossier_id""",
}


def _query(conn: Connection, kind: str) -> str:
    return _SOURCES[kind] if isinstance(conn, SqliteConnection) else _pg().SOURCES[kind]


def _source(kind: str, row: Any) -> Source:
    ref, version, nummer, titel, soort, datum, dossier, fracties, text, bijgewerkt = row
    return Source(
        kind,
        ref,
        str(version),
        nummer,
        titel,
        soort,
        datum,
        dossier,
        fracties,
        text or "",
        bijgewerkt,
    )


def sources(conn: Connection, kind: str) -> Iterator[Source]:
    """Every source of ``kind`` with its text (a new index's vocabulary pass)."""
    rows: Iterable[Any]
    if isinstance(conn, SqliteConnection):
        rows = conn.execute(_SOURCES[kind])
    else:
        rows = _pg().stream(conn, _pg().SOURCES[kind])
    for row in rows:
        yield _source(kind, row)


# the columns of a source query, named so that a query around it can pick or filter them
_COLUMNS = "ref, version, nummer, titel, soort, datum, dossier, fracties, text, bijgewerkt"


def source_versions(conn: Connection, kind: str) -> list[tuple[str, str]]:
    """(ref, version) of every source of ``kind``, in the source query's order, without
    reading a text (both engines leave the unused columns of the inner query alone)."""
    sql = f"WITH q ({_COLUMNS}) AS ({_query(conn, kind)}) SELECT ref, version FROM q"
    return [(str(ref), str(version)) for ref, version in conn.execute(sql)]


def sources_of(conn: Connection, kind: str, refs: list[str]) -> dict[str, Source]:
    """The sources of ``kind`` with these refs, with their texts."""
    sql = (
        f"WITH q ({_COLUMNS}) AS ({_query(conn, kind)}) "
        f"SELECT {_COLUMNS} FROM q WHERE ref IN ({in_list(refs)})"
    )
    return {str(row[0]): _source(kind, row) for row in conn.execute(sql, tuple(refs))}


# What the sources of each kind are made of, as cheap aggregates (counts and sums of feed
# positions, newest conversion and official publication; indexed, no text read). When none
# of them moved since the last run (and the kind's part of the index has the size that run
# left), no version of that kind can have changed: the kind is not read at all.
_CONVERTED = "SELECT count(*), max(converted_at) FROM conversion"
_STAMP_QUERIES: dict[str, tuple[str, ...]] = {
    "document": (
        "SELECT count(*), sum(skiptoken) FROM document",
        "SELECT count(*), sum(skiptoken) FROM documentversie",
        _CONVERTED,
        "SELECT count(*), max(checked_at) FROM op_publication",
    ),
    "verslag": ("SELECT count(*), sum(skiptoken) FROM verslag", _CONVERTED),
    "activiteit": (
        "SELECT count(*), sum(skiptoken) FROM activiteit",
        "SELECT count(*), sum(skiptoken) FROM agendapunt",
    ),
    "toezegging": ("SELECT count(*), sum(skiptoken) FROM toezegging",),
    "geschenk": ("SELECT count(*), sum(skiptoken) FROM persoongeschenk",),
    "woo": (
        "SELECT count(*), max(mutatiedatumtijd),"
        " sum(CASE WHEN state = 'ok' AND tk_copy = 0 THEN 1 ELSE 0 END) FROM woo_publication",
        "SELECT count(*), max(entity_id) FROM woo_file",
        _CONVERTED,
    ),
    "zaak": (
        "SELECT count(*), sum(skiptoken) FROM zaak",
        "SELECT count(*), sum(skiptoken) FROM zaakactor",
    ),
}
# change it when a source query changes what a version means: every kind is read again
STAMP_SCHEME = 1


def source_inputs(conn: Connection) -> dict[str, str]:
    """Per kind, the aggregates of the tables its sources are made of (see above)."""
    seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for kind, queries in _STAMP_QUERIES.items():
        for sql in queries:
            if sql not in seen:
                seen[sql] = repr(tuple(str(v) for v in conn.execute(sql).fetchone()))
        out[kind] = "|".join(seen[sql] for sql in queries)
    return out


def _stamp(kind: str, inputs: str, indexed: int) -> int:
    digest = hashlib.blake2b(
        f"{STAMP_SCHEME}|{kind}|{inputs}|{indexed}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def _indexed(conn: Connection, kind: str) -> int:
    return int(
        conn.execute("SELECT count(*) FROM search_doc WHERE kind = ?", (kind,)).fetchone()[0]
    )


def _stored_stamps(conn: Connection) -> dict[str, int]:
    return {
        str(key)[len("stamp:") :]: int(value)
        for key, value in conn.execute(
            "SELECT key, value FROM search_state WHERE key LIKE 'stamp:%'"
        )
    }


def _store_stamp(conn: Connection, kind: str, stamp: int) -> None:
    conn.execute(
        "INSERT INTO search_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"stamp:{kind}", stamp),
    )


def _versions(conn: Connection, kind: str) -> dict[str, tuple[int, str]]:
    return {
        ref: (rowid, version)
        for rowid, ref, version in conn.execute(
            "SELECT rowid, ref, version FROM search_doc WHERE kind = ?", (kind,)
        )
    }


def _delete(conn: Connection, rowids: list[int]) -> None:
    if not isinstance(conn, SqliteConnection):
        _pg().delete(conn, rowids)
        return
    for rowid in rowids:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (rowid,))
        conn.execute("DELETE FROM search_doc WHERE rowid = ?", (rowid,))


def index_version(conn: Connection) -> int:
    """Changes whenever the index does (the key of cached result summaries)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'version'").fetchone()
    return 0 if row is None else int(row[0])


def _bump(conn: Connection) -> None:
    conn.execute(
        "INSERT INTO search_state (key, value) VALUES ('version', 1) "
        "ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1"
    )


def soort_codes(conn: Connection) -> dict[str, int]:
    return {str(s): int(c) for c, s in conn.execute("SELECT code, soort FROM search_soort")}


class _Keys:
    """Hands out rowids: the soort codes and, per (day, kind, soort), the next free n."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.codes = soort_codes(conn)
        self.next_n: dict[int, int] = {}

    def soort(self, soort: str | None) -> int:
        if not soort:
            return 0
        code = self.codes.get(soort)
        if code is None:
            code = len(self.codes) + 1
            if code >= OTHER_SOORT:
                return OTHER_SOORT
            self.conn.execute("INSERT INTO search_soort (code, soort) VALUES (?, ?)", (code, soort))
            self.codes[soort] = code
        return code

    def key(self, s: Source) -> int:
        prefix = row_key(day_of(s.datum), KIND_CODES[s.kind], self.soort(s.soort), 0)
        n = self.next_n.get(prefix)
        if n is None:
            top = self.conn.execute(
                "SELECT max(rowid) FROM search_doc WHERE rowid >= ? AND rowid <= ?",
                (prefix, prefix | N_MASK),
            ).fetchone()[0]
            n = 0 if top is None else (top & N_MASK) + 1
        if n > N_MASK:
            raise RuntimeError(f"meer dan {N_MASK} bronnen op één dag met één soort")
        self.next_n[prefix] = n + 1
        return prefix | n


def compound_parts(text: str, splitter: Decompounder) -> str:
    """The ``parts`` column of a text: the stems of the known words inside its compound
    words, each once, in order of appearance."""
    out: dict[str, None] = {}
    for w in dict.fromkeys(words(text)):
        for part in splitter.parts(w):
            out[stem(part)] = None
    return " ".join(out)


def load_vocabulary(conn: Connection) -> set[str]:
    return {str(w) for (w,) in conn.execute("SELECT word FROM search_word")}


def _learn(conn: Connection, splitter: Decompounder, texts: Iterable[str]) -> None:
    """Add the words of ``texts`` to the vocabulary (in the caller's transaction)."""
    found: set[str] = set()
    for text in texts:
        found |= vocabulary_words(words(text))
    new = sorted(found - splitter.vocabulary)
    for i in range(0, len(new), 500):
        chunk = new[i : i + 500]
        conn.execute(
            "INSERT INTO search_word (word) VALUES "
            + ", ".join("(?)" for _ in chunk)
            + " ON CONFLICT (word) DO NOTHING",
            tuple(chunk),
        )
    splitter.add(set(new))


def _insert(conn: Connection, keys: _Keys, s: Source, splitter: Decompounder) -> None:
    rowid = keys.key(s)
    row = (
        s.kind,
        s.ref,
        s.version,
        s.nummer,
        s.titel,
        s.soort,
        s.datum,
        s.dossier,
        s.fracties,
        s.bijgewerkt,
    )
    if not isinstance(conn, SqliteConnection):
        _pg().insert(conn, rowid, row, s.text, meta_tokens(s.dossier, s.fracties), splitter.parts)
        return
    conn.execute(
        """INSERT INTO search_doc
           (rowid, kind, ref, version, nummer, titel, soort, datum, dossier, fracties, bijgewerkt)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (rowid, *row),
    )
    conn.execute(
        "INSERT INTO search_fts (rowid, body, stem, meta, parts) VALUES (?, ?, ?, ?, ?)",
        (
            rowid,
            s.text,
            stemmed(s.text),
            meta_tokens(s.dossier, s.fracties),
            compound_parts(s.text, splitter),
        ),
    )


def _begin(conn: Connection) -> None:
    """A write transaction: one index writer at a time on either engine."""
    if isinstance(conn, SqliteConnection):
        conn.execute("BEGIN IMMEDIATE")
    else:
        _pg().begin(conn)


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    read: int = 0  # versions of sources compared (0: nothing that feeds the index moved)
    skipped: tuple[str, ...] = ()  # kinds not read: none of their inputs changed
    new_rules: bool = False  # rebuilt because the analysis rules changed (analysis.RULES)
    compacted: bool = False  # the full-text index was merged into one segment (compact())


Progress = Callable[[str, int], None]


def rules_of(conn: Connection) -> int | None:
    """The analysis rules version the index was built with (None: before versions)."""
    row = conn.execute("SELECT value FROM search_state WHERE key = 'rules'").fetchone()
    return None if row is None else int(row[0])


def _indexed_any(conn: Connection) -> bool:
    return conn.execute("SELECT 1 FROM search_doc LIMIT 1").fetchone() is not None


def clear_index(conn: Connection) -> None:
    """Empty the index (in the caller's transaction); the next run fills it again."""
    if isinstance(conn, SqliteConnection):
        conn.execute("DELETE FROM search_doc")
        conn.execute("DELETE FROM search_fts")
        conn.execute("DELETE FROM search_soort")
        conn.execute("DELETE FROM search_word")
    else:
        _pg().clear(conn)
    conn.execute("DELETE FROM search_state WHERE key LIKE 'stamp:%'")
    _bump(conn)


# Every full-text statement looks each term up in every FTS5 segment, so a search nobody
# asked before (nothing of it cached) costs about a third less CPU on one segment than on
# the ~19 a first build leaves at 50,000 documents. Merging them all (FTS5 'optimize')
# rewrites the whole index (~1 s at 100,000 sources without converted texts): done at the
# end of a run that wrote at least this share of the index (a first build, a rebuild, a big
# catch-up: the merge costs a fraction of the run), and once for an index never merged (one
# built before this rule). Small runs add small segments that FTS5's automerge keeps to a
# few per level (8–26 over 3,000 runs of 5 sources in a test): not worth a full rewrite.
MERGE_SHARE = 0.1


def segments(conn: Connection) -> int:
    """The number of segments of the SQLite full-text index (0 on PostgreSQL: none)."""
    if not isinstance(conn, SqliteConnection):
        return 0
    return int(conn.execute("SELECT count(DISTINCT segid) FROM search_fts_idx").fetchone()[0])


def _merged_before(conn: Connection) -> bool:
    return conn.execute("SELECT 1 FROM search_state WHERE key = 'merged'").fetchone() is not None


def compact(conn: Connection) -> bool:
    """Merge the SQLite index into one segment when it has more (FTS5's 'optimize'; the
    same rows, rowids and answers, so cached summaries stay valid), and note that it was."""
    if segments(conn) <= 1:
        return False
    _begin(conn)
    try:
        conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        conn.execute(
            "INSERT INTO search_state (key, value) VALUES ('merged', 1) "
            "ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1"
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def run_index(
    conn: Connection,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    batch: int = BATCH,
    merge_share: float = MERGE_SHARE,
) -> IndexReport:
    """Bring the index up to date (``rebuild``: from scratch). ``conn`` is an autocommit
    write connection; every batch of ``BATCH`` sources is one short transaction. A run that
    wrote at least ``merge_share`` of the sources, or finds the SQLite index never merged,
    ends by merging it into one segment (:func:`compact`)."""
    report = IndexReport()
    if rules_of(conn) != RULES:  # built with other word rules (or new): start afresh, once
        report.new_rules = _indexed_any(conn)
        rebuild = True
    if rebuild:
        _begin(conn)
        clear_index(conn)
        # stored with the emptied index: an interrupted rebuild goes on where it stopped
        conn.execute(
            "INSERT INTO search_state (key, value) VALUES ('rules', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (RULES,),
        )
        conn.execute("COMMIT")
    splitter = Decompounder(load_vocabulary(conn))
    if not splitter.vocabulary:  # a new index: know the corpus's words before splitting
        _begin(conn)
        try:
            for kind in KINDS:
                _learn(conn, splitter, (s.text for s in sources(conn, kind)))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    inputs = source_inputs(conn)  # before reading: a change from now on is seen next time
    stored = _stored_stamps(conn)
    skipped: list[str] = []
    for kind in KINDS:
        indexed = _indexed(conn, kind)
        if stored.get(kind) == _stamp(kind, inputs[kind], indexed):
            skipped.append(kind)
            report.unchanged += indexed
            continue
        known = _versions(conn, kind)
        todo: list[tuple[str, int | None]] = []
        seen: set[str] = set()
        for ref, version in source_versions(conn, kind):
            report.read += 1
            seen.add(ref)
            old = known.get(ref)
            if old is not None and old[1] == version:
                report.unchanged += 1
                continue
            todo.append((ref, old[0] if old else None))
        for i in range(0, len(todo), batch):
            chunk = todo[i : i + batch]
            found = sources_of(conn, kind, [ref for ref, _ in chunk])
            # in the order of the source query, as a rebuild adds them (gone since: next run)
            _apply(conn, [(found[r], old) for r, old in chunk if r in found], report, splitter)
            if progress:
                progress(kind, report.added + report.updated)
        gone = [rowid for ref, (rowid, _) in known.items() if ref not in seen]
        _begin(conn)
        try:
            _delete(conn, gone)
            if gone:
                _bump(conn)
            _store_stamp(conn, kind, _stamp(kind, inputs[kind], _indexed(conn, kind)))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        report.removed += len(gone)
        if progress:
            progress(kind, report.added + report.updated)
    report.skipped = tuple(skipped)
    wrote = report.added + report.updated
    big = wrote >= merge_share * (wrote + report.unchanged)
    report.compacted = (big or not _merged_before(conn)) and compact(conn)
    return report


def _apply(
    conn: Connection,
    todo: list[tuple[Source, int | None]],
    report: IndexReport,
    splitter: Decompounder,
) -> None:
    if not todo:
        return
    _begin(conn)
    try:
        _learn(conn, splitter, (s.text for s, _ in todo))
        keys = _Keys(conn)
        for s, old_rowid in todo:
            if old_rowid is not None:
                _delete(conn, [old_rowid])
                report.updated += 1
            else:
                report.added += 1
            _insert(conn, keys, s, splitter)
        _bump(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
