"""SQL of the version diffs (issue #27): the texts of a document's versions, and the motie
that a "gewijzigde motie" replaces (a motie in the same zaak, earlier)."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Connection, in_list


@dataclass(frozen=True, slots=True)
class DiffDocument:
    id: str
    nummer: str
    soort: str
    onderwerp: str
    datum: str


FEED, FILES = "DocumentVersie", "bestand"  # how a document's versions are numbered


@dataclass(frozen=True, slots=True)
class Version:
    version: int  # DocumentVersie.versienummer, or our file version (1 = the first download)
    fetched_at: str  # when the text we hold was downloaded ('' = we hold none)
    has_text: bool
    datum: str = ""  # the feed's date of the version (DocumentVersie.datum)
    status: str = ""  # the feed's status (Vrijgegeven, …)


@dataclass(frozen=True, slots=True)
class Versions:
    """A document's versions as the diff page lists them, and their texts by number."""

    numbering: str  # FEED: the feed has several DocumentVersie; FILES: our downloads
    versions: list[Version]  # oldest first
    texts: dict[int, str]  # version number → converted text (where known)


_DOC = (
    "SELECT id, document_nummer, coalesce(soort, ''), coalesce(onderwerp, titel, ''),"
    " coalesce(datum, '') FROM document"
)


