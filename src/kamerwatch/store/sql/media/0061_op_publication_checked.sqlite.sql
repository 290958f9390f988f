-- The search index's check "did an official publication change?" (search/index.py) reads
-- count and newest checked_at from this index, without the texts (issue #22).
CREATE INDEX IF NOT EXISTS op_publication_checked ON op_publication (checked_at);
