package comments

import (
	"context"

	"puente/internal/sanitize"
	"puente/internal/search"
)

// FirstMatching returns the oldest visible comment on practice id whose
// text (as the search index reads it) match accepts, with that text, or
// nil: the comment a search result quotes. Like the index, it reads the
// oldest comments up to search.MaxCommentText.
func (s *Store) FirstMatching(ctx context.Context, practiceID int64, match func(text string) bool) (*Comment, string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.practice_id = ? AND c.deleted_at IS NULL AND c.hidden_at IS NULL ORDER BY c.id`, practiceID)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	read := 0
	for read < search.MaxCommentText && rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		text := sanitize.Text(c.HTML)
		if match(text) {
			return c, text, nil
		}
		read += len(text) + 1
	}
	return nil, "", rows.Err()
}
