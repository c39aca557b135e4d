-- What happened to a person, for their notification centre: a reply to
-- their comment, a comment on a practice they wrote or follow, a decision
-- on their work, an answer to their appeal or flag. Written in the same
-- transaction as the event; the item is named by id and shown only if the
-- reader may still see it.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    practice_id INTEGER REFERENCES practices(id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    actor_id    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    read_at     TEXT
) STRICT;
CREATE INDEX notifications_account ON notifications(account_id, id);
CREATE INDEX notifications_unread ON notifications(account_id) WHERE read_at IS NULL;
