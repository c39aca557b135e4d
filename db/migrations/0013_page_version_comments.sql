-- A practice's comments, as a member who wrote none of them sees them, are
-- kept rendered too: page_version now also counts changes to comments and
-- to the names and countries of the accounts that sign them.
CREATE TRIGGER page_version_comments_insert AFTER INSERT ON comments
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_comments_update AFTER UPDATE ON comments
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_comments_delete AFTER DELETE ON comments
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER page_version_accounts_update AFTER UPDATE OF display_name, country_code ON accounts
BEGIN UPDATE page_version SET n = n + 1 WHERE id = 1; END;
