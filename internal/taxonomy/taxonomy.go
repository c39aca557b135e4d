// Package taxonomy holds the reference data practices are classified by:
// the member states, the regional processes they belong to, and each
// meeting's objectives and recommendations, named in every UI language.
package taxonomy

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"puente/db"
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
// migration, so they are read once and kept.
type Store struct {
	DB *db.DB

	once      sync.Once
	loadErr   error
	countries map[string]*Country
	processes []*Process

	// meetings keeps Meetings by language while taxonomy_version, which
	// triggers bump on every change to meetings, tags and their texts,
	// stays the same: every list, form and practice page reads them.
	mu       sync.Mutex
	meetings map[string]meetingsEntry
}

type meetingsEntry struct {
	version int64
	list    []*Meeting
}

func (s *Store) load(ctx context.Context) error {
	s.once.Do(func() {
		s.countries = map[string]*Country{}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT c.code, c.default_lang, n.lang, n.name FROM countries c JOIN country_names n ON n.country_code = c.code`)
		if err != nil {
			s.loadErr = err
			return
		}
		defer rows.Close()
		for rows.Next() {
			var code, def, lang, name string
			if err := rows.Scan(&code, &def, &lang, &name); err != nil {
				s.loadErr = err
				return
			}
			c := s.countries[code]
			if c == nil {
				c = &Country{Code: code, DefaultLang: def, Names: map[string]string{}}
				s.countries[code] = c
			}
			c.Names[lang] = name
		}
		if s.loadErr = rows.Err(); s.loadErr != nil {
			return
		}
		procs := map[string]*Process{}
		prow, err := s.DB.R.QueryContext(ctx, `SELECT process_code, lang, short_name, name FROM process_names ORDER BY process_code`)
		if err != nil {
			s.loadErr = err
			return
		}
		defer prow.Close()
		for prow.Next() {
			var code, lang, short, name string
			if err := prow.Scan(&code, &lang, &short, &name); err != nil {
				s.loadErr = err
				return
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
		mrow, err := s.DB.R.QueryContext(ctx, `SELECT process_code, country_code FROM process_members ORDER BY process_code, country_code`)
		if err != nil {
			s.loadErr = err
			return
		}
		defer mrow.Close()
		for mrow.Next() {
			var p, c string
			if err := mrow.Scan(&p, &c); err != nil {
				s.loadErr = err
				return
			}
			if proc, ok := procs[p]; ok {
				proc.Members = append(proc.Members, c)
			}
			if country, ok := s.countries[c]; ok {
				country.Processes = append(country.Processes, p)
			}
		}
		s.loadErr = mrow.Err()
	})
	return s.loadErr
}

// Country returns the member state with code, or nil.
func (s *Store) Country(ctx context.Context, code string) (*Country, error) {
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	return s.countries[code], nil
}

// CountryExists reports whether code is a member state.
func (s *Store) CountryExists(code string) bool {
	c, err := s.Country(context.Background(), code)
	return err == nil && c != nil
}

// Countries returns every member state sorted by its name in lang.
func (s *Store) Countries(ctx context.Context, lang string) ([]*Country, error) {
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	out := make([]*Country, 0, len(s.countries))
	for _, c := range s.countries {
		out = append(out, c)
	}
	col := collate.New(language.Make(lang), collate.IgnoreCase)
	sort.Slice(out, func(i, j int) bool { return col.CompareString(out[i].Name(lang), out[j].Name(lang)) < 0 })
	return out, nil
}

// Processes returns the regional processes with their members.
func (s *Store) Processes(ctx context.Context) ([]*Process, error) {
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	return s.processes, nil
}

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
	Title           string
	Objectives      []Tag
	Recommendations []Tag
}

// Starts is the first day of the meeting.
func (m *Meeting) Starts() time.Time { t, _ := time.Parse(time.DateOnly, m.StartsOn); return t }

// Ends is the last day of the meeting.
func (m *Meeting) Ends() time.Time { t, _ := time.Parse(time.DateOnly, m.EndsOn); return t }

// Meetings returns every meeting, newest first, with its tags in lang.
// The result is the caller's own copy to change.
func (s *Store) Meetings(ctx context.Context, lang string) ([]*Meeting, error) {
	var version int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT n FROM taxonomy_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, err
	}
	s.mu.Lock()
	e, ok := s.meetings[lang]
	s.mu.Unlock()
	if !ok || e.version != version {
		list, err := s.readMeetings(ctx, lang)
		if err != nil {
			return nil, err
		}
		// The version was read first: a change landing in between only
		// makes the entry look older than it is, never newer.
		e = meetingsEntry{version, list}
		s.mu.Lock()
		if s.meetings == nil {
			s.meetings = map[string]meetingsEntry{}
		}
		s.meetings[lang] = e
		s.mu.Unlock()
	}
	out := make([]*Meeting, len(e.list))
	for i, m := range e.list {
		c := *m
		c.Objectives = slices.Clone(m.Objectives)
		c.Recommendations = slices.Clone(m.Recommendations)
		out[i] = &c
	}
	return out, nil
}

func (s *Store) readMeetings(ctx context.Context, lang string) ([]*Meeting, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT m.id, m.slug, m.starts_on, m.ends_on,
			coalesce(mi.title, md.title, ''),
			t.id, t.kind, t.number, coalesce(ti.label, td.label, ''), coalesce(ti.body, td.body, ''), t.retired_at IS NOT NULL
		FROM meetings m
		LEFT JOIN meeting_i18n mi ON mi.meeting_id = m.id AND mi.lang = ?
		LEFT JOIN meeting_i18n md ON md.meeting_id = m.id AND md.lang = 'es'
		JOIN tags t ON t.meeting_id = m.id
		LEFT JOIN tag_i18n ti ON ti.tag_id = t.id AND ti.lang = ?
		LEFT JOIN tag_i18n td ON td.tag_id = t.id AND td.lang = 'es'
		ORDER BY m.starts_on DESC, m.id, t.kind, t.number`, lang, lang)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Meeting
	for rows.Next() {
		var m Meeting
		var t Tag
		if err := rows.Scan(&m.ID, &m.Slug, &m.StartsOn, &m.EndsOn, &m.Title, &t.ID, &t.Kind, &t.Number, &t.Label, &t.Body, &t.Retired); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != m.ID {
			out = append(out, &m)
		}
		cur := out[len(out)-1]
		if t.Kind == "objective" {
			cur.Objectives = append(cur.Objectives, t)
		} else {
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
