package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/practices"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	f := practiceForm("Registro biométrico de migrantes", []string{"PA"}, "members")
	f.Set("summary", "Guía para la migración ordenada.")
	f.Set("context", "<p>La selva de Darién es una ruta peligrosa.</p>")
	bio := publish(t, e, pa, f)
	f = practiceForm("Ventanilla única de trámites", []string{"PA", "CR"}, "crm")
	f.Set("context", "<p>Un registro biométrico aparece solo en el cuerpo.</p>")
	crm := publish(t, e, pa, f)
	f = practiceForm("Coordinación sanitaria", []string{"PA"}, "public")
	f.Set("summary", "El registro biométrico en el resumen.")
	public := publish(t, e, pa, f)
	f = practiceForm("Registro civil en la frontera", []string{"PA"}, "members")
	f.Set("summary", "Con un enrolamiento biométrico.")
	publish(t, e, pa, f)
	br := e.SignIn("br@gov.br")
	br.PostForm(bio+"/comments", url.Values{"body": {"<p>Nos interesa la interoperabilidad con Roraima.</p>"}})

	mx := e.SignIn("mx@gob.mx")
	get := func(who string, q string) string {
		t.Helper()
		c := map[string]func(string) string{
			"mx":   func(p string) string { return mx.Get(p).Body },
			"br":   func(p string) string { return br.Get(p).Body },
			"anon": func(p string) string { return e.Client().Get(p).Body },
		}[who]
		return c("/search?q=" + url.QueryEscape(q))
	}
	has := func(body, title string) bool { return strings.Contains(body, ">"+title+"</a>") }

	for _, tc := range []struct {
		name, who, q string
		want, not    []string
	}{
		{"diacritics folded", "mx", "migracion", []string{"Registro biométrico de migrantes"}, nil},
		{"capital and accent", "mx", "Guia", []string{"Registro biométrico de migrantes"}, nil},
		{"prefix typed", "mx", "biometr*", []string{"Registro biométrico de migrantes", "Ventanilla única de trámites", "Coordinación sanitaria"}, nil},
		{"prefix while typing", "mx", "darie", []string{"Registro biométrico de migrantes"}, nil},
		{"phrase", "mx", `"ruta peligrosa"`, []string{"Registro biométrico de migrantes"}, []string{"Coordinación sanitaria"}},
		{"phrase in wrong order", "mx", `"peligrosa ruta"`, nil, []string{"Registro biométrico de migrantes"}},
		{"country names in any language", "mx", "Costa Rica", []string{"Ventanilla única de trámites"}, []string{"Coordinación sanitaria"}},
		{"comments are searched", "mx", "Roraima", []string{"Registro biométrico de migrantes"}, nil},
		{"scope: CSM official", "br", "biometrico", []string{"Registro biométrico de migrantes"}, []string{"Ventanilla única de trámites"}},
		{"scope: visitor", "anon", "biometrico", []string{"Coordinación sanitaria"}, []string{"Registro biométrico de migrantes", "Ventanilla única de trámites"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := get(tc.who, tc.q)
			for _, w := range tc.want {
				if !has(body, w) {
					t.Errorf("%q: %q not found", tc.q, w)
				}
			}
			for _, n := range tc.not {
				if has(body, n) {
					t.Errorf("%q: %q found", tc.q, n)
				}
			}
		})
	}
	// Ranking: every word in the title, then title and summary, then summary
	// alone, then the body.
	body := get("mx", "registro biométrico ")
	var at []int
	for _, title := range []string{"Registro biométrico de migrantes", "Registro civil en la frontera", "Coordinación sanitaria", "Ventanilla única de trámites"} {
		at = append(at, strings.Index(body, ">"+title+"</a>"))
	}
	if at[0] < 0 || !slices.IsSorted(at) {
		t.Fatalf("ranking title > title and summary > summary > body: positions %v", at)
	}
	// Snippets mark the matched words; the rest is escaped text.
	if !strings.Contains(body, "<mark>") {
		t.Error("no highlight in snippets")
	}
	// Filters combine with search.
	if b := mx.Get("/search?country=CR&q=registro").Body; !has(b, "Ventanilla única de trámites") || has(b, "Registro biométrico de migrantes") {
		t.Error("country filter ignored")
	}
	// The index follows edits, hiding and deletion.
	f = practiceForm("Registro biométrico de migrantes", []string{"PA"}, "members")
	f.Set("context", "<p>Texto nuevo sobre Chiriquí.</p>")
	pa.PostForm(bio, f)
	if has(get("mx", "Chiriqui"), "Registro biométrico de migrantes") {
		t.Error("a change waiting for review is searchable")
	}
	e.SignIn("mod@puente.test").PostForm("/moderation/changes/"+idOf(bio), url.Values{"decision": {"approve"}})
	if !has(get("mx", "Chiriqui"), "Registro biométrico de migrantes") || has(get("mx", "peligrosa"), "Registro biométrico de migrantes") {
		t.Error("index not updated on edit")
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	e.SignIn("mod@puente.test").PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"x"}})
	if has(get("mx", "Roraima"), "Registro biométrico de migrantes") {
		t.Error("hidden comment still searchable")
	}
	e.SignIn("mod@puente.test").PostForm("/moderation/practices/"+idOf(public)+"/hide", url.Values{"reason": {"x"}})
	if has(get("anon", "biometrico"), "Coordinación sanitaria") {
		t.Error("hidden practice still found")
	}
	if !has(get("mx", "ventanilla"), "Ventanilla única de trámites") {
		t.Errorf("CRM official misses %s", crm)
	}
}

