-- The search index's versions and its check "did any conversion change?" (search/index.py)
-- read converted_at without the texts stored before it in the row (issue #22: an update
-- with nothing new costs what changed, not what is stored).
CREATE INDEX IF NOT EXISTS conversion_converted ON conversion (entity_id NULLS FIRST, converted_at NULLS FIRST) WHERE text IS NOT NULL;
