// Package adoptions records what happened after a practice was published:
// which member states took it up, at what stage (exploring, piloting,
// adopted, adapted, or decided against), through which institution, what
// they changed and what came of it. One record per practice and country,
// updated over time, each update a dated entry. It owns the adoptions and
// adoption_entries tables.
package adoptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/notifications"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// Stage is where a country stands with a practice.
type Stage string

// The stages, in the order a country usually goes through them.
const (
	Exploring Stage = "exploring"
	Piloting  Stage = "piloting"
	Adopted   Stage = "adopted"
	Adapted   Stage = "adapted"
	Declined  Stage = "declined" // decided against, with why
)

// Stages lists every stage, for forms and filters.
var Stages = []Stage{Exploring, Piloting, Adopted, Adapted, Declined}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

// TakenUp reports whether the country went ahead with the practice.
func (s Stage) TakenUp() bool { return s == Adopted || s == Adapted }

// Limits on what a person types, in characters.
const (
	MaxInstitution = 300
	MaxFigures     = 500
	MaxReason      = 2000
	MaxRich        = 10000 // what was changed, the outcome, an update's note
)

// Adoption is one country's record for one practice.
type Adoption struct {
	ID          int64
	PracticeID  int64
	Country     string
	Stage       Stage
	Institution string
	Started     string // YYYY-MM, "" when not said
	Changes     string // sanitised HTML: what the country changed
	Outcome     string // sanitised HTML: what came of it
	Figures     string
	Reason      string // why the country decided against it
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// HiddenAt is set when moderators hid the record, with their reason.
	HiddenAt     time.Time
	HiddenReason string
	Entries      []Entry // oldest first
}

// Hidden reports whether moderators hid the record.
func (a *Adoption) Hidden() bool { return !a.HiddenAt.IsZero() }

// StartedTime is the start month as a date, for display (zero when not
// said).
func (a *Adoption) StartedTime() time.Time {
	t, _ := time.Parse("2006-01", a.Started)
	return t
}

// Entry is one dated update of a record.
type Entry struct {
	Stage  Stage
	Note   string // sanitised HTML
	Author string
	At     time.Time
}

// Form is what an official sends to record or update their country's
// adoption of a practice.
type Form struct {
	Stage       string
	Institution string
	Started     string
	Changes     string
	Outcome     string
	Figures     string
	Reason      string
	Note        string // what happened since the last update
}

// Field is the value of one of the rich-text fields, by name, for a form
// that lists them in a loop.
func (f Form) Field(name string) string {
	switch name {
	case "changes":
		return f.Changes
	case "outcome":
		return f.Outcome
	case "note":
		return f.Note
	}
	return ""
}

var month = regexp.MustCompile(`^[12][0-9]{3}-(0[1-9]|1[0-2])$`)

// Validate tidies the form and returns its problems by field.
func (f *Form) Validate(now time.Time) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	f.Institution = strings.Join(strings.Fields(sanitize.Plain(f.Institution)), " ")
	f.Figures = sanitize.Plain(f.Figures)
	f.Reason = sanitize.Plain(f.Reason)
	f.Started = strings.TrimSpace(f.Started)
	st := Stage(f.Stage)
	switch {
	case f.Stage == "":
		errs.Add("stage", "field.required")
	case !st.Valid():
		errs.Add("stage", "adoption.stage_unknown")
	}
	switch {
	case f.Institution == "":
		errs.Add("institution", "field.required")
	case utf8.RuneCountInString(f.Institution) > MaxInstitution:
		errs.Add("institution", "adoption.too_long")
	}
	switch {
	case f.Started == "":
	case !month.MatchString(f.Started):
		errs.Add("started", "adoption.month_invalid")
	case f.Started > now.Format("2006-01"):
		errs.Add("started", "adoption.month_future")
	}
	if utf8.RuneCountInString(f.Figures) > MaxFigures {
		errs.Add("figures", "adoption.too_long")
	}
	switch {
	case st == Declined && f.Reason == "":
		errs.Add("reason", "adoption.reason_required")
	case utf8.RuneCountInString(f.Reason) > MaxReason:
		errs.Add("reason", "adoption.too_long")
	}
	for field, v := range map[string]string{"changes": f.Changes, "outcome": f.Outcome, "note": f.Note} {
		if utf8.RuneCountInString(v) > MaxRich {
			errs.Add(field, "adoption.too_long")
		}
	}
	return errs
}

