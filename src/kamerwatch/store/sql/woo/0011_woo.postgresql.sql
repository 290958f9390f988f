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
    versie                BIGINT,
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
    tk_copy               BIGINT NOT NULL DEFAULT 0,
    detail_json           TEXT,
    first_seen            TEXT NOT NULL,
    fetched_at            TEXT,
    withdrawn_at          TEXT
);

CREATE INDEX IF NOT EXISTS woo_publication_datum ON woo_publication (openbaarmakingsdatum NULLS FIRST, id NULLS FIRST);

CREATE INDEX IF NOT EXISTS woo_publication_state ON woo_publication (state NULLS FIRST, listed_datum NULLS FIRST);

CREATE INDEX IF NOT EXISTS woo_publication_org ON woo_publication (verantwoordelijke NULLS FIRST);

CREATE INDEX IF NOT EXISTS woo_publication_parent ON woo_publication (parent_id NULLS FIRST);

CREATE TABLE IF NOT EXISTS woo_version (
    id               TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    mutatiedatumtijd TEXT,
    versie           BIGINT,
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

CREATE INDEX IF NOT EXISTS woo_relation_target ON woo_relation (target NULLS FIRST);

CREATE TABLE IF NOT EXISTS woo_file (
    id           TEXT NOT NULL,
    n            BIGINT NOT NULL,
    entity_id    TEXT NOT NULL,
    url          TEXT,
    label        TEXT,
    bestandsnaam TEXT,
    mime_type    TEXT,
    grootte      BIGINT,
    paginas      BIGINT,
    hash         TEXT,
    gepubliceerd BIGINT NOT NULL,
    state        TEXT NOT NULL,
    have_hash    TEXT,
    reason       TEXT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (id, n)
);

CREATE INDEX IF NOT EXISTS woo_file_state ON woo_file (state NULLS FIRST);

CREATE INDEX IF NOT EXISTS woo_file_entity ON woo_file (entity_id NULLS FIRST);

CREATE TABLE IF NOT EXISTS woo_problem (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    raw          TEXT,
    attempts     BIGINT NOT NULL,
    last_attempt TEXT NOT NULL
);
