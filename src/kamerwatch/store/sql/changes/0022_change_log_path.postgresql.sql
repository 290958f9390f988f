-- The change feed: the JSON twin of the changed entity's page (relative), written with the
-- change (NULL: no page of its own, or deleted), so a page of the feed is one range read.
ALTER TABLE change_log ADD COLUMN path TEXT;
