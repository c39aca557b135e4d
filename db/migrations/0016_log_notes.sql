-- A decision's note is for its author: the author and staff read it, the
-- log's readers do not. What the log shows everyone is a separate,
-- optional public reason. The log also keeps the title of what was
-- decided on, as it was then: a later edit does not rewrite history.
ALTER TABLE moderation_log ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_log ADD COLUMN title TEXT NOT NULL DEFAULT '';

-- The backfill steps around the append-only trigger inside this
-- migration's transaction. Notes of past decisions were written "for the
-- author": they become private, whatever the box said. A feature's note
-- was always the public "why". Titles are the best known: today's.
DROP TRIGGER moderation_log_no_update;
UPDATE moderation_log SET note = reason, reason = ''
    WHERE reason_private = 1 OR action IN ('practice.send_back', 'practice.reject', 'practice.hide', 'comment.hide',
        'appeal.uphold', 'appeal.reverse', 'flags.dismiss');
UPDATE moderation_log SET title = coalesce((SELECT p.title FROM practices p WHERE p.id = moderation_log.practice_id), '')
    WHERE practice_id IS NOT NULL;
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
ALTER TABLE moderation_log DROP COLUMN reason_private;
