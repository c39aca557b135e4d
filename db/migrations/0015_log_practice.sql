-- Each log entry about a practice or a comment names the practice, as it
-- is recorded: reading who may see an entry, or which countries it
-- belongs to, no longer looks into the comments table.
-- The log is append-only; the trigger that says so steps aside for this
-- one backfill of a new column, inside the migration's transaction.
ALTER TABLE moderation_log ADD COLUMN practice_id INTEGER;
DROP TRIGGER moderation_log_no_update;
UPDATE moderation_log SET practice_id = CASE target_type
    WHEN 'practice' THEN target_id
    WHEN 'comment' THEN (SELECT c.practice_id FROM comments c WHERE c.id = moderation_log.target_id) END;
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE INDEX moderation_log_practice ON moderation_log(practice_id) WHERE practice_id IS NOT NULL;
