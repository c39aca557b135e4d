package practices

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"puente/db"
)

// Sort orders of the list.
const (
	SortNewest    = "newest"
	SortDiscussed = "discussed"
)

// Filter narrows the list of published practices. Filters combine.
type Filter struct {
	Tag int64
	// AnyTag keeps the practices tagged with any of these tags (a
	// meeting's), as db.IDList writes them: a Filter stays comparable, a
	// key of kept pages.
	AnyTag  string
	Country string
	Process string
	Lang    string
	Year    int // practices under way at some point of that year
	// Adopted keeps the practices another member state has adopted or
	// adapted (a record shown, not hidden).
	Adopted bool
	Sort    string
	After   string // cursor: the page after this one
	Before  string // cursor: the page before this one
	Limit   int
}

// Page is one page of a list.
type Page struct {
	Practices []*Practice
	Total     int
	// Next and Prev are cursors for the neighbouring pages, "" at an end.
	Next, Prev string
}

type cursor struct {
	key string // published_at, or the comment count
	id  int64
}

func (c cursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.key + "|" + strconv.FormatInt(c.id, 10)))
}

func decodeCursor(s string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	key, id, ok := strings.Cut(string(b), "|")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || len(key) > 40 {
		return cursor{}, false
	}
	return cursor{key, n}, true
}

// filterWhere turns the filter into SQL over practices p, after the
// visibility rule.
func filterWhere(v Viewer, f Filter) (string, []any) {
	return filterWhereAs(v, f, false)
}

// walkRatio: see List.
var walkRatio = 1000

// filterWhereAs writes the tag, country and process filters as lists of
// matching ids (IN), which is fastest when few practices match, or, when
// correlated, as a check on each row (EXISTS), which lets a list walk the
// practices in display order and stop after one page.
func filterWhereAs(v Viewer, f Filter, correlated bool) (string, []any) {
	where, args := listWhere(v)
	conds := []string{where}
	member := func(table, cond string) string {
		if correlated {
			return "EXISTS (SELECT 1 FROM " + table + " WHERE " + cond + " AND x.practice_id = p.id)"
		}
		return "p.id IN (SELECT x.practice_id FROM " + table + " WHERE " + cond + ")"
	}
	if f.Tag != 0 {
		conds = append(conds, member("practice_tags x", "x.tag_id = ?"))
		args = append(args, f.Tag)
	}
	if f.AnyTag != "" {
		conds = append(conds, member("practice_tags x", "x.tag_id IN (SELECT value FROM json_each(?))"))
		args = append(args, f.AnyTag)
	}
	if f.Country != "" {
		conds = append(conds, member("practice_countries x", "x.country_code = ?"))
		args = append(args, f.Country)
	}
	if f.Process != "" {
		conds = append(conds, member("practice_countries x JOIN process_members pm ON pm.country_code = x.country_code", "pm.process_code = ?"))
		args = append(args, f.Process)
	}
	if f.Lang != "" {
		conds = append(conds, "p.lang = ?")
		args = append(args, f.Lang)
	}
	if f.Year != 0 {
		y := strconv.Itoa(f.Year)
		conds = append(conds, "p.period_start <= ? AND (p.period_end IS NULL OR p.period_end >= ?)")
		args = append(args, y+"-12", y+"-01")
	}
	if f.Adopted {
		conds = append(conds, member("adoptions x", takenUp))
	}
	return strings.Join(conds, " AND "), args
}

// countWhere counts the practices p matching where, from the cache while
// the lists have not changed.
func (s *Store) countWhere(ctx context.Context, where string, args []any) (int, error) {
	q := `SELECT count(*) FROM practices p WHERE ` + where
	return cachedCount(ctx, s, keyOf(q, args), func() (n int, err error) {
		err = s.DB.R.QueryRowContext(ctx, q, args...).Scan(&n)
		return n, err
	})
}

// Count counts the published practices v may see that f selects.
func (s *Store) Count(ctx context.Context, v Viewer, f Filter) (int, error) {
	if f.selectsAll() {
		return s.countVisible(ctx, v)
	}
	where, args := filterWhere(v, f)
	return s.countWhere(ctx, where, args)
}

// selectsAll reports whether f keeps every practice (it may order them
// and page through them).
func (f Filter) selectsAll() bool {
	return f.Tag == 0 && f.AnyTag == "" && f.Country == "" && f.Process == "" && f.Lang == "" && f.Year == 0 && !f.Adopted
}

// takenUp is, over the adoptions table (aliased x, written by the
// adoptions package), the records that count as taking a practice up.
// Their changes bump the lists' topic (migration 0032).
const takenUp = "x.stage IN ('adopted', 'adapted') AND x.hidden_at IS NULL"

