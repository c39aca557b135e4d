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
