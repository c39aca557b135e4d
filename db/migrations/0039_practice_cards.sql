-- A list page shows twenty cards. Read from the table, each card cost two
-- page reads: a practice's row is some 12 KB with its sections, so its
-- title and summary spill onto an overflow page. This index holds every
-- column a published practice's card shows (and the list's conditions),
-- in the list's order, so a page of the list is read from a few index
-- pages and no table row. Drafts and hidden practices are not listed and
-- are left out of it.
CREATE INDEX practices_cards ON practices(
    published_at DESC, id DESC, status, hidden_at, scope, author_id, lang, comment_count,
    period_start, period_end, updated_at, created_at, title, summary
) WHERE status = 'published' AND hidden_at IS NULL;
