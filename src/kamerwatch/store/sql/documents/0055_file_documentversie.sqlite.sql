-- Which DocumentVersie was the document's current one when a file version was downloaded
-- (issue #27): the version diffs number a document's versions as the feed does
-- (DocumentVersie.versienummer) when the feed has several, and find each one's text by it.
-- NULL: not a Document file, or downloaded before this migration.
ALTER TABLE resource_file ADD COLUMN documentversie_id TEXT;
