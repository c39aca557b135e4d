package server

import (
	"html/template"
	"strconv"

	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/sanitize"
)

// cardView is what a practice card in a list shows, worked out in Go. A
// list page shows twenty cards; from the template each label was a
// reflective call, and those calls were most of the page's render time.
type cardView struct {
	ID             int64
	Title, Summary string
	Lang, LangName string
	Countries      []link
	PublishedISO   string // "" when not published
	Published      string
	Comments       string
	Scope          string // "" for the usual scope, members
	Stale          string // "Not reviewed since …", or ""
	TagsLabel      string
	Tags           []link
}

// link is a labelled address: a card's countries and objectives lead to
// their pages.
type link struct{ Href, Label string }

// card is the card of p as v's reader sees it.
func card(v *View, p *practices.Practice, rf *refs) cardView {
	c := cardView{ID: p.ID, Title: p.Title, Summary: p.Summary, Lang: p.Lang, LangName: i18n.NativeName(p.Lang),
		Comments: v.T("practice.comment_count", "n", p.CommentCount)}
	c.Countries = make([]link, len(p.Countries))
	for i, code := range p.Countries {
		c.Countries[i] = link{"/countries/" + code, rf.CountryName(code)}
	}
	if !p.PublishedAt.IsZero() {
		c.PublishedISO, c.Published = p.PublishedAt.Format("2006-01-02"), v.Date(p.PublishedAt)
	}
	if p.Scope != practices.ScopeMembers {
		c.Scope = v.T("scope.badge." + string(p.Scope))
	}
	if p.Stale() {
		c.Stale = v.T("review.not_reviewed", "date", v.Date(p.NotReviewedSince))
	}
	if len(p.Tags) > 0 {
		c.TagsLabel = v.T("practice.field.tags")
		c.Tags = make([]link, len(p.Tags))
		for i, id := range p.Tags {
			c.Tags[i] = link{"/tags/" + strconv.FormatInt(id, 10), rf.TagLabel(id)}
		}
	}
	return c
}

// option is one choice of a select in the list's filters; optGroup a
// labelled group of them.
type option struct {
	Value, Label string
	Selected     bool
}

type optGroup struct {
	Label   string
	Options []option
}

// filterChoices are the list filters' choices with their labels, worked
// out in Go for the same reason as cards: some eighty options, each a few
// reflective calls from the template.
type filterChoices struct {
	Tags      []optGroup
	Countries []optGroup
	Processes []option
	Langs     []option
	Years     []option
	Sorts     []option
}

func filterChoicesOf(loc i18n.Locale, d *listData) filterChoices {
	f := d.Filter
	var c filterChoices
	for _, m := range d.Meetings {
		g := optGroup{Label: m.Title}
		for _, t := range append(append(m.Objectives[:0:0], m.Objectives...), m.Recommendations...) {
			g.Options = append(g.Options, option{Value: strconv.FormatInt(t.ID, 10),
				Label: loc.T("tag.kind."+t.Kind, "n", t.Number) + ": " + t.Label, Selected: t.ID == f.Tag})
		}
		c.Tags = append(c.Tags, g)
	}
	for _, p := range d.Processes {
		g := optGroup{Label: p.Name}
		for _, country := range p.Countries {
			g.Options = append(g.Options, option{Value: country.Code, Label: country.Name(loc.Lang), Selected: country.Code == f.Country})
		}
		c.Countries = append(c.Countries, g)
		c.Processes = append(c.Processes, option{Value: p.Code, Label: p.Code, Selected: p.Code == f.Process})
	}
	for _, l := range i18n.Langs {
		c.Langs = append(c.Langs, option{Value: l, Label: i18n.NativeName(l), Selected: l == f.Lang})
	}
	for _, y := range d.Years {
		c.Years = append(c.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == f.Year})
	}
	c.Sorts = []option{
		{Value: practices.SortNewest, Label: loc.T("list.sort_newest"), Selected: f.Sort == practices.SortNewest},
		{Value: practices.SortDiscussed, Label: loc.T("list.sort_discussed"), Selected: f.Sort == practices.SortDiscussed},
	}
	return c
}

// HTML is the card's markup. Cards are most of a list page, and built
// here a card costs a tenth of what the template spent on it. Every value
// from the data is escaped (sanitize.Markup); the addresses are made here
// from codes and ids.
func (c cardView) HTML() template.HTML {
	var m sanitize.Markup
	// A card is about 1 KB of markup around its texts and links.
	m.Grow(1024 + len(c.Title) + len(c.Summary) + 160*(len(c.Countries)+len(c.Tags)))
	id := strconv.FormatInt(c.ID, 10)
	m.Tag("\n<article class=\"practice-card\" aria-labelledby=\"pc-", id, "\">\n  <h3 id=\"pc-", id,
		"\"><a href=\"/practices/", id, "\" lang=\"")
	m.Text(c.Lang)
	m.Tag("\">")
	m.Text(c.Title)
	m.Tag("</a></h3>\n  <p class=\"meta\">\n    ")
	for i, l := range c.Countries {
		if i > 0 {
			m.Tag(", ")
		}
		writeLink(&m, l)
	}
	m.Tag("\n    · ")
	m.Text(c.LangName)
	m.Tag("\n    ")
	if c.PublishedISO != "" {
		m.Tag("· <time datetime=\"")
		m.Text(c.PublishedISO)
		m.Tag("\">")
		m.Text(c.Published)
		m.Tag("</time>")
	}
	m.Tag("\n    · ")
	m.Text(c.Comments)
	m.Tag("\n    ")
	if c.Scope != "" {
		m.Tag("· <span class=\"badge-scope\">")
		m.Text(c.Scope)
		m.Tag("</span>")
	}
	if c.Stale != "" {
		m.Tag(" · <span class=\"badge-note\">")
		m.Text(c.Stale)
		m.Tag("</span>")
	}
	m.Tag("\n  </p>\n  <p lang=\"")
	m.Text(c.Lang)
	m.Tag("\">")
	m.Text(c.Summary)
	m.Tag("</p>\n  ")
	if len(c.Tags) > 0 {
		m.Tag("<ul class=\"chips\" aria-label=\"")
		m.Text(c.TagsLabel)
		m.Tag("\">")
		for _, l := range c.Tags {
			m.Tag("<li>")
			writeLink(&m, l)
			m.Tag("</li>")
		}
		m.Tag("</ul>")
	}
	m.Tag("\n</article>\n")
	return m.HTML()
}

// writeLink writes l as an anchor, both values escaped.
func writeLink(m *sanitize.Markup, l link) {
	m.Tag("<a href=\"")
	m.Text(l.Href)
	m.Tag("\">")
	m.Text(l.Label)
	m.Tag("</a>")
}
