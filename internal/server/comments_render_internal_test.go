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
	tpl := pg.set
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
	observer := mk(7, "Oficial de enlace", "", "<p>Desde la OIM</p>")
	observer.AuthorOrg = "Organización Internacional para las Migraciones <OIM>"
	top.Replies = append(top.Replies, observer)
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
	// An observer who may comment: no flag links.
	reader := &accounts.Account{ID: 56, DisplayName: "Secretaría", Role: accounts.Observer, Organisation: "Secretaría Técnica", ObserverScope: accounts.ObserverBoth, ObserverComments: true}
	for _, lang := range []string{"es", "en"} {
		for _, account := range []*accounts.Account{nil, member, reader} {
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

// The practice page writes its practice in Go; the preview and the
// review pages keep the template. On every shape of practice (joint or
// not, ongoing, ended or open, with and without partners, a contact
// address, an author's country, a publication date, empty sections,
// files live and waiting, as its author, staff or a reader, in Spanish
// and English) both give the same markup.
func TestPracticeBodyMatchesTheTemplate(t *testing.T) {
	pg, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	tpl := pg.set
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	tag := func(id int64, kind string, n int, label string) *taxonomy.TagRef {
		return &taxonomy.TagRef{Tag: taxonomy.Tag{ID: id, Kind: kind, Number: n, Label: label}}
	}
	rf := &refs{lang: "es", countries: map[string]*taxonomy.Country{
		"PA": {Code: "PA", Names: map[string]string{"es": "Panamá", "en": "Panama"}},
		"CR": {Code: "CR", Names: map[string]string{"es": "Costa Rica", "en": "Costa Rica"}},
	}, tags: map[int64]*taxonomy.TagRef{1: tag(1, "objective", 1, "Colaboración <entre> procesos"), 4: tag(4, "recommendation", 2, "Vías regulares & trata")}}
	files := []*practices.Attachment{
		{ID: 9, Name: "informe \"final\".pdf", Type: "application/pdf", Size: 1536, State: practices.FileLive},
		{ID: 10, Name: "foto.png", Type: "image/png", Size: 3 << 20, State: practices.FileRemoved},
	}
	waiting := []*practices.Attachment{{ID: 11, Name: "nuevo.xlsx", Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Size: 40000, State: practices.FileAdded}}
	base := func() *practices.Practice {
		return &practices.Practice{ID: 7, Status: practices.Published, Scope: practices.ScopeCRM, Lang: "es", Title: "Registro \"biométrico\" & más",
			Summary: "Resumen <con> signos", Countries: []string{"PA", "CR"}, Tags: []int64{1, 4, 99}, PeriodStart: "2019-06",
			Institutions: "SNM", Partners: "OIM; ACNUR", ContactName: "Punto focal", ContactEmail: "focal@gob.pa", AuthorName: "Samira", AuthorCountry: "PA",
			PublishedAt: at, UpdatedAt: at.Add(24 * time.Hour),
			Sections: []practices.Section{{Key: "context", HTML: "<p>Contexto</p>"}, {Key: "actions", HTML: ""}, {Key: "results", HTML: "<ul><li>uno</li></ul>"},
				{Key: "lessons", HTML: ""}, {Key: "adoption", HTML: "<p>Cómo</p>"}}}
	}
	variants := map[string]func(p *practices.Practice){
		"as published": func(*practices.Practice) {},
		"ended":        func(p *practices.Practice) { p.PeriodEnd = "2023-12" },
		"open end":     func(p *practices.Practice) { p.EndOpen = true },
		"no start":     func(p *practices.Practice) { p.PeriodStart, p.EndOpen = "", true },
		"sparse": func(p *practices.Practice) {
			p.Partners, p.ContactEmail, p.AuthorCountry, p.Countries, p.Tags = "", "", "", []string{"PA"}, nil
			p.PublishedAt, p.Status, p.Scope = time.Time{}, practices.Draft, practices.ScopePublic
		},
	}
	for _, lang := range []string{"es", "en"} {
		for name, change := range variants {
			for _, who := range []string{"reader", "author", "staff"} {
				for _, withFiles := range []bool{false, true} {
					p := base()
					change(p)
					pv := &practiceView{P: p, Refs: rf, CanEdit: who == "author", Staff: who == "staff"}
					if withFiles {
						pv.Attachments = files
						if who != "reader" {
							pv.WaitingFiles = waiting
						}
					}
					v := &View{Locale: i18n.For(lang), Data: pv}
					var buf bytes.Buffer
					if err := tpl.ExecuteTemplate(&buf, "practice-article", v); err != nil {
						t.Fatal(err)
					}
					got, want := normalized(practiceBody(v, pv)), normalized(buf.String())
					if got != want {
						t.Errorf("%s, %s, as %s, files %v: Go and template differ\n go: %s\ntpl: %s", lang, name, who, withFiles, got, want)
					}
				}
			}
		}
	}
}
