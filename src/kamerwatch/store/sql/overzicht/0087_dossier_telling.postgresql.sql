-- The number of documents per kamerstukdossier, computed with the other overviews at the end
-- of every sync or re-parse (issue #28: /kamerstukdossiers counted every document of the
-- listed dossiers on each first render). Used only while meta 'overzicht' is current.
CREATE TABLE IF NOT EXISTS dossier_telling (
    kamerstukdossier_id TEXT PRIMARY KEY,
    aantal              BIGINT NOT NULL
);

-- The overviews of an existing database lack this table's rows: mark them out of date, so
-- the pages answer live until the next sync recomputes them all.
DELETE FROM meta WHERE key = 'overzicht';
