-- The commitments as the /toezeggingen dashboard groups them,
-- one narrow row each in list order (volgorde), computed from the mirror at the end of
-- every sync or re-parse (issue #28: a first render reads these instead of joining the
-- commitments with their recipients, activities and committees). The mirror position it
-- was computed from is meta 'overzicht'; when it differs from the newest raw-log
-- entry the page computes the same rows live. termijn: the deadline's day (ISO), if valid.
CREATE TABLE IF NOT EXISTS toezegging_overzicht (
    id             TEXT PRIMARY KEY,
    volgorde       BIGINT NOT NULL,
    status         TEXT NOT NULL,
    fractie        TEXT,
    commissie_id   TEXT,
    commissie      TEXT,
    ministerie     TEXT,
    toezegger      TEXT,
    termijn        TEXT
);
CREATE INDEX IF NOT EXISTS toezegging_overzicht_status ON toezegging_overzicht (status NULLS FIRST, volgorde NULLS FIRST, id NULLS FIRST);

-- The dashboard's counts: per status (lower-cased) and group (fractie, commissie,
-- ministerie, toezegger) how many commitments each name has.
CREATE TABLE IF NOT EXISTS toezegging_telling (
    status TEXT NOT NULL,
    groep  TEXT NOT NULL,
    naam   TEXT NOT NULL,
    aantal BIGINT NOT NULL,
    PRIMARY KEY (groep, status, naam)
);

-- The open written questions as /open-vragen lists them (oldest first: volgorde), computed
-- with the commitments: dag is gestart_op's day (ISO) if valid; indieners and gericht are
-- JSON lists of [naam, fractie] and [naam, functie].
CREATE TABLE IF NOT EXISTS vraag_overzicht (
    zaak_id         TEXT PRIMARY KEY,
    volgorde        BIGINT NOT NULL,
    nummer          TEXT,
    onderwerp       TEXT,
    gestart_op      TEXT,
    dag             TEXT,
    uitstel         BIGINT NOT NULL,
    document_nummer TEXT,
    indieners       TEXT NOT NULL,
    gericht         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vraag_overzicht_volgorde ON vraag_overzicht (volgorde NULLS FIRST);

-- Per open question the fracties of its submitters and the ministries it was addressed to.
CREATE TABLE IF NOT EXISTS vraag_groep (
    groep   TEXT NOT NULL,
    naam    TEXT NOT NULL,
    zaak_id TEXT NOT NULL,
    PRIMARY KEY (groep, naam, zaak_id)
);
