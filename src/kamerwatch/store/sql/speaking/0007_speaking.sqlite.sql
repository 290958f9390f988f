CREATE TABLE spreektijd_bron (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    vergadering_id TEXT NOT NULL UNIQUE,
    verslag_id     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    failure        TEXT
);

CREATE TABLE spreektijd (
    vergadering_id TEXT NOT NULL,
    spreker_id     TEXT NOT NULL,
    persoon_id     TEXT,
    naam           TEXT NOT NULL,
    fractie        TEXT,
    soort          TEXT,
    woordvoerder   INTEGER NOT NULL,
    interrumpant   INTEGER NOT NULL,
    voorzitter     INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    PRIMARY KEY (vergadering_id, spreker_id)
) WITHOUT ROWID;

CREATE INDEX spreektijd_persoon ON spreektijd (persoon_id, seq);
