-- foreign_keys: off
-- The practices table is rebuilt with its columns in a new order: what
-- lists, searches, the digest and a practice's head read first, the long
-- rich-text sections last. A practice's row is 4-15 KB, more than a page:
-- SQLite keeps its start in the table's page and the rest in a chain of
-- overflow pages, and a column is read by walking the chain up to it.
-- Until now the sections came before the dates, the comment count and the
-- moderation columns, so every card in a list walked the whole chain.
--
-- The rebuild follows SQLite's procedure for changes ALTER TABLE cannot
-- make: with foreign keys off (the runner turns them off for this file
-- and checks them before it commits), a new table is filled, the old one
-- dropped and the new one renamed; its indexes and triggers are made
-- again as they were. Ids are kept, so every reference stays right.

CREATE TABLE practices_new (
    id                INTEGER PRIMARY KEY,
    author_id         INTEGER NOT NULL REFERENCES accounts(id),
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'submitted', 'published', 'returned', 'rejected', 'archived')),
    -- Who may see it: all member states, CRM or CSM members only, or
    -- everyone including anonymous visitors.
    scope             TEXT NOT NULL DEFAULT 'members' CHECK (scope IN ('members', 'crm', 'csm', 'public')),
    lang              TEXT NOT NULL,
    policy_version    INTEGER NOT NULL,
    period_start      TEXT NOT NULL,          -- YYYY-MM
    period_end        TEXT,                   -- YYYY-MM; NULL while ongoing
    revision          INTEGER NOT NULL DEFAULT 1,
    comment_count     INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    submitted_at      TEXT,
    published_at      TEXT,
    -- The revision a moderator last reviewed, to show what changed since.
    reviewed_revision INTEGER NOT NULL DEFAULT 0,
    hidden_at         TEXT,
    -- Why a practice is in the review queue again ('' the first time,
    -- 'rejected', 'hidden' or 'appeal').
    resubmitted_after TEXT NOT NULL DEFAULT '',
    institutions      TEXT NOT NULL DEFAULT '',
    partners          TEXT NOT NULL DEFAULT '',
    contact_name      TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    review_note       TEXT NOT NULL DEFAULT '',
    hidden_reason     TEXT NOT NULL DEFAULT '',
    -- The author's word to moderators.
    author_note       TEXT NOT NULL DEFAULT '',
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    -- Rich-text sections: what the person sent (raw) and what pages show
    -- (html, the sanitiser's output under policy_version).
    context_raw       TEXT NOT NULL DEFAULT '',
    context_html      TEXT NOT NULL DEFAULT '',
    actions_raw       TEXT NOT NULL DEFAULT '',
    actions_html      TEXT NOT NULL DEFAULT '',
    results_raw       TEXT NOT NULL DEFAULT '',
    results_html      TEXT NOT NULL DEFAULT '',
    lessons_raw       TEXT NOT NULL DEFAULT '',
    lessons_html      TEXT NOT NULL DEFAULT '',
    adoption_raw      TEXT NOT NULL DEFAULT '',
    adoption_html     TEXT NOT NULL DEFAULT ''
) STRICT;

INSERT INTO practices_new (id, author_id, status, scope, lang, policy_version, period_start, period_end, revision,
    comment_count, created_at, updated_at, submitted_at, published_at, reviewed_revision, hidden_at, resubmitted_after,
    institutions, partners, contact_name, contact_email, review_note, hidden_reason, author_note, title, summary,
    context_raw, context_html, actions_raw, actions_html, results_raw, results_html, lessons_raw, lessons_html,
    adoption_raw, adoption_html)
SELECT id, author_id, status, scope, lang, policy_version, period_start, period_end, revision,
    comment_count, created_at, updated_at, submitted_at, published_at, reviewed_revision, hidden_at, resubmitted_after,
    institutions, partners, contact_name, contact_email, review_note, hidden_reason, author_note, title, summary,
    context_raw, context_html, actions_raw, actions_html, results_raw, results_html, lessons_raw, lessons_html,
    adoption_raw, adoption_html
FROM practices ORDER BY id;

DROP TABLE practices;
ALTER TABLE practices_new RENAME TO practices;

CREATE INDEX practices_published ON practices(status, published_at DESC, id DESC);
CREATE INDEX practices_discussed ON practices(status, comment_count DESC, id DESC);
CREATE INDEX practices_author ON practices(author_id, updated_at DESC);
CREATE INDEX practices_queue ON practices(status, submitted_at, id) WHERE status = 'submitted';
CREATE INDEX practices_published_at ON practices(published_at) WHERE status = 'published';
CREATE INDEX practices_visibility ON practices(id, status, scope, hidden_at);
CREATE INDEX practices_hidden ON practices(hidden_at) WHERE hidden_at IS NOT NULL;

CREATE TRIGGER versions_practices_insert AFTER INSERT ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_delete AFTER DELETE ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_update AFTER UPDATE ON practices
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_discussed AFTER UPDATE OF comment_count ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'discussed';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_update_listed AFTER UPDATE OF author_id, status, scope, lang, title, summary, context_html, actions_html, results_html, lessons_html, adoption_html, period_start, period_end, institutions, partners, contact_name, contact_email, revision, created_at, updated_at, submitted_at, published_at, review_note, reviewed_revision, hidden_at, hidden_reason ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
