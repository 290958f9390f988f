DELETE FROM search_doc;

DELETE FROM search_fts;

DELETE FROM search_soort;

INSERT INTO search_state (key, value) VALUES ('version', 1) ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1;
