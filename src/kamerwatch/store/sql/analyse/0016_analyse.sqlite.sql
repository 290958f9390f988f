-- Precomputed inputs of the analysis pages (/analyse/stemmingen, /fractie/{afkorting},
-- /analyse/ministeries), rebuilt from the mirror by `kamerwatch analyse` (a stage of
-- `update`) when the cursors of the categories they read have moved, and once a day.

-- One row per decided vote, numbered (volgorde) in (datum, besluit_id) order: how each
-- fractie voted (JSON object afkorting -> position), its seats, the fracties that stood alone.
CREATE TABLE IF NOT EXISTS analyse_stemming (
    besluit_id   TEXT PRIMARY KEY,
    volgorde     INTEGER NOT NULL UNIQUE,
    datum        TEXT NOT NULL,
    hoofdelijk   INTEGER NOT NULL,
    aangenomen   INTEGER,
    uitslag      TEXT,
    zaak_nummer  TEXT,
    zaak_soort   TEXT,
    onderwerp    TEXT,
    dossier      TEXT,
    commissie_id TEXT,
    commissie    TEXT,
    posities     TEXT NOT NULL,
    zetels       TEXT NOT NULL,
    alleen       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analyse_stemming_datum ON analyse_stemming (datum, volgorde);
CREATE INDEX IF NOT EXISTS analyse_stemming_commissie ON analyse_stemming (commissie_id, volgorde);
CREATE INDEX IF NOT EXISTS analyse_stemming_dossier ON analyse_stemming (dossier, volgorde);

-- Per fractie (and for the outcome and the coalition: names starting with '*') the set of
-- votes (bit volgorde) in which it voted Voor, and in which it voted Tegen.
CREATE TABLE IF NOT EXISTS analyse_bits (
    naam    TEXT NOT NULL,
    positie TEXT NOT NULL,
    bits    BLOB NOT NULL,
    PRIMARY KEY (naam, positie)
);

-- One row per member and roll-call vote in which the member voted against the majority of
-- the other members of their fractie.
CREATE TABLE IF NOT EXISTS analyse_afwijking (
    persoon_id      TEXT NOT NULL,
    besluit_id      TEXT NOT NULL,
    datum           TEXT NOT NULL,
    stem            TEXT NOT NULL,
    fractie         TEXT NOT NULL,
    fractie_positie TEXT NOT NULL,
    vergissing      INTEGER NOT NULL,
    PRIMARY KEY (persoon_id, besluit_id)
);

-- One row per motie or amendement: who submitted it and the official outcome of its vote.
CREATE TABLE IF NOT EXISTS analyse_indiening (
    zaak_id     TEXT PRIMARY KEY,
    nummer      TEXT,
    soort       TEXT NOT NULL,
    onderwerp   TEXT,
    datum       TEXT,
    persoon_id  TEXT,
    indiener    TEXT,
    fractie     TEXT,
    uitslag     TEXT,
    aangenomen  INTEGER
);
CREATE INDEX IF NOT EXISTS analyse_indiening_persoon ON analyse_indiening (persoon_id);
CREATE INDEX IF NOT EXISTS analyse_indiening_fractie ON analyse_indiening (fractie, datum);

-- One row per written question and bewindspersoon it is addressed to.
CREATE TABLE IF NOT EXISTS analyse_vraag (
    zaak_id        TEXT NOT NULL,
    pos            INTEGER NOT NULL,
    zaak_nummer    TEXT,
    onderwerp      TEXT,
    gesteld        TEXT NOT NULL,
    beantwoord     TEXT,
    uitstel        INTEGER NOT NULL,
    dagen          INTEGER NOT NULL,
    ministerie     TEXT NOT NULL,
    bewindspersoon TEXT NOT NULL,
    PRIMARY KEY (zaak_id, pos)
);
CREATE INDEX IF NOT EXISTS analyse_vraag_ministerie ON analyse_vraag (ministerie, gesteld);
CREATE INDEX IF NOT EXISTS analyse_vraag_bewindspersoon ON analyse_vraag (bewindspersoon, gesteld);

-- One row per toezegging with its class on the day of the computation.
CREATE TABLE IF NOT EXISTS analyse_toezegging (
    id             TEXT PRIMARY KEY,
    nummer         TEXT,
    tekst          TEXT,
    status         TEXT,
    klasse         TEXT NOT NULL,
    ministerie     TEXT NOT NULL,
    bewindspersoon TEXT NOT NULL,
    aanmaakdatum   TEXT,
    datum_nakoming TEXT,
    nagekomen      TEXT,
    dagen          INTEGER
);
CREATE INDEX IF NOT EXISTS analyse_toezegging_ministerie ON analyse_toezegging (ministerie, aanmaakdatum);
CREATE INDEX IF NOT EXISTS analyse_toezegging_bewindspersoon ON analyse_toezegging (bewindspersoon, aanmaakdatum);
CREATE INDEX IF NOT EXISTS analyse_toezegging_nakoming ON analyse_toezegging (datum_nakoming);

-- The figures of /analyse/ministeries per ministry or bewindspersoon (and quarter; '' = all),
-- as a JSON object.
CREATE TABLE IF NOT EXISTS analyse_groep (
    soort   TEXT NOT NULL,
    groep   TEXT NOT NULL,
    naam    TEXT NOT NULL,
    kwartaal TEXT NOT NULL,
    cijfers TEXT NOT NULL,
    PRIMARY KEY (soort, groep, naam, kwartaal)
);

-- The versions of the inputs the tables were computed from (the category cursors, the day).
CREATE TABLE IF NOT EXISTS analyse_state (
    name   TEXT PRIMARY KEY,
    versie TEXT NOT NULL
);
