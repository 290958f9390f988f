-- /commissies: each committee's latest activity from the index alone (was: every activity
-- of the committee read); /kamerstukdossiers: the newest documents' dossiers likewise
-- (issue #28: uncached pages).
CREATE INDEX IF NOT EXISTS activiteit_voortouw_datum ON activiteit (voortouwcommissie_id, datum);

CREATE INDEX IF NOT EXISTS document_datum_dossier ON document (datum, id, kamerstukdossier_id);
