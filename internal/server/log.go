package server

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"puente/internal/accounts"
	"puente/internal/apperr"
	"puente/internal/comments"
	"puente/internal/i18n"
	"puente/internal/modlog"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

// logRow is one log entry as the viewer may see it: the item named only
// when the viewer can see it (by the title it had when the action was
// taken), the public reason, and the note for the author only when the
// viewer moderates.
type logRow struct {
	*modlog.Entry
	ItemLabel string
	ItemLink  string
	// DetailsText is the entry's details in the reader's language.
	DetailsText string
}

// logDetails says an entry's details in lang: roles, dates, counts and
// the few words actions record, translated; other details (the English
// title of a meeting or tag added) as recorded.
func (s *Server) logDetails(e *modlog.Entry, lang string) string {
	loc := i18n.For(lang)
	d := e.Details
	switch e.Action {
	case modlog.RoleChange, modlog.AdminRestored:
		if from, to, ok := strings.Cut(d, " → "); ok {
			return loc.T("role."+from) + " → " + loc.T("role."+to)
		}
	case modlog.Suspend:
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return loc.T("log.details.until", "date", loc.Date(t))
		}
	case modlog.Transfer:
		if n, err := strconv.Atoi(d); err == nil {
			return loc.T("log.details.transfer", "n", n)
		}
	case modlog.AccountEdit:
		var parts []string
		for _, f := range strings.Split(d, ",") {
			parts = append(parts, loc.T("field."+f))
		}
		return strings.Join(parts, ", ")
	}
	if d != "" && i18n.Has("log.details."+d) {
		return loc.T("log.details." + d)
	}
	return d
}

type logData struct {
	Rows       []logRow
	Actions    []string
	Moderators []*accounts.Account
	Countries  []*taxonomy.Country
	Filter     modlog.Filter
	NextURL    string
}

func (s *Server) logPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := modlog.Filter{Action: q.Get("action"), Country: q.Get("country")}
	if id, err := strconv.ParseInt(q.Get("actor"), 10, 64); err == nil {
		f.ActorID = id
	}
	if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.Before = id
	}
	v := s.viewer(r)
	f.Scope, f.ScopeArgs = practices.LogScope(v)
	entries, more, err := s.moderation.Log(r.Context(), f)
	if err != nil {
		return err
	}
	rf, err := s.refs(r)
	if err != nil {
		return err
	}
	d := logData{Actions: modlog.Actions, Filter: f}
	for _, e := range entries {
		if !v.Staff() {
			e.Note = ""
		}
		row := logRow{Entry: e, DetailsText: s.logDetails(e, state(r).lang)}
		// The scope in the query already keeps out entries about items the
		// reader may not see; an item that left their sight since (or was
		// deleted) is shown with neither its title nor what was written
		// about it.
		unseen := func() { row.Entry, row.DetailsText = withoutText(e), "" }
		switch e.TargetType {
		case "practice":
			if p, err := s.practices.Get(r.Context(), v, e.TargetID); err == nil {
				row.ItemLabel, row.ItemLink = cmp.Or(e.Title, p.Title), fmt.Sprintf("/practices/%d", p.ID)
			} else if apperr.Is(err, apperr.NotFound) {
				unseen()
			} else {
				return err
			}
		case "comment":
			c, err := s.comments.Get(r.Context(), v, e.TargetID)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return err
			}
			var p *practices.Practice
			if err == nil {
				if p, err = s.practices.Get(r.Context(), v, c.PracticeID); err != nil && !apperr.Is(err, apperr.NotFound) {
					return err
				}
			}
			if p != nil {
				row.ItemLabel, row.ItemLink = cmp.Or(e.Title, p.Title), comments.PageURL(c)
			} else {
				unseen()
			}
		case "adoption", "question":
			if p, err := s.practices.Get(r.Context(), v, e.PracticeID); err == nil {
				row.ItemLabel, row.ItemLink = cmp.Or(e.Title, p.Title), fmt.Sprintf("/practices/%d#%s-%d", p.ID, e.TargetType, e.TargetID)
			} else if apperr.Is(err, apperr.NotFound) {
				unseen()
			} else {
				return err
			}
		case "account":
			// Staff read whose account it was; everyone else only its
			// country: a suspension is not a public shaming.
			if !v.Staff() {
				row.ItemLabel = i18n.For(state(r).lang).T("log.account_staff")
				if e.Action == modlog.ObserverAccess {
					row.ItemLabel = i18n.For(state(r).lang).T("log.account_observer")
				}
				if c := s.taxonomy.Country(e.CountryCode); c != nil {
					row.ItemLabel = i18n.For(state(r).lang).T("log.account_of", "country", c.Name(state(r).lang))
				}
			} else if a, err := s.accounts.ByID(r.Context(), e.TargetID); err == nil {
				row.ItemLabel = a.DisplayName
			}
		case "tag":
			if t := rf.Tag(e.TargetID); t != nil {
				row.ItemLabel, row.ItemLink = t.Label, fmt.Sprintf("/tags/%d", t.ID)
			}
		case "meeting":
			if m, err := s.taxonomy.Meeting(r.Context(), state(r).lang, e.TargetID); err == nil && m != nil {
				row.ItemLabel, row.ItemLink = m.Title, fmt.Sprintf("/meetings/%d", m.ID)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if d.Moderators, _, err = s.accounts.List(r.Context(), accounts.Filter{Role: string(accounts.Moderator), Limit: 200}); err != nil {
		return err
	}
	admins, _, err := s.accounts.List(r.Context(), accounts.Filter{Role: string(accounts.Admin), Limit: 200})
	if err != nil {
		return err
	}
	d.Moderators = append(d.Moderators, admins...)
	d.Countries = s.taxonomy.Countries(state(r).lang)
	if more {
		next := url.Values{}
		for k, val := range map[string]string{"action": f.Action, "country": f.Country} {
			if val != "" {
				next.Set(k, val)
			}
		}
		if f.ActorID != 0 {
			next.Set("actor", strconv.FormatInt(f.ActorID, 10))
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.NextURL = "/log?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "log", &View{Title: "log.title", Data: d})
	return nil
}

// withoutText is e with nothing written about its item: for a reader who
// may not see the item.
func withoutText(e *modlog.Entry) *modlog.Entry {
	c := *e
	c.Reason, c.Note, c.Title, c.Details = "", "", "", ""
	return &c
}