// rich is the sanitised HTML of a rich-text field, "" when it says nothing.
func rich(raw string) string {
	html := sanitize.Rich(raw)
	if strings.TrimSpace(sanitize.Text(html)) == "" {
		return ""
	}
	return html
}

// Store reads and writes adoption records.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Practices *practices.Store
}

// ErrNotFound is a record that does not exist or that the reader may not
// see.
var ErrNotFound = apperr.New(apperr.NotFound, "error.not_found")

// CanRecord reports whether a may record an adoption of p for their
// country, and if not the catalogue key of why: only officials of
// another member state, on a published practice in circulation.
func CanRecord(a *accounts.Account, p *practices.Practice) (bool, string) {
	switch {
	case a == nil:
		return false, "error.signin_needed"
	case a.CountryCode == "":
		return false, "adoption.no_country"
	case p.AuthorID == a.ID || slices.Contains(p.Countries, a.CountryCode):
		return false, "adoption.own_practice"
	case p.Status != practices.Published || p.Hidden():
		return false, "adoption.not_published"
	}
	return true, ""
}

// practiceFor loads practice id as a's viewer may see it, with its
// countries, and checks that a may record an adoption of it.
func (s *Store) practiceFor(ctx context.Context, v practices.Viewer, a *accounts.Account, id int64) (*practices.Practice, error) {
	p, err := s.Practices.GetHead(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if ok, why := CanRecord(a, p); !ok {
		return nil, apperr.New(apperr.Forbidden, why)
	}
	return p, nil
}

// Mine returns the record of a's country for practice id, or nil when
// there is none yet, after checking a may record one.
func (s *Store) Mine(ctx context.Context, v practices.Viewer, a *accounts.Account, id int64) (*practices.Practice, *Adoption, error) {
	p, err := s.practiceFor(ctx, v, a, id)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.read(ctx, s.DB.R, `a.practice_id = ? AND a.country_code = ?`, id, a.CountryCode)
	if err != nil || len(list) == 0 {
		return p, nil, err
	}
	return p, list[0], nil
}

// Record creates or updates the adoption of practice id by a's country,
// adds a dated entry, and tells the practice's author and followers.
func (s *Store) Record(ctx context.Context, v practices.Viewer, a *accounts.Account, id int64, f Form) error {
	p, err := s.practiceFor(ctx, v, a, id)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	if errs := f.Validate(now); !errs.OK() {
		return apperr.InvalidFields(errs)
	}
	changes, outcome, note := rich(f.Changes), rich(f.Outcome), rich(f.Note)
	reason := f.Reason
	if Stage(f.Stage) != Declined {
		reason = ""
	}
	at := db.FormatTime(now)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var rid int64
		err := tx.QueryRowContext(ctx, `INSERT INTO adoptions (practice_id, country_code, stage, institution, started, changes_html, outcome_html,
				figures, reason, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (practice_id, country_code) DO UPDATE SET stage = excluded.stage, institution = excluded.institution,
				started = excluded.started, changes_html = excluded.changes_html, outcome_html = excluded.outcome_html,
				figures = excluded.figures, reason = excluded.reason, updated_by = excluded.updated_by, updated_at = excluded.updated_at
			RETURNING id`,
			p.ID, a.CountryCode, f.Stage, f.Institution, f.Started, changes, outcome, f.Figures, reason, a.ID, at, a.ID, at).Scan(&rid)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO adoption_entries (adoption_id, stage, note_html, account_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			rid, f.Stage, note, a.ID, at); err != nil {
			return err
		}
		n := notifications.Notification{Kind: notifications.Adoption, PracticeID: p.ID, ActorID: a.ID, Detail: f.Stage}
		return notifications.AddSelected(ctx, tx, now, n, 0, practices.WatchersQuery, p.ID, p.ID)
	})
}

