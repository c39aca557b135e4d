package server

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/comments"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/taxonomy"
)

var spaces = regexp.MustCompile(`\s+`)

// normalized is markup with whitespace runs collapsed to one space and
// none between two tags: what a browser makes of it (a space next to
// text still counts), for the two renderings to compare.
func normalized(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(spaces.ReplaceAllString(s, " "), "> <", "><"))
}

// A reader's comment thread is written in Go; the template writes the
// same thread for everyone else. For a visitor and a member who wrote
// none, on every shape of thread (deleted, hidden, edited, replies,
// earlier replies, earlier pages, a thread alone, none at all; a public
// practice and not), both give the same page.
func TestReaderCommentsMatchTheTemplate(t *testing.T) {
	pg, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	tpl := pg.byName["practice"]
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	rf := &refs{lang: "es", countries: map[string]*taxonomy.Country{
		"PA": {Code: "PA", Names: map[string]string{"es": "Panamá", "en": "Panama"}},
		"MX": {Code: "MX", Names: map[string]string{"es": "México", "en": "Mexico"}},
	}}
	mk := func(id int64, name, cc, html string) *comments.Comment {
		return &comments.Comment{ID: id, PracticeID: 7, AuthorID: 100 + id, AuthorName: name, AuthorCC: cc, HTML: html, CreatedAt: at.Add(time.Duration(id) * time.Hour)}
	}
	deleted := mk(3, "Borrada", "MX", "")
	deleted.DeletedAt = at
	hidden := mk(4, "Oculta <b>", "PA", "<p>secreto</p>")
	hidden.HiddenAt, hidden.HiddenReason = at, "motivo"
	edited := mk(5, "Ana & Luis", "MX", "<p>Editado <strong>sí</strong></p>")
	edited.EditedAt = at.Add(48 * time.Hour)
	top := mk(1, "Samira \"Ríos\"", "PA", "<p>Hola</p>")
	top.Replies = []*comments.Comment{mk(6, "Respuesta", "", "<p>R</p>"), deleted}
	top.EarlierReplies = 3
	threads := map[string][]*comments.Comment{
		"none":  nil,
		"mixed": {top, hidden, edited, mk(2, "Otra", "MX", "<ul><li>uno</li></ul>")},
	}
	pages := map[string]*comments.Page{
		"newest":  {},
		"earlier": {Earlier: 9},
		"older":   {Earlier: 9, Partial: true},
		"thread":  {Thread: 1, Earlier: 8, Partial: true},
	}
	member := &accounts.Account{ID: 55, DisplayName: "Lectora", Role: accounts.Official, CountryCode: "MX"}
	for _, lang := range []string{"es", "en"} {
		for _, account := range []*accounts.Account{nil, member} {
			for tname, thread := range threads {
				for pname, page := range pages {
					for _, scope := range []practices.Scope{practices.ScopePublic, practices.ScopeMembers} {
						p := &practices.Practice{ID: 7, Status: practices.Published, Scope: scope, CommentCount: 12}
						page := *page
						page.Comments = thread
						pv := &practiceView{P: p, Refs: rf, Discussion: &page, Comments: thread, CanComment: account != nil}
						v := &View{Locale: i18n.For(lang), Account: account, Data: pv}
						var buf bytes.Buffer
						if err := tpl.ExecuteTemplate(&buf, "practice-comments", v); err != nil {
							t.Fatal(err)
						}
						got, want := normalized(readerComments(v, pv)), normalized(buf.String())
						if got != want {
							t.Errorf("%s, signed in %v, %s thread, %s page, %s: Go and template differ\n go: %s\ntpl: %s", lang, account != nil, tname, pname, scope, got, want)
						}
					}
				}
			}
		}
	}
}
