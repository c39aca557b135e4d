-- taxonomy_version counts changes to meetings, tags and their texts, so the
-- server can keep them in memory (every list, form and practice page reads
-- them) and read them again only after a change.
CREATE TABLE taxonomy_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO taxonomy_version (id, n) VALUES (1, 0);

CREATE TRIGGER taxonomy_version_meetings_insert AFTER INSERT ON meetings
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_meetings_update AFTER UPDATE ON meetings
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_meetings_delete AFTER DELETE ON meetings
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_meeting_i18n_insert AFTER INSERT ON meeting_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_meeting_i18n_update AFTER UPDATE ON meeting_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_meeting_i18n_delete AFTER DELETE ON meeting_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tags_insert AFTER INSERT ON tags
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tags_update AFTER UPDATE ON tags
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tags_delete AFTER DELETE ON tags
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tag_i18n_insert AFTER INSERT ON tag_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tag_i18n_update AFTER UPDATE ON tag_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER taxonomy_version_tag_i18n_delete AFTER DELETE ON tag_i18n
BEGIN UPDATE taxonomy_version SET n = n + 1 WHERE id = 1; END;
