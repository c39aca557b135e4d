package practices

import (
	"context"
	"strings"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/cache"
	"puente/internal/search"
)

// SearchPageSize and SearchMaxPages bound how deep search results go.
const (
	SearchPageSize = 20
	SearchMaxPages = 10
)

// SortRelevance orders search results best match first, the default; the
// lists' orders (SortNewest, SortDiscussed) order them too.
const SortRelevance = "relevance"

// Hit is one search result, with the passage it quotes.
type Hit struct {
	*Practice
	Passage search.Passage
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
// comments match q, narrowed by the list's filters, in f.Sort's order:
// best first unless it is SortNewest or SortDiscussed.
//
// Without filters it ranks inside the index first (ORDER BY rank, which
// FTS5 answers without reading practices), then keeps the candidates v
// may see, in order, reading more candidates only when too few are
// visible. With filters, one query joins and ranks.
func (s *Store) Search(ctx context.Context, v Viewer, q string, f Filter, page int) (*Results, error) {
	fts := search.Parse(q)
	if fts == "" {
		return nil, ErrEmptyQuery
	}
	if page < 1 || page > SearchMaxPages {
		page = 1
	}
	need := page*SearchPageSize + 1
	var ids []int64
	var err error
	switch {
	case f.Sort == SortNewest || f.Sort == SortDiscussed:
		ids, err = s.sortedFiltered(ctx, v, fts, f, need)
	case f == (Filter{Sort: f.Sort}):
		ids, err = s.rankedVisible(ctx, v, fts, need)
	default:
		ids, err = s.rankedFiltered(ctx, v, fts, f, need)
	}
	if err != nil {
		return nil, err
	}
	res := &Results{Query: fts, Page: page}
	lo := (page - 1) * SearchPageSize
	if lo >= len(ids) {
		return res, nil
	}
	hi := min(lo+SearchPageSize, len(ids))
	res.More = len(ids) > hi && page < SearchMaxPages
	ids = ids[lo:hi]
	ps, err := s.byIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	passages, err := search.Passages(ctx, s.DB.R, search.Terms(q), ids)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		res.Hits = append(res.Hits, Hit{Practice: p, Passage: passages[p.ID]})
	}
	return res, nil
}

// rankedVisible ranks in tiers, each in ranking order and in chunks,
// keeping the ids v may see until it has n or the matches run out:
// first the practices whose title holds every term, then those whose title
// and summary hold them (a small index), then the rest of the full index.
// A title that says what was searched for comes before a summary that
// does, and a summary before the text; and the first tiers are small, so
// the common case never ranks every match of common words.
func (s *Store) rankedVisible(ctx context.Context, v Viewer, fts string, n int) ([]int64, error) {
	seen := map[int64]bool{}
	tiers := []struct{ table, match string }{
		{"practice_title_fts", fts},
		{"practice_head_fts", fts},
		{"practice_fts", fts},
	}
	var out []int64
	for _, t := range tiers {
		var err error
		if out, err = s.rankedIn(ctx, v, t.table, t.match, n, seen, out); err != nil || len(out) >= n {
			return out, err
		}
	}
	return out, nil
}

// rankKey is one chunk of one index's ranking of a query.
type rankKey struct {
	table, fts string
	offset, n  int
}

// maxRankBytes bounds the memory the kept rankings take (some 600 bytes
// each).
const maxRankBytes = 1 << 20

