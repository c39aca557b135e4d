-- Titles alone, in an index of their own: the first tier of a search
-- (practices whose title holds every word) read the title and summary
-- index with a column filter, which walks the summaries' long lists of
-- positions for common words. The titles' own lists are short. Filled
-- from the title and summary index, which holds every indexed title.
CREATE VIRTUAL TABLE practice_title_fts USING fts5(
    title,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO practice_title_fts (rowid, title) SELECT rowid, title FROM practice_head_fts;
INSERT INTO practice_title_fts (practice_title_fts) VALUES ('optimize');
