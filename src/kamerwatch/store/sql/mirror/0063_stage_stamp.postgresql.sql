-- What a stage's inputs looked like when it last found nothing left to do (store/stamps.py):
-- `update` skips fetch-documents and convert while they stay the same (issue #22).
CREATE TABLE IF NOT EXISTS stage_stamp (
    stage TEXT PRIMARY KEY,
    stamp TEXT NOT NULL
);
