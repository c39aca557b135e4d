-- Each completed digest run (the server's schedule or the command from
-- cron), so that monitoring can tell when the digest last ran even when
-- it had nothing to send.
CREATE TABLE digest_runs (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,       -- ISO week covered, e.g. 2026-W48
    finished_at TEXT NOT NULL,
    recipients  INTEGER NOT NULL,
    queued      INTEGER NOT NULL,
    empty       INTEGER NOT NULL,
    failed      INTEGER NOT NULL
) STRICT;
