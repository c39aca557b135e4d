-- Moderation and curation: review notes, hiding, featuring, flags,
-- appeals, and the append-only log of every moderation and
-- administration action.

ALTER TABLE practices ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
-- The revision a moderator last reviewed, to show what changed since.
ALTER TABLE practices ADD COLUMN reviewed_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN hidden_at TEXT;
ALTER TABLE practices ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX practices_queue ON practices(status, submitted_at, id) WHERE status = 'submitted';

ALTER TABLE comments ADD COLUMN hidden_at TEXT;
ALTER TABLE comments ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE accounts ADD COLUMN notify_flags INTEGER NOT NULL DEFAULT 0;

CREATE TABLE features (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    featured_by INTEGER NOT NULL REFERENCES accounts(id),
    featured_at TEXT NOT NULL
) STRICT;
CREATE INDEX features_position ON features(position);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('practice', 'comment')),
    target_id   INTEGER NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'off_topic', 'sensitive', 'offensive', 'other')),
    details     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES accounts(id),
    resolution  TEXT CHECK (resolution IN ('dismissed', 'actioned')),
    UNIQUE (target_type, target_id, account_id)
) STRICT;
CREATE INDEX flags_open ON flags(target_type, target_id) WHERE resolved_at IS NULL;

-- Moderators who asked to be emailed are told once per flagged item.
CREATE TABLE flag_notices (
    target_type TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (target_type, target_id)
) STRICT, WITHOUT ROWID;

-- The log. Rows are only ever added: triggers refuse UPDATE and DELETE.
CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER REFERENCES accounts(id),
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    country_code TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    -- A reason naming sensitive details is shown to moderators only.
    reason_private INTEGER NOT NULL DEFAULT 0,
    details      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX moderation_log_action ON moderation_log(action, id);
CREATE INDEX moderation_log_actor ON moderation_log(actor_id, id);
CREATE INDEX moderation_log_country ON moderation_log(country_code, id);
CREATE INDEX moderation_log_target ON moderation_log(target_type, target_id, id);

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;

CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    -- The logged action appealed against: one appeal per action.
    log_id      INTEGER NOT NULL UNIQUE REFERENCES moderation_log(id),
    target_type TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES accounts(id),
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES accounts(id),
    outcome     TEXT CHECK (outcome IN ('upheld', 'reversed')),
    response    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX appeals_open ON appeals(created_at) WHERE resolved_at IS NULL;
