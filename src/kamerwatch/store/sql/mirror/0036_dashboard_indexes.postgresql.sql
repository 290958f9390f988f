-- /commissies: each committee's latest activity from the index alone (was: every activity
-- of the committee read); /kamerstukdossiers: the newest documents' dossiers likewise
-- (issue #28: uncached pages).
CREATE INDEX IF NOT EXISTS activiteit_voortouw_datum ON activiteit (voortouwcommissie_id NULLS FIRST, datum NULLS FIRST);

CREATE INDEX IF NOT EXISTS document_datum_dossier ON document (datum NULLS FIRST, id NULLS FIRST, kamerstukdossier_id NULLS FIRST);
