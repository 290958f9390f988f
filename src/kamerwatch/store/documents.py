"""Downloaded files, their conversions and the download failures (all SQL of the documents
stage). Files live on disk; these tables say which version of which resource is where.

Tables (migration ``0004_documents``):

* ``resource_file``: one row per stored version of an entity's file (Document, Verslag,
  Persoon photo); the highest ``version`` is the current one;
* ``resource_failure``: per entity the last failed download, how often it failed in a row
  and until when it is left alone (throttling);
* ``conversion``: per entity the text and HTML preview of its current file version, or the
  reason the conversion failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kamerwatch.kinds import KINDS

from . import changes
from .db import Connection, in_list, upsert_sql
from .migrations import Migrations
from .speaking import Spreker, for_vergadering

MIGRATIONS = Migrations("documents", "kamerwatch.store", "sql/documents")

THROTTLE_AFTER = 3  # failed runs in a row before an entity is left alone for a day
THROTTLE_FOR = timedelta(days=1)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Resource:
    """An entity whose file should be on disk."""

    entity_id: str
    category: str  # Document / Verslag / Persoon
    content_type: str | None
    content_length: int


@dataclass(frozen=True, slots=True)
class StoredFile:
    entity_id: str
    version: int
    category: str
    path: str  # relative to KAMERWATCH_FILES_DIR (absolute in installations from before 0.2)
    size: int
    content_type: str | None
    fetched_at: str

    def location(self, files_dir: Path) -> Path:
        return file_location(files_dir, self.path)


def file_location(files_dir: Path, stored: str) -> Path:
    """Where a stored file is on this host: its path is relative to the files directory,
    so that hosts mounting the shared storage elsewhere find it too."""
    path = Path(stored)
    return path if path.is_absolute() else files_dir / path


def wanted(conn: Connection) -> list[Resource]:
    """Every Document file, the newest non-Casco verslag of each vergadering, every photo."""
    rows = conn.execute(
        """SELECT id, 'Document', content_type, content_length FROM document
           WHERE content_length IS NOT NULL
           UNION ALL
           SELECT id, 'Verslag', content_type, content_length FROM (
               SELECT id, content_type, content_length, row_number() OVER (
                   PARTITION BY vergadering_id ORDER BY skiptoken DESC) AS newest
               FROM verslag
               WHERE content_length IS NOT NULL AND coalesce(status, '') <> 'Casco') v
           WHERE newest = 1
           UNION ALL
           SELECT id, 'Persoon', content_type, content_length FROM persoon
           WHERE content_length IS NOT NULL"""
    ).fetchall()
    return [Resource(r[0], r[1], r[2], int(r[3])) for r in rows]


def current_files(conn: Connection) -> dict[str, StoredFile]:
    """entity id → its current (highest) stored version."""
    rows = conn.execute(
        """SELECT f.entity_id, f.version, f.category, f.path, f.size, f.content_type,
                  f.fetched_at
           FROM (SELECT entity_id, max(version) AS version FROM resource_file
                 GROUP BY entity_id) cur
           JOIN resource_file f ON f.entity_id = cur.entity_id AND f.version = cur.version"""
    ).fetchall()
    return {r[0]: StoredFile(*r) for r in rows}


def current_file(conn: Connection, entity_id: str) -> StoredFile | None:
    row = conn.execute(
        """SELECT entity_id, version, category, path, size, content_type, fetched_at
           FROM resource_file WHERE entity_id = ? ORDER BY version DESC NULLS LAST LIMIT 1""",
        (entity_id,),
    ).fetchone()
    return StoredFile(*row) if row else None


def versions(conn: Connection, entity_id: str) -> list[StoredFile]:
    rows = conn.execute(
        """SELECT entity_id, version, category, path, size, content_type, fetched_at
           FROM resource_file WHERE entity_id = ? ORDER BY version DESC NULLS LAST""",
        (entity_id,),
    ).fetchall()
    return [StoredFile(*r) for r in rows]


def record_file(conn: Connection, f: StoredFile) -> None:
    conn.execute(
        upsert_sql(
            "resource_file",
            ("entity_id", "version", "category", "path", "size", "content_type", "fetched_at"),
            ("entity_id", "version"),
        ),
        (f.entity_id, f.version, f.category, f.path, f.size, f.content_type, f.fetched_at),
    )
    if f.category == "Document":  # the feed's version of this file (its current one now)
        conn.execute(
            "UPDATE resource_file SET documentversie_id = (SELECT huidige_document_versie_id"
            " FROM document WHERE id = ?) WHERE entity_id = ? AND version = ?",
            (f.entity_id, f.entity_id, f.version),
        )
    conn.execute("DELETE FROM resource_failure WHERE entity_id = ?", (f.entity_id,))


def record_failure(
    conn: Connection,
    r: Resource,
    url: str,
    reason: str,
    *,
    permanent: bool = False,
    now: datetime | None = None,
) -> int:
    """Count a failed download; after ``THROTTLE_AFTER`` in a row (or at once when
    ``permanent``, e.g. too big) the entity is left alone for a day. Returns the count."""
    moment = now or datetime.now(UTC)
    row = conn.execute(
        "SELECT attempts FROM resource_failure WHERE entity_id = ?", (r.entity_id,)
    ).fetchone()
    attempts = (row[0] if row else 0) + 1
    throttle = permanent or attempts >= THROTTLE_AFTER
    retry_after = (moment + THROTTLE_FOR).isoformat(timespec="seconds") if throttle else None
    conn.execute(
        upsert_sql(
            "resource_failure",
            ("entity_id", "category", "url", "reason", "attempts", "last_attempt", "retry_after"),
            ("entity_id",),
        ),
        (
            r.entity_id,
            r.category,
            url,
            reason,
            attempts,
            moment.isoformat(timespec="seconds"),
            retry_after,
        ),
    )
    return attempts


def throttled(conn: Connection, now: datetime | None = None) -> set[str]:
    """Entities not to try now (failed too often recently, or too big)."""
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    rows = conn.execute(
        "SELECT entity_id FROM resource_failure WHERE retry_after IS NOT NULL AND retry_after > ?",
        (moment,),
    ).fetchall()
    return {r[0] for r in rows}


@dataclass(frozen=True, slots=True)
class Failure:
    entity_id: str
    category: str
    url: str
    reason: str
    attempts: int
    last_attempt: str
    retry_after: str | None


def failures(conn: Connection, limit: int = 50) -> list[Failure]:
    rows = conn.execute(
        """SELECT entity_id, category, url, reason, attempts, last_attempt, retry_after
           FROM resource_failure ORDER BY last_attempt DESC NULLS LAST LIMIT ?""",
        (limit,),
    ).fetchall()
    return [Failure(*r) for r in rows]


# -- conversions ----------------------------------------------------------------------------


def to_convert(conn: Connection, retry_failures: Sequence[str] = ()) -> list[StoredFile]:
    """Current files without a conversion of that version, and those whose conversion failed
    with one of ``retry_failures`` (e.g. scanned PDFs once OCR is installed)."""
    retry = ""
    if retry_failures:
        retry = f" OR c.failure IN ({in_list(retry_failures)})"
    rows = conn.execute(
        f"""SELECT f.entity_id, f.version, f.category, f.path, f.size, f.content_type, f.fetched_at
           FROM (SELECT entity_id, max(version) AS version FROM resource_file
                 WHERE category <> 'Persoon' GROUP BY entity_id) cur
           JOIN resource_file f ON f.entity_id = cur.entity_id AND f.version = cur.version
           LEFT JOIN conversion c ON c.entity_id = f.entity_id
           WHERE c.entity_id IS NULL OR c.version <> f.version{retry}""",
        tuple(retry_failures),
    ).fetchall()
    return [StoredFile(*r) for r in rows]


def save_conversion(
    conn: Connection,
    f: StoredFile,
    *,
    method: str,
    text: str | None,
    html: str | None,
    failure: str | None,
    pages: int | None,
) -> None:
    save_conversions(conn, [(f, method, text, html, failure, pages)])


ConversionRow = tuple[StoredFile, str, str | None, str | None, str | None, int | None]


CONVERSION_COLUMNS = (
    "entity_id",
    "category",
    "version",
    "method",
    "text",
    "html",
    "failure",
    "pages",
    "converted_at",
)


def save_conversions(conn: Connection, rows: Sequence[ConversionRow]) -> None:
    """Store many conversions in one statement: (file, method, text, html, failure, pages);
    each is a change of the change feed (``Conversie``), logged last."""
    now = _now()
    ids = sorted({f.entity_id for f, *_ in rows})
    held: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cur = conn.execute(
            f"SELECT entity_id FROM conversion WHERE entity_id IN ({in_list(chunk)})", tuple(chunk)
        )
        held.update(str(r[0]) for r in cur)
    if held:  # keep the text of the version a newer one replaces (version diffs)
        conn.executemany(
            "INSERT INTO conversion_text (entity_id, version, text, converted_at)"
            " SELECT entity_id, version, text, converted_at FROM conversion"
            " WHERE entity_id = ? AND version <> ? AND text IS NOT NULL"
            " ON CONFLICT DO NOTHING",
            [(f.entity_id, f.version) for f, *_ in rows if f.entity_id in held],
        )
    conn.executemany(
        upsert_sql(
            "conversion",
            CONVERSION_COLUMNS,
            ("entity_id",),
        ),
        [
            (f.entity_id, f.category, f.version, method, text, html, failure, pages, now)
            for f, method, text, html, failure, pages in rows
        ],
    )
    by_category: dict[str, list[str]] = {}
    for f, *_ in rows:
        by_category.setdefault(f.category, []).append(f.entity_id)
    paths = changes.conversion_paths(conn, by_category)
    changes.log(
        conn,
        [
            (changes.CONVERSION, i, changes.CHANGED if i in held else changes.NEW, paths.get(i))
            for i in ids
        ],
        now,
    )


@dataclass(frozen=True, slots=True)
class Converted:
    entity_id: str
    version: int
    method: str
    html: str | None
    text: str | None
    failure: str | None
    pages: int | None


def conversion(conn: Connection, entity_id: str) -> Converted | None:
    row = conn.execute(
        """SELECT entity_id, version, method, html, text, failure, pages FROM conversion
           WHERE entity_id = ?""",
        (entity_id,),
    ).fetchone()
    return Converted(*row) if row else None


@dataclass(frozen=True, slots=True)
class DocumentsStatus:
    wanted: int
    stored: int
    versions: int
    bytes: int
    converted: int
    conversion_failures: int
    download_failures: int
    throttled: int
    failure_reasons: list[tuple[str, int]]


def status(conn: Connection) -> DocumentsStatus:
    stored, nversions, size = conn.execute(
        "SELECT count(DISTINCT entity_id), count(*), coalesce(sum(size), 0) FROM resource_file"
        " WHERE category <> 'Woo'"  # Woo files: their own line (store/woo.py)
    ).fetchone()
    converted, failed = conn.execute("SELECT count(*), count(failure) FROM conversion").fetchone()
    dl_failures, dl_throttled = conn.execute(
        "SELECT count(*), count(retry_after) FROM resource_failure"
    ).fetchone()
    reasons = conn.execute(
        """SELECT failure, count(*) FROM conversion WHERE failure IS NOT NULL
           GROUP BY failure ORDER BY 2 DESC NULLS LAST LIMIT 10"""
    ).fetchall()
    return DocumentsStatus(
        len(wanted(conn)),
        stored,
        nversions,
        size,
        converted,
        failed,
        dl_failures,
        dl_throttled,
        [(r[0], r[1]) for r in reasons],
    )


# -- lookups for the website ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileOf:
    """The current file of an entity with what a download name needs."""

    file: StoredFile
    nummer: str | None
    onderwerp: str | None
    soort: str | None


def document_file(conn: Connection, nummer: str) -> FileOf | None:
    row = conn.execute(
        "SELECT id, onderwerp, soort FROM document WHERE document_nummer = ? ORDER BY skiptoken DESC LIMIT 1",
        (nummer,),
    ).fetchone()
    if row is None:
        return None
    f = current_file(conn, row[0])
    return FileOf(f, nummer, row[1], row[2]) if f else None


def persoon_photo(conn: Connection, nummer: str) -> StoredFile | None:
    row = conn.execute("SELECT id FROM persoon WHERE nummer = ? LIMIT 1", (nummer,)).fetchone()
    return current_file(conn, row[0]) if row else None


@dataclass(frozen=True, slots=True)
class VerslagPage:
    vergadering_id: str
    titel: str | None
    soort: str | None
    datum: str | None
    aanvangstijd: str | None
    sluiting: str | None
    zaal: str | None
    vergaderjaar: str | None
    verslag_id: str | None
    verslag_soort: str | None
    verslag_status: str | None
    html: str | None
    failure: str | None
    stored: bool
    sprekers: tuple[Spreker, ...] = ()


def verslag_page(conn: Connection, vergadering_id: str) -> VerslagPage | None:
    """A vergadering with its newest non-Casco verslag and that verslag's rendering."""
    v = conn.execute(
        """SELECT id, titel, soort, datum, aanvangstijd, sluiting, zaal, vergaderjaar
           FROM vergadering WHERE id = ?""",
        (vergadering_id,),
    ).fetchone()
    s = conn.execute(
        """SELECT id, soort, status FROM verslag WHERE vergadering_id = ?
           AND coalesce(status, '') <> 'Casco' ORDER BY skiptoken DESC LIMIT 1""",
        (vergadering_id,),
    ).fetchone()
    if v is None:
        if s is None:
            return None
        v = (
            vergadering_id,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )  # verslag before its vergadering
    conv = conversion(conn, s[0]) if s else None
    stored = bool(s) and current_file(conn, s[0]) is not None
    values = (
        *v,
        *(s or (None, None, None)),
        conv.html if conv else None,
        conv.failure if conv else None,
        stored,
        tuple(for_vergadering(conn, vergadering_id)),
    )
    return VerslagPage(*values)


