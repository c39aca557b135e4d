-- New comments wait here to be added to their practice's search row. The
-- row is rewritten once for all the comments of a moment instead of once
-- per comment; a search first adds whatever waits, so results are never
-- behind what was posted.
CREATE TABLE search_pending_comments (
    comment_id  INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL
) STRICT;
CREATE INDEX search_pending_practice ON search_pending_comments(practice_id);
