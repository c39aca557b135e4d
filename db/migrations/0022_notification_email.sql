-- Email for notifications: each person chooses, per kind, to be emailed
-- at once, in the weekly digest, or never. Immediate emails are batched
-- (one per person per ten minutes, gathering what happened meanwhile),
-- and each carries a one-click unsubscribe for the kinds it tells of.

-- A choice that differs from the kind's default; no row: the default.
CREATE TABLE notification_prefs (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    delivery   TEXT NOT NULL CHECK (delivery IN ('now', 'digest', 'never')),
    PRIMARY KEY (account_id, kind)
) STRICT, WITHOUT ROWID;

-- One batched email: whom it went to, which kinds it told of, and the
-- hash of the token its unsubscribe links carry.
CREATE TABLE notification_emails (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kinds           TEXT NOT NULL,             -- comma-separated
    outbox_id       INTEGER REFERENCES outbox(id),
    unsub_token_hash BLOB NOT NULL UNIQUE,
    unsubscribed_at TEXT,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX notification_emails_account ON notification_emails(account_id, created_at);

-- detail refines a kind's sentence (an appeal upheld or reversed).
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';
-- mail_state is NULL until the mailer has decided: 'sent' in an
-- immediate email (email_id), 'digest' for the weekly digest, 'never'
-- by the person's choice, 'read' when they read it on the site first,
-- 'skipped' when no email could go (an old entry, an inactive account, an
-- undeliverable address).
ALTER TABLE notifications ADD COLUMN mail_state TEXT CHECK (mail_state IN ('sent', 'digest', 'never', 'read', 'skipped'));
ALTER TABLE notifications ADD COLUMN email_id INTEGER REFERENCES notification_emails(id) ON DELETE SET NULL;
-- What was written before email existed is not sent now.
UPDATE notifications SET mail_state = 'skipped';
CREATE INDEX notifications_unmailed ON notifications(account_id) WHERE mail_state IS NULL;
