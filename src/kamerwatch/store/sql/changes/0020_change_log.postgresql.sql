-- The change feed (/api/wijzigingen, issue #27): one row per change of a mirrored entity,
-- a document's conversion or a Woo publication, numbered in commit order. The numbers come
-- from the one row of change_counter (made by the first change), updated in the writing
-- transaction: on PostgreSQL its
-- row lock makes a second writer wait until the first commits, so a reader that has seen
-- number n never finds a smaller one committed later.
CREATE TABLE change_counter (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);

CREATE TABLE change_log (
    seq       BIGINT PRIMARY KEY,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    what      TEXT NOT NULL,
    at        TEXT NOT NULL
);
