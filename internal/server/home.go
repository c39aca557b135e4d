package server

import (
	"net/http"

	"puente/internal/i18n"

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
	// Contact is where a visitor asks for an account (front page only).
	Contact string
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
	if currentAccount(r) == nil {
		// The front page: what Puente is, what a visitor can read, and
		// how an institution gets an account.
		d.Contact = s.cfg.Contact
		if len(d.Meetings) > 1 {
			d.Meetings = d.Meetings[:1]
		}
		loc := i18n.For(state(r).lang)
		s.render(w, r, http.StatusOK, "front", &View{Title: "front.title", Data: d, Description: loc.T("front.lead"),
			Share: &share{Title: "Puente", Description: loc.T("front.lead"), URL: s.absURL("/"), Type: "website"},
			Feeds: []feedLink{{Title: loc.T("feed.public_link"), URL: "/feeds/practices.atom"}}})
		return nil
	}
	s.render(w, r, http.StatusOK, "home", &View{Title: "home.title", Data: d})
	return nil
}
