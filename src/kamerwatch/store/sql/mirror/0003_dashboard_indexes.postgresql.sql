CREATE INDEX IF NOT EXISTS zaak_soort_afgedaan ON zaak (soort NULLS FIRST, afgedaan NULLS FIRST);

CREATE INDEX IF NOT EXISTS toezegging_status ON toezegging (status NULLS FIRST);

CREATE INDEX IF NOT EXISTS persoongeschenk_datum ON persoongeschenk (datum NULLS FIRST);
