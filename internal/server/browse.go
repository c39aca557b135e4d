package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"puente/db"
	"puente/internal/adoptions"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

type countryData struct {
	Country   *taxonomy.Country
	Processes []*taxonomy.Process
	Page      *practices.Page
	Refs      *refs
	// Following tells a member whether their digest follows the country.
	Following bool
	// TookUp are the practices of others the country took up (its
	// records); TakenFrom what other states took from it.
	TookUp, TakenFrom []*adoptions.Listed
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
	if d.TookUp, d.TakenFrom, err = s.adoptions.OfCountry(r.Context(), s.viewer(r), code); err != nil {
		return err
	}
	if a := currentAccount(r); a != nil {
		if d.Following, err = s.digest.Following(r.Context(), a.ID, 0, code); err != nil {
			return err
		}
	}
	name := c.Name(state(r).lang)
	s.render(w, r, http.StatusOK, "country", &View{Title: "country.title", TitleText: name, Data: d,
		Feeds: []feedLink{{Title: i18n.For(state(r).lang).T("feed.of", "name", name), URL: "/feeds/countries/" + code + ".atom"}}})
	return nil
}

// countryFollow and countryUnfollow, tagFollow and tagUnfollow add the
// country or objective to what the person's digest follows, or take it
// away, and go back to its page.
func (s *Server) countryFollow(w http.ResponseWriter, r *http.Request) error {
	return s.followCountry(w, r, true)
}

func (s *Server) countryUnfollow(w http.ResponseWriter, r *http.Request) error {
	return s.followCountry(w, r, false)
}

func (s *Server) followCountry(w http.ResponseWriter, r *http.Request, on bool) error {
	c := s.taxonomy.Country(strings.ToUpper(chi.URLParam(r, "code")))
	if c == nil {
		return errNotFound
	}
	return s.followInDigest(w, r, 0, c.Code, on, "/countries/"+c.Code)
}

func (s *Server) tagFollow(w http.ResponseWriter, r *http.Request) error {
	return s.followTag(w, r, true)
}

func (s *Server) tagUnfollow(w http.ResponseWriter, r *http.Request) error {
	return s.followTag(w, r, false)
}

func (s *Server) followTag(w http.ResponseWriter, r *http.Request, on bool) error {
	id, err := urlID(r)
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	if rf.Tag(id) == nil {
		return errNotFound
	}
	return s.followInDigest(w, r, id, "", on, "/tags/"+strconv.FormatInt(id, 10))
}

// followInDigest records the choice and goes back to the page it was made
// on.
func (s *Server) followInDigest(w http.ResponseWriter, r *http.Request, tagID int64, country string, on bool, back string) error {
	if err := s.digest.Follow(r.Context(), currentAccount(r).ID, tagID, country, on); err != nil {
		return err
	}
	flash := "follow.off"
	if on {
		flash = "follow.on"
	}
	s.flash(w, r, flash)
	redirect(w, r, back)
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
	Tag       *taxonomy.TagRef
	Page      *practices.Page
	Refs      *refs
	Following bool
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
	d := tagData{Tag: t, Page: page, Refs: rf}
	if a := currentAccount(r); a != nil {
		if d.Following, err = s.digest.Following(r.Context(), a.ID, id, ""); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "tag", &View{Title: "tag.title", TitleText: t.Label, Data: d,
		Feeds: []feedLink{{Title: i18n.For(state(r).lang).T("feed.of", "name", t.Label), URL: "/feeds/tags/" + strconv.FormatInt(id, 10) + ".atom"}}})
	return nil
}
