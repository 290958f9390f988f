-- The search index's versions of documents and its check "did an official publication's
-- text change?" (search/index.py) without reading the texts (issue #22).
CREATE INDEX IF NOT EXISTS op_publication_checked ON op_publication (eid, checked_at) WHERE text IS NOT NULL AND text <> '';
