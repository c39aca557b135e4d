package server

import (
	"strings"

	"puente/internal/i18n"
	"puente/internal/practices"
)

// cardView is what a practice card in a list shows, worked out in Go. A
// list page shows twenty cards; from the template each label was a
// reflective call, and those calls were most of the page's render time.
type cardView struct {
	ID             int64
	Title, Summary string
	Lang, LangName string
	Countries      string
	PublishedISO   string // "" when not published
	Published      string
	Comments       string
	Scope          string // "" for the usual scope, members
	TagsLabel      string
	Tags           []string
}

// card is the card of p as v's reader sees it.
func card(v *View, p *practices.Practice, rf *refs) cardView {
	c := cardView{ID: p.ID, Title: p.Title, Summary: p.Summary, Lang: p.Lang, LangName: i18n.NativeName(p.Lang),
		Comments: v.T("practice.comment_count", "n", p.CommentCount)}
	names := make([]string, len(p.Countries))
	for i, code := range p.Countries {
		names[i] = rf.CountryName(code)
	}
	c.Countries = strings.Join(names, ", ")
	if !p.PublishedAt.IsZero() {
		c.PublishedISO, c.Published = p.PublishedAt.Format("2006-01-02"), v.Date(p.PublishedAt)
	}
	if p.Scope != practices.ScopeMembers {
		c.Scope = v.T("scope." + string(p.Scope))
	}
	if len(p.Tags) > 0 {
		c.TagsLabel = v.T("practice.field.tags")
		c.Tags = make([]string, len(p.Tags))
		for i, id := range p.Tags {
			c.Tags[i] = rf.TagLabel(id)
		}
	}
	return c
}
