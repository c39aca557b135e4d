-- Personal tokens for the read-only API: a member makes one on My
-- account, a program sends it as a bearer token and reads what that member
-- may read. Only the SHA-256 of a token is kept: a copy of the database
-- hands out no working token.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX api_tokens_account ON api_tokens(account_id);