// ForPractice returns the adoptions of p that v may see, by country:
// hidden ones only for staff and for the officials of that country
// (countryOf is the reader's country, "" for none). p must come from a
// read that checked v may see it.
func (s *Store) ForPractice(ctx context.Context, v practices.Viewer, countryOf string, p *practices.Practice) ([]*Adoption, error) {
	list, err := s.read(ctx, s.DB.R, `a.practice_id = ?`, p.ID)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, a := range list {
		if !a.Hidden() || v.Staff() || (countryOf != "" && a.Country == countryOf) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := s.loadEntries(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Shown returns the records nobody hid on the practices ids (which the
// caller read under the visibility rule), by practice, by country: what
// every reader of those practices sees, for the open data.
func (s *Store) Shown(ctx context.Context, ids []int64) (map[int64][]*Adoption, error) {
	list, err := s.read(ctx, s.DB.R, `a.practice_id IN (SELECT value FROM json_each(?)) AND a.hidden_at IS NULL`, db.IDList(ids))
	if err != nil {
		return nil, err
	}
	out := map[int64][]*Adoption{}
	for _, a := range list {
		out[a.PracticeID] = append(out[a.PracticeID], a)
	}
	return out, nil
}

const columns = `a.id, a.practice_id, a.country_code, a.stage, a.institution, a.started, a.changes_html, a.outcome_html, a.figures, a.reason,
	a.created_at, a.updated_at, coalesce(a.hidden_at, ''), a.hidden_reason`

func (s *Store) read(ctx context.Context, q db.Querier, where string, args ...any) ([]*Adoption, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM adoptions a WHERE `+where+` ORDER BY a.stage IN ('adopted', 'adapted') DESC, a.updated_at DESC, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Adoption
	for rows.Next() {
		a := &Adoption{}
		if err := scanAdoption(rows, a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// scanAdoption reads the columns into a, then any more into more.
func scanAdoption(rows *sql.Rows, a *Adoption, more ...any) error {
	var created, updated, hidden string
	dest := append([]any{&a.ID, &a.PracticeID, &a.Country, &a.Stage, &a.Institution, &a.Started, &a.Changes, &a.Outcome, &a.Figures, &a.Reason,
		&created, &updated, &hidden, &a.HiddenReason}, more...)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	a.CreatedAt, _ = db.ParseTime(created)
	a.UpdatedAt, _ = db.ParseTime(updated)
	if hidden != "" {
		a.HiddenAt, _ = db.ParseTime(hidden)
	}
	return nil
}

func (s *Store) loadEntries(ctx context.Context, list []*Adoption) error {
	byID := make(map[int64]*Adoption, len(list))
	ids := make([]int64, len(list))
	for i, a := range list {
		byID[a.ID], ids[i] = a, a.ID
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.adoption_id, e.stage, e.note_html, coalesce(ac.display_name, ''), e.created_at
		FROM adoption_entries e LEFT JOIN accounts ac ON ac.id = e.account_id
		WHERE e.adoption_id IN (SELECT value FROM json_each(?)) ORDER BY e.id`, db.IDList(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e Entry
		var at string
		if err := rows.Scan(&id, &e.Stage, &e.Note, &e.Author, &at); err != nil {
			return err
		}
		e.At, _ = db.ParseTime(at)
		byID[id].Entries = append(byID[id].Entries, e)
	}
	return rows.Err()
}

// Listed is a record shown in a list, with its practice's title.
type Listed struct {
	*Adoption
	Title string
	// From are the practice's countries.
	From []string
}

// OfCountry returns what the country code took up or is trying (its
// records, decisions against aside) and what others took from it (their
// records of its practices), shown and not hidden, on the practices v may see in lists, most recent first.
func (s *Store) OfCountry(ctx context.Context, v practices.Viewer, code string) (tookUp, takenFrom []*Listed, err error) {
	where, args := practices.ListedWhere(v)
	const limit = 100
	if tookUp, err = s.listed(ctx, `a.country_code = ? AND a.hidden_at IS NULL AND a.stage <> 'declined' AND `+where, append([]any{code}, args...), limit); err != nil {
		return nil, nil, err
	}
	takenFrom, err = s.listed(ctx, `a.country_code <> ? AND a.hidden_at IS NULL AND a.stage <> 'declined' AND EXISTS (SELECT 1 FROM practice_countries pc
		WHERE pc.practice_id = p.id AND pc.country_code = ?) AND `+where, append([]any{code, code}, args...), limit)
	return tookUp, takenFrom, err
}

func (s *Store) listed(ctx context.Context, where string, args []any, limit int) ([]*Listed, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+`, p.title, (SELECT json_group_array(pc.country_code) FROM practice_countries pc WHERE pc.practice_id = p.id)
		FROM adoptions a JOIN practices p ON p.id = a.practice_id WHERE `+where+` ORDER BY a.updated_at DESC, a.id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Listed
	for rows.Next() {
		l := &Listed{Adoption: &Adoption{}}
		var from string
		if err := scanAdoption(rows, l.Adoption, &l.Title, &from); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(from), &l.From); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Moved is a record that changed in a period: its country, its stage now
// and its practice.
type Moved struct {
	ID         int64
	PracticeID int64
	Country    string
	Stage      Stage
	Started    string
}

// ChangedBetween returns the records shown (not hidden) with an entry in
// [from, to), the latest first: the digest's "taken up" lines, which it
// keeps for the practices each reader may see.
func (s *Store) ChangedBetween(ctx context.Context, from, to time.Time) ([]Moved, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT a.id, a.practice_id, a.country_code, a.stage, a.started FROM adoptions a
		WHERE a.hidden_at IS NULL AND EXISTS (SELECT 1 FROM adoption_entries e WHERE e.adoption_id = a.id AND e.created_at >= ? AND e.created_at < ?)
		ORDER BY a.updated_at DESC, a.id DESC`, db.FormatTime(from), db.FormatTime(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Moved
	for rows.Next() {
		var m Moved
		if err := rows.Scan(&m.ID, &m.PracticeID, &m.Country, &m.Stage, &m.Started); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Flow is how many records go from the practices of one country to
// another country.
type Flow struct {
	From, To string
	Records  int
}

// Counts are the records shown on the practices v may see in lists: per
// objective or recommendation (taken up, and under way: exploring or
// piloting), and from the practice's country to the adopting one.
type Counts struct {
	ByTag map[int64][2]int
	Flows []Flow
}

// Insights counts the records for the insights page.
func (s *Store) Insights(ctx context.Context, v practices.Viewer) (*Counts, error) {
	where, args := practices.ListedWhere(v)
	c := &Counts{ByTag: map[int64][2]int{}}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT pt.tag_id, sum(a.stage IN ('adopted', 'adapted')), sum(a.stage IN ('exploring', 'piloting'))
		FROM adoptions a JOIN practices p ON p.id = a.practice_id JOIN practice_tags pt ON pt.practice_id = p.id
		WHERE a.hidden_at IS NULL AND `+where+` GROUP BY pt.tag_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var tag int64
		var n [2]int
		if err := rows.Scan(&tag, &n[0], &n[1]); err != nil {
			rows.Close()
			return nil, err
		}
		c.ByTag[tag] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT pc.country_code, a.country_code, count(*)
		FROM adoptions a JOIN practices p ON p.id = a.practice_id JOIN practice_countries pc ON pc.practice_id = p.id
		WHERE a.hidden_at IS NULL AND a.stage <> 'declined' AND `+where+`
		GROUP BY pc.country_code, a.country_code ORDER BY count(*) DESC, pc.country_code, a.country_code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f Flow
		if err := rows.Scan(&f.From, &f.To, &f.Records); err != nil {
			return nil, err
		}
		c.Flows = append(c.Flows, f)
	}
	return c, rows.Err()
}

// Item is what moderation needs of a record: the practice it belongs to,
// its country, who last wrote it and whether it is hidden.
type Item struct {
	PracticeID int64
	Country    string
	WriterID   int64
	Hidden     bool
}

// Load reads record id inside the caller's transaction, for moderation.
func Load(ctx context.Context, q db.Querier, id int64) (*Item, error) {
	it := &Item{}
	var writer sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT practice_id, country_code, updated_by, hidden_at IS NOT NULL FROM adoptions WHERE id = ?`, id).
		Scan(&it.PracticeID, &it.Country, &writer, &it.Hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	it.WriterID = writer.Int64
	return it, err
}

// SetHidden hides (at not zero, with the moderators' note) or restores
// record id, inside the caller's transaction.
func SetHidden(ctx context.Context, q db.Querier, id int64, at time.Time, note string) error {
	_, err := q.ExecContext(ctx, `UPDATE adoptions SET hidden_at = ?, hidden_reason = ? WHERE id = ?`, db.TimeOrNull(at), note, id)
	return err
}

// PracticeOf returns the practice of record id, if v may see that
// practice.
func (s *Store) PracticeOf(ctx context.Context, v practices.Viewer, id int64) (int64, error) {
	it, err := Load(ctx, s.DB.R, id)
	if err != nil {
		return 0, err
	}
	if _, _, err := s.Practices.Status(ctx, v, it.PracticeID); err != nil {
		return 0, err
	}
	return it.PracticeID, nil
}
