CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    CREATE TEXT SEARCH CONFIGURATION kamerwatch_nl (COPY = pg_catalog.dutch);
    ALTER TEXT SEARCH CONFIGURATION kamerwatch_nl
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, hword, hword_part, word
        WITH unaccent, dutch_stem;
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
    words      INTEGER NOT NULL DEFAULT 0,
    stem       TSVECTOR NOT NULL DEFAULT ''::tsvector,
    exact      TSVECTOR NOT NULL DEFAULT ''::tsvector,
    meta       TSVECTOR NOT NULL DEFAULT ''::tsvector,
    UNIQUE (kind, ref)
);
CREATE INDEX IF NOT EXISTS search_doc_stem ON search_doc USING GIN (stem);
CREATE INDEX IF NOT EXISTS search_doc_exact ON search_doc USING GIN (exact);
CREATE INDEX IF NOT EXISTS search_doc_meta ON search_doc USING GIN (meta);
CREATE TABLE IF NOT EXISTS search_part (
    rowid BIGINT NOT NULL,
    part  INTEGER NOT NULL,
    exact TSVECTOR NOT NULL,
    PRIMARY KEY (rowid, part)
);
CREATE INDEX IF NOT EXISTS search_part_exact ON search_part USING GIN (exact);
CREATE OR REPLACE FUNCTION kamerwatch_near(v tsvector, words text[], reach integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH hit AS (SELECT u.lexeme, p FROM unnest(v) AS u, unnest(u.positions) AS p
                 WHERE u.lexeme = ANY(words))
    SELECT EXISTS (
        SELECT 1 FROM hit s
        WHERE (SELECT count(DISTINCT e.lexeme) FROM hit e
               WHERE e.p BETWEEN s.p AND s.p + reach + 1)
            = (SELECT count(DISTINCT w) FROM unnest(words) AS w))
$$;
CREATE TABLE IF NOT EXISTS search_soort (
    code  BIGINT PRIMARY KEY,
    soort TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS search_state (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
)
