package practices

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/sanitize"
)

// A Version is a practice in another of the working languages: its own
// title, summary and sections. Live is what readers of that language
// see; a version added to or changed on a published practice waits
// (Pending) for a moderator, or comes back (Returned) with a note.
type Version struct {
	PracticeID int64
	Lang       string
	State      string
	Title      string
	Summary    string
	Sections   []Section
	AuthorID   int64
	ReviewNote string
	UpdatedAt  time.Time
}

// The states of a version.
const (
	VersionLive     = "live"
	VersionPending  = "pending"
	VersionReturned = "returned"
)

// Section returns the version's section key.
func (v *Version) Section(key string) string {
	for _, s := range v.Sections {
		if s.Key == key {
			return s.HTML
		}
	}
	return ""
}

// Apply returns a copy of p that reads as the version: its language,
// title, summary and sections; everything else is p's.
// A section the version leaves empty is the original's: readers are not
// told less than the original says.
func (v *Version) Apply(p *Practice) *Practice {
	c := *p
	c.Lang, c.Title, c.Summary = v.Lang, v.Title, v.Summary
	c.Sections = make([]Section, len(v.Sections))
	for i, s := range v.Sections {
		c.Sections[i] = s
		if strings.TrimSpace(s.HTML) == "" && i < len(p.Sections) {
			c.Sections[i] = p.Sections[i]
		}
	}
	return &c
}

const versionColumns = `practice_id, lang, state, title, summary, context_raw, context_html, actions_raw, actions_html,
	results_raw, results_html, lessons_raw, lessons_html, adoption_raw, adoption_html, coalesce(author_id, 0), review_note, updated_at`

func scanVersions(rows *sql.Rows, err error) ([]*Version, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Version
	for rows.Next() {
		v := &Version{}
		raw := make([]string, len(Sections))
		html := make([]string, len(Sections))
		var updated string
		if err := rows.Scan(&v.PracticeID, &v.Lang, &v.State, &v.Title, &v.Summary, &raw[0], &html[0], &raw[1], &html[1],
			&raw[2], &html[2], &raw[3], &html[3], &raw[4], &html[4], &v.AuthorID, &v.ReviewNote, &updated); err != nil {
			return nil, err
		}
		for i, k := range Sections {
			v.Sections = append(v.Sections, Section{Key: k, Raw: raw[i], HTML: html[i]})
		}
		v.UpdatedAt, _ = db.ParseTime(updated)
		out = append(out, v)
	}
	return out, rows.Err()
}

// LangVersions returns practice id's versions, live and waiting, by language.
// The caller has checked that the reader may see the practice.
func (s *Store) LangVersions(ctx context.Context, id int64) ([]*Version, error) {
	return scanVersions(s.DB.R.QueryContext(ctx, `SELECT `+versionColumns+` FROM practice_versions WHERE practice_id = ? ORDER BY lang, state`, id))
}

// VersionForm is a version as sent.
type VersionForm struct {
	Title    string
	Summary  string
	Sections map[string]string
}

// Section is a section's text as the editor should show it again.
func (f *VersionForm) Section(key string) string { return sanitize.Rich(f.Sections[key]) }

// FormOf fills a version form from a stored version.
func FormOf(v *Version) VersionForm {
	f := VersionForm{Title: v.Title, Summary: v.Summary, Sections: map[string]string{}}
	for _, s := range v.Sections {
		f.Sections[s.Key] = s.HTML
	}
	return f
}

// Validate normalises the form: a version has what a submitted practice
// must have in words (title, summary, the required sections).
func (f *VersionForm) Validate() apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.Title, f.Summary = checkWords(errs, f.Title, f.Summary, f.Sections, false)
	return errs
}

// CanTranslate reports whether v, an account of country, may write
// versions of p: its author, or an official of one of its countries.
func CanTranslate(v Viewer, country string, p *Practice) bool {
	if !v.Member() {
		return false
	}
	return p.AuthorID == v.AccountID || (country != "" && slices.Contains(p.Countries, country) && !v.Staff())
}

var errVersionLang = apperr.New(apperr.NotFound, "error.not_found")

// SaveVersion stores v's version of practice id in lang. Before the
// practice is published it is part of what moderators review with it,
// and goes live at once; on a published practice it waits for review.
// It returns the state the version is in.
func (s *Store) SaveVersion(ctx context.Context, v Viewer, country string, id int64, lang string, f VersionForm) (string, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return "", err
	}
	if !i18n.Supported(lang) || lang == p.Lang {
		return "", errVersionLang
	}
	if !CanTranslate(v, country, p) {
		return "", apperr.New(apperr.Forbidden, "version.not_allowed")
	}
	state := VersionLive
	if p.Status == Published {
		state = VersionPending
	}
	now := s.Clock.Now()
	args := []any{id, lang, state, f.Title, f.Summary}
	for _, k := range Sections {
		args = append(args, f.Sections[k], sanitize.Rich(f.Sections[k]))
	}
	args = append(args, sanitize.PolicyVersion, v.AccountID, db.FormatTime(now))
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// One waiting version at a time: a new one replaces it, returned
		// or not.
		if state == VersionPending {
			if _, err := tx.ExecContext(ctx, `DELETE FROM practice_versions WHERE practice_id = ? AND lang = ? AND state <> 'live'`, id, lang); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO practice_versions (practice_id, lang, state, title, summary,
			context_raw, context_html, actions_raw, actions_html, results_raw, results_html, lessons_raw, lessons_html, adoption_raw, adoption_html,
			policy_version, author_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
			return err
		}
		if state == VersionPending {
			return tellStaff(ctx, tx, now, v.AccountID)
		}
		return s.Reindex(ctx, tx, id)
	})
	return state, err
}

