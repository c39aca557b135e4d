package server

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"puente/internal/i18n"
	"puente/internal/practices"
)

// Atom (RFC 4287) documents.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Author     atomPerson     `xml:"author"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

type atomText struct {
	Lang string `xml:"xml:lang,attr,omitempty"`
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feedFilter reads which feed a path names: all, a tag or a country.
func (s *Server) feedFilter(r *http.Request) (practices.Filter, string, error) {
	f := practices.Filter{Limit: 50}
	switch {
	case chi.URLParam(r, "tag") != "":
		id, err := strconv.ParseInt(strings.TrimSuffix(chi.URLParam(r, "tag"), ".atom"), 10, 64)
		if err != nil || id <= 0 { // 0 would mean "no tag": every practice
			return f, "", errNotFound
		}
		f.Tag = id
		return f, "tags/" + strconv.FormatInt(id, 10), nil
	case chi.URLParam(r, "country") != "":
		code := strings.ToUpper(strings.TrimSuffix(chi.URLParam(r, "country"), ".atom"))
		if !s.taxonomy.CountryExists(code) {
			return f, "", errNotFound
		}
		f.Country = code
		return f, "countries/" + code, nil
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("tag"), 10, 64); err == nil {
		f.Tag = id
	}
	if c := strings.ToUpper(r.URL.Query().Get("country")); s.taxonomy.CountryExists(c) {
		f.Country = c
	}
	return f, "practices", nil
}

// publicFeed serves the public practices (all, per tag, per country).
func (s *Server) publicFeed(w http.ResponseWriter, r *http.Request) error {
	f, name, err := s.feedFilter(r)
	if err != nil {
		return err
	}
	return s.writeFeed(w, r, practices.Viewer{}, f, "/feeds/"+name+".atom", state(r).lang)
}

// privateFeed serves what a member may see, to whoever holds their
// personal, revocable link: feed readers carry no session.
func (s *Server) privateFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSuffix(chi.URLParam(r, "token"), ".atom")
	a, err := s.accounts.ByFeedToken(r.Context(), token)
	if err != nil {
		return err
	}
	v := practices.ViewerOf(a, s.taxonomy)
	f, _, err := s.feedFilter(r)
	if err != nil {
		return err
	}
	lang := a.Lang
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	return s.writeFeed(w, r, v, f, "/feeds/private/"+token+".atom", lang)
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, v practices.Viewer, f practices.Filter, self, lang string) error {
	page, err := s.practices.List(r.Context(), v, f)
	if err != nil {
		return err
	}
	if err := s.practices.WithAuthors(r.Context(), page.Practices); err != nil {
		return err
	}
	if ps, err := s.practices.Localize(r.Context(), lang, page.Practices); err != nil {
		return err
	} else {
		cp := *page
		cp.Practices, page = ps, &cp
	}
	loc := i18n.For(lang)
	tags, err := s.taxonomy.Tags(r.Context(), lang)
	if err != nil {
		return err
	}
	title := "Puente · " + loc.T("list.title")
	if f.Tag != 0 {
		t, ok := tags[f.Tag]
		if !ok {
			return errNotFound
		}
		title += " · " + t.Label
	}
	if f.Country != "" {
		if c := s.taxonomy.Country(f.Country); c != nil {
			title += " · " + c.Name(lang)
		}
	}
	host := s.cfg.BaseURL.Hostname()
	feed := atomFeed{Lang: lang, ID: "tag:" + host + ",2021:" + strings.TrimSuffix(strings.TrimPrefix(self, "/feeds/"), ".atom"),
		Title: title, Updated: atomTime(time.Date(2021, 9, 10, 0, 0, 0, 0, time.UTC)), Author: atomPerson{Name: "Puente"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.absURL(self)}, {Rel: "alternate", Type: "text/html", Href: s.absURL("/practices")}}}
	if strings.Contains(self, "/private/") {
		// The token is the credential: the feed's id must not spread it.
		feed.ID = fmt.Sprintf("tag:%s,2021:private/%d", host, v.AccountID)
	}
	for _, p := range page.Practices {
		if p.UpdatedAt.After(mustTime(feed.Updated)) {
			feed.Updated = atomTime(p.UpdatedAt)
		}
		e := atomEntry{
			ID:      fmt.Sprintf("tag:%s,2021:practice/%d", host, p.ID),
			Title:   atomText{Lang: p.Lang, Type: "text", Text: p.Title},
			Updated: atomTime(p.UpdatedAt), Published: atomTime(p.PublishedAt),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: s.absURL(fmt.Sprintf("/practices/%d", p.ID))}},
			Author:  atomPerson{Name: p.AuthorName},
			Summary: atomText{Lang: p.Lang, Type: "text", Text: p.Summary},
		}
		for _, t := range p.Tags {
			if tr, ok := tags[t]; ok {
				e.Categories = append(e.Categories, atomCategory{Term: strconv.FormatInt(t, 10), Label: tr.Label})
			}
		}
		for _, c := range p.Countries {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		feed.Entries = append(feed.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

func mustTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func (s *Server) feedTokenPost(w http.ResponseWriter, r *http.Request) error {
	a := currentAccount(r)
	if r.PostFormValue("action") == "revoke" {
		if err := s.accounts.RevokeFeedToken(r.Context(), a.ID); err != nil {
			return err
		}
		s.flash(w, r, "feed.revoked")
		redirect(w, r, "/account#feed-h")
		return nil
	}
	token, err := s.accounts.NewFeedToken(r.Context(), a.ID)
	if err != nil {
		return err
	}
	s.log.Info("security", "event", "feed.token_created", "account_id", a.ID)
	v, err := s.accountView(r, "account.title")
	if err != nil {
		return err
	}
	v.Data.(*accountData).FeedURL = s.absURL("/feeds/private/" + token + ".atom")
	v.Data.(*accountData).HasFeed = true
	s.render(w, r, http.StatusOK, "account", v)
	return nil
}
