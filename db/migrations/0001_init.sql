-- Reference data: member states, the regional processes and the taxonomy of
-- what their meetings agreed. Names and texts live in *_i18n tables, one row
-- per UI language, so a sixth language is rows, not columns.

CREATE TABLE countries (
    code         TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
    default_lang TEXT NOT NULL
) STRICT;

CREATE TABLE country_names (
    country_code TEXT NOT NULL REFERENCES countries(code) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (country_code, lang)
) STRICT, WITHOUT ROWID;

CREATE TABLE processes (
    code TEXT PRIMARY KEY
) STRICT;

CREATE TABLE process_names (
    process_code TEXT NOT NULL REFERENCES processes(code) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    short_name   TEXT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (process_code, lang)
) STRICT, WITHOUT ROWID;

-- A country may belong to more than one process.
CREATE TABLE process_members (
    process_code TEXT NOT NULL REFERENCES processes(code),
    country_code TEXT NOT NULL REFERENCES countries(code),
    PRIMARY KEY (process_code, country_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX process_members_country ON process_members(country_code, process_code);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE meeting_i18n (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (meeting_id, lang)
) STRICT, WITHOUT ROWID;

-- Objectives and recommendations of a meeting. A retired item stays on the
-- practices that carry it but can no longer be chosen.
CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    kind       TEXT NOT NULL CHECK (kind IN ('objective', 'recommendation')),
    number     INTEGER NOT NULL CHECK (number > 0),
    retired_at TEXT,
    UNIQUE (meeting_id, kind, number)
) STRICT;

CREATE TABLE tag_i18n (
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    lang   TEXT NOT NULL,
    label  TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tag_id, lang)
) STRICT, WITHOUT ROWID;

-- Accounts. There is no open sign-up: a row comes from an accepted
-- invitation. Email is compared case-insensitively.
CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('official', 'moderator', 'admin')),
    country_code        TEXT REFERENCES countries(code),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    lang                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    CHECK (role <> 'official' OR country_code IS NOT NULL)
) STRICT;
CREATE INDEX accounts_country ON accounts(country_code, role, status);
CREATE INDEX accounts_role ON accounts(role, status);

-- Invitations and password resets store only the SHA-256 of their token:
-- a copy of the database does not hand out working links.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    email        TEXT NOT NULL COLLATE NOCASE,
    role         TEXT NOT NULL CHECK (role IN ('official', 'moderator', 'admin')),
    country_code TEXT REFERENCES countries(code),
    lang         TEXT NOT NULL,
    invited_by   INTEGER REFERENCES accounts(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    revoked_at   TEXT,
    account_id   INTEGER REFERENCES accounts(id)
) STRICT;
CREATE INDEX invitations_email ON invitations(email);
CREATE INDEX invitations_pending ON invitations(created_at) WHERE accepted_at IS NULL AND revoked_at IS NULL;

CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;
CREATE INDEX password_resets_account ON password_resets(account_id);

-- Server-side sessions. The cookie carries a signed random id; the table
-- keeps only its SHA-256, so the table alone cannot be replayed.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    account_id   INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    client_ip    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- Outgoing mail. A message is composed when it is queued and sent by the
-- server's mail worker; 4xx answers are retried with backoff, 5xx fail.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    to_name         TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    headers         TEXT NOT NULL DEFAULT '{}',
    message_id      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
