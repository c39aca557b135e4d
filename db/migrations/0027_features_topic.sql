-- The featured practices get a topic of their own in versions, so that a
-- kept home page is served again only until the moderators change what
-- is featured (or its note or order).
INSERT INTO versions (topic, n) VALUES ('features', 0);

CREATE TRIGGER versions_features_insert AFTER INSERT ON features
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'features';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_features_update AFTER UPDATE ON features
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'features';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
CREATE TRIGGER versions_features_delete AFTER DELETE ON features
BEGIN
    UPDATE versions SET n = n + 1 WHERE topic = 'features';
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
