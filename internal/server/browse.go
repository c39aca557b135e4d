package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/db"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type countryData struct {
	Country   *taxonomy.Country
	Processes []*taxonomy.Process
	Page      *practices.Page
	Refs      *refs
}

func (s *Server) countryPage(w http.ResponseWriter, r *http.Request) error {
	code := strings.ToUpper(chi.URLParam(r, "code"))
	c := s.taxonomy.Country(code)
	if c == nil {
		return errNotFound
	}
	procs := s.taxonomy.Processes()
	d := countryData{Country: c}
	var err error
	for _, p := range procs {
		for _, pc := range c.Processes {
			if pc == p.Code {
				d.Processes = append(d.Processes, p)
			}
		}
	}
	if d.Page, err = s.practices.List(r.Context(), s.viewer(r), practices.Filter{Country: code, After: r.URL.Query().Get("after"), Before: r.URL.Query().Get("before")}); err != nil {
		return err
	}
	if d.Page, err = s.localized(r, d.Page); err != nil {
		return err
	}
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "country", &View{Title: "country.title", TitleText: c.Name(state(r).lang), Data: d})
	return nil
}

type meetingData struct {
	Meeting *taxonomy.Meeting
	Counts  map[int64]int
	// Page is the practices answering any of the meeting's objectives and
	// recommendations.
	Page *practices.Page
	Refs *refs
}

// meetingsData is the list of meetings, each with how many practices
// (that the reader may see) answer its objectives and recommendations.
type meetingsData struct {
	Meetings  []*taxonomy.Meeting
	Practices map[int64]int
}

// meetingsPage lists the meetings, newest first.
func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.taxonomy.Meetings(r.Context(), state(r).lang)
	if err != nil {
		return err
	}
	d := meetingsData{Meetings: ms, Practices: map[int64]int{}}
	v := s.viewer(r)
	for _, m := range ms {
		if ids := m.TagIDs(); len(ids) > 0 {
			if d.Practices[m.ID], err = s.practices.Count(r.Context(), v, practices.Filter{AnyTag: db.IDList(ids)}); err != nil {
				return err
			}
		}
	}
	s.render(w, r, http.StatusOK, "meetings", &View{Title: "meetings.title", Data: d})
	return nil
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	m, err := s.taxonomy.Meeting(r.Context(), state(r).lang, id)
	if err != nil {
		return err
	}
	if m == nil {
		return errNotFound
	}
	v := s.viewer(r)
	counts, err := s.practices.CountByTag(r.Context(), v)
	if err != nil {
		return err
	}
	d := meetingData{Meeting: m, Counts: counts, Page: &practices.Page{}}
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	if ids := m.TagIDs(); len(ids) > 0 {
		q := r.URL.Query()
		if d.Page, err = s.practices.List(r.Context(), v, practices.Filter{AnyTag: db.IDList(ids), After: q.Get("after"), Before: q.Get("before")}); err != nil {
			return err
		}
		if d.Page, err = s.localized(r, d.Page); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "meeting", &View{Title: "meeting.title", TitleText: m.Title, Data: d})
	return nil
}

type tagData struct {
	Tag  *taxonomy.TagRef
	Page *practices.Page
	Refs *refs
}

func (s *Server) tagPage(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	t := rf.Tag(id)
	if t == nil {
		return errNotFound
	}
	page, err := s.practices.List(r.Context(), s.viewer(r), practices.Filter{Tag: id, After: r.URL.Query().Get("after"), Before: r.URL.Query().Get("before")})
	if err == nil {
		page, err = s.localized(r, page)
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tag", &View{Title: "tag.title", TitleText: t.Label, Data: tagData{Tag: t, Page: page, Refs: rf}})
	return nil
}
