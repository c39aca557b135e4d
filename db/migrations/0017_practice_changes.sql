-- A change to a published practice waits for review: everyone reads the
-- approved version until a moderator approves the change. One change per
-- practice: the author keeps editing it until it is decided.
CREATE TABLE practice_changes (
    practice_id  INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    editor_id    INTEGER NOT NULL REFERENCES accounts(id),
    form         TEXT NOT NULL,   -- the form as last saved, JSON
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'returned')),
    author_note  TEXT NOT NULL DEFAULT '',   -- the author's word to moderators
    review_note  TEXT NOT NULL DEFAULT '',   -- a moderator's note when sent back
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    submitted_at TEXT NOT NULL
) STRICT;
CREATE INDEX practice_changes_queue ON practice_changes(status, submitted_at);

-- Why a practice is in the review queue again ('' the first time,
-- 'rejected', 'hidden' or 'appeal'), and the author's word to moderators.
ALTER TABLE practices ADD COLUMN resubmitted_after TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN author_note TEXT NOT NULL DEFAULT '';

-- The moderators' list of hidden items, newest first.
CREATE INDEX practices_hidden ON practices(hidden_at) WHERE hidden_at IS NOT NULL;
CREATE INDEX comments_hidden ON comments(hidden_at) WHERE hidden_at IS NOT NULL;
