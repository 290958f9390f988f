-- A category added after the first release: its table comes from a migration of its own.
CREATE TABLE nieuwecategorie (
    id         TEXT PRIMARY KEY,
    skiptoken  INTEGER NOT NULL,
    updated    TEXT,
    bijgewerkt TEXT,
    naam       TEXT,
    extra      TEXT
);
CREATE INDEX nieuwecategorie_naam ON nieuwecategorie (naam);
