-- The search index's check "did any conversion change?" (search/index.py) reads count and
-- newest converted_at from this index, not from rows whose texts come before it (issue #22:
-- an update with nothing new costs what changed, not what is stored).
CREATE INDEX IF NOT EXISTS conversion_converted ON conversion (converted_at NULLS FIRST);