// countVisible counts the published practices v may see: counted per
// scope once for every viewer (kept while the lists stay the same), and
// the scopes v may see added up.
func (s *Store) countVisible(ctx context.Context, v Viewer) (int, error) {
	const q = `SELECT p.scope, count(*) FROM practices p INDEXED BY practices_visibility
		WHERE ` + listed + ` GROUP BY p.scope`
	per, err := cachedCount(ctx, s, keyOf(q, nil), func() (map[Scope]int, error) {
		return db.Pairs[Scope, int](ctx, s.DB.R, q)
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sc := range v.PublishedScopes() {
		n += per[sc]
	}
	return n, nil
}

// List returns one page of the published practices v may see, as cards
// (see cardColumns).
func (s *Store) List(ctx context.Context, v Viewer, f Filter) (*Page, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	where, args := filterWhere(v, f)
	page := &Page{}
	total, err := s.Count(ctx, v, f)
	if err != nil {
		return nil, err
	}
	page.Total = total
	// walk: the page is found by walking the list in its order, checking
	// each practice against the filters; otherwise it starts from the ids
	// that match a filter.
	walk := !f.Adopted
	if f.Tag != 0 || f.AnyTag != "" || f.Country != "" || f.Process != "" {
		// When at least one practice in walkRatio matches, a page is found
		// by walking the list in order; fewer matches are found from the
		// lists of matching ids.
		all, err := s.countVisible(ctx, v)
		if err != nil {
			return nil, err
		}
		if walk = walk && total*walkRatio >= all; walk {
			where, args = filterWhereAs(v, f, true)
		}
	}
	from, columns := "practices p", cardColumns
	if walk && f.Sort != SortDiscussed {
		// The walk reads the cards index alone. Weighing its statistics,
		// the planner may prefer the narrower practices_published index,
		// and then read each card from its row (two pages a card): the
		// index is named.
		from, columns = "practices p INDEXED BY practices_cards", indexedCardColumns
	}
	keyCol := "p.published_at"
	if f.Sort == SortDiscussed {
		keyCol = "printf('%010d', p.comment_count)"
	}
	order := " ORDER BY " + keyCol + " DESC, p.id DESC"
	backward := false
	if c, ok := decodeCursor(f.After); ok && f.After != "" {
		where += " AND (" + keyCol + ", p.id) < (?, ?)"
		args = append(args, c.key, c.id)
	} else if c, ok := decodeCursor(f.Before); ok && f.Before != "" {
		where += " AND (" + keyCol + ", p.id) > (?, ?)"
		args = append(args, c.key, c.id)
		order = " ORDER BY " + keyCol + " ASC, p.id ASC"
		backward = true
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+`, `+keyCol+` FROM `+from+`
		WHERE `+where+order+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var key string
		p, err := scanCard(scanWith(rows, &key))
		if err != nil {
			return nil, err
		}
		page.Practices = append(page.Practices, p)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	more := len(page.Practices) > limit
	if more {
		page.Practices, keys = page.Practices[:limit], keys[:limit]
	}
	if backward {
		for i, j := 0, len(page.Practices)-1; i < j; i, j = i+1, j-1 {
			page.Practices[i], page.Practices[j] = page.Practices[j], page.Practices[i]
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	if n := len(page.Practices); n > 0 {
		first, last := cursor{keys[0], page.Practices[0].ID}, cursor{keys[n-1], page.Practices[n-1].ID}
		hasNext := more || backward
		hasPrev := (backward && more) || (!backward && f.After != "")
		if hasNext {
			page.Next = last.encode()
		}
		if hasPrev {
			page.Prev = first.encode()
		}
	}
	return page, nil
}

// scanWith scans a practice row that carries one extra column at the end.
func scanWith(r interface{ Scan(...any) error }, extra any) interface{ Scan(...any) error } {
	return scanner(func(dest ...any) error { return r.Scan(append(dest, extra)...) })
}

type scanner func(...any) error

func (f scanner) Scan(dest ...any) error { return f(dest...) }

// Latest returns the n newest published practices v may see.
func (s *Store) Latest(ctx context.Context, v Viewer, n int) ([]*Practice, error) {
	p, err := s.List(ctx, v, Filter{Limit: n})
	if err != nil {
		return nil, err
	}
	return p.Practices, nil
}

// CountByTag counts the published practices v may see, per tag.
func (s *Store) CountByTag(ctx context.Context, v Viewer) (map[int64]int, error) {
	return countBy[int64](ctx, s, v, `SELECT pt.tag_id, p.scope, count(*) FROM practice_tags pt
		JOIN practices p INDEXED BY practices_visibility ON p.id = pt.practice_id
		WHERE `+listed+` GROUP BY pt.tag_id, p.scope`)
}

// CountByCountry counts the published practices v may see, per country.
func (s *Store) CountByCountry(ctx context.Context, v Viewer) (map[string]int, error) {
	return countBy[string](ctx, s, v, `SELECT pc.country_code, p.scope, count(*) FROM practice_countries pc
		JOIN practices p INDEXED BY practices_visibility ON p.id = pc.practice_id
		WHERE `+listed+` GROUP BY pc.country_code, p.scope`)
}

// countBy runs a count of the published practices grouped by a key and by
// scope, once for every viewer (kept while the lists stay the same), and
// adds up the scopes v may see: what the list's visibility rule counts.
func countBy[K comparable](ctx context.Context, s *Store, v Viewer, q string) (map[K]int, error) {
	byScope, err := cachedCount(ctx, s, keyOf(q, nil), func() (map[K]map[Scope]int, error) {
		rows, err := s.DB.R.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		m := map[K]map[Scope]int{}
		for rows.Next() {
			var k K
			var sc Scope
			var n int
			if err := rows.Scan(&k, &sc, &n); err != nil {
				return nil, err
			}
			if m[k] == nil {
				m[k] = map[Scope]int{}
			}
			m[k][sc] = n
		}
		return m, rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make(map[K]int, len(byScope))
	for k, per := range byScope {
		for _, sc := range v.PublishedScopes() {
			if n := per[sc]; n > 0 {
				out[k] += n
			}
		}
	}
	return out, nil
}

// Mine returns what account wrote (every status), newest change first.
func (s *Store) Mine(ctx context.Context, v Viewer) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.author_id = ? ORDER BY p.updated_at DESC LIMIT 500`, v.AccountID)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// Followed returns the practices v follows and may still see.
func (s *Store) Followed(ctx context.Context, v Viewer) ([]*Practice, error) {
	where, args := visibleWhere(v)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practice_follows f
		JOIN practices p ON p.id = f.practice_id JOIN accounts a ON a.id = p.author_id
		WHERE f.account_id = ? AND `+where+` ORDER BY f.created_at DESC LIMIT 500`, append([]any{v.AccountID}, args...)...)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// collect reads rows of practiceColumns (or listColumns).
func collect(rows rowsOf) ([]*Practice, error) {
	return collectWith(rows, scanPractice)
}

type rowsOf interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

// collectWith reads rows with scan.
func collectWith(rows rowsOf, scan func(interface{ Scan(...any) error }) (*Practice, error)) ([]*Practice, error) {
	defer rows.Close()
	var out []*Practice
	for rows.Next() {
		p, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Follow makes v follow practice id (which v must be able to see).
func (s *Store) Follow(ctx context.Context, v Viewer, id int64) error {
	if _, err := s.Get(ctx, v, id); err != nil {
		return err
	}
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO practice_follows (account_id, practice_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, v.AccountID, id, s.now())
	return err
}

// Unfollow stops v following practice id.
func (s *Store) Unfollow(ctx context.Context, v Viewer, id int64) error {
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM practice_follows WHERE account_id = ? AND practice_id = ?`, v.AccountID, id)
	return err
}

// Following reports whether v follows practice id.
func (s *Store) Following(ctx context.Context, v Viewer, id int64) (bool, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM practice_follows WHERE account_id = ? AND practice_id = ?`, v.AccountID, id).Scan(&n)
	return n > 0, err
}

// PublishedBetween returns the practices published in [from, to) and not
// hidden, newest first, with their countries and tags: what a digest may
// offer, before each reader's scope (Viewer.CanSee) narrows it.
func (s *Store) PublishedBetween(ctx context.Context, from, to time.Time) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.status = 'published' AND p.hidden_at IS NULL AND p.published_at >= ? AND p.published_at < ?
		ORDER BY p.published_at DESC, p.id DESC`, db.FormatTime(from), db.FormatTime(to))
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// PublishedAmong returns those of the practices ids that are published
// and not hidden.
func (s *Store) PublishedAmong(ctx context.Context, ids []int64) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.id IN (SELECT value FROM json_each(?)) AND p.status = 'published' AND p.hidden_at IS NULL`, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// VisibleAmong returns, in the order of ids, those of the practices ids
// that are published, not hidden and within v's scope: a list of chosen
// practices (the featured ones) read in one query.
func (s *Store) VisibleAmong(ctx context.Context, v Viewer, ids []int64) ([]*Practice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	where, args := listWhere(v)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.id IN (SELECT value FROM json_each(?)) AND `+where, append([]any{db.IDList(ids)}, args...)...)
	if err != nil {
		return nil, err
	}
	got, err := collect(rows)
	if err != nil {
		return nil, err
	}
	return inOrder(ids, got), nil
}

// inOrder puts the practices got in the order of ids, leaving out the
// ids none of them has.
func inOrder(ids []int64, got []*Practice) []*Practice {
	byID := make(map[int64]*Practice, len(got))
	for _, p := range got {
		byID[p.ID] = p
	}
	out := make([]*Practice, 0, len(got))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Watched returns the titles, by id, of the published practices v may see
// that v wrote or follows.
func (s *Store) Watched(ctx context.Context, v Viewer) (map[int64]string, error) {
	where, args := listWhere(v)
	return db.Pairs[int64, string](ctx, s.DB.R, `SELECT p.id, p.title FROM practices p
		WHERE p.id IN (SELECT id FROM practices WHERE author_id = ? UNION SELECT practice_id FROM practice_follows WHERE account_id = ?)
		AND `+where, append([]any{v.AccountID, v.AccountID}, args...)...)
}
