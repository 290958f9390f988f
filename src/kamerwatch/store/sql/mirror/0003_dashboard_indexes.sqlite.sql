CREATE INDEX IF NOT EXISTS zaak_soort_afgedaan ON zaak (soort, afgedaan);

CREATE INDEX IF NOT EXISTS toezegging_status ON toezegging (status);

CREATE INDEX IF NOT EXISTS persoongeschenk_datum ON persoongeschenk (datum);
