-- page_version counts every change that can alter what a list of practice
-- cards shows: practices added, removed or changed in any column (a
-- comment changes the count a card shows), and their countries and tags.
-- The server reuses a rendered list while it, and taxonomy_version, stay
-- the same.
CREATE TABLE page_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO page_version (id, n) VALUES (1, 0);

CREATE TRIGGER page_version_practice_insert AFTER INSERT ON practices
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_practice_update AFTER UPDATE ON practices
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_practice_delete AFTER DELETE ON practices
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_countries_insert AFTER INSERT ON practice_countries
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_countries_update AFTER UPDATE ON practice_countries
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_countries_delete AFTER DELETE ON practice_countries
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_tags_insert AFTER INSERT ON practice_tags
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_tags_update AFTER UPDATE ON practice_tags
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_tags_delete AFTER DELETE ON practice_tags
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