// rankChunk returns the ids table ranks from offset to offset+n for fts.
// Ranking every title that holds two common words costs a few
// milliseconds a search. The titles' and summaries' indexes change only
// with what lists show (a title or summary, a version in another
// language, a practice published, withdrawn or deleted: each changes the
// lists topic in the same transaction), so their rankings are kept until
// the lists change. The full index also holds the comments, and is
// ranked each time.
func (s *Store) rankChunk(ctx context.Context, table, fts string, offset, n int) ([]int64, error) {
	read := func() ([]int64, error) {
		return db.Column[int64](ctx, s.DB.R, `SELECT rowid FROM `+table+` WHERE `+table+` MATCH ? ORDER BY rank LIMIT ? OFFSET ?`, fts, n, offset)
	}
	if table != "practice_title_fts" && table != "practice_head_fts" {
		return read()
	}
	s.rankingsOnce.Do(func() {
		s.rankings = cache.New[rankKey](s.Versions, maxRankBytes, func(ids []int64) int { return 96 + 8*len(ids) })
	})
	return s.rankings.Get(ctx, rankKey{table, fts, offset, n}, []cache.Topic{cache.Lists}, read)
}

func (s *Store) rankedIn(ctx context.Context, v Viewer, table, fts string, n int, seen map[int64]bool, out []int64) ([]int64, error) {
	where, args := listWhere(v)
	const chunk = 64
	for offset := 0; len(out) < n; offset += chunk {
		ranked, err := s.rankChunk(ctx, table, fts, offset, chunk)
		if err != nil {
			return nil, err
		}
		if len(ranked) == 0 {
			break
		}
		var cand []any
		for _, id := range ranked {
			if !seen[id] {
				seen[id] = true
				cand = append(cand, id)
			}
		}
		if len(cand) == 0 {
			continue
		}
		in := strings.TrimSuffix(strings.Repeat("?,", len(cand)), ",")
		// The covering index answers without reading the long rows.
		rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id FROM practices p INDEXED BY practices_visibility
			WHERE p.id IN (`+in+`) AND `+where, append(cand, args...)...)
		if err != nil {
			return nil, err
		}
		ok := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ok[id] = true
		}
		rows.Close()
		for _, c := range cand {
			if id := c.(int64); ok[id] {
				out = append(out, id)
			}
		}
		if len(ranked) < chunk {
			break
		}
	}
	return out, nil
}

// rankedFiltered ranks the matches that pass the filters in one query.
func (s *Store) rankedFiltered(ctx context.Context, v Viewer, fts string, f Filter, n int) ([]int64, error) {
	where, args := filterWhere(v, f)
	return db.Column[int64](ctx, s.DB.R, `SELECT p.id FROM practice_fts JOIN practices p ON p.id = practice_fts.rowid
		WHERE practice_fts MATCH ? AND `+where+` ORDER BY practice_fts.rank LIMIT ?`, append(append([]any{fts}, args...), n)...)
}

// sortedFiltered orders the matches that pass the filters newest or most
// discussed first, in one query. It walks the small index kept in that
// order, keeping the ids among the matches (read once from the index) and
// those v may see (from the covering index): it stops after n, whether
// the words are common or rare, and never reads the practices' long rows.
func (s *Store) sortedFiltered(ctx context.Context, v Viewer, fts string, f Filter, n int) ([]int64, error) {
	where, args := filterWhere(v, f)
	index, order := "practices_published", "o.published_at DESC, o.id DESC"
	if f.Sort == SortDiscussed {
		index, order = "practices_discussed", "o.comment_count DESC, o.id DESC"
	}
	return db.Column[int64](ctx, s.DB.R, `SELECT p.id FROM practices o INDEXED BY `+index+`
		JOIN practices p INDEXED BY practices_visibility ON p.id = o.id
		WHERE o.status = 'published' AND o.id IN (SELECT rowid FROM practice_fts WHERE practice_fts MATCH ?)
		AND `+where+` ORDER BY `+order+` LIMIT ?`, append(append([]any{fts}, args...), n)...)
}

// byIDs loads the cards of practices, in the order of ids.
func (s *Store) byIDs(ctx context.Context, ids []int64) ([]*Practice, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cardColumns+` FROM practices p WHERE p.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	got, err := collectWith(rows, scanCard)
	if err != nil {
		return nil, err
	}
	return inOrder(ids, got), nil
}
