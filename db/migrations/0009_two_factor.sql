-- Two-factor sign-in with time-based one-time codes (RFC 6238).
-- totp_secret is the shared secret (base32), set only once the person has
-- proved their authenticator works; totp_last_step is the time step of the
-- last code accepted, so a code cannot be used twice.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Recovery codes are shown once; only their SHA-256 is kept. Each works once.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,
    used_at    TEXT,
    UNIQUE (account_id, code_hash)
) STRICT;

-- Site-wide settings an admin changes from the interface.
CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
