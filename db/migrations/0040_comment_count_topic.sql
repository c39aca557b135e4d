-- A comment is written with its practice's comment count, in one
-- transaction: the comment's own triggers count the change to the
-- practice's topic and to seq, and versions_practices_discussed counts
-- the new count. The practice's update trigger counted both again, two
-- more writes on every comment under the single writer. It now fires on
-- every column but the count (db_test checks that the list stays whole).
DROP TRIGGER versions_practices_update;
CREATE TRIGGER versions_practices_update AFTER UPDATE OF
    author_id, status, scope, lang, policy_version, period_start, period_end, revision,
    created_at, updated_at, submitted_at, published_at, reviewed_revision, hidden_at,
    resubmitted_after, institutions, partners, contact_name, contact_email, review_note,
    hidden_reason, author_note, title, summary,
    context_raw, context_html, actions_raw, actions_html, results_raw, results_html,
    lessons_raw, lessons_html, adoption_raw, adoption_html
ON practices
BEGIN
    INSERT INTO versions (topic, n) VALUES ('practice:' || NEW.id, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1;
    UPDATE versions SET n = n + 1 WHERE topic = 'seq';
END;
