-- /toezeggingen counts the kept commitments and the late ones among them (status, deadline)
-- from this index alone (issue #28).
CREATE INDEX IF NOT EXISTS toezegging_overzicht_termijn ON toezegging_overzicht (status NULLS FIRST, termijn NULLS FIRST);
