-- Account and monitor ids never reused (AUTOINCREMENT), a secret per account that signs its
-- links and dies with it, login links of known browsers counted apart (issue #21.4, #21.6).
CREATE TABLE account_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    feed_generation INTEGER NOT NULL DEFAULT 0,
    secret          TEXT NOT NULL DEFAULT ''
);

INSERT INTO account_new (id, email, created_at, feed_generation, secret)
    SELECT id, email, created_at, feed_generation, lower(hex(randomblob(16))) FROM account;

DROP TABLE account;

ALTER TABLE account_new RENAME TO account;

CREATE TABLE monitor_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    interval    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    last_run_at TEXT,
    hits        INTEGER NOT NULL DEFAULT 0
);

INSERT INTO monitor_new (id, account_id, kind, value, interval, created_at, cursor, last_run_at, hits)
    SELECT id, account_id, kind, value, interval, created_at, cursor, last_run_at, hits FROM monitor;

DROP TABLE monitor;

ALTER TABLE monitor_new RENAME TO monitor;

CREATE INDEX monitor_account ON monitor (account_id);

CREATE INDEX monitor_query ON monitor (kind, value);

ALTER TABLE auth_token ADD COLUMN known INTEGER NOT NULL DEFAULT 0;
