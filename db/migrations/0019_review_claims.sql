-- A moderator who takes an item in the review queue says so to the
-- others: a soft claim, shown as "being reviewed by X since hh:mm", that
-- lapses after a while and ends with the decision.
CREATE TABLE review_claims (
    practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    claimed_at  TEXT NOT NULL
) STRICT;
