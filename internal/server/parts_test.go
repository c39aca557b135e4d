package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"puente/internal/dbtest"
)

// The practice list's rendered part is kept between requests: it must
// never show one viewer what their scope hides because another viewer
// loaded the same address first, nor outlive a change to what it shows.
func TestListCacheFollowsScopesAndChanges(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	crmOnly := publish(t, e, pa, practiceForm("Solo para la CRM", []string{"PA"}, "crm"))
	publish(t, e, pa, practiceForm("Para los miembros", []string{"PA"}, "members"))
	mx, br, anon := e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br"), e.Client()
	es := e.SignIn("mx@gob.mx")
	es.Header.Set("Accept-Language", "es")

	for _, p := range []string{"/practices", "/practices?country=PA", "/practices?tag=1&country=PA"} {
		// Loaded three times by a CRM official: the second answer is kept,
		// the third is the kept one.
		for range 3 {
			if body := mx.Get(p).Body; !strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Para los miembros") {
				t.Fatalf("CRM official on %s misses a practice", p)
			}
		}
		if body := br.Get(p).Body; strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Para los miembros") {
			t.Errorf("CSM official on %s after a CRM official: wrong practices", p)
		}
		if body := anon.Get(p).Body; strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "Para los miembros") || !strings.Contains(body, "Sign in") {
			t.Errorf("visitor on %s after members: wrong practices or page", p)
		}
		if body := es.Get(p).Body; !strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "1 practice") {
			t.Errorf("Spanish page on %s is the English one", p)
		}
	}

	// The filters' top is kept per filter: each shows its own choice.
	for _, c := range []string{"PA", "BR", "PA"} {
		if body := mx.Get("/practices?country=" + c).Body; !strings.Contains(body, `<option value="`+c+`" selected>`) {
			t.Errorf("the list filtered by %s does not show %s chosen", c, c)
		}
	}

	// Changes the list shows, each made by a different road.
	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"a comment changes the count", func() {
			if res := mx.PostForm(crmOnly+"/comments", url.Values{"body": {"<p>Comentario</p>"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("comment: %d", res.Status)
			}
		}, "1 comment"},
		{"a title changed in the database", func() {
			dbtest.Exec(t, e.DB.W, `UPDATE practices SET title = 'Título corregido' WHERE title = 'Solo para la CRM'`)
		}, "Título corregido"},
		{"a tag relabelled (in the cards and in the filter's choices)", func() {
			dbtest.Exec(t, e.DB.W, `UPDATE tag_i18n SET label = 'Etiqueta renombrada' WHERE tag_id = 1 AND lang = 'en'`)
		}, "Etiqueta renombrada</option>"},
		{"a practice hidden by moderators", func() {
			dbtest.Exec(t, e.DB.W, `UPDATE practices SET hidden_at = '2026-01-01T00:00:00Z' WHERE title = 'Para los miembros'`)
		}, ""},
	}
	for _, s := range steps {
		mx.Get("/practices")
		s.change()
		body := mx.Get("/practices").Body
		if s.want != "" && !strings.Contains(body, s.want) {
			t.Errorf("%s: the list does not show it", s.name)
		}
		if s.want == "" && strings.Contains(body, "Para los miembros") {
			t.Errorf("%s: the list still shows it", s.name)
		}
	}
}

// A practice's comments are kept rendered for visitors and for members who
// wrote none of them; their authors and moderators always get their own,
// and every change to a comment or a signature shows at once.
func TestPracticeCommentsCacheFollowsViewersAndChanges(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica pública", []string{"PA"}, "public"))
	mx, br, anon, mod := e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br"), e.Client(), e.SignIn("mod@puente.test")
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Primer comentario</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	edit := fmt.Sprintf(`href="/comments/%d/edit"`, cid)

	// Loaded first by a member who wrote nothing, three times (kept at
	// the second, served kept at the third).
	for range 3 {
		if body := br.Get(path).Body; !strings.Contains(body, "Primer comentario") || strings.Contains(body, edit) ||
			!strings.Contains(body, fmt.Sprintf(`href="/comments/%d/flag"`, cid)) || !strings.Contains(body, `class="reply-box"`) {
			t.Fatal("member who wrote nothing: wrong comments")
		}
	}
	if body := anon.Get(path).Body; !strings.Contains(body, "Primer comentario") || !strings.Contains(body, "Sign in to comment.") ||
		strings.Contains(body, `class="reply-box"`) || strings.Contains(body, "/flag") {
		t.Error("visitor after a member: forms or flag links shown")
	}
	if body := mx.Get(path).Body; !strings.Contains(body, edit) {
		t.Error("the comment's author does not get their edit link")
	}
	if body := mod.Get(path).Body; !strings.Contains(body, fmt.Sprintf(`/moderation/comments/%d/hide`, cid)) {
		t.Error("the moderator does not get the hide form")
	}
	if body := br.Get(path).Body; strings.Contains(body, edit) || strings.Contains(body, "/moderation/comments/") {
		t.Error("the author's or moderator's page leaked to a member")
	}

	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"an edit", func() {
			if res := mx.PostForm(fmt.Sprintf("/comments/%d/edit", cid), url.Values{"body": {"<p>Comentario corregido</p>"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("edit: %d", res.Status)
			}
		}, "Comentario corregido"},
		{"a new name", func() {
			if res := mx.PostForm("/account/profile", url.Values{"display_name": {"Lucía Méndez"}, "lang": {"en"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("profile: %d", res.Status)
			}
		}, "Lucía Méndez"},
		{"a reply", func() {
			if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta del autor</p>"}, "parent_id": {fmt.Sprint(cid)}}); res.Status != http.StatusSeeOther {
				t.Fatalf("reply: %d", res.Status)
			}
		}, "Respuesta del autor"},
		{"hidden by a moderator", func() {
			if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"Fuera de tema."}}); res.Status != http.StatusSeeOther {
				t.Fatalf("hide: %d", res.Status)
			}
		}, "Hidden by moderators."},
	}
	for _, s := range steps {
		br.Get(path)
		anon.Get(path)
		s.change()
		if body := br.Get(path).Body; !strings.Contains(body, s.want) {
			t.Errorf("%s: a member does not see it", s.name)
		}
		if body := anon.Get(path).Body; !strings.Contains(body, s.want) {
			t.Errorf("%s: a visitor does not see it", s.name)
		}
	}
}

