-- Whether the reader wrote on a practice decides which of its kept
-- threads they get. Found through the practice's comments, it read every
-- one of them from the table; this index answers it alone, and finds an
-- account's comments (the foreign key to accounts among them).
CREATE INDEX comments_author ON comments(author_id, practice_id);
