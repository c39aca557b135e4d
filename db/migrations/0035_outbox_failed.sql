-- Monitoring counts the messages that failed for good on every scrape;
-- without an index of their own that is a walk over every message ever
-- sent (half a million a year of weekly digests alone).
CREATE INDEX outbox_failed ON outbox(id) WHERE status = 'failed';
