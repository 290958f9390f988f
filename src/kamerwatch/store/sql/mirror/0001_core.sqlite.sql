CREATE TABLE sync_cursor (
    category   TEXT PRIMARY KEY,
    skiptoken  INTEGER NOT NULL,
    entries    INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- Append-only log of every feed entry as received (zlib-compressed <entry> XML).
CREATE TABLE raw_entry (
    skiptoken INTEGER PRIMARY KEY,
    category  TEXT NOT NULL,
    id        TEXT NOT NULL,
    updated   TEXT,
    enclosure TEXT,
    xml       BLOB NOT NULL
);

CREATE INDEX raw_entry_category ON raw_entry (category, skiptoken);

CREATE TABLE sync_run (
    id          INTEGER PRIMARY KEY,
    stage       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,
    entries     INTEGER NOT NULL DEFAULT 0,
    message     TEXT
);

CREATE TABLE unknown_element (
    category   TEXT NOT NULL,
    name       TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    example_id TEXT,
    PRIMARY KEY (category, name)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
