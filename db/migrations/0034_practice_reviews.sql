-- Whether a published practice is still current: when its author last
-- confirmed it, when they were last asked, and since when the question
-- went unanswered past its grace period (then the practice is marked
-- "not reviewed since"). The token answers the question from the email.
CREATE TABLE practice_reviews (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    reviewed_at TEXT,
    asked_at    TEXT,
    token_hash  BLOB UNIQUE,
    stale_at    TEXT
) STRICT;
CREATE INDEX practice_reviews_stale ON practice_reviews(stale_at) WHERE stale_at IS NOT NULL;

-- A practice becoming stale, or current again, changes what its page and
-- the lists that show it say.
CREATE TRIGGER versions_practice_reviews_stale AFTER UPDATE OF stale_at ON practice_reviews
WHEN (old.stale_at IS NULL) IS NOT (new.stale_at IS NULL)
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || new.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
