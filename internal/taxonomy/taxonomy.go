// Package taxonomy holds the reference data practices are classified by:
// the member states, the regional processes they belong to, and each
// meeting's objectives and recommendations, named in every UI language.
package taxonomy

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"puente/db"
	"puente/internal/cache"
	"puente/internal/i18n"
)

// Country is a member state.
type Country struct {
	Code        string
	DefaultLang string
	Names       map[string]string // by UI language
	Processes   []string          // process codes, e.g. CRM
}

// Name returns the country's name in lang.
func (c *Country) Name(lang string) string {
	if n, ok := c.Names[lang]; ok {
		return n
	}
	return c.Names[i18n.Default]
}

// Process is a regional consultation process.
type Process struct {
	Code      string
	ShortName map[string]string
	Names     map[string]string
	Members   []string // country codes
}

// Name returns the process's full name in lang.
func (p *Process) Name(lang string) string { return p.Names[lang] }

// Store reads the taxonomy. Countries and processes change only with a
// migration: they are read once, by Open, and kept. Meetings and tags,
// which admins edit, are kept while the taxonomy topic stays the same.
type Store struct {
	DB *db.DB

	countries map[string]*Country
	processes []*Process
	meetings  *cache.Cache[string, []*Meeting]
	// sortedCountries is each language's order of the member states.
	sortedCountries sync.Map // lang → []*Country
}

// Open reads the member states and processes, which every authorisation
// decision needs: a process that cannot read them does not start.
func Open(ctx context.Context, d *db.DB, versions *cache.Versions) (*Store, error) {
	s := &Store{DB: d, countries: map[string]*Country{},
		meetings: cache.New[string](versions, 4<<20, func(ms []*Meeting) int { return 2048 * len(ms) })}
	if err := s.load(ctx); err != nil {
		return nil, fmt.Errorf("reading the member states: %w", err)
	}
	return s, nil
}

func (s *Store) load(ctx context.Context) error {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.code, c.default_lang, n.lang, n.name FROM countries c JOIN country_names n ON n.country_code = c.code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code, def, lang, name string
		if err := rows.Scan(&code, &def, &lang, &name); err != nil {
			return err
		}
		c := s.countries[code]
		if c == nil {
			c = &Country{Code: code, DefaultLang: def, Names: map[string]string{}}
			s.countries[code] = c
		}
		c.Names[lang] = name
	}
	if err := rows.Err(); err != nil {
		return err
	}
	procs := map[string]*Process{}
	prow, err := s.DB.R.QueryContext(ctx, `SELECT process_code, lang, short_name, name FROM process_names ORDER BY process_code`)
	if err != nil {
		return err
	}
	defer prow.Close()
	for prow.Next() {
		var code, lang, short, name string
		if err := prow.Scan(&code, &lang, &short, &name); err != nil {
			return err
		}
		p := procs[code]
		if p == nil {
			p = &Process{Code: code, ShortName: map[string]string{}, Names: map[string]string{}}
			procs[code] = p
			s.processes = append(s.processes, p)
		}
		p.ShortName[lang] = short
		p.Names[lang] = name
	}
	if err := prow.Err(); err != nil {
		return err
	}
	mrow, err := s.DB.R.QueryContext(ctx, `SELECT process_code, country_code FROM process_members ORDER BY process_code, country_code`)
	if err != nil {
		return err
	}
	defer mrow.Close()
	for mrow.Next() {
		var p, c string
		if err := mrow.Scan(&p, &c); err != nil {
			return err
		}
		if proc, ok := procs[p]; ok {
			proc.Members = append(proc.Members, c)
		}
		if country, ok := s.countries[c]; ok {
			country.Processes = append(country.Processes, p)
		}
	}
	return mrow.Err()
}

// Country returns the member state with code, or nil.
func (s *Store) Country(code string) *Country { return s.countries[code] }

// AllNames is the names of the member states codes in every language,
// for the search index.
func (s *Store) AllNames(codes []string) string {
	var names []string
	for _, code := range codes {
		if c := s.countries[code]; c != nil {
			for _, lang := range slices.Sorted(maps.Keys(c.Names)) {
				names = append(names, c.Names[lang])
			}
		}
	}
	return strings.Join(names, " ")
}

// ProcessesOf returns the processes the member state with code belongs
// to; none for an unknown code.
func (s *Store) ProcessesOf(code string) []string {
	if c := s.countries[code]; c != nil {
		return c.Processes
	}
	return nil
}

// CountryExists reports whether code is a member state.
func (s *Store) CountryExists(code string) bool {
	return s.countries[code] != nil
}

// Countries returns every member state sorted by its name in lang. The
// member states are fixed while the program runs, so each language's
// order is worked out once (a collator costs more than the sort).
func (s *Store) Countries(lang string) []*Country {
	if v, ok := s.sortedCountries.Load(lang); ok {
		return slices.Clone(v.([]*Country))
	}
	out := make([]*Country, 0, len(s.countries))
	for _, c := range s.countries {
		out = append(out, c)
	}
	col := collate.New(language.Make(lang), collate.IgnoreCase)
	sort.Slice(out, func(i, j int) bool { return col.CompareString(out[i].Name(lang), out[j].Name(lang)) < 0 })
	s.sortedCountries.Store(lang, slices.Clone(out))
	return out
}

