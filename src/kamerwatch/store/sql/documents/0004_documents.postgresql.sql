CREATE TABLE IF NOT EXISTS resource_file (
    entity_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    category     TEXT NOT NULL,
    path         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (entity_id, version)
);

CREATE TABLE IF NOT EXISTS resource_failure (
    entity_id    TEXT PRIMARY KEY,
    category     TEXT NOT NULL,
    url          TEXT NOT NULL,
    reason       TEXT NOT NULL,
    attempts     BIGINT NOT NULL,
    last_attempt TEXT NOT NULL,
    retry_after  TEXT
);

CREATE TABLE IF NOT EXISTS conversion (
    entity_id    TEXT PRIMARY KEY,
    category     TEXT NOT NULL,
    version      BIGINT NOT NULL,
    method       TEXT NOT NULL,
    text         TEXT,
    html         TEXT,
    failure      TEXT,
    pages        BIGINT,
    converted_at TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS conversion_failure ON conversion (failure NULLS FIRST) WHERE failure IS NOT NULL;
