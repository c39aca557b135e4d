package server

import (
	"net/http"

	"puente/internal/moderation"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type homeData struct {
	Featured      []moderation.Featured
	Latest        []*practices.Practice
	Refs          *refs
	Meetings      []*taxonomy.Meeting
	TagCounts     map[int64]int
	CountryCounts map[string]int
	Processes     []processView
}

type processView struct {
	Code      string
	Name      string
	Countries []*taxonomy.Country
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	v := s.viewer(r)
	var d homeData
	var err error
	if d.Featured, err = s.moderation.FeaturedFor(r.Context(), v); err != nil {
		return err
	}
	if d.Latest, err = s.practices.Latest(r.Context(), v, 5); err != nil {
		return err
	}
	if d.Latest, err = s.practices.Localize(r.Context(), state(r).lang, d.Latest); err != nil {
		return err
	}
	if d.Refs, err = s.refs(r); err != nil {
		return err
	}
	if d.Meetings, err = s.taxonomy.Meetings(r.Context(), state(r).lang); err != nil {
		return err
	}
	if d.TagCounts, err = s.practices.CountByTag(r.Context(), v); err != nil {
		return err
	}
	if d.CountryCounts, err = s.practices.CountByCountry(r.Context(), v); err != nil {
		return err
	}
	if d.Processes, err = s.processViews(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", &View{Title: "home.title", Data: d})
	return nil
}