// Processes returns the regional processes with their members.
func (s *Store) Processes() []*Process { return s.processes }

// Tag is an objective or recommendation of a meeting.
type Tag struct {
	ID      int64
	Kind    string // objective or recommendation
	Number  int
	Label   string
	Body    string
	Retired bool
}

// Meeting is a meeting of the processes and what it agreed.
type Meeting struct {
	ID              int64
	Slug            string
	StartsOn        string
	EndsOn          string
	Process         string // CRM, CSM or joint
	Kind            string // plenary, vice_ministerial, technical or virtual
	Place           string
	Title           string
	Objectives      []Tag
	Recommendations []Tag
}

// TagIDs are the ids of the meeting's objectives and recommendations.
func (m *Meeting) TagIDs() []int64 {
	var out []int64
	for _, t := range append(append([]Tag{}, m.Objectives...), m.Recommendations...) {
		out = append(out, t.ID)
	}
	return out
}

// Starts is the first day of the meeting.
func (m *Meeting) Starts() time.Time { t, _ := time.Parse(time.DateOnly, m.StartsOn); return t }

// Ends is the last day of the meeting.
func (m *Meeting) Ends() time.Time { t, _ := time.Parse(time.DateOnly, m.EndsOn); return t }

// Meetings returns every meeting, newest first, with its tags in lang.
// The result is the caller's own copy to change.
func (s *Store) Meetings(ctx context.Context, lang string) ([]*Meeting, error) {
	list, err := s.meetings.Get(ctx, lang, []cache.Topic{cache.Taxonomy}, func() ([]*Meeting, error) { return s.readMeetings(ctx, lang) })
	if err != nil {
		return nil, err
	}
	out := make([]*Meeting, len(list))
	for i, m := range list {
		c := *m
		c.Objectives = slices.Clone(m.Objectives)
		c.Recommendations = slices.Clone(m.Recommendations)
		out[i] = &c
	}
	return out, nil
}

func (s *Store) readMeetings(ctx context.Context, lang string) ([]*Meeting, error) {
	// A meeting with no objective or recommendation yet is listed too.
	rows, err := s.DB.R.QueryContext(ctx, `SELECT m.id, m.slug, m.starts_on, m.ends_on, m.process, m.kind, m.place,
			coalesce(mi.title, md.title, ''),
			coalesce(t.id, 0), coalesce(t.kind, ''), coalesce(t.number, 0), coalesce(ti.label, td.label, ''), coalesce(ti.body, td.body, ''),
			coalesce(t.retired_at IS NOT NULL, 0)
		FROM meetings m
		LEFT JOIN meeting_i18n mi ON mi.meeting_id = m.id AND mi.lang = ?
		LEFT JOIN meeting_i18n md ON md.meeting_id = m.id AND md.lang = ?
		LEFT JOIN tags t ON t.meeting_id = m.id
		LEFT JOIN tag_i18n ti ON ti.tag_id = t.id AND ti.lang = ?
		LEFT JOIN tag_i18n td ON td.tag_id = t.id AND td.lang = ?
		ORDER BY m.starts_on DESC, m.id, t.kind, t.number`, lang, i18n.Default, lang, i18n.Default)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Meeting
	for rows.Next() {
		var m Meeting
		var t Tag
		if err := rows.Scan(&m.ID, &m.Slug, &m.StartsOn, &m.EndsOn, &m.Process, &m.Kind, &m.Place, &m.Title,
			&t.ID, &t.Kind, &t.Number, &t.Label, &t.Body, &t.Retired); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != m.ID {
			out = append(out, &m)
		}
		cur := out[len(out)-1]
		switch t.Kind {
		case "":
			// no tags yet
		case "objective":
			cur.Objectives = append(cur.Objectives, t)
		default:
			cur.Recommendations = append(cur.Recommendations, t)
		}
	}
	return out, rows.Err()
}

// TagRef is a tag with the meeting it belongs to, for labels and links.
type TagRef struct {
	Tag
	MeetingID    int64
	MeetingTitle string
}

// Tags returns every tag by id, in lang.
func (s *Store) Tags(ctx context.Context, lang string) (map[int64]*TagRef, error) {
	ms, err := s.Meetings(ctx, lang)
	if err != nil {
		return nil, err
	}
	out := map[int64]*TagRef{}
	for _, m := range ms {
		for _, t := range append(append([]Tag{}, m.Objectives...), m.Recommendations...) {
			out[t.ID] = &TagRef{Tag: t, MeetingID: m.ID, MeetingTitle: m.Title}
		}
	}
	return out, nil
}

// Meeting returns one meeting with its tags in lang, or nil.
func (s *Store) Meeting(ctx context.Context, lang string, id int64) (*Meeting, error) {
	ms, err := s.Meetings(ctx, lang)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, nil
}

// TagID returns the id of a meeting's objective or recommendation by its
// number.
func (s *Store) TagID(ctx context.Context, meeting int64, kind string, number int) (int64, error) {
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM tags WHERE meeting_id = ? AND kind = ? AND number = ?`, meeting, kind, number).Scan(&id)
	return id, err
}
