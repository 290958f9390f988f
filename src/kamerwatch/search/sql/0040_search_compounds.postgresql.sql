-- compounds: the parts of a compound word ("stikstofuitstoot" → stikstof, uitstoot) go into
-- the `stem` tsvector with weight C (ranked below the words themselves); the vocabulary
-- they are known from. The index is emptied: the next `kamerwatch index` fills it again.
DELETE FROM search_part;

DELETE FROM search_doc;

DELETE FROM search_soort;

CREATE TABLE IF NOT EXISTS search_word (
    word TEXT PRIMARY KEY
);

INSERT INTO search_state (key, value) VALUES ('version', 1) ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1;
