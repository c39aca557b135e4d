package server

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"puente/internal/adoptions"
	"puente/internal/apperr"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

// compendiumData is a meeting's compendium: every published practice
// the reader may see that carries one of the meeting's objectives or
// recommendations, grouped by them.
type compendiumData struct {
	Meeting *taxonomy.Meeting
	Groups  []*compendiumGroup
	Count   int
	More    bool // more than practices.CompendiumMax matched
	Public  bool // the reader is a visitor: public practices only
	Refs    *refs
	Made    time.Time
	// PDF: the document is rendered for print, its links absolute.
	PDF  bool
	Base string
}

// compendiumGroup is one objective or recommendation: the practices it
// lists in the table of contents, and those whose full text it holds
// (a practice's text comes once, under the first of the meeting's items
// it carries).
type compendiumGroup struct {
	Tag     taxonomy.Tag
	Listed  []*compendiumEntry
	Written []*compendiumEntry
	// Elsewhere are the practices it lists whose text an earlier item holds.
	Elsewhere []*compendiumEntry
}

type compendiumEntry struct {
	P         *practices.Practice
	Adoptions []*adoptions.Adoption
	Files     []*practices.Attachment
	Anchor    string
}

func (s *Server) compendiumData(r *http.Request, pdf bool) (*compendiumData, error) {
	id, err := urlID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	lang := state(r).lang
	m, err := s.taxonomy.Meeting(ctx, lang, id)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNotFound
	}
	v := s.viewer(r)
	d := &compendiumData{Meeting: m, Public: !v.Member(), Made: s.clock.Now(), PDF: pdf, Base: s.cfg.BaseURL.String()}
	if d.Refs, err = s.refs(r); err != nil {
		return nil, err
	}
	ps, more, err := s.practices.Compendium(ctx, v, m.TagIDs(), lang)
	if err != nil {
		return nil, err
	}
	d.Count, d.More = len(ps), more
	ads, files, err := s.adoptionsAndFiles(ctx, ps)
	if err != nil {
		return nil, err
	}
	entries := make([]*compendiumEntry, len(ps))
	for i, p := range ps {
		e := &compendiumEntry{P: p, Anchor: "practice-" + strconv.FormatInt(p.ID, 10), Adoptions: ads[p.ID]}
		for _, f := range files[p.ID] {
			if !f.Waiting() {
				e.Files = append(e.Files, f)
			}
		}
		entries[i] = e
	}
	written := map[int64]bool{}
	for _, t := range append(append([]taxonomy.Tag{}, m.Objectives...), m.Recommendations...) {
		g := &compendiumGroup{Tag: t}
		for _, e := range entries {
			if !slices.Contains(e.P.Tags, t.ID) {
				continue
			}
			g.Listed = append(g.Listed, e)
			if written[e.P.ID] {
				g.Elsewhere = append(g.Elsewhere, e)
			} else {
				written[e.P.ID] = true
				g.Written = append(g.Written, e)
			}
		}
		if len(g.Listed) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	return d, nil
}

// compendium is a meeting's compendium as a page of the site, which a
// print stylesheet turns into a clean document, or (?format=pdf) as a
// PDF rendered on the server.
func (s *Server) compendium(w http.ResponseWriter, r *http.Request) error {
	switch r.URL.Query().Get("format") {
	case "":
	case "pdf":
		return s.compendiumPDF(w, r)
	default:
		return apperr.New(apperr.Invalid, "compendium.bad_format")
	}
	d, err := s.compendiumData(r, false)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "compendium", &View{Title: "compendium.title", TitleText: d.Meeting.Title, Data: d})
	return nil
}

// compendiumPDF renders the compendium's document and has the printer
// make a PDF of it. It is for members (visitors print the page from their
// browser), one at a time per person.
func (s *Server) compendiumPDF(w http.ResponseWriter, r *http.Request) error {
	if currentAccount(r) == nil {
		return errSignInNeeded
	}
	if s.printer == nil || !s.printer.Available() {
		return apperr.New(apperr.Unavailable, "compendium.pdf_unavailable")
	}
	if ok, retry := s.limits.pdf.Take(strconv.FormatInt(currentAccount(r).ID, 10)); !ok {
		e := apperr.New(apperr.RateLimited, "compendium.pdf_wait")
		e.Retry = retry
		return e
	}
	d, err := s.compendiumData(r, true)
	if err != nil {
		return err
	}
	v := &View{Locale: i18n.For(state(r).lang), Account: currentAccount(r), now: s.clock.Now(), Title: "compendium.title", TitleText: d.Meeting.Title, Data: d}
	var doc bytes.Buffer
	if err := s.pages.set.ExecuteTemplate(&doc, "compendium-document", v); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 90*time.Second)
	defer cancel()
	pdf, err := s.printer.PDF(ctx, doc.Bytes(), v.T("compendium.footer", "title", d.Meeting.Title))
	if err != nil {
		s.log.Error("compendium PDF", "meeting", d.Meeting.ID, "err", err)
		return apperr.New(apperr.Unavailable, "compendium.pdf_failed")
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="compendium-`+d.Meeting.Slug+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(pdf)
	return nil
}
