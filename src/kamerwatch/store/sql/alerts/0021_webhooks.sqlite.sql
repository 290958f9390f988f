-- Webhooks (issue #27): deliveries of an account's (or one monitor's) new items to a URL,
-- besides or instead of mail, signed with the webhook's own secret; a delivery per digest,
-- retried with exponential backoff for a day, its id sent along for de-duplication.
CREATE TABLE webhook (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    monitor_id INTEGER,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    instead    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE INDEX webhook_account ON webhook (account_id, id);

CREATE TABLE webhook_delivery (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  TEXT NOT NULL UNIQUE,
    webhook_id   INTEGER NOT NULL,
    account_id   INTEGER NOT NULL,
    items        INTEGER NOT NULL,
    payload      BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    next_at      TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_status  INTEGER,
    last_error   TEXT,
    delivered_at TEXT,
    given_up_at  TEXT
);

CREATE INDEX webhook_delivery_pending ON webhook_delivery (delivered_at, given_up_at, next_at, id);

CREATE INDEX webhook_delivery_account ON webhook_delivery (account_id, id);
