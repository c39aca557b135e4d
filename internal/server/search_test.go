package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"puente/db"
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
	// A title's ranking is kept between searches; an approved new title
	// is found, and the old one no longer.
	for range 2 {
		if !has(get("mx", "migrantes"), "Registro biométrico de migrantes") {
			t.Fatal("title not found")
		}
	}
	f = practiceForm("Registro de personas en tránsito", []string{"PA"}, "members")
	f.Set("context", "<p>Texto nuevo sobre Chiriquí.</p>")
	pa.PostForm(bio, f)
	e.SignIn("mod@puente.test").PostForm("/moderation/changes/"+idOf(bio), url.Values{"decision": {"approve"}})
	if strings.Contains(get("mx", "migrantes"), `href="`+bio+`"`) || !has(get("mx", "transito"), "Registro de personas en tránsito") {
		t.Error("a kept ranking outlived the title it ranked")
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	if !strings.Contains(get("mx", "Roraima"), "Registro de personas en tránsito") {
		t.Fatal("the comment is not found before it is hidden")
	}
	e.SignIn("mod@puente.test").PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"x"}})
	if strings.Contains(get("mx", "Roraima"), `href="`+bio+`"`) {
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
	if res := c.Get("/search?q=" + url.QueryEscape("*** ...")); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Your search has no words in it") {
		t.Errorf("nothing searchable: %d", res.Status)
	}
}

// TestSearchWithoutWords: a query of signs or operators alone says, in
// the reader's language, what is searched, beside the field.
func TestSearchWithoutWords(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	for _, tc := range []struct{ q, lang, want string }{
		{`***`, "en", "Your search has no words in it"},
		{`"`, "en", "Your search has no words in it"},
		{`-`, "es", "Su búsqueda no tiene palabras"},
		{`()`, "pt", "Sua pesquisa não tem palavras"},
		{`AND OR`, "fr", "Votre recherche ne contient aucun mot"},
		{`NOT "" *`, "nl", "Uw zoekopdracht bevat geen woorden"},
	} {
		t.Run(tc.q+" "+tc.lang, func(t *testing.T) {
			c := e.Client()
			c.Header.Set("Accept-Language", tc.lang)
			res := c.Get("/search?q=" + url.QueryEscape(tc.q))
			if res.Status != http.StatusUnprocessableEntity {
				t.Errorf("status %d", res.Status)
			}
			if !strings.Contains(html.UnescapeString(res.Body), tc.want) || !strings.Contains(res.Body, `id="q-error"`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
				t.Errorf("no message %q beside the field:\n%.3000s", tc.want, res.Body)
			}
		})
	}
}

// results reads a search page's results: each one's id, title, snippet
// (as HTML) and the label and link of the comment it quotes.
type result struct{ id, title, snippet, source, sourceURL string }

var (
	resultCard    = regexp.MustCompile(`(?s)<article class="practice-card" aria-labelledby="sr-(\d+)">(.*?)</article>`)
	resultTitle   = regexp.MustCompile(`(?s)<h3[^>]*><a [^>]*>(.*?)</a></h3>`)
	resultSnippet = regexp.MustCompile(`(?s)<p class="snippet"[^>]*>(.*?)</p>`)
	resultSource  = regexp.MustCompile(`(?s)<p class="hit-source"><a href="([^"]*)">(.*?)</a></p>`)
)

func results(body string) []result {
	var out []result
	for _, m := range resultCard.FindAllStringSubmatch(body, -1) {
		r := result{id: m[1]}
		if t := resultTitle.FindStringSubmatch(m[2]); t != nil {
			r.title = html.UnescapeString(t[1])
		}
		if sn := resultSnippet.FindStringSubmatch(m[2]); sn != nil {
			r.snippet = sn[1]
		}
		if so := resultSource.FindStringSubmatch(m[2]); so != nil {
			r.sourceURL, r.source = html.UnescapeString(so[1]), html.UnescapeString(so[2])
		}
		out = append(out, r)
	}
	return out
}

