-- A suspension has a reason (for staff and the person) and may have an
-- end, after which the account comes back by itself.
ALTER TABLE accounts ADD COLUMN suspended_until TEXT;
ALTER TABLE accounts ADD COLUMN suspend_reason TEXT NOT NULL DEFAULT '';

-- Why someone else ended a browser's session (a role change, a
-- suspension), kept for that browser's next visit, which is told.
CREATE TABLE session_endings (
    token_hash BLOB PRIMARY KEY,
    reason     TEXT NOT NULL,
    ended_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX session_endings_at ON session_endings(ended_at);

-- An administrator's change of an account's address waits for the new
-- address to confirm it.
CREATE TABLE email_changes (
    token_hash   BLOB PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    new_email    TEXT NOT NULL COLLATE NOCASE,
    requested_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX email_changes_account ON email_changes(account_id);
