-- list_version counts the changes that can alter which practices a list
-- shows or how many: new and deleted practices, a change of status, scope,
-- hiding, language, period or publication date, and their countries and
-- tags. Counts cached in memory are reused only while it stays the same;
-- comments and edits of the text leave it alone.
CREATE TABLE list_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO list_version (id, n) VALUES (1, 0);

CREATE TRIGGER list_version_practice_insert AFTER INSERT ON practices
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_practice_delete AFTER DELETE ON practices
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_practice_update
AFTER UPDATE OF status, scope, hidden_at, lang, period_start, period_end, published_at ON practices
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_countries_insert AFTER INSERT ON practice_countries
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_countries_delete AFTER DELETE ON practice_countries
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_countries_update AFTER UPDATE ON practice_countries
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_tags_insert AFTER INSERT ON practice_tags
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_tags_delete AFTER DELETE ON practice_tags
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER list_version_tags_update AFTER UPDATE ON practice_tags
BEGIN UPDATE list_version SET n = n + 1 WHERE id = 1; END;
