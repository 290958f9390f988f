CREATE TABLE IF NOT EXISTS dd_day (
    day          TEXT PRIMARY KEY,
    fetched_at   TEXT NOT NULL,
    listing_hash TEXT NOT NULL,
    broadcasts   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT
);

CREATE TABLE IF NOT EXISTS dd_broadcast (
    id            TEXT PRIMARY KEY,
    day           TEXT NOT NULL,
    name          TEXT,
    slug          TEXT NOT NULL,
    location_id   TEXT NOT NULL,
    location_name TEXT NOT NULL,
    category_id   TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    started_at    TEXT,
    ended_at      TEXT,
    raw_json      TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS dd_broadcast_day ON dd_broadcast (day, id);

CREATE TABLE IF NOT EXISTS dd_match (
    activiteit_id TEXT PRIMARY KEY,
    day           TEXT NOT NULL,
    broadcast_id  TEXT,
    video_url     TEXT,
    embed_url     TEXT,
    name          TEXT,
    score         REAL,
    ties          INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    made_from     TEXT NOT NULL,
    listing_hash  TEXT NOT NULL,
    matched_at    TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS dd_match_day ON dd_match (day);

CREATE TABLE IF NOT EXISTS op_publication (
    eid         TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    tries       INTEGER NOT NULL,
    first_try   TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    next_try    TEXT,
    reason      TEXT,
    kind        TEXT,
    xml         TEXT,
    vragen      INTEGER,
    antwoorden  INTEGER,
    vraagnummer TEXT,
    aanhangsel  TEXT,
    metadata_json TEXT
);

CREATE INDEX IF NOT EXISTS op_publication_next ON op_publication (state, next_try);

CREATE INDEX IF NOT EXISTS op_publication_vraagnummer ON op_publication (vraagnummer);

CREATE TABLE IF NOT EXISTS media_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     INTEGER NOT NULL,
    last_attempt TEXT NOT NULL
);