// marks are the marked pieces of a snippet.
func marks(snippet string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<mark>(.*?)</mark>`).FindAllStringSubmatch(snippet, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// plainText is a snippet's text without its marks.
func plainText(snippet string) string {
	return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet))
}

// TestSearchSnippets: a result quotes the practice's own words or a
// comment, never the names the index holds only to match (its countries'
// names in every language, its institutions); phrases are marked as
// phrases; a comment quoted says so and links to it.
func TestSearchSnippets(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	br := e.SignIn("br@gov.br")
	f := practiceForm("Acogida en la frontera norte", []string{"BR"}, "members")
	f.Set("summary", "Guía para recibir a las personas que llegan por tierra.")
	f.Set("context", "<p>Un plan de respuesta de emergencia con registro biométrico de cada persona.</p>")
	f.Set("institutions", "Polícia Federal")
	acogida := idOf(publish(t, e, br, f))
	f = practiceForm("Interoperabilidad consular", []string{"BR"}, "members")
	f.Set("summary", "Consulados que comparten datos.")
	f.Set("context", "<p>Sin nada que ver.</p>")
	consular := idOf(publish(t, e, br, f))
	pa := e.SignIn("pa@gob.pa")
	if res := pa.PostForm("/practices/"+consular+"/comments", url.Values{"body": {"<p>Algo general.</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	if res := pa.PostForm("/practices/"+consular+"/comments", url.Values{"body": {"<p>En Roraima usamos un <b>plan de respuesta</b> parecido.</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	roraima := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	if res := br.PostForm("/practices/"+consular+"/comments", url.Values{"body": {"<p>Contestamos en Manaos.</p>"}, "parent": {fmt.Sprint(roraima)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.Status)
	}
	reply := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	c := e.SignIn("mx@gob.mx")
	find := func(t *testing.T, q, id string) result {
		t.Helper()
		res := c.Get("/search?q=" + url.QueryEscape(q))
		if res.Status != http.StatusOK {
			t.Fatalf("%q: status %d", q, res.Status)
		}
		for _, r := range results(res.Body) {
			if r.id == id {
				return r
			}
		}
		t.Fatalf("%q: practice %s not found", q, id)
		return result{}
	}

	// The names of Brazil in each language, and an institution, find the
	// practice; its snippet is the start of its summary.
	names := []string{"Brasil", "Brazil", "Brésil", "Brazilië", "Polícia", "Federal"}
	for _, q := range []string{"Brasil", "Brazil", "brasil ", "Brésil", "Brazilië", "bresil", "Polícia Federal"} {
		t.Run("aids only: "+q, func(t *testing.T) {
			r := find(t, q, acogida)
			text := plainText(r.snippet)
			if !strings.HasPrefix(text, "Guía para recibir a las personas") {
				t.Errorf("snippet %q is not the start of the summary", text)
			}
			for _, n := range names {
				if strings.Contains(text, n) {
					t.Errorf("snippet %q quotes %q", text, n)
				}
			}
			if len(marks(r.snippet)) != 0 || r.source != "" {
				t.Errorf("snippet %q marks words or names a comment (%q)", r.snippet, r.source)
			}
		})
	}

	for _, tc := range []struct {
		name, q, id string
		marks       []string
		// contains must appear in the snippet's text.
		contains string
	}{
		{"phrase marked whole", `"registro biométrico"`, acogida, []string{"registro biométrico"}, "registro biométrico de cada persona."},
		{"phrase with common words", `"plan de respuesta"`, acogida, []string{"plan de respuesta"}, "Un plan de respuesta de emergencia"},
		{"words marked each", `plan respuesta `, acogida, []string{"plan", "respuesta"}, ""},
		{"text before comments", `"plan de respuesta"`, consular, []string{"plan de respuesta"}, "En Roraima usamos"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := find(t, tc.q, tc.id)
			if got := marks(r.snippet); !slices.Equal(got, tc.marks) {
				t.Errorf("marks %q, want %q in %q", got, tc.marks, r.snippet)
			}
			if text := plainText(r.snippet); !strings.Contains(text, tc.contains) {
				t.Errorf("%q not in %q", tc.contains, text)
			}
		})
	}

	// A comment quoted is named as one, with its author, and linked.
	for _, tc := range []struct {
		q, mark, author string
		comment         int64
	}{
		{"roraima", "Roraima", "pa", roraima},
		{"manaos", "Manaos", "br", reply},
	} {
		t.Run("comment: "+tc.q, func(t *testing.T) {
			r := find(t, tc.q, consular)
			if r.source != "In a comment by "+tc.author {
				t.Errorf("label %q", r.source)
			}
			if got := marks(r.snippet); !slices.Equal(got, []string{tc.mark}) {
				t.Errorf("marks %q in %q", got, r.snippet)
			}
			if !strings.HasPrefix(r.sourceURL, "/practices/"+consular+"?") || !strings.HasSuffix(r.sourceURL, fmt.Sprintf("#comment-%d", tc.comment)) {
				t.Fatalf("link %q", r.sourceURL)
			}
			page := c.Get(r.sourceURL)
			if page.Status != http.StatusOK || !strings.Contains(page.Body, fmt.Sprintf(`id="comment-%d"`, tc.comment)) {
				t.Errorf("%s: %d, comment not on the page", r.sourceURL, page.Status)
			}
		})
	}
	// In the reader's language.
	if res := c.PostForm("/language", url.Values{"lang": {"es"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("language: %d", res.Status)
	}
	if r := find(t, "roraima", consular); r.source != "En un comentario de pa" {
		t.Errorf("label %q", r.source)
	}
}

// TestSearchSorts: best match first by default and for an unknown order;
// newest first; most discussed first. The select shows the order in
// effect and the pages keep it.
func TestSearchSorts(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	ctx := context.Background()
	mk := func(title, summary, context string, published time.Time, comments int) string {
		f := practiceForm(title, []string{"PA"}, "members")
		f.Set("summary", summary)
		f.Set("context", context)
		path := publish(t, e, pa, f)
		id, _ := strconv.ParseInt(idOf(path), 10, 64)
		if err := e.App.Practices.Backdate(ctx, id, published); err != nil {
			t.Fatal(err)
		}
		for i := range comments {
			if res := pa.PostForm(path+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>", i)}}); res.Status != http.StatusSeeOther {
				t.Fatalf("comment: %d", res.Status)
			}
		}
		return title
	}
	day := func(y int) time.Time { return time.Date(y, 3, 1, 12, 0, 0, 0, time.UTC) }
	title := mk("Ventanilla única", "Trámites en un solo lugar.", "<p>Nada más.</p>", day(2020), 0)
	summary := mk("Oficina móvil", "Una ventanilla que viaja.", "<p>Nada más.</p>", day(2024), 1)
	text := mk("Atención en frontera", "Puestos de control.", "<p>Con una ventanilla para trámites.</p>", day(2022), 2)
	mx := e.SignIn("mx@gob.mx")
	for _, tc := range []struct {
		sort, selected string
		want           []string
	}{
		{"", "relevance", []string{title, summary, text}},
		{"relevance", "relevance", []string{title, summary, text}},
		{"bogus", "relevance", []string{title, summary, text}},
		{"newest", "newest", []string{summary, text, title}},
		{"discussed", "discussed", []string{text, summary, title}},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			for _, path := range []string{"/search?q=ventanilla&sort=" + tc.sort, "/search?q=ventanilla&country=PA&sort=" + tc.sort} {
				res := mx.Get(path)
				if res.Status != http.StatusOK {
					t.Fatalf("%s: %d", path, res.Status)
				}
				var got []string
				for _, r := range results(res.Body) {
					got = append(got, r.title)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: %q, want %q", path, got, tc.want)
				}
				sel := regexp.MustCompile(`<option value="(\w+)" selected>`).FindAllStringSubmatch(res.Body[strings.Index(res.Body, `id="f-sort"`):], 1)
				if len(sel) == 0 || sel[0][1] != tc.selected {
					t.Errorf("%s: selected %v, want %s", path, sel, tc.selected)
				}
			}
		})
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
	if newest := mx.Get("/search?q=registro&sort=newest"); !strings.Contains(html.UnescapeString(newest.Body), "sort=newest&q=registro&page=2") {
		t.Error("the next page of the newest first forgets the order")
	}
	if best := mx.Get("/search?q=registro&sort=relevance"); strings.Contains(best.Body, "sort=") {
		t.Error("the default order is written into the links")
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

// A flush reads the waiting comments before it takes the writer: a
// comment hidden between that read and the flush's write stays out of the
// index, and the row still equals a rebuild.
func TestFlushLeavesOutWhatWasHiddenMeanwhile(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	path := publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Registro biométrico", []string{"PA"}, "members"))
	mx, mod := e.SignIn("mx@gob.mx"), e.SignIn("mod@puente.test")
	var ids []int64
	for _, body := range []string{"<p>Primera nota</p>", "<p>Segunda nota confidencial</p>", "<p>Tercera nota</p>"} {
		if res := mx.PostForm(path+"/comments", url.Values{"body": {body}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.Status)
		}
		ids = append(ids, dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`))
	}
	read := e.App.Search.Source.Visible
	hid := false
	e.App.Search.Source.Visible = func(ctx context.Context, q db.Querier, want []int64) (map[int64]string, error) {
		texts, err := read(ctx, q, want)
		if !hid {
			hid = true
			if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", ids[1]), url.Values{"reason": {"Datos personales."}}); res.Status != http.StatusSeeOther {
				t.Errorf("hide: %d", res.Status)
			}
		}
		return texts, err
	}
	// Nothing has flushed yet: this search runs the first flush.
	if res := mx.Get("/search?q=" + url.QueryEscape("tercera nota")); !strings.Contains(res.Body, "Registro biométrico") {
		t.Fatalf("a comment just posted is not found:\n%.2000s", res.Body)
	}
	if !hid {
		t.Fatal("the flush did not read the comments")
	}
	if res := mx.Get("/search?q=confidencial"); strings.Contains(res.Body, "Registro biométrico") {
		t.Fatal("a comment hidden while the flush ran is in the index")
	}
	var comments string
	dbtest.Row(t, e.DB.R, `SELECT comments FROM practice_fts WHERE rowid = ?`, idOf(path)).Scan(&comments)
	if strings.Contains(comments, "confidencial") || !strings.Contains(comments, "Primera nota") || !strings.Contains(comments, "Tercera nota") {
		t.Fatalf("the index row: %q", comments)
	}
	if waiting := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM search_pending_comments`); waiting != 0 {
		t.Fatalf("%d comments still wait", waiting)
	}
}