// A new comment evicts its own practice's thread and the lists that show
// that practice (its count), and nothing else: a list of other practices
// and another practice's thread stay kept. To see whether a part was kept
// or rendered again, the test edits two titles in a way no trigger
// counts; only a part rendered again shows the new title.
func TestCommentEvictsOnlyWhatShowsIt(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx")
	quiet := publish(t, e, pa, practiceForm("Práctica tranquila", []string{"PA"}, "public"))
	busy := publish(t, e, mx, practiceForm("Práctica comentada", []string{"MX"}, "public"))
	anon := e.Client()
	const quietList, busyList = "/practices?country=PA", "/practices?country=MX"
	comment := func(path, text string) {
		t.Helper()
		if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>" + text + "</p>"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.Status)
		}
	}
	comment(quiet, "Primer comentario")
	for _, p := range []string{quietList, busyList, quiet, busy} {
		anon.Get(p) // rendered, not kept: asked for once so far
		anon.Get(p) // asked for again: rendered and kept
	}
	const onceList = "/practices?country=PA&process=CRM"
	anon.Get(onceList) // asked for once: not kept
	dbtest.Exec(t, e.DB.W, `DROP TRIGGER versions_practices_update`)
	dbtest.Exec(t, e.DB.W, `DROP TRIGGER versions_practices_update_listed`)
	dbtest.Exec(t, e.DB.W, `DROP TRIGGER versions_comments_update`)
	dbtest.Exec(t, e.DB.W, `UPDATE practices SET title = title || ' (sin aviso)'`)
	dbtest.Exec(t, e.DB.W, `UPDATE comments SET body_html = '<p>Primer comentario (sin aviso)</p>'`)
	if body := anon.Get(quietList).Body; strings.Contains(body, "(sin aviso)") {
		t.Fatal("the list was not kept in the first place")
	}
	if body := anon.Get(onceList).Body; !strings.Contains(body, "(sin aviso)") {
		t.Error("a list asked for once was kept")
	}

	comment(busy, "Comentario en otra práctica")
	if body := anon.Get(quietList).Body; strings.Contains(body, "(sin aviso)") {
		t.Error("a comment on another practice evicted a list that does not show it")
	}
	if body := anon.Get(quiet).Body; strings.Contains(body, "Primer comentario (sin aviso)") {
		t.Error("a comment on another practice evicted this practice's thread")
	}
	if body := anon.Get(busyList).Body; !strings.Contains(body, "Práctica comentada (sin aviso)") || !strings.Contains(body, "1 comment") {
		t.Error("the list showing the commented practice still shows its old count")
	}
	if body := anon.Get(busy).Body; !strings.Contains(body, "Comentario en otra práctica") {
		t.Error("the commented practice's thread does not show the new comment")
	}
	comment(quiet, "Segundo comentario")
	if body := anon.Get(quietList).Body; !strings.Contains(body, "(sin aviso)") || !strings.Contains(body, "2 comments") {
		t.Error("a comment on the listed practice did not evict its list")
	}
	if body := anon.Get(quiet).Body; !strings.Contains(body, "Primer comentario (sin aviso)") || !strings.Contains(body, "Segundo comentario") {
		t.Error("a comment did not evict its own practice's thread")
	}
}

// The site header is kept per section of the site, not per page: each
// page still carries its own address in the language form, and only the
// header's own links are marked as the current page.
func TestHeaderKeptPerSectionCarriesEachPagesAddress(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	first := publish(t, e, pa, practiceForm("Primera práctica", []string{"PA"}, "members"))
	second := publish(t, e, pa, practiceForm("Segunda práctica", []string{"PA"}, "members"))
	mx := e.SignIn("mx@gob.mx")
	current := regexp.MustCompile(`<a href="([^"]*)" aria-current="page">`)
	for range 2 {
		for _, c := range []struct{ path, current string }{
			{first, ""}, {second, ""}, {"/practices", "/practices"}, {"/", "/"}, {first + "/history", ""},
		} {
			body := mx.Get(c.path).Body
			if !strings.Contains(body, `<input type="hidden" name="next" value="`+c.path+`">`) {
				t.Errorf("%s: the language form does not come back to the page", c.path)
			}
			got := ""
			if m := current.FindAllStringSubmatch(body, -1); len(m) == 1 {
				got = m[0][1]
			} else if len(m) > 1 {
				got = "several"
			}
			if got != c.current {
				t.Errorf("%s: current link %q, want %q", c.path, got, c.current)
			}
		}
	}
}
