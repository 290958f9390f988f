"""The queries behind the sitemaps: per kind of page, how many there are and one chunk of
their keys with the date of their last change.

A chunk is a slice of the keys in a stable order (the key itself, served by an index), so
``/sitemaps/<kind>-<n>.xml`` always lists the same pages until the mirror changes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # nummer, id, or "nummer-toevoeging" for a dossier
    toevoeging: str | None
    bijgewerkt: str | None


# kind → (SELECT key, toevoeging, bijgewerkt … ordered by key; count of the same keys)
_KINDS: dict[str, tuple[str, str]] = {
    "documenten": (
        """SELECT document_nummer, NULL, max(bijgewerkt) FROM document
           WHERE document_nummer IS NOT NULL GROUP BY document_nummer
           ORDER BY document_nummer""",
        "SELECT count(DISTINCT document_nummer) FROM document",
    ),
    "zaken": (
        """SELECT nummer, NULL, max(bijgewerkt) FROM zaak WHERE nummer IS NOT NULL
           GROUP BY nummer ORDER BY nummer""",
        "SELECT count(DISTINCT nummer) FROM zaak",
    ),
    "activiteiten": (
        """SELECT nummer, NULL, max(bijgewerkt) FROM activiteit WHERE nummer IS NOT NULL
           GROUP BY nummer ORDER BY nummer""",
        "SELECT count(DISTINCT nummer) FROM activiteit",
    ),
    "personen": (
        """SELECT nummer, NULL, max(bijgewerkt) FROM persoon WHERE nummer IS NOT NULL
           GROUP BY nummer ORDER BY nummer""",
        "SELECT count(DISTINCT nummer) FROM persoon",
    ),
    "kamerstukdossiers": (
        """SELECT CAST(nummer AS TEXT), toevoeging, max(bijgewerkt) FROM kamerstukdossier
           WHERE nummer IS NOT NULL GROUP BY nummer, toevoeging ORDER BY nummer, toevoeging""",
        """SELECT count(*) FROM (SELECT 1 FROM kamerstukdossier WHERE nummer IS NOT NULL
           GROUP BY nummer, toevoeging) d""",
    ),
    "toezeggingen": (
        """SELECT nummer, NULL, max(bijgewerkt) FROM toezegging WHERE nummer IS NOT NULL
           GROUP BY nummer ORDER BY nummer""",
        "SELECT count(DISTINCT nummer) FROM toezegging",
    ),
    "verslagen": (
        """SELECT vergadering_id, NULL, max(bijgewerkt) FROM verslag
           WHERE vergadering_id IS NOT NULL AND coalesce(status, '') <> 'Casco'
           GROUP BY vergadering_id ORDER BY vergadering_id""",
        """SELECT count(DISTINCT vergadering_id) FROM verslag
           WHERE coalesce(status, '') <> 'Casco'""",
    ),
    "commissies": (
        "SELECT id, NULL, bijgewerkt FROM commissie ORDER BY id",
        "SELECT count(*) FROM commissie",
    ),
}
KINDS: tuple[str, ...] = tuple(_KINDS)


def count(conn: sqlite3.Connection, kind: str) -> int:
    """How many pages of ``kind`` there are."""
    return int(conn.execute(_KINDS[kind][1]).fetchone()[0])


def entries(conn: sqlite3.Connection, kind: str, offset: int, limit: int) -> list[Entry]:
    """The pages ``offset`` … ``offset + limit`` of ``kind`` in key order."""
    sql = f"{_KINDS[kind][0]} LIMIT ? OFFSET ?"
    return [Entry(str(r[0]), r[1], r[2]) for r in conn.execute(sql, (limit, offset))]
