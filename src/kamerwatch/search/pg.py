"""The search index on PostgreSQL: tsvector columns, GIN indexes, the ``dutch`` stemmer
after ``unaccent``.

The rows of ``search_doc`` are those of the SQLite index (search/index.py: the same rowid
layout, so sort order, date ranges and facets are computed alike); instead of the FTS5
table each row carries its text and two tsvectors:

* ``stem``  — configuration ``kamerwatch_nl``: unaccent, then the Snowball Dutch stemmer
  (plain words find their inflections);
* ``exact`` — configuration ``kamerwatch_exact``: unaccent and lower case only (quoted
  phrases stay exact);
* ``meta``  — dossier and fractie tokens of the filters.
"""

from __future__ import annotations

DDL = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    CREATE TEXT SEARCH CONFIGURATION kamerwatch_nl (COPY = pg_catalog.dutch);
    ALTER TEXT SEARCH CONFIGURATION kamerwatch_nl
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
    CREATE TEXT SEARCH CONFIGURATION kamerwatch_exact (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION kamerwatch_exact
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END $$;
CREATE TABLE IF NOT EXISTS search_doc (
    rowid      BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    version    TEXT NOT NULL,
    nummer     TEXT,
    titel      TEXT,
    soort      TEXT,
    datum      TEXT,
    dossier    TEXT,
    fracties   TEXT,
    bijgewerkt TEXT,
    body       TEXT NOT NULL DEFAULT '',
    stem       TSVECTOR NOT NULL DEFAULT ''::tsvector,
    exact      TSVECTOR NOT NULL DEFAULT ''::tsvector,
    meta       TSVECTOR NOT NULL DEFAULT ''::tsvector,
    UNIQUE (kind, ref)
);
CREATE INDEX IF NOT EXISTS search_doc_stem ON search_doc USING GIN (stem);
CREATE INDEX IF NOT EXISTS search_doc_exact ON search_doc USING GIN (exact);
CREATE INDEX IF NOT EXISTS search_doc_meta ON search_doc USING GIN (meta);
CREATE TABLE IF NOT EXISTS search_soort (
    code  BIGINT PRIMARY KEY,
    soort TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS search_state (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
)
"""
