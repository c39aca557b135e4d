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
	m.Grow(c.size())
	c.write(&m)
	return m.HTML()
}

// size is about how many bytes the card's markup takes: some 1 KB around
// its texts and links.
func (c cardView) size() int {
	return 1024 + len(c.Title) + len(c.Summary) + 160*(len(c.Countries)+len(c.Tags))
}

// write writes the card's markup to m.
func (c cardView) write(m *sanitize.Markup) {
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
		writeLink(m, l)
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
			writeLink(m, l)
			m.Tag("</li>")
		}
		m.Tag("</ul>")
	}
	m.Tag("\n</article>\n")
}

// writeLink writes l as an anchor, both values escaped.
func writeLink(m *sanitize.Markup, l link) {
	m.Tag("<a href=\"")
	m.Text(l.Href)
	m.Tag("\">")
	m.Text(l.Label)
	m.Tag("</a>")
}

// listResults writes a page of the practice list: its count, its cards
// and the links to the pages around it. A list page is mostly this part,
// and from the template each card cost a dozen reflective calls (the card
// itself, its fields, the call of its markup) beside the markup: written
// here it costs less than half (23 % of a list page not kept, then 10 %).
func listResults(v *View, d *listData) template.HTML {
	var m sanitize.Markup
	cards := make([]cardView, len(d.Page.Practices))
	n := 512
	for i, p := range d.Page.Practices {
		cards[i] = card(v, p, d.Refs)
		n += cards[i].size()
	}
	m.Grow(n)
	m.Tag(`<p class="count" role="status">`)
	m.Text(v.T("list.count", "n", d.Page.Total))
	m.Tag("</p>\n")
	for _, c := range cards {
		c.write(&m)
	}
	if len(cards) == 0 {
		m.Tag("<p>")
		m.Text(v.T("list.none"))
		if d.Narrowed() {
			m.Tag(` <a href="/practices">`)
			m.Text(v.T("filter.clear"))
			m.Tag("</a>")
		}
		m.Tag("</p>\n")
	}
	q := d.Query.Encode()
	if q != "" {
		q += "&"
	}
	writePager(&m, v, d.Page, "/practices?", q)
	return m.HTML()
}

// pagerLinks is the Previous and Next links of a page of practices, for
// the pages that list them (a country's, an objective's, a meeting's).
// base is the list's address up to its query ("/tags/4?"), query its
// filters ready to take a cursor after them ("" or "country=PA&").
func pagerLinks(v *View, pg *practices.Page, base, query string) template.HTML {
	var m sanitize.Markup
	writePager(&m, v, pg, base, query)
	return m.HTML()
}

// writePager writes the pager's links, if the list has another page. The
// address is made here of a path, an encoded query and a cursor (base64
// in the URL alphabet): escaped as text, it is what the template made of
// it.
func writePager(m *sanitize.Markup, v *View, pg *practices.Page, base, query string) {
	if pg.Prev == "" && pg.Next == "" {
		return
	}
	m.Tag(`<nav class="pager" aria-label="`)
	m.Text(v.T("pager.label"))
	m.Tag("\">\n")
	for _, l := range [...]struct{ cursor, param, rel, label string }{
		{pg.Prev, "before=", "prev", "pager.prev"}, {pg.Next, "after=", "next", "pager.next"}} {
		if l.cursor == "" {
			continue
		}
		m.Tag(`  <a href="`)
		m.Text(base + query + l.param + l.cursor)
		m.Tag(`" rel="`, l.rel, `">`)
		m.Text(v.T(l.label))
		m.Tag("</a>\n")
	}
	m.Tag("</nav>\n")
}
