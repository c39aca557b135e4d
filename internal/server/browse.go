package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

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
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "country", &View{Title: "country.title", TitleText: c.Name(state(r).lang), Data: d})
	return nil
}

type meetingData struct {
	Meeting *taxonomy.Meeting
	Counts  map[int64]int
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
	counts, err := s.practices.CountByTag(r.Context(), s.viewer(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "meeting", &View{Title: "meeting.title", TitleText: m.Title, Data: meetingData{Meeting: m, Counts: counts}})
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
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tag", &View{Title: "tag.title", TitleText: t.Label, Data: tagData{Tag: t, Page: page, Refs: rf}})
	return nil
}
