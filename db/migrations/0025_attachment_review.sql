-- A file added to or removed from a published practice waits for a
-- moderator, like any change to it: 'added' is not shown to readers yet,
-- 'removed' still is. Drafts' files change at once ('live').
ALTER TABLE practice_attachments ADD COLUMN state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'added', 'removed'));
CREATE INDEX practice_attachments_waiting ON practice_attachments(state) WHERE state <> 'live';
