-- Questions a member sends to the people who ran a practice: emailed to
-- its contact point and its author, answered by the author, private
-- unless asker and author both agree to show them on the practice.
CREATE TABLE questions (
    id            INTEGER PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    asker_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    answer        TEXT NOT NULL DEFAULT '',
    answered_by   INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    answered_at   TEXT,
    asker_agrees  INTEGER NOT NULL DEFAULT 0,
    author_agrees INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    closed_at     TEXT,
    reminded_at   TEXT,
    hidden_at     TEXT,
    hidden_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX questions_practice ON questions(practice_id, id);
CREATE INDEX questions_asker ON questions(asker_id, id);
-- The reminder's search: open questions not yet reminded, oldest first.
CREATE INDEX questions_waiting ON questions(created_at) WHERE status = 'open' AND reminded_at IS NULL;
