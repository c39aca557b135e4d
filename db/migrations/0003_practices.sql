-- Practices, their countries and tags, every saved revision, comments and
-- follows.

CREATE TABLE practices (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES accounts(id),
    status         TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'submitted', 'published', 'returned', 'rejected', 'archived')),
    -- Who may see it: all member states, CRM or CSM members only, or
    -- everyone including anonymous visitors.
    scope          TEXT NOT NULL DEFAULT 'members' CHECK (scope IN ('members', 'crm', 'csm', 'public')),
    lang           TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    -- Rich-text sections: what the person sent (raw) and what pages show
    -- (html, the sanitiser's output under policy_version).
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
    period_start   TEXT NOT NULL,          -- YYYY-MM
    period_end     TEXT,                   -- YYYY-MM; NULL while ongoing
    institutions   TEXT NOT NULL DEFAULT '',
    partners       TEXT NOT NULL DEFAULT '',
    contact_name   TEXT NOT NULL DEFAULT '',
    contact_email  TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL DEFAULT 1,
    comment_count  INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    submitted_at   TEXT,
    published_at   TEXT
) STRICT;
-- The list pages: published practices, newest or most discussed first.
CREATE INDEX practices_published ON practices(status, published_at DESC, id DESC);
CREATE INDEX practices_discussed ON practices(status, comment_count DESC, id DESC);
CREATE INDEX practices_author ON practices(author_id, updated_at DESC);

CREATE TABLE practice_countries (
    practice_id  INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    country_code TEXT NOT NULL REFERENCES countries(code),
    PRIMARY KEY (practice_id, country_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX practice_countries_country ON practice_countries(country_code, practice_id);

CREATE TABLE practice_tags (
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (practice_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX practice_tags_tag ON practice_tags(tag_id, practice_id);

-- Every save keeps the whole practice as it then was (JSON), so readers
-- can compare any two versions.
CREATE TABLE practice_revisions (
    id          INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    editor_id   INTEGER NOT NULL REFERENCES accounts(id),
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL,
    snapshot    TEXT NOT NULL,
    UNIQUE (practice_id, number)
) STRICT;

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    practice_id    INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES accounts(id),
    parent_id      INTEGER REFERENCES comments(id),
    body_raw       TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    edited_at      TEXT,
    deleted_at     TEXT
) STRICT;
CREATE INDEX comments_practice ON comments(practice_id, created_at, id);
CREATE INDEX comments_parent ON comments(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE practice_follows (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, practice_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX practice_follows_practice ON practice_follows(practice_id, account_id);
