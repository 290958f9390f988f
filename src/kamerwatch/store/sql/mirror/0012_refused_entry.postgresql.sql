CREATE TABLE IF NOT EXISTS refused_entry (
    skiptoken BIGINT PRIMARY KEY,
    category  TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    reason    TEXT NOT NULL,
    seen_at   TEXT NOT NULL
);
