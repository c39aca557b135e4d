-- A card shows its practice's countries and objectives. Read with each
-- card, they were two lookups a card (or, before, two more queries a
-- page), the largest part of reading a page of the list. practices now
-- carries both as lists in their order ("CR,PA"; "3,12"), kept by the
-- triggers below from practice_countries and practice_tags, which stay
-- what is true; the cards index holds them, so a page of cards is read
-- from that index alone again.
ALTER TABLE practices ADD COLUMN country_list TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN tag_list TEXT NOT NULL DEFAULT '';

UPDATE practices SET
    country_list = coalesce((SELECT group_concat(c.country_code, ',' ORDER BY c.country_code)
        FROM practice_countries c WHERE c.practice_id = practices.id), ''),
    tag_list = coalesce((SELECT group_concat(t.tag_id, ',' ORDER BY t.tag_id)
        FROM practice_tags t WHERE t.practice_id = practices.id), '')
WHERE id IN (SELECT practice_id FROM practice_countries UNION SELECT practice_id FROM practice_tags);

CREATE TRIGGER practice_country_list_insert AFTER INSERT ON practice_countries
BEGIN
    UPDATE practices SET country_list = coalesce((SELECT group_concat(c.country_code, ',' ORDER BY c.country_code)
        FROM practice_countries c WHERE c.practice_id = NEW.practice_id), '') WHERE id = NEW.practice_id;
END;
CREATE TRIGGER practice_country_list_delete AFTER DELETE ON practice_countries
BEGIN
    UPDATE practices SET country_list = coalesce((SELECT group_concat(c.country_code, ',' ORDER BY c.country_code)
        FROM practice_countries c WHERE c.practice_id = OLD.practice_id), '') WHERE id = OLD.practice_id;
END;
CREATE TRIGGER practice_country_list_update AFTER UPDATE ON practice_countries
BEGIN
    UPDATE practices SET country_list = coalesce((SELECT group_concat(c.country_code, ',' ORDER BY c.country_code)
        FROM practice_countries c WHERE c.practice_id = practices.id), '') WHERE id IN (OLD.practice_id, NEW.practice_id);
END;
CREATE TRIGGER practice_tag_list_insert AFTER INSERT ON practice_tags
BEGIN
    UPDATE practices SET tag_list = coalesce((SELECT group_concat(t.tag_id, ',' ORDER BY t.tag_id)
        FROM practice_tags t WHERE t.practice_id = NEW.practice_id), '') WHERE id = NEW.practice_id;
END;
CREATE TRIGGER practice_tag_list_delete AFTER DELETE ON practice_tags
BEGIN
    UPDATE practices SET tag_list = coalesce((SELECT group_concat(t.tag_id, ',' ORDER BY t.tag_id)
        FROM practice_tags t WHERE t.practice_id = OLD.practice_id), '') WHERE id = OLD.practice_id;
END;
CREATE TRIGGER practice_tag_list_update AFTER UPDATE ON practice_tags
BEGIN
    UPDATE practices SET tag_list = coalesce((SELECT group_concat(t.tag_id, ',' ORDER BY t.tag_id)
        FROM practice_tags t WHERE t.practice_id = practices.id), '') WHERE id IN (OLD.practice_id, NEW.practice_id);
END;

DROP INDEX practices_cards;
CREATE INDEX practices_cards ON practices(
    published_at DESC, id DESC, status, hidden_at, scope, author_id, lang, comment_count,
    period_start, period_end, updated_at, created_at, title, summary, country_list, tag_list
) WHERE status = 'published' AND hidden_at IS NULL;
