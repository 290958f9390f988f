-- The text of earlier versions of a converted file (issue #27, version diffs): when a
-- newer version of a document's file is converted, the text of the version it replaces is
-- kept here (the current one stays in conversion).
CREATE TABLE conversion_text (
    entity_id    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    converted_at TEXT NOT NULL,
    PRIMARY KEY (entity_id, version)
);
