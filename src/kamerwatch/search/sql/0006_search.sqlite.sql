CREATE TABLE IF NOT EXISTS search_doc (
    rowid     INTEGER PRIMARY KEY,  -- row_key(): day, kind, soort, n
    kind      TEXT NOT NULL,      -- document / verslag / activiteit / toezegging / geschenk
    ref       TEXT NOT NULL,      -- entity id
    version   TEXT NOT NULL,
    nummer    TEXT,               -- the number of its page (vergadering id, persoon nummer)
    titel     TEXT,
    soort     TEXT,
    datum     TEXT,
    dossier   TEXT,               -- "36800-XVI" or "36800"
    fracties  TEXT,               -- " VVD CDA " (spaces around each)
    bijgewerkt TEXT,              -- when the source last changed upstream
    UNIQUE (kind, ref)
);

CREATE TABLE IF NOT EXISTS search_soort (
    code  INTEGER PRIMARY KEY,    -- 1..511 (0: no soort)
    soort TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS search_state (
    key   TEXT PRIMARY KEY,       -- 'version': bumped by every index transaction
    value INTEGER NOT NULL
);

CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    body, stem, meta, tokenize = 'unicode61 remove_diacritics 2'
);
