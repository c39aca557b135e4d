-- One table of versions replaces list_version, page_version and
-- taxonomy_version. Each row counts the changes to one topic; what is kept
-- in memory records the versions of the topics it shows and is served only
-- while they stay the same. Topics:
--   taxonomy      meetings, tags and their texts
--   lists         which practices a list holds and what its cards show,
--                 except comment counts
--   names         the names and countries that sign practices and comments
--   practice:<id> one practice: its row (comment count included), its
--                 countries and tags, its comments
--   discussed     any practice's comment count (the "most discussed" order)
--   seq           every change to any topic, so a reader can tell that
--                 nothing changed while it computed
CREATE TABLE versions (
    topic TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO versions (topic, n) VALUES ('seq', 0), ('taxonomy', 0), ('lists', 0), ('names', 0), ('discussed', 0);

DROP TRIGGER IF EXISTS list_version_practice_insert;
DROP TRIGGER IF EXISTS list_version_practice_delete;
DROP TRIGGER IF EXISTS list_version_practice_update;
DROP TRIGGER IF EXISTS list_version_countries_insert;
DROP TRIGGER IF EXISTS list_version_countries_delete;
DROP TRIGGER IF EXISTS list_version_countries_update;
DROP TRIGGER IF EXISTS list_version_tags_insert;
DROP TRIGGER IF EXISTS list_version_tags_delete;
DROP TRIGGER IF EXISTS list_version_tags_update;
DROP TRIGGER IF EXISTS taxonomy_version_meetings_insert;
DROP TRIGGER IF EXISTS taxonomy_version_meetings_update;
DROP TRIGGER IF EXISTS taxonomy_version_meetings_delete;
DROP TRIGGER IF EXISTS taxonomy_version_meeting_i18n_insert;
DROP TRIGGER IF EXISTS taxonomy_version_meeting_i18n_update;
DROP TRIGGER IF EXISTS taxonomy_version_meeting_i18n_delete;
DROP TRIGGER IF EXISTS taxonomy_version_tags_insert;
DROP TRIGGER IF EXISTS taxonomy_version_tags_update;
DROP TRIGGER IF EXISTS taxonomy_version_tags_delete;
DROP TRIGGER IF EXISTS taxonomy_version_tag_i18n_insert;
DROP TRIGGER IF EXISTS taxonomy_version_tag_i18n_update;
DROP TRIGGER IF EXISTS taxonomy_version_tag_i18n_delete;
DROP TRIGGER IF EXISTS page_version_practice_insert;
DROP TRIGGER IF EXISTS page_version_practice_update;
DROP TRIGGER IF EXISTS page_version_practice_delete;
DROP TRIGGER IF EXISTS page_version_countries_insert;
DROP TRIGGER IF EXISTS page_version_countries_update;
DROP TRIGGER IF EXISTS page_version_countries_delete;
DROP TRIGGER IF EXISTS page_version_tags_insert;
DROP TRIGGER IF EXISTS page_version_tags_update;
DROP TRIGGER IF EXISTS page_version_tags_delete;
DROP TRIGGER IF EXISTS page_version_comments_insert;
DROP TRIGGER IF EXISTS page_version_comments_update;
DROP TRIGGER IF EXISTS page_version_comments_delete;
DROP TRIGGER IF EXISTS page_version_accounts_update;
DROP TABLE list_version;
DROP TABLE page_version;
DROP TABLE taxonomy_version;

CREATE TRIGGER versions_meetings_insert AFTER INSERT ON meetings
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_meetings_update AFTER UPDATE ON meetings
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_meetings_delete AFTER DELETE ON meetings
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_meeting_i18n_insert AFTER INSERT ON meeting_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_meeting_i18n_update AFTER UPDATE ON meeting_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_meeting_i18n_delete AFTER DELETE ON meeting_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tags_insert AFTER INSERT ON tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tags_update AFTER UPDATE ON tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tags_delete AFTER DELETE ON tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tag_i18n_insert AFTER INSERT ON tag_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tag_i18n_update AFTER UPDATE ON tag_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_tag_i18n_delete AFTER DELETE ON tag_i18n
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'taxonomy';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;

CREATE TRIGGER versions_practices_insert AFTER INSERT ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_delete AFTER DELETE ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
-- A change of the comment count alone (a comment posted, deleted, hidden)
-- is the practice's own: lists that show the practice watch its topic.
CREATE TRIGGER versions_practices_update AFTER UPDATE ON practices
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_discussed AFTER UPDATE OF comment_count ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'discussed';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practices_update_listed AFTER UPDATE OF author_id, status, scope, lang, title, summary, context_html, actions_html, results_html, lessons_html, adoption_html, period_start, period_end, institutions, partners, contact_name, contact_email, revision, created_at, updated_at, submitted_at, published_at, review_note, reviewed_revision, hidden_at, hidden_reason ON practices
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_countries_insert AFTER INSERT ON practice_countries
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_countries_update AFTER UPDATE ON practice_countries
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_countries_delete AFTER DELETE ON practice_countries
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_tags_insert AFTER INSERT ON practice_tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_tags_update AFTER UPDATE ON practice_tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_tags_delete AFTER DELETE ON practice_tags
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'lists';
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_comments_insert AFTER INSERT ON comments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_comments_update AFTER UPDATE ON comments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_comments_delete AFTER DELETE ON comments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_accounts_names AFTER UPDATE OF display_name, country_code ON accounts
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'names';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
