-- Comments on a practice a person follows gather into one notification
-- until they read it: a busy discussion is one entry saying how many
-- comments came, not a page of them. grouped counts the comments an entry
-- stands for (1 for every other kind).
--
-- The unread index now also leads to a person's unread entry of one kind
-- on one practice, which is what a new comment looks for; it still counts
-- their unread entries, now from the index alone (read_at, always null
-- there, makes it cover the queries that name it). Folding a comment into an entry changes no indexed
-- column, so it writes one page where a new row wrote one in each of the
-- table's six indexes.
ALTER TABLE notifications ADD COLUMN grouped INTEGER NOT NULL DEFAULT 1 CHECK (grouped >= 1);
DROP INDEX notifications_unread;
CREATE INDEX notifications_unread ON notifications(account_id, kind, practice_id, read_at) WHERE read_at IS NULL;
