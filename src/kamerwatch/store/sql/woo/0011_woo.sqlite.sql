CREATE TABLE IF NOT EXISTS woo_publication (
    id                    TEXT PRIMARY KEY,
    listing_id            TEXT NOT NULL,
    listed_mutatie        TEXT,
    listed_datum          TEXT,
    listing_json          TEXT NOT NULL,
    state                 TEXT NOT NULL,
    titel                 TEXT,
    omschrijvingen        TEXT,
    openbaarmakingsdatum  TEXT,
    mutatiedatumtijd      TEXT,
    versie                INTEGER,
    verantwoordelijke     TEXT,
    verantwoordelijke_id  TEXT,
    publisher             TEXT,
    publisher_id          TEXT,
    aanbieder             TEXT,
    documentsoorten       TEXT,
    informatiecategorieen TEXT,
    themas                TEXT,
    identifiers           TEXT,
    weblocatie            TEXT,
    parent_id             TEXT,
    tk_copy               INTEGER NOT NULL DEFAULT 0,
    detail_json           TEXT,
    first_seen            TEXT NOT NULL,
    fetched_at            TEXT,
    withdrawn_at          TEXT
);

CREATE INDEX IF NOT EXISTS woo_publication_datum ON woo_publication (openbaarmakingsdatum, id);

CREATE INDEX IF NOT EXISTS woo_publication_state ON woo_publication (state, listed_datum);

CREATE INDEX IF NOT EXISTS woo_publication_org ON woo_publication (verantwoordelijke);

CREATE INDEX IF NOT EXISTS woo_publication_parent ON woo_publication (parent_id);

CREATE TABLE IF NOT EXISTS woo_version (
    id               TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    mutatiedatumtijd TEXT,
    versie           INTEGER,
    detail_json      TEXT NOT NULL,
    fetched_at       TEXT NOT NULL,
    PRIMARY KEY (id, seq)
);

CREATE TABLE IF NOT EXISTS woo_relation (
    id     TEXT NOT NULL,
    target TEXT NOT NULL,
    role   TEXT NOT NULL,
    titel  TEXT,
    PRIMARY KEY (id, target, role)
);

CREATE INDEX IF NOT EXISTS woo_relation_target ON woo_relation (target);

CREATE TABLE IF NOT EXISTS woo_file (
    id           TEXT NOT NULL,
    n            INTEGER NOT NULL,
    entity_id    TEXT NOT NULL,
    url          TEXT,
    label        TEXT,
    bestandsnaam TEXT,
    mime_type    TEXT,
    grootte      INTEGER,
    paginas      INTEGER,
    hash         TEXT,
    gepubliceerd INTEGER NOT NULL,
    state        TEXT NOT NULL,
    have_hash    TEXT,
    reason       TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, n)
);

CREATE INDEX IF NOT EXISTS woo_file_state ON woo_file (state);

CREATE INDEX IF NOT EXISTS woo_file_entity ON woo_file (entity_id);

CREATE TABLE IF NOT EXISTS woo_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     INTEGER NOT NULL,
    last_attempt TEXT NOT NULL
);
