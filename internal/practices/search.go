package practices

import (
	"context"
	"strings"

	"puente/internal/apperr"
	"puente/internal/search"
)

// Column weights of the ranking: title, summary, body, places, comments.
const rankWeights = "10.0, 5.0, 1.0, 2.0, 0.5"

// SearchPageSize and SearchMaxPages bound how deep search results go.
const (
	SearchPageSize = 20
	SearchMaxPages = 10
)

// Mark is a piece of a snippet; Hit is true for the words that matched.
type Mark struct {
	Text string
	Hit  bool
}

// Hit is one search result.
type Hit struct {
	*Practice
	Snippet []Mark
}

// Results are one page of search results.
type Results struct {
	Query string // as parsed for FTS5
	Hits  []Hit
	Page  int
	More  bool
}

// ErrEmptyQuery answers a query with nothing searchable in it.
var ErrEmptyQuery = apperr.New(apperr.Unprocessable, "search.empty")

// Search finds the published practices v may see whose text, places or
// comments match q, best first, narrowed by the list's filters.
func (s *Store) Search(ctx context.Context, v Viewer, q string, f Filter, page int) (*Results, error) {
	fts := search.Parse(q)
	if fts == "" {
		return nil, ErrEmptyQuery
	}
	if page < 1 || page > SearchMaxPages {
		page = 1
	}
	where, args := filterWhere(v, f)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+practiceColumns+`,
			snippet(practice_fts, -1, char(2), char(3), '…', 24)
		FROM practice_fts JOIN practices p ON p.id = practice_fts.rowid JOIN accounts a ON a.id = p.author_id
		WHERE practice_fts MATCH ? AND `+where+`
		ORDER BY bm25(practice_fts, `+rankWeights+`), p.id DESC LIMIT ? OFFSET ?`,
		append(append([]any{fts}, args...), SearchPageSize+1, (page-1)*SearchPageSize)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &Results{Query: fts, Page: page}
	var ps []*Practice
	for rows.Next() {
		var snip string
		p, err := scanPractice(scanWith(rows, &snip))
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
		res.Hits = append(res.Hits, Hit{Practice: p, Snippet: marks(snip)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(res.Hits) > SearchPageSize {
		res.Hits, ps, res.More = res.Hits[:SearchPageSize], ps[:SearchPageSize], page < SearchMaxPages
	}
	return res, loadRelations(ctx, s.DB.R, ps)
}

// marks splits a snippet at the markers FTS5 put around matched words.
// The text stays text: templates escape it, and only they add <mark>.
func marks(s string) []Mark {
	var out []Mark
	for s != "" {
		i := strings.IndexByte(s, 2)
		if i < 0 {
			out = append(out, Mark{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Mark{Text: s[:i]})
		}
		s = s[i+1:]
		j := strings.IndexByte(s, 3)
		if j < 0 {
			out = append(out, Mark{Text: s, Hit: true})
			break
		}
		out = append(out, Mark{Text: s[:j], Hit: true})
		s = s[j+1:]
	}
	return out
}
