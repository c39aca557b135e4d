-- foreign_keys: off
-- Institutions. Each member state names focal points among its officials:
-- they invite their country's officials, may suspend one, and see their
-- country's practices in every state. International organisations and the
-- technical secretariats observe: an observer account has an organisation
-- instead of a country, reads the processes an admin opens to it, and
-- comments only when allowed. The role's CHECK and the invitations'
-- change, so both tables are rebuilt as 0029 rebuilt practices (ids kept,
-- indexes and triggers made again).

CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('observer', 'official', 'moderator', 'admin')),
    country_code         TEXT REFERENCES countries(code),
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    lang                 TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    notify_flags         INTEGER NOT NULL DEFAULT 0,
    digest_enabled       INTEGER NOT NULL DEFAULT 1,
    digest_every         INTEGER NOT NULL DEFAULT 1 CHECK (digest_every IN (1, 2, 4)),
    undeliverable_at     TEXT,
    undeliverable_reason TEXT NOT NULL DEFAULT '',
    feed_token_hash      BLOB,
    totp_secret          TEXT,
    totp_enabled_at      TEXT,
    totp_last_step       INTEGER NOT NULL DEFAULT 0,
    suspended_until      TEXT,
    suspend_reason       TEXT NOT NULL DEFAULT '',
    -- An official their country named focal point.
    focal_point          INTEGER NOT NULL DEFAULT 0 CHECK (focal_point IN (0, 1)),
    -- An observer's organisation, the processes it reads, and whether it
    -- may comment.
    organisation         TEXT NOT NULL DEFAULT '',
    observer_scope       TEXT CHECK (observer_scope IN ('crm', 'csm', 'both')),
    observer_comments    INTEGER NOT NULL DEFAULT 0 CHECK (observer_comments IN (0, 1)),
    CHECK (role <> 'official' OR country_code IS NOT NULL),
    CHECK (role <> 'observer' OR (country_code IS NULL AND organisation <> '' AND observer_scope IS NOT NULL)),
    CHECK (role = 'observer' OR (organisation = '' AND observer_scope IS NULL AND observer_comments = 0)),
    CHECK (focal_point = 0 OR role = 'official')
) STRICT;

INSERT INTO accounts_new (id, email, display_name, password_hash, role, country_code, status, lang, created_at, updated_at,
    password_changed_at, notify_flags, digest_enabled, digest_every, undeliverable_at, undeliverable_reason, feed_token_hash,
    totp_secret, totp_enabled_at, totp_last_step, suspended_until, suspend_reason)
SELECT id, email, display_name, password_hash, role, country_code, status, lang, created_at, updated_at,
    password_changed_at, notify_flags, digest_enabled, digest_every, undeliverable_at, undeliverable_reason, feed_token_hash,
    totp_secret, totp_enabled_at, totp_last_step, suspended_until, suspend_reason
FROM accounts;

DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_country ON accounts(country_code, role, status);
CREATE INDEX accounts_role ON accounts(role, status);
CREATE UNIQUE INDEX accounts_feed_token ON accounts(feed_token_hash) WHERE feed_token_hash IS NOT NULL;
CREATE INDEX accounts_focal ON accounts(country_code) WHERE focal_point = 1;
CREATE TRIGGER versions_accounts_names AFTER UPDATE OF display_name, country_code, organisation ON accounts
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'names';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;

CREATE TABLE invitations_new (
    id                INTEGER PRIMARY KEY,
    token_hash        BLOB NOT NULL UNIQUE,
    email             TEXT NOT NULL COLLATE NOCASE,
    role              TEXT NOT NULL CHECK (role IN ('observer', 'official', 'moderator', 'admin')),
    country_code      TEXT REFERENCES countries(code),
    lang              TEXT NOT NULL,
    invited_by        INTEGER REFERENCES accounts(id),
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    accepted_at       TEXT,
    revoked_at        TEXT,
    account_id        INTEGER REFERENCES accounts(id),
    organisation      TEXT NOT NULL DEFAULT '',
    observer_scope    TEXT CHECK (observer_scope IN ('crm', 'csm', 'both')),
    observer_comments INTEGER NOT NULL DEFAULT 0 CHECK (observer_comments IN (0, 1))
) STRICT;
INSERT INTO invitations_new (id, token_hash, email, role, country_code, lang, invited_by, created_at, expires_at, accepted_at, revoked_at, account_id)
SELECT id, token_hash, email, role, country_code, lang, invited_by, created_at, expires_at, accepted_at, revoked_at, account_id FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_email ON invitations(email);
CREATE INDEX invitations_pending ON invitations(created_at) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Drafts their authors show to their country's focal points before
-- submitting them (a table of its own: the practices' last columns are
-- the long sections, see 0029).
CREATE TABLE focal_shares (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    shared_at   TEXT NOT NULL
) STRICT;
