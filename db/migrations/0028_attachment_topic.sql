-- A practice's files are shown on its page: their changes count as
-- changes to the practice, so that a kept practice page is rendered again.
CREATE TRIGGER versions_practice_attachments_insert AFTER INSERT ON practice_attachments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_attachments_update AFTER UPDATE ON practice_attachments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_practice_attachments_delete AFTER DELETE ON practice_attachments
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || OLD.practice_id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
