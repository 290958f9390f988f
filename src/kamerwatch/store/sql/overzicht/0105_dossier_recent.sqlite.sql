-- The recently active kamerstukdossiers of /kamerstukdossiers (the dossiers of the newest
-- 5,000 documents, each with its newest document's date), computed with the other
-- overviews at the end of every sync or re-parse (issue #28: the page read 5,000 entries of
-- the document date index on each first render). Used only while meta 'overzicht' is current.
CREATE TABLE IF NOT EXISTS dossier_recent (
    kamerstukdossier_id TEXT PRIMARY KEY,
    laatste             TEXT NOT NULL
);

-- The overviews of an existing database lack this table's rows: mark them out of date, so
-- the pages answer live until the next sync recomputes them all.
DELETE FROM meta WHERE key = 'overzicht';