func TestHostileSearchQueries(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("x@gob.pa", accounts.Official, "PA")
	c := e.SignIn("x@gob.pa")
	for _, q := range []string{`"`, `"""`, `AND`, `OR NOT`, `NEAR(a b, 2)`, `col:val`, `a AND (b`, `^start`, `*`, `-`, `{a b}`,
		strings.Repeat("palabra ", 1300), "\x00\xff", `'; DROP TABLE practices; --`, `title:"x`, `a* * b*`, "é́́́́"} {
		res := c.Get("/search?q=" + url.QueryEscape(q))
		if res.Status >= 500 {
			t.Errorf("query %.40q: %d", q, res.Status)
		}
		if res.Status != 200 && res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
			t.Errorf("query %.40q: %d", q, res.Status)
		}
	}
	if res := c.Get("/search?q=" + url.QueryEscape("*** ...")); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Type at least one word.") {
		t.Errorf("nothing searchable: %d", res.Status)
	}
}

// TestSearchPages pages through more results than fit on one page.
func TestSearchPages(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	for i := range practices.SearchPageSize + 2 {
		publish(t, e, pa, practiceForm(fmt.Sprintf("Registro número %d", i), []string{"PA"}, "members"))
	}
	mx := e.SignIn("mx@gob.mx")
	first := mx.Get("/search?q=registro")
	if first.Status != http.StatusOK || strings.Count(first.Body, `class="practice-card"`) != practices.SearchPageSize {
		t.Fatalf("first page: %d, %d results", first.Status, strings.Count(first.Body, `class="practice-card"`))
	}
	m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no link to the next page")
	}
	second := mx.Get(html.UnescapeString(m[1]))
	if second.Status != http.StatusOK || strings.Count(second.Body, `class="practice-card"`) != 2 || !strings.Contains(second.Body, `rel="prev"`) {
		t.Fatalf("second page: %d, %d results", second.Status, strings.Count(second.Body, `class="practice-card"`))
	}
}

// TestCommentIndexMatchesRebuild: new comments wait in a queue; a search
// first appends them to the practice's index row, which must then equal a
// rebuild from the database.
func TestCommentIndexMatchesRebuild(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	path := publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Registro biométrico", []string{"PA"}, "members"))
	mx := e.SignIn("mx@gob.mx")
	for i, body := range []string{"<p>Primera <b>pregunta</b></p>", "<ul><li>uno</li><li>dos</li></ul>", "<p>Tercera, con <a href=\"https://gob.mx\">enlace</a></p>"} {
		if res := mx.PostForm(path+"/comments", url.Values{"body": {body}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment %d: %d", i, res.Status)
		}
	}
	row := func() string {
		var title, summary, body, places, comments string
		if err := e.DB.R.QueryRow(`SELECT title, summary, body, places, comments FROM practice_fts WHERE rowid = ?`, idOf(path)).
			Scan(&title, &summary, &body, &places, &comments); err != nil {
			t.Fatal(err)
		}
		return strings.Join([]string{title, summary, body, places, comments}, "|")
	}
	if waiting := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM search_pending_comments`); waiting != 3 {
		t.Fatalf("%d comments wait for the index, want 3", waiting)
	}
	if res := mx.Get("/search?q=" + url.QueryEscape("tercera enlace")); !strings.Contains(res.Body, "Registro biométrico") {
		t.Fatalf("a comment just posted is not found by search:\n%.2000s", res.Body)
	}
	if waiting := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM search_pending_comments`); waiting != 0 {
		t.Fatalf("%d comments still wait after a search", waiting)
	}
	incremental := row()
	if !strings.Contains(incremental, "Primera pregunta") || !strings.Contains(incremental, "Tercera, con enlace") {
		t.Fatalf("comments not in the index row: %q", incremental)
	}
	if _, err := e.App.Search.Reindex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if rebuilt := row(); rebuilt != incremental {
		t.Errorf("index row after comments:\n%q\nrebuilt:\n%q", incremental, rebuilt)
	}
}
