-- A practice in the other working languages: a version has its own title,
-- summary and five sections. The live version is what readers of that
-- language see; a version added to or changed on a published practice
-- waits as 'pending' until a moderator approves it, like any edit.
CREATE TABLE practice_versions (
    practice_id    INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    lang           TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('live', 'pending', 'returned')),
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    context_raw    TEXT NOT NULL DEFAULT '',
    context_html   TEXT NOT NULL DEFAULT '',
    actions_raw    TEXT NOT NULL DEFAULT '',
    actions_html   TEXT NOT NULL DEFAULT '',
    results_raw    TEXT NOT NULL DEFAULT '',
    results_html   TEXT NOT NULL DEFAULT '',
    lessons_raw    TEXT NOT NULL DEFAULT '',
    lessons_html   TEXT NOT NULL DEFAULT '',
    adoption_raw   TEXT NOT NULL DEFAULT '',
    adoption_html  TEXT NOT NULL DEFAULT '',
    policy_version INTEGER NOT NULL,
    author_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    review_note    TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    -- live, and at most one waiting (pending or returned) version
    PRIMARY KEY (practice_id, lang, state)
) STRICT, WITHOUT ROWID;
CREATE INDEX practice_versions_waiting ON practice_versions(state) WHERE state = 'pending';

-- What lists and practice pages show depends on the live versions: their
-- changes count as changes to the lists and to the practice.
CREATE TRIGGER versions_practice_versions_insert AFTER INSERT ON practice_versions
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic IN ('lists', 'seq');
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER versions_practice_versions_update AFTER UPDATE ON practice_versions
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic IN ('lists', 'seq');
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER versions_practice_versions_delete AFTER DELETE ON practice_versions
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic IN ('lists', 'seq');
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
END;