// WaitingVersion is a version waiting for review, with what the queue
// shows of its practice.
type WaitingVersion struct {
	*Version
	PracticeTitle string
}

// PendingVersions lists the versions waiting for review, oldest first.
func (s *Store) PendingVersions(ctx context.Context) ([]WaitingVersion, error) {
	vs, err := scanVersions(s.DB.R.QueryContext(ctx, `SELECT `+versionColumns+` FROM practice_versions WHERE state = 'pending' ORDER BY updated_at`))
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.PracticeID
	}
	titles, err := db.Pairs[int64, string](ctx, s.DB.R, `SELECT id, title FROM practices WHERE id IN (SELECT value FROM json_each(?))`, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	out := make([]WaitingVersion, 0, len(vs))
	for _, v := range vs {
		out = append(out, WaitingVersion{Version: v, PracticeTitle: titles[v.PracticeID]})
	}
	return out, nil
}

// PendingVersionsCount counts the versions waiting for review.
func PendingVersionsCount(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM practice_versions WHERE state = 'pending'`).Scan(&n)
	return n, err
}

// ErrNoPendingVersion answers a decision on a version no longer waiting.
var ErrNoPendingVersion = apperr.New(apperr.Conflict, "practice.already_handled")

// PendingVersion reads the version of id in lang waiting for review,
// inside the caller's transaction.
func PendingVersion(ctx context.Context, q db.Querier, id int64, lang string) (*Version, error) {
	vs, err := scanVersions(q.QueryContext(ctx, `SELECT `+versionColumns+` FROM practice_versions WHERE practice_id = ? AND lang = ? AND state = 'pending'`, id, lang))
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, ErrNoPendingVersion
	}
	return vs[0], nil
}

// ApproveVersion makes the waiting version of id in lang the live one,
// inside the caller's transaction, with the search row.
func (s *Store) ApproveVersion(ctx context.Context, tx db.Querier, id int64, lang string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_versions WHERE practice_id = ? AND lang = ? AND state = 'live'`, id, lang); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE practice_versions SET state = 'live', review_note = '' WHERE practice_id = ? AND lang = ? AND state = 'pending'`, id, lang)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoPendingVersion
	}
	return s.Reindex(ctx, tx, id)
}

// ReturnVersion sends the waiting version of id in lang back to its
// author with a note, inside the caller's transaction.
func ReturnVersion(ctx context.Context, tx db.Querier, id int64, lang, note string) error {
	res, err := tx.ExecContext(ctx, `UPDATE practice_versions SET state = 'returned', review_note = ? WHERE practice_id = ? AND lang = ? AND state = 'pending'`,
		note, id, lang)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoPendingVersion
	}
	return nil
}

// Localize returns ps with the title and summary of each one's live
// version in lang, where it has one: lists, search results, feeds and the
// digest speak the reader's language when a version does. ps and its
// practices are not changed (they may be kept in a cache): what changes
// is a copy.
func (s *Store) Localize(ctx context.Context, lang string, ps []*Practice) ([]*Practice, error) {
	if !i18n.Supported(lang) {
		return ps, nil
	}
	var ids []int64
	for _, p := range ps {
		if p.Lang != lang {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return ps, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, title, summary FROM practice_versions
		WHERE lang = ? AND state = 'live' AND practice_id IN (SELECT value FROM json_each(?))`, lang, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type ts struct{ title, summary string }
	found := map[int64]ts{}
	for rows.Next() {
		var id int64
		var t ts
		if err := rows.Scan(&id, &t.title, &t.summary); err != nil {
			return nil, err
		}
		found[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return ps, nil
	}
	out := make([]*Practice, len(ps))
	for i, p := range ps {
		out[i] = p
		if t, ok := found[p.ID]; ok {
			c := *p
			c.Title, c.Summary, c.Lang = t.title, t.summary, lang
			out[i] = &c
		}
	}
	return out, nil
}

// versionTexts are the words of practice id's live versions, for its
// search row: each version is found in its own words.
func versionTexts(ctx context.Context, q db.Querier, id int64) (titles, summaries string, sections []string, err error) {
	vs, err := scanVersions(q.QueryContext(ctx, `SELECT `+versionColumns+` FROM practice_versions WHERE practice_id = ? AND state = 'live' ORDER BY lang`, id))
	if err != nil {
		return "", "", nil, err
	}
	sections = make([]string, len(Sections))
	var t, su []string
	for _, v := range vs {
		t, su = append(t, v.Title), append(su, v.Summary)
		for i, s := range v.Sections {
			sections[i] += " " + s.HTML
		}
	}
	return strings.Join(t, " "), strings.Join(su, " "), sections, nil
}

// LiveLangs lists the languages practice id has a live version in.
func (s *Store) LiveLangs(ctx context.Context, id int64) ([]string, error) {
	return db.Column[string](ctx, s.DB.R, `SELECT lang FROM practice_versions WHERE practice_id = ? AND state = 'live' ORDER BY lang`, id)
}

// VersionOf reads one version of id, live or waiting.
func (s *Store) VersionOf(ctx context.Context, id int64, lang, state string) (*Version, error) {
	vs, err := scanVersions(s.DB.R.QueryContext(ctx, `SELECT `+versionColumns+` FROM practice_versions WHERE practice_id = ? AND lang = ? AND state = ?`, id, lang, state))
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, ErrNotFound
	}
	return vs[0], nil
}