def existing_targets(conn: Connection, wanted: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Of the keys per kind of page (``{"document": {"2023D03702"}, "kamerstukdossier":
    {"36200-XVI"}}``): the (kind, key) pairs whose page exists in the mirror, looked up
    where the kind's :class:`~kamerwatch.kinds.Source` says (at most 500 keys per kind)."""
    found: set[tuple[str, str]] = set()
    for name, values in sorted(wanted.items()):
        if name not in KINDS:
            continue
        source = KINDS[name].source
        items = sorted(values)[:500]
        if source.suffix:  # nummer-toevoeging, one look-up each
            for value in items:
                key, _, suffix = value.partition("-")
                if source.numeric_key and not key.isdigit():
                    continue
                row = conn.execute(
                    f"SELECT 1 FROM {source.table} WHERE {source.key} = ? "
                    f"AND coalesce({source.suffix}, '') = ?",
                    (int(key) if source.numeric_key else key, suffix),
                ).fetchone()
                if row:
                    found.add((name, value))
        elif items:
            sql = (
                f"SELECT {source.key} FROM {source.table} WHERE {source.key} IN ({in_list(items)})"
            )
            found |= {(name, str(r[0])) for r in conn.execute(sql, items)}
    return found


def metrics(conn: Connection) -> dict[str, Any]:
    """The figures ``/metrics`` exposes: rows per category, last runs per stage, files."""
    from kamerwatch.store import mirror

    rows = {c: mirror.count_rows(conn, c) for c in mirror.all_categories()}
    runs = {
        stage: (finished, status)
        for stage, finished, status in conn.execute(
            """SELECT stage, finished_at, status FROM (
                   SELECT stage, finished_at, status, row_number() OVER (
                       PARTITION BY stage ORDER BY finished_at DESC NULLS LAST) AS newest
                   FROM sync_run WHERE finished_at IS NOT NULL) r
               WHERE newest = 1"""
        )
    }
    st = status(conn)
    n_monitors = conn.execute("SELECT count(*) FROM monitor").fetchone()[0]
    return {"rows": rows, "runs": runs, "documents": st, "monitors": n_monitors}
