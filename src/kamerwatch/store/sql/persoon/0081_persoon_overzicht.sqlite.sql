-- The persoon page's figures that cover all of a member's zaken, activities and votes
-- (issue #28: a first render reads these instead of sorting and counting every row of the
-- member), computed from the mirror at the end of every sync or re-parse together with the
-- other overviews (meta 'overzicht'; when behind the raw log the page computes them live).
-- zaken: submitted zaken (Indiener); activiteiten: activities taken part in; medeondertekend,
-- schriftelijke_vragen, hoofdelijke_stemmingen and medeondertekenaars (JSON, the 15 most
-- frequent: [naam, fractie, persoon nummer, keer]) as on the member's record.
CREATE TABLE IF NOT EXISTS persoon_overzicht (
    persoon_id             TEXT PRIMARY KEY,
    zaken                  INTEGER NOT NULL,
    activiteiten           INTEGER NOT NULL,
    medeondertekend        INTEGER NOT NULL,
    schriftelijke_vragen   INTEGER NOT NULL,
    hoofdelijke_stemmingen INTEGER NOT NULL,
    medeondertekenaars     TEXT NOT NULL
);

-- The page's lists, in page order (volgorde): 'zaak' the newest submitted zaken shown,
-- 'vraag' every open written question submitted, 'activiteit' the newest activities shown.
CREATE TABLE IF NOT EXISTS persoon_lijst (
    persoon_id TEXT NOT NULL,
    lijst      TEXT NOT NULL,
    volgorde   INTEGER NOT NULL,
    item_id    TEXT NOT NULL,
    PRIMARY KEY (persoon_id, lijst, volgorde)
);

-- The overviews are computed again by the next sync; until then the pages compute live.
DELETE FROM meta WHERE key = 'overzicht';
