"""Search: the query language, the full-text index (SQLite FTS5) and the search itself."""
