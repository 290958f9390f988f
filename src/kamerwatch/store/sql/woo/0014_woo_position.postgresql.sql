ALTER TABLE woo_publication ADD COLUMN position BIGINT;

CREATE INDEX IF NOT EXISTS woo_publication_position ON woo_publication (position NULLS FIRST);
