-- Agenda alerts (issue #27): the last seen date and status of every activity, so that the
-- alerts run can tell a debate moved or cancelled; each such change once, at the feed
-- position of the activity entry that made it.
CREATE TABLE activiteit_state (
    activiteit_id TEXT PRIMARY KEY,
    wanneer       TEXT NOT NULL,
    status        TEXT NOT NULL
);

CREATE TABLE activiteit_change (
    activiteit_id TEXT NOT NULL,
    skiptoken     INTEGER NOT NULL,
    old_wanneer   TEXT NOT NULL,
    new_wanneer   TEXT NOT NULL,
    old_status    TEXT NOT NULL,
    new_status    TEXT NOT NULL,
    PRIMARY KEY (activiteit_id, skiptoken)
);

CREATE INDEX activiteit_change_skiptoken ON activiteit_change (skiptoken);
