-- Deleting a comment (with its practice, a test run's comments, an
-- account's erasure) deletes the notifications about it, and deleting a
-- practice those about the practice: without an index SQLite found them by
-- reading every notification, once per comment. Removing the 18,000
-- comments a benchmark run posts, with half a million notifications
-- stored, took longer than the run.
CREATE INDEX notifications_comment ON notifications(comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX notifications_practice ON notifications(practice_id) WHERE practice_id IS NOT NULL;
