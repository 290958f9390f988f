CREATE TABLE IF NOT EXISTS dd_day (
    day          TEXT PRIMARY KEY,
    fetched_at   TEXT NOT NULL,
    listing_hash TEXT NOT NULL,
    broadcasts   BIGINT NOT NULL,
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

CREATE INDEX IF NOT EXISTS dd_broadcast_day ON dd_broadcast (day NULLS FIRST, id NULLS FIRST);

CREATE TABLE IF NOT EXISTS dd_match (
    activiteit_id TEXT PRIMARY KEY,
    day           TEXT NOT NULL,
    broadcast_id  TEXT,
    video_url     TEXT,
    embed_url     TEXT,
    name          TEXT,
    score         DOUBLE PRECISION,
    ties          BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    made_from     TEXT NOT NULL,
    listing_hash  TEXT NOT NULL,
    matched_at    TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS dd_match_day ON dd_match (day NULLS FIRST);

CREATE TABLE IF NOT EXISTS op_publication (
    eid         TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    tries       BIGINT NOT NULL,
    first_try   TEXT NOT NULL,
    checked_at  TEXT NOT NULL,
    next_try    TEXT,
    reason      TEXT,
    kind        TEXT,
    xml         TEXT,
    vragen      BIGINT,
    antwoorden  BIGINT,
    vraagnummer TEXT,
    aanhangsel  TEXT,
    metadata_json TEXT
);

CREATE INDEX IF NOT EXISTS op_publication_next ON op_publication (state NULLS FIRST, next_try NULLS FIRST);

CREATE INDEX IF NOT EXISTS op_publication_vraagnummer ON op_publication (vraagnummer NULLS FIRST);

CREATE TABLE IF NOT EXISTS media_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     BIGINT NOT NULL,
    last_attempt TEXT NOT NULL
);
