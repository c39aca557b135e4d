package server

import (
	"strconv"
	"time"

	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// practiceBody writes a practice as the practice-body template writes it,
// for the practice page (the preview and the review pages keep the
// template). Every value a template prints is a reflective call, and the
// body's forty of them were most of what was left of a practice page's
// time once its comment thread was written in Go.
// TestPracticeBodyMatchesTheTemplate holds the two together.
func practiceBody(v *View, pv *practiceView) string {
	p, rf := pv.P, pv.Refs
	var m sanitize.Markup
	m.Tag("\n\n<article class=\"practice\" lang=\"")
	m.Text(p.Lang)
	m.Tag("\" aria-labelledby=\"practice-title\">\n  <header>\n    <p class=\"eyebrow\" lang=\"")
	m.Text(v.Lang)
	m.Tag("\">\n      ")
	for i, c := range p.Countries {
		if i > 0 {
			m.Tag(" · ")
		}
		m.Tag(`<a href="/countries/`)
		m.Text(c)
		m.Tag(`">`)
		m.Text(rf.CountryName(c))
		m.Tag("</a>")
	}
	m.Tag("\n    </p>\n    <h1 id=\"practice-title\">")
	m.Text(p.Title)
	m.Tag("</h1>\n    <p class=\"summary\">")
	m.Text(p.Summary)
	m.Tag("</p>\n  </header>\n  <dl class=\"facts practice-facts\" lang=\"")
	m.Text(v.Lang)
	m.Tag("\">\n    <dt>")
	m.Text(v.T("practice.field.period"))
	m.Tag("</dt>\n    <dd>")
	if p.PeriodStart != "" {
		m.Text(v.MonthYear(p.PeriodStartTime()))
	} else {
		m.Tag("…")
	}
	m.Tag(" – ")
	switch {
	case p.Ongoing():
		m.Text(v.T("practice.ongoing"))
	case p.PeriodEnd != "":
		m.Text(v.MonthYear(p.PeriodEndTime()))
	default:
		m.Tag("…")
	}
	m.Tag("</dd>\n    <dt>")
	m.Text(v.T("practice.field.institutions"))
	m.Tag("</dt><dd lang=\"")
	m.Text(p.Lang)
	m.Tag("\">")
	m.Text(p.Institutions)
	m.Tag("</dd>\n    ")
	if p.Partners != "" {
		m.Tag("<dt>")
		m.Text(v.T("practice.field.partners"))
		m.Tag("</dt><dd lang=\"")
		m.Text(p.Lang)
		m.Tag("\">")
		m.Text(p.Partners)
		m.Tag("</dd>")
	}
	m.Tag("\n    <dt>")
	m.Text(v.T("practice.field.contact"))
	m.Tag("</dt><dd>")
	m.Text(p.ContactName)
	if p.ContactEmail != "" {
		m.Tag(` · <a href="mailto:`)
		m.Text(p.ContactEmail)
		m.Tag(`">`)
		m.Text(p.ContactEmail)
		m.Tag("</a>")
	}
	m.Tag("</dd>\n    <dt>")
	m.Text(v.T("practice.field.lang"))
	m.Tag("</dt><dd>")
	m.Text(i18n.NativeName(p.Lang))
	m.Tag("</dd>\n    <dt>")
	m.Text(v.T("practice.field.scope"))
	m.Tag("</dt><dd>")
	m.Text(v.T("scope." + string(p.Scope)))
	m.Tag("</dd>\n    <dt>")
	m.Text(v.T("practice.field.author"))
	m.Tag("</dt><dd>")
	m.Text(p.AuthorName)
	if p.AuthorCountry != "" {
		m.Tag(" (")
		m.Text(rf.CountryName(p.AuthorCountry))
		m.Tag(")")
	}
	m.Tag("</dd>\n    ")
	dated := func(key string, t time.Time) {
		if !t.IsZero() {
			m.Tag("<dt>")
			m.Text(v.T(key))
			m.Tag("</dt><dd>")
			m.Text(v.Date(t))
			m.Tag("</dd>")
		}
	}
	dated("practice.field.published", p.PublishedAt)
	m.Tag("\n    ")
	dated("practice.field.updated", p.UpdatedAt)
	m.Tag("\n    <dt>")
	m.Text(v.T("practice.field.tags"))
	m.Tag("</dt>\n    <dd><ul class=\"chips\">")
	for _, id := range p.Tags {
		t := rf.Tag(id)
		if t == nil {
			continue
		}
		m.Tag(`<li><a href="/tags/`, strconv.FormatInt(t.ID, 10), `">`)
		m.Text(v.T("tag.kind."+t.Kind, "n", t.Number))
		m.Tag(": ")
		m.Text(t.Label)
		m.Tag("</a></li>")
	}
	m.Tag("</ul></dd>\n  </dl>\n  ")
	for _, s := range p.Sections {
		if s.HTML == "" {
			continue
		}
		m.Tag("\n  <section class=\"practice-section\" aria-labelledby=\"s-")
		m.Text(s.Key)
		m.Tag("\">\n    <h2 id=\"s-")
		m.Text(s.Key)
		m.Tag("\" lang=\"")
		m.Text(v.Lang)
		m.Tag("\">")
		m.Text(v.T("practice.section." + s.Key))
		m.Tag("</h2>\n    <div class=\"rich\">")
		m.Rich(s.HTML)
		m.Tag("</div>\n  </section>\n  ")
	}
	m.Tag("\n  ")
	if len(pv.Attachments) > 0 || len(pv.WaitingFiles) > 0 {
		m.Tag("\n  <section class=\"practice-section\" aria-labelledby=\"s-attachments\" lang=\"")
		m.Text(v.Lang)
		m.Tag("\">\n    <h2 id=\"s-attachments\">")
		m.Text(v.T("attachment.title"))
		m.Tag("</h2>\n    <ul class=\"attachment-list\">")
		file := func(a *practices.Attachment) {
			m.Tag(`<li><a href="/attachments/`, strconv.FormatInt(a.ID, 10), `" download>`)
			m.Text(a.Name)
			m.Tag(`</a> <span class="muted">`)
			m.Text(a.Label())
			m.Tag(" · ")
			m.Text(fileSize(v.Lang, a.Size))
			m.Tag("</span>")
		}
		for _, a := range pv.Attachments {
			file(a)
			if a.Waiting() && (pv.CanEdit || pv.Staff) {
				m.Tag(` <span class="badge-note">`)
				m.Text(v.T("attachment.waiting_" + string(a.State)))
				m.Tag("</span>")
			}
			m.Tag("</li>")
		}
		m.Tag("\n    ")
		for _, a := range pv.WaitingFiles {
			file(a)
			m.Tag(` <span class="badge-note">`)
			m.Text(v.T("attachment.waiting_added"))
			m.Tag("</span></li>")
		}
		m.Tag("</ul>\n  </section>\n  ")
	}
	m.Tag("\n</article>\n")
	return string(m.HTML())
}