def _doc(row: tuple[object, ...] | None) -> DiffDocument | None:
    if row is None:
        return None
    return DiffDocument(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def document(conn: Connection, nummer: str) -> DiffDocument | None:
    row = conn.execute(f"{_DOC} WHERE document_nummer = ? ORDER BY id LIMIT 1", (nummer,))
    return _doc(row.fetchone())


def texts(conn: Connection, entity_id: str) -> dict[int, str]:
    """version → converted text (the current one and the kept earlier ones)."""
    out = {
        int(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT version, text FROM conversion_text WHERE entity_id = ?", (entity_id,)
        )
    }
    row = conn.execute(
        "SELECT version, text FROM conversion WHERE entity_id = ? AND text IS NOT NULL",
        (entity_id,),
    ).fetchone()
    if row is not None:
        out[int(row[0])] = str(row[1])
    return out


def versions(conn: Connection, entity_id: str) -> list[Version]:
    """The downloaded versions of a document's file, oldest first."""
    have = set(texts(conn, entity_id))
    return [
        Version(int(r[0]), str(r[1] or ""), int(r[0]) in have)
        for r in conn.execute(
            "SELECT version, fetched_at FROM resource_file WHERE entity_id = ? ORDER BY version",
            (entity_id,),
        )
    ]


def feed_versions(conn: Connection, entity_id: str) -> list[tuple[str, int, str, str]]:
    """The document's DocumentVersie records with a versienummer: (id, versienummer, datum,
    status), by versienummer (one per number: the first by id)."""
    out: dict[int, tuple[str, int, str, str]] = {}
    for r in conn.execute(
        "SELECT id, versienummer, coalesce(datum, ''), coalesce(status, '') FROM documentversie"
        " WHERE document_id = ? AND versienummer IS NOT NULL ORDER BY versienummer, id",
        (entity_id,),
    ):
        out.setdefault(int(r[1]), (str(r[0]), int(r[1]), str(r[2]), str(r[3])))
    return list(out.values())


def file_feed_versions(conn: Connection, entity_id: str) -> dict[int, str]:
    """file version → the DocumentVersie that was current when it was downloaded."""
    return {
        int(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT version, documentversie_id FROM resource_file WHERE entity_id = ?"
            " AND documentversie_id IS NOT NULL",
            (entity_id,),
        )
    }


def versioned(conn: Connection, entity_id: str) -> Versions:
    """The versions of a document as the feed numbers them when it lists several
    ``DocumentVersie`` (each one's text: that of the newest file downloaded while it was the
    current version), else our downloads of its file."""
    own = texts(conn, entity_id)
    feed = feed_versions(conn, entity_id)
    if len(feed) < 2:
        return Versions(FILES, versions(conn, entity_id), own)
    fetched = {
        int(r[0]): str(r[1] or "")
        for r in conn.execute(
            "SELECT version, fetched_at FROM resource_file WHERE entity_id = ?", (entity_id,)
        )
    }
    by_feed: dict[str, int] = {}  # DocumentVersie id → its newest file version with a text
    for file_version, versie_id in sorted(file_feed_versions(conn, entity_id).items()):
        if file_version in own:
            by_feed[versie_id] = file_version
    out: list[Version] = []
    texts_by_number: dict[int, str] = {}
    for versie_id, number, datum, status in feed:
        held = by_feed.get(versie_id)
        if held is not None:
            texts_by_number[number] = own[held]
        out.append(
            Version(
                number,
                fetched.get(held, "") if held is not None else "",
                held is not None,
                datum,
                status,
            )
        )
    return Versions(FEED, out, texts_by_number)


def page_numbers(
    conn: Connection, entity_id: str, old_file: int, new_file: int
) -> tuple[int, int] | None:
    """Two of our file versions as the diff page numbers them: themselves when the page
    counts our downloads, the feed's versienummers when it lists the DocumentVersies (None:
    a file not tied to a DocumentVersie, or both tied to the same one)."""
    feed = feed_versions(conn, entity_id)
    if len(feed) < 2:
        return old_file, new_file
    tied = file_feed_versions(conn, entity_id)
    number = {vid: n for vid, n, _, _ in feed}
    old, new = number.get(tied.get(old_file, "")), number.get(tied.get(new_file, ""))
    return None if old is None or new is None or old == new else (old, new)


def is_amended_motie(soort: str) -> bool:
    low = soort.lower()
    return "motie" in low and "gewijzigd" in low


def replaced_motie(conn: Connection, doc: DiffDocument) -> DiffDocument | None:
    """The motie a gewijzigde (or nader gewijzigde) motie replaces: the newest earlier motie
    in the same zaak."""
    if not is_amended_motie(doc.soort):
        return None
    row = conn.execute(
        f"{_DOC} d WHERE d.id IN (SELECT l2.src_id FROM link l1 JOIN link l2"
        " ON l2.dst_id = l1.dst_id AND l2.relation = 'zaak' AND l2.src_category = 'Document'"
        " WHERE l1.src_id = ? AND l1.relation = 'zaak' AND l2.src_id <> l1.src_id)"
        " AND lower(coalesce(d.soort, '')) LIKE 'motie%'"
        " AND (coalesce(d.datum, '') < ? OR (coalesce(d.datum, '') = ? AND d.document_nummer < ?))"
        " ORDER BY d.datum DESC NULLS LAST, d.document_nummer DESC LIMIT 1",
        (doc.id, doc.datum, doc.datum, doc.nummer),
    ).fetchone()
    return _doc(row)


def replacing_motie(conn: Connection, doc: DiffDocument) -> DiffDocument | None:
    """The other way round: the first gewijzigde motie after this motie in its zaak."""
    row = conn.execute(
        f"{_DOC} d WHERE d.id IN (SELECT l2.src_id FROM link l1 JOIN link l2"
        " ON l2.dst_id = l1.dst_id AND l2.relation = 'zaak' AND l2.src_category = 'Document'"
        " WHERE l1.src_id = ? AND l1.relation = 'zaak' AND l2.src_id <> l1.src_id)"
        " AND lower(coalesce(d.soort, '')) LIKE 'motie%gewijzigd%'"
        " AND (coalesce(d.datum, '') > ? OR (coalesce(d.datum, '') = ? AND d.document_nummer > ?))"
        " ORDER BY d.datum NULLS LAST, d.document_nummer LIMIT 1",
        (doc.id, doc.datum, doc.datum, doc.nummer),
    ).fetchone()
    return None if not str(doc.soort).lower().startswith("motie") else _doc(row)


def new_versions(conn: Connection, ids: list[str]) -> dict[str, tuple[int, str, int, str]]:
    """Documents among ``ids`` whose current text replaces an earlier version's:
    id → (earlier version, its text, current version, current text)."""
    out: dict[str, tuple[int, str, int, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            "SELECT c.entity_id, t.version, t.text, c.version, c.text FROM conversion c"
            " JOIN conversion_text t ON t.entity_id = c.entity_id AND t.version = ("
            "  SELECT max(t2.version) FROM conversion_text t2"
            "  WHERE t2.entity_id = c.entity_id AND t2.version < c.version)"
            f" WHERE c.entity_id IN ({in_list(chunk)}) AND c.text IS NOT NULL",
            tuple(chunk),
        )
        for r in rows:
            out[str(r[0])] = (int(r[1]), str(r[2]), int(r[3]), str(r[4]))
    return out
