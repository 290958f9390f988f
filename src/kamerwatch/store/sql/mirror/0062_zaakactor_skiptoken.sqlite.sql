-- The search index's check "did a zaak's actors change?" (search/index.py, issue #22).
CREATE INDEX IF NOT EXISTS zaakactor_skiptoken ON zaakactor (skiptoken);
