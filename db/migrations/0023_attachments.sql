-- Files a practice carries: protocols, agreements, evaluations, photos.
-- They live in the database so that a backup or a replica of it carries
-- them too. The type is decided from the content when they are sent;
-- pictures are stored re-encoded, without their metadata.
CREATE TABLE practice_attachments (
    id          INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size > 0),
    data        BLOB NOT NULL,
    uploader_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX practice_attachments_practice ON practice_attachments(practice_id);
