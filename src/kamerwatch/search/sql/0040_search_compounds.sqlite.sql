-- compounds: the parts of a compound word ("stikstofuitstoot" → stikstof, uitstoot) as
-- stems in a fourth, lower-weighted column; the vocabulary they are known from. The index
-- is emptied: the next `kamerwatch index` fills it again with the parts.
DROP TABLE IF EXISTS search_fts;

DELETE FROM search_doc;

DELETE FROM search_soort;

CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    body, stem, meta, parts, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE IF NOT EXISTS search_word (
    word TEXT PRIMARY KEY         -- a folded word of 4-40 letters that occurs in the corpus
) WITHOUT ROWID;

INSERT INTO search_state (key, value) VALUES ('version', 1) ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1;
