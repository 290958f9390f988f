-- Identity ids are never reused; a secret per account that signs its links and dies with
-- it, login links of known browsers counted apart (issue #21.4, #21.6).
ALTER TABLE account ADD COLUMN secret TEXT NOT NULL DEFAULT '';

UPDATE account SET secret = replace(gen_random_uuid()::text, '-', '');

ALTER TABLE auth_token ADD COLUMN known BIGINT NOT NULL DEFAULT 0;
