-- Full-text search over practices and their comments. One row per
-- practice, kept in step by the code that writes practices and comments,
-- in the same transaction. Diacritics are folded, so "migracion" finds
-- "migración".
CREATE VIRTUAL TABLE practice_fts USING fts5(
    title,
    summary,
    body,      -- the five sections, as text
    places,    -- country names in every language, institutions, partners
    comments,  -- the visible comments, as text
    tokenize = 'unicode61 remove_diacritics 2'
);

-- ORDER BY rank uses these column weights: a match in the title counts
-- most, then the summary, the places, the text, the comments.
INSERT INTO practice_fts (practice_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0, 2.0, 0.5)');

-- Titles and summaries alone: a small index that answers most searches
-- (a match there outranks a match in the text) before the full one is
-- ranked.
CREATE VIRTUAL TABLE practice_head_fts USING fts5(
    title,
    summary,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO practice_head_fts (practice_head_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0)');

-- Whether a practice is visible, answered from this index alone: the
-- table's rows are long (the sections), and the columns added later sit
-- past them.
CREATE INDEX practices_visibility ON practices(id, status, scope, hidden_at);
