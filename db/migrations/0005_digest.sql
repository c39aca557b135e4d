-- The weekly digest: each person's choices, what they follow, and one
-- delivery row per person and period, which makes a digest go out once.

ALTER TABLE accounts ADD COLUMN digest_enabled INTEGER NOT NULL DEFAULT 1;
-- Every how many weeks: 1, 2 or 4.
ALTER TABLE accounts ADD COLUMN digest_every INTEGER NOT NULL DEFAULT 1 CHECK (digest_every IN (1, 2, 4));
-- Set when the mail server refused the address for good; digests stop
-- until the address changes.
ALTER TABLE accounts ADD COLUMN undeliverable_at TEXT;
ALTER TABLE accounts ADD COLUMN undeliverable_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE follow_tags (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (account_id, tag_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE follow_countries (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    country_code TEXT NOT NULL REFERENCES countries(code),
    PRIMARY KEY (account_id, country_code)
) STRICT, WITHOUT ROWID;

CREATE TABLE digest_deliveries (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    period           TEXT NOT NULL,              -- ISO week covered, e.g. 2026-W48
    status           TEXT NOT NULL CHECK (status IN ('queued', 'empty')),
    outbox_id        INTEGER REFERENCES outbox(id),
    unsub_token_hash BLOB UNIQUE,
    unsubscribed_at  TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (account_id, period)
) STRICT;
CREATE INDEX digest_deliveries_period ON digest_deliveries(period, status);

-- The digest looks up a week's comments on given practices, and a
-- week's featured picks.
CREATE INDEX features_featured_at ON features(featured_at);
CREATE INDEX practices_published_at ON practices(published_at) WHERE status = 'published';
