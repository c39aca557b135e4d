package search

import (
	"context"

	"puente/db"
)

// SnippetWidth is how many words a result quotes.
const SnippetWidth = 28

// Passage is what a search result quotes of a practice: its own words,
// never what the index holds only to match it (its countries' names in
// every language, its institutions, partners and files).
type Passage struct {
	// Marks is the passage of the summary and sections around the first
	// match, or the start of the summary when they hold none.
	Marks []Mark
	// InText is true when Marks shows a match.
	InText bool
	// InComments is true when a comment holds one of the terms: where
	// the text does not, the result may quote that comment instead.
	InComments bool
}

// Passages reads, from the index, the passages to quote for the
// practices ids.
func Passages(ctx context.Context, q db.Querier, terms []Term, ids []int64) (map[int64]Passage, error) {
	rows, err := q.QueryContext(ctx, `SELECT rowid, summary, body FROM practice_fts
		WHERE rowid IN (SELECT value FROM json_each(?))`, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]Passage, len(ids))
	var noHit []int64
	for rows.Next() {
		var id int64
		var summary, body string
		if err := rows.Scan(&id, &summary, &body); err != nil {
			return nil, err
		}
		var p Passage
		p.Marks = Snippet(summary+"\n"+body, terms, SnippetWidth)
		p.InText = HasHit(p.Marks)
		if !p.InText {
			noHit = append(noHit, id)
		}
		out[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(noHit) == 0 {
		return out, nil
	}
	// The comments, often the longest column, are read only for the
	// practices whose own text holds no term.
	rows, err = q.QueryContext(ctx, `SELECT rowid, comments FROM practice_fts
		WHERE rowid IN (SELECT value FROM json_each(?))`, db.IDList(noHit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var comments string
		if err := rows.Scan(&id, &comments); err != nil {
			return nil, err
		}
		p := out[id]
		p.InComments = Mentions(comments, terms)
		out[id] = p
	}
	return out, rows.Err()
}
