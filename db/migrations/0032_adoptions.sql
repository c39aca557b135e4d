-- Which member states took up a practice: one record per practice and
-- country, its stage over time (each update a dated entry), what was
-- changed and what came of it. Moderators may hide one, as a comment.
CREATE TABLE adoptions (
    id            INTEGER PRIMARY KEY,
    practice_id   INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    country_code  TEXT NOT NULL REFERENCES countries(code),
    stage         TEXT NOT NULL CHECK (stage IN ('exploring', 'piloting', 'adopted', 'adapted', 'declined')),
    institution   TEXT NOT NULL,
    started       TEXT NOT NULL DEFAULT '' CHECK (started = '' OR started GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    changes_html  TEXT NOT NULL DEFAULT '',
    outcome_html  TEXT NOT NULL DEFAULT '',
    figures       TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_by    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at    TEXT NOT NULL,
    hidden_at     TEXT,
    hidden_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (practice_id, country_code)
) STRICT;
CREATE INDEX adoptions_country ON adoptions(country_code, practice_id);

CREATE TABLE adoption_entries (
    id          INTEGER PRIMARY KEY,
    adoption_id INTEGER NOT NULL REFERENCES adoptions(id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    note_html   TEXT NOT NULL DEFAULT '',
    account_id  INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX adoption_entries_adoption ON adoption_entries(adoption_id, id);

-- The list's "taken up" filter reads these records: a record that starts
-- or stops counting changes what lists hold.
CREATE TRIGGER versions_adoptions_insert AFTER INSERT ON adoptions
WHEN new.stage IN ('adopted', 'adapted') AND new.hidden_at IS NULL
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_adoptions_update AFTER UPDATE OF stage, hidden_at ON adoptions
WHEN (old.stage IN ('adopted', 'adapted') AND old.hidden_at IS NULL) IS NOT (new.stage IN ('adopted', 'adapted') AND new.hidden_at IS NULL)
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_adoptions_delete AFTER DELETE ON adoptions
WHEN old.stage IN ('adopted', 'adapted') AND old.hidden_at IS NULL
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
