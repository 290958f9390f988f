CREATE TABLE account (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- one-time tokens (login links): only the SHA-256 of the token is stored
CREATE TABLE auth_token (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    email      TEXT NOT NULL,
    ip         TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE INDEX auth_token_email ON auth_token (email, created_at);

CREATE INDEX auth_token_ip ON auth_token (ip, created_at);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX session_account ON session (account_id);

CREATE TABLE monitor (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    interval    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    last_run_at TEXT,
    hits        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX monitor_account ON monitor (account_id);

CREATE INDEX monitor_query ON monitor (kind, value);

-- a digest is recorded here (with its hits) before it is sent, sent_at marks delivery
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    message    BLOB NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at    TEXT
);

CREATE INDEX outbox_pending ON outbox (sent_at, id);

CREATE INDEX outbox_account ON outbox (account_id);

-- every item ever put in a digest of an account: an item is mailed at most once per user
CREATE TABLE sent_item (
    account_id INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    monitor_id INTEGER,
    outbox_id  INTEGER NOT NULL,
    PRIMARY KEY (account_id, item_key)
) WITHOUT ROWID;

CREATE INDEX document_skiptoken ON document (skiptoken);

CREATE INDEX documentactor_skiptoken ON documentactor (skiptoken);

CREATE INDEX activiteit_skiptoken ON activiteit (skiptoken);

CREATE INDEX toezegging_skiptoken ON toezegging (skiptoken);
