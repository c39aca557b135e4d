package server

import (
	"net/http"

	"puente/internal/cache"
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

// home is the members' home, or the front page for visitors. Its body
// (everything but the greeting) is the same for everyone who reads the
// same scopes in the same language: the server keeps it rendered until
// what it shows changes.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	v := s.viewer(r)
	ctx := r.Context()
	lang := state(r).lang
	visitor := currentAccount(r) == nil
	kind := "home-body"
	if visitor {
		kind = "front-body"
	}
	body := part{name: kind, key: partKey{kind: kind, lang: lang, audience: scopesOf(v)}}
	if err := s.lookupPart(ctx, &body, cache.Lists, cache.Names, cache.Taxonomy, cache.Features); err != nil {
		return err
	}
	view := &View{Title: "home.title", parts: []part{{name: "home-greeting"}, body}}
	if visitor {
		loc := i18n.For(lang)
		view = &View{Title: "front.title", parts: []part{body}, Description: loc.T("front.lead"),
			Share: &share{Title: "Puente", Description: loc.T("front.lead"), URL: s.absURL("/"), Type: "website"},
			Feeds: []feedLink{{Title: loc.T("feed.public_link"), URL: "/feeds/practices.atom"}}}
	}
	if body.html == nil {
		d, err := s.homeData(r, v)
		if err != nil {
			return err
		}
		if visitor {
			// The front page: what Puente is, what a visitor can read,
			// and how an institution gets an account.
			d.Contact = s.cfg.Contact
			if len(d.Meetings) > 1 {
				d.Meetings = d.Meetings[:1]
			}
		}
		// The cards show comment counts: a comment on one of them renders
		// the body again, a comment elsewhere does not.
		shown := append([]*practices.Practice(nil), d.Latest...)
		for _, f := range d.Featured {
			shown = append(shown, f.Practice)
		}
		if err := s.shownPractices(ctx, &view.parts[len(view.parts)-1], shown); err != nil {
			return err
		}
		view.Data = d
	}
	s.render(w, r, http.StatusOK, map[bool]string{true: "front", false: "home"}[visitor], view)
	return nil
}

func (s *Server) homeData(r *http.Request, v practices.Viewer) (homeData, error) {
	var d homeData
	var err error
	if d.Featured, err = s.moderation.FeaturedFor(r.Context(), v); err != nil {
		return d, err
	}
	if d.Latest, err = s.practices.Latest(r.Context(), v, 5); err != nil {
		return d, err
	}
	if d.Latest, err = s.practices.Localize(r.Context(), state(r).lang, d.Latest); err != nil {
		return d, err
	}
	if d.Refs, err = s.refs(r); err != nil {
		return d, err
	}
	if d.Meetings, err = s.taxonomy.Meetings(r.Context(), state(r).lang); err != nil {
		return d, err
	}
	if d.TagCounts, err = s.practices.CountByTag(r.Context(), v); err != nil {
		return d, err
	}
	if d.CountryCounts, err = s.practices.CountByCountry(r.Context(), v); err != nil {
		return d, err
	}
	d.Processes, err = s.processViews(r)
	return d, err
}
