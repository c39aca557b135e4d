-- A member's private feed: the URL carries a token, stored only as its
-- hash, which the member can replace or revoke.
ALTER TABLE accounts ADD COLUMN feed_token_hash BLOB;
CREATE UNIQUE INDEX accounts_feed_token ON accounts(feed_token_hash) WHERE feed_token_hash IS NOT NULL;
