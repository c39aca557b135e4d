package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/i18n"
	"puente/internal/practices"
	"puente/internal/servertest"
)

func practiceForm(title string, countries []string, scope string) url.Values {
	v := url.Values{
		"title": {title}, "summary": {"Resumen: " + title}, "lang": {"es"}, "scope": {scope},
		"context": {"<p>Contexto del <strong>problema</strong></p>"}, "actions": {"<ul><li>Paso uno</li><li>Paso dos</li></ul>"},
		"results": {""}, "lessons": {""}, "adoption": {""},
		"tags": {"1", "4"}, "period_start": {"2021-09"}, "ongoing": {"1"},
		"institutions": {"Servicio Nacional de Migración"}, "contact_name": {"Punto focal"}, "contact_email": {"focal@gob.example"},
		"action": {"save"},
	}
	v["countries"] = countries
	return v
}

var practiceURL = regexp.MustCompile(`^/practices/(\d+)$`)

// create posts the form and returns the new practice's path.
func create(t *testing.T, c *servertest.Client, form url.Values) string {
	t.Helper()
	res := c.PostForm("/practices", form)
	if res.Status != http.StatusSeeOther || !practiceURL.MatchString(res.Header.Get("Location")) {
		t.Fatalf("create: %d %s\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	return res.Header.Get("Location")
}

func publish(t *testing.T, e *servertest.Env, author *servertest.Client, form url.Values) string {
	t.Helper()
	form.Set("action", "submit")
	path := create(t, author, form)
	mod := e.SignIn("mod@puente.test")
	if res := mod.PostForm(path+"/publish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.Status)
	}
	return path
}

func practiceEnv(t *testing.T) *servertest.Env {
	e := servertest.New(t)
	e.CreateAccount("mod@puente.test", accounts.Moderator, "")
	e.CreateAccount("pa@gob.pa", accounts.Official, "PA") // CRM
	e.CreateAccount("mx@gob.mx", accounts.Official, "MX") // CRM
	e.CreateAccount("br@gov.br", accounts.Official, "BR") // CSM
	return e
}

func TestPracticeLifecycle(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	form := practiceForm("Registro biométrico", []string{"PA"}, "members")
	form.Set("context", `<p onclick="steal()">Contexto <script>alert(1)</script><a href="javascript:x()">x</a></p>`)

	// Preview: shown as it will look, sanitised, nothing saved.
	form.Set("action", "preview")
	res := pa.PostForm("/practices", form)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `class="preview"`) || !strings.Contains(res.Body, "<p>Contexto x</p>") {
		t.Fatalf("preview: %d\n%s", res.Status, res.Body)
	}
	if strings.Contains(res.Body, "steal()</") || strings.Contains(res.Body, "<script>alert") {
		t.Fatal("preview rendered unsanitised HTML")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices`); n != 0 {
		t.Fatal("preview saved a practice")
	}

	form.Set("action", "save")
	path := create(t, pa, form)
	page := pa.Get(path)
	if page.Status != 200 || !strings.Contains(page.Body, "Borrador") && !strings.Contains(page.Body, "Draft") {
		t.Fatalf("draft page: %d", page.Status)
	}
	var raw, html string
	dbtest.Row(t, e.DB.R, `SELECT context_raw, context_html FROM practices`).Scan(&raw, &html)
	if !strings.Contains(raw, "<script>") || html != "<p>Contexto x</p>" {
		t.Fatalf("stored raw %q html %q", raw, html)
	}
	// Others do not see a draft; moderators neither.
	for _, who := range []string{"mx@gob.mx", "mod@puente.test"} {
		if res := e.SignIn(who).Get(path); res.Status != 404 {
			t.Errorf("%s sees a draft: %d", who, res.Status)
		}
	}
	// A second draft save: drafts before publication are the author's.
	form.Set("action", "save")
	form.Set("lessons", "<p>Borrador: nota interna sin revisar.</p>")
	if res := pa.PostForm(path, form); res.Status != http.StatusSeeOther {
		t.Fatalf("second draft save: %d", res.Status)
	}
	form.Set("lessons", "")
	if res := pa.PostForm(path, form); res.Status != http.StatusSeeOther {
		t.Fatalf("third draft save: %d", res.Status)
	}
	if res := pa.PostForm(path+"/submit", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.Status)
	}
	mod := e.SignIn("mod@puente.test")
	if !strings.Contains(mod.Get(path).Body, path+"/publish") {
		t.Fatal("moderator has no publish button on a submitted practice")
	}
	if res := pa.PostForm(path+"/publish", nil); res.Status != 403 {
		t.Fatalf("author publishing: %d", res.Status)
	}
	if res := mod.PostForm(path+"/publish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.Status)
	}
	if res := mod.PostForm(path+"/publish", nil); res.Status != http.StatusSeeOther || !strings.Contains(mod.Get(path).Body, "already handled") {
		t.Fatalf("second publish not told: %d", res.Status)
	}
	mx := e.SignIn("mx@gob.mx")
	if res := mx.Get("/practices"); !strings.Contains(res.Body, "Registro biométrico") {
		t.Fatal("published practice not in the list")
	}

	// Editing: the author saves a revision; history shows the change.
	edit := pa.Get(path + "/edit")
	if edit.Status != 200 || !strings.Contains(edit.Body, "&lt;p&gt;Contexto x&lt;/p&gt;") {
		t.Fatalf("edit form does not load the sanitised text: %d", edit.Status)
	}
	form.Set("title", "Registro biométrico en Darién")
	form.Set("results", "<p>Se registraron <strong>todas</strong> las llegadas.</p>")
	if res := pa.PostForm(path, form); res.Status != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.Status, res.Body)
	}
	// The change waits for review: everyone else still reads the
	// published text until a moderator approves it.
	if b := mx.Get(path).Body; strings.Contains(b, "en Darién") || !strings.Contains(pa.Get(path).Body, "Changes waiting for review.") {
		t.Fatal("an edit of a published practice went live unreviewed, or its author is not told it waits")
	}
	if res := mod.PostForm("/moderation/changes/"+idOf(path), url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("approve change: %d", res.Status)
	}
	hist := mx.Get(path + "/history")
	if hist.Status != 200 || !strings.Contains(hist.Body, "<ins> en Darién</ins>") || !strings.Contains(hist.Body, "<ins>Se registraron todas las llegadas.</ins>") {
		t.Fatalf("history: %d\n%s", hist.Status, hist.Body)
	}
	// Two versions of one day are told apart by their time.
	if !regexp.MustCompile(`<option value="\d+"[^>]*>\d+ · [^<]+, \d\d:\d\d UTC</option>`).MatchString(hist.Body) {
		t.Error("the history's version choices do not show the time")
	}
	// The drafts before publication are the author's: another reader's
	// history starts at what was published.
	drafts := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practice_revisions WHERE status <> 'published'`)
	if drafts < 2 {
		t.Fatalf("%d draft revisions: the test needs several", drafts)
	}
	if res := mx.Get(path + "/history?from=1&to=2"); strings.Contains(res.Body, `value="1"`) || strings.Contains(res.Body, "nota interna") {
		t.Error("another official can read a draft revision in the history")
	}
	if res := pa.Get(path + "/history"); !strings.Contains(res.Body, `value="1"`) {
		t.Error("the author cannot see their own draft revisions")
	}
	// Someone else's practice: 403 to edit, whatever the method.
	if res := mx.Get(path + "/edit"); res.Status != 403 {
		t.Errorf("other official GET edit: %d", res.Status)
	}
	if res := mx.PostForm(path, form); res.Status != 403 {
		t.Errorf("other official POST edit: %d", res.Status)
	}
	if res := mod.PostForm(path, form); res.Status != 403 {
		t.Errorf("moderator POST edit: %d", res.Status)
	}
}

// A draft keeps partial work: a title and one sentence save; what is
// missing is listed when the author submits it, from the form or from
// the practice page, and nothing changes until it is complete.
func TestDraftSavesWithTitleOnly(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	f := url.Values{"title": {"Registro en frontera"}, "lang": {"es"}, "scope": {"members"}, "action": {"save"},
		"context": {"<p>Una primera frase.</p>"}}
	path := create(t, pa, f)
	if res := pa.Get(path); res.Status != http.StatusOK || !strings.Contains(res.Body, "Una primera frase.") {
		t.Fatalf("the draft's page: %d", res.Status)
	}
	edit := pa.Get(path + "/edit").Body
	if strings.Contains(edit, `id="ongoing" name="ongoing" value="1" checked`) {
		t.Error("a draft that said nothing of its end came back as ongoing")
	}
	// A draft still refuses what is wrong, as opposed to missing.
	bad := url.Values{"title": {"Registro en frontera"}, "lang": {"es"}, "scope": {"members"}, "action": {"save"}, "period_start": {"2021-13"},
		"contact_email": {"no es un correo"}}
	if res := pa.PostForm(path, bad); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="period_start-error"`) ||
		!strings.Contains(res.Body, `id="contact_email-error"`) {
		t.Fatalf("an invalid draft: %d", res.Status)
	}
	if res := pa.PostForm(path, url.Values{"lang": {"es"}, "scope": {"members"}, "action": {"save"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="title-error"`) {
		t.Fatalf("a draft without a title: %d", res.Status)
	}
	// Submitting from the practice page: the form comes back with the list.
	res := pa.PostForm(path+"/submit", nil)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("submit incomplete: %d", res.Status)
	}
	for _, id := range []string{"summary-error", "f-actions-error", "countries-error", "tags-error", "period_start-error", "period_end-error",
		"institutions-error", "contact_name-error", "contact_email-error"} {
		if !strings.Contains(res.Body, `id="`+id+`"`) {
			t.Errorf("submitting an incomplete draft does not mark %s", id)
		}
	}
	if !strings.Contains(res.Body, `href="#summary"`) || !strings.Contains(res.Body, "Una primera frase.") {
		t.Error("the summary of problems does not link to the fields, or the text was lost")
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT status FROM practices`); st != "draft" {
		t.Fatalf("an incomplete draft went to %s", st)
	}
	full := practiceForm("Registro en frontera", []string{"PA"}, "members")
	full.Set("action", "submit")
	if res := pa.PostForm(path, full); res.Status != http.StatusSeeOther {
		t.Fatalf("submit complete: %d", res.Status)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT status FROM practices`); st != "submitted" {
		t.Fatalf("a complete draft is %s after submitting", st)
	}
}

func TestPracticeFormKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	for _, tc := range []struct {
		name  string
		edit  func(url.Values)
		field string
		msg   string
	}{
		{"missing title", func(f url.Values) { f.Set("title", "") }, "title-error", "Fill in this field."},
		{"title too long", func(f url.Values) { f.Set("title", strings.Repeat("T", 201)) }, "title-error", "at most 200 characters"},
		{"end before start", func(f url.Values) { f.Del("ongoing"); f.Set("period_end", "2020-01") }, "period_end-error", "cannot be before the start"},
		{"no tag, submitted", func(f url.Values) { f.Del("tags"); f.Set("action", "submit") }, "tags-error", "Choose at least one objective or recommendation."},
		{"unknown tag", func(f url.Values) { f.Set("tags", "999") }, "tags-error", "does not exist"},
		{"unknown country", func(f url.Values) { f["countries"] = []string{"PA", "XX"} }, "countries-error", "not a member"},
		{"oversized section", func(f url.Values) { f.Set("lessons", strings.Repeat("a", 50001)) }, "f-lessons-error", "over 50,000 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := practiceForm("Mi práctica", []string{"PA"}, "members")
			form.Set("adoption", `<p>Texto <em>enriquecido</em> & "comillas"</p>`)
			tc.edit(form)
			res := pa.PostForm("/practices", form)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.Status)
			}
			if !strings.Contains(res.Body, `id="`+tc.field+`"`) || !strings.Contains(res.Body, tc.msg) {
				t.Errorf("no %s with %q", tc.field, tc.msg)
			}
			// The rich text comes back as typed (sanitised, so the editor
			// never parses hostile markup), escaped into its textarea.
			if !strings.Contains(res.Body, `&lt;p&gt;Texto &lt;em&gt;enriquecido&lt;/em&gt; &amp;amp; &amp;#34;comillas&amp;#34;&lt;/p&gt;`) {
				t.Error("rich text not kept")
			}
			if !strings.Contains(res.Body, `value="focal@gob.example"`) {
				t.Error("contact not kept")
			}
		})
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices`); n != 0 {
		t.Fatalf("%d practices stored from invalid forms", n)
	}
}

// TestScopeEverywhere: an official of a CSM-only country never meets a
// CRM-only practice, on any page, and an anonymous visitor meets only
// public ones.
func TestScopeEverywhere(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	crmOnly := publish(t, e, pa, practiceForm("Solo para la CRM", []string{"PA"}, "crm"))
	public := publish(t, e, pa, practiceForm("Para todo público", []string{"PA"}, "public"))
	members := publish(t, e, pa, practiceForm("Para los miembros", []string{"PA"}, "members"))
	mx := e.SignIn("mx@gob.mx")
	if res := mx.PostForm(crmOnly+"/comments", url.Values{"body": {"<p>Comentario CRM</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("CRM official commenting: %d", res.Status)
	}

	br := e.SignIn("br@gov.br")
	anon := e.Client()
	pages := []string{"/practices", "/practices?process=CRM", "/practices?country=PA", "/countries/PA", "/tags/1", "/tags/4", "/meetings/1", "/practices?sort=discussed"}
	for _, p := range pages {
		body := br.Get(p).Body
		if strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "Comentario CRM") {
			t.Errorf("CSM official sees the CRM-only practice on %s", p)
		}
		if !strings.HasPrefix(p, "/meetings") && !strings.Contains(body, "Para los miembros") {
			t.Errorf("CSM official misses the members practice on %s", p)
		}
		abody := anon.Get(p).Body
		if strings.Contains(abody, "Solo para la CRM") || strings.Contains(abody, "Para los miembros") {
			t.Errorf("visitor sees a members practice on %s", p)
		}
		if !strings.HasPrefix(p, "/meetings") && !strings.Contains(abody, "Para todo público") {
			t.Errorf("visitor misses the public practice on %s", p)
		}
	}
	if body := br.Get("/").Body; strings.Contains(body, "Solo para la CRM") {
		t.Error("home shows the CRM-only practice")
	}
	for _, path := range []string{crmOnly, crmOnly + "/history"} {
		if res := br.Get(path); res.Status != 404 {
			t.Errorf("CSM official GET %s: %d, want 404", path, res.Status)
		}
	}
	for _, path := range []string{crmOnly + "/comments", crmOnly + "/follow"} {
		if res := br.PostForm(path, url.Values{"body": {"<p>hola</p>"}}); res.Status != 404 {
			t.Errorf("CSM official POST %s: %d, want 404", path, res.Status)
		}
	}
	if res := anon.Get(members); res.Status != 404 {
		t.Errorf("visitor on a members practice: %d", res.Status)
	}
	if res := anon.Get(public); res.Status != 200 || !strings.Contains(res.Body, "Para todo público") {
		t.Errorf("visitor on a public practice: %d", res.Status)
	}
	// Counts respect scope too: Panama has 3 practices, 2 visible to BR.
	cid := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	if res := br.Get(fmt.Sprintf("/comments/%d/edit", cid)); res.Status != 404 {
		t.Errorf("CSM official opening a CRM-only comment: %d", res.Status)
	}
	if body := br.Get("/countries/PA").Body; !strings.Contains(body, "2 practices") {
		t.Error("country count includes a practice out of scope")
	}
}

func TestCommentThreads(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica comentada", []string{"PA"}, "members"))
	br := e.SignIn("br@gov.br")
	mx := e.SignIn("mx@gob.mx")

	res := br.PostForm(path+"/comments", url.Values{"body": {`<p>¿Cuánto costó? <img src=x onerror=alert(1)><b>Gracias</b></p>`}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	first := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta de Panamá</p>"}, "parent_id": {fmt.Sprint(first)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.Status)
	}
	reply := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	// A reply to a reply joins the same thread: one level only.
	mx.PostForm(path+"/comments", url.Values{"body": {"<p>Yo también</p>"}, "parent_id": {fmt.Sprint(reply)}})
	if parent := dbtest.Int(t, e.DB.R, `SELECT parent_id FROM comments ORDER BY id DESC LIMIT 1`); parent != first {
		t.Fatalf("reply to a reply has parent %d, want %d", parent, first)
	}
	page := mx.Get(path).Body
	if !strings.Contains(page, "<b>Gracias</b>") || strings.Contains(page, "onerror") || strings.Count(page, `class="comment reply`) != 2 {
		t.Fatalf("thread rendering:\n%s", page)
	}

	// Empty comment: 422 on the practice page, text kept.
	res = mx.PostForm(path+"/comments", url.Values{"body": {"<p> </p>"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Fill in this field.") {
		t.Fatalf("empty comment: %d", res.Status)
	}
	long := strings.Repeat("x", 10001)
	if res := mx.PostForm(path+"/comments", url.Values{"body": {long}}); res.Status != 422 || !strings.Contains(res.Body, long) {
		t.Fatalf("long comment: %d, or text not kept", res.Status)
	}

	// Edit: own only; shown as edited.
	if res := mx.PostForm(fmt.Sprintf("/comments/%d/edit", first), url.Values{"body": {"<p>hackeado</p>"}}); res.Status != 403 {
		t.Fatalf("editing another's comment: %d", res.Status)
	}
	for _, f := range []url.Values{nil, {"confirm": {"1"}}} {
		if res := mx.PostForm(fmt.Sprintf("/comments/%d/delete", first), f); res.Status != 403 {
			t.Fatalf("deleting another's comment (%v): %d", f, res.Status)
		}
	}
	if res := br.PostForm(fmt.Sprintf("/comments/%d/edit", first), url.Values{"body": {"<p>¿Cuánto costó en total?</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.Status)
	}
	if page := mx.Get(path).Body; !strings.Contains(page, "¿Cuánto costó en total?") || !strings.Contains(page, "edited") {
		t.Fatal("edit not shown as edited")
	}
	// Delete: first the question, with the comment; then a placeholder
	// keeps the replies in place.
	ask := br.PostForm(fmt.Sprintf("/comments/%d/delete", first), nil)
	if ask.Status != http.StatusOK || !strings.Contains(ask.Body, "Delete this comment?") || !strings.Contains(ask.Body, "¿Cuánto costó en total?") ||
		!strings.Contains(ask.Body, `name="confirm" value="1"`) {
		t.Fatalf("delete without confirmation: %d\n%s", ask.Status, ask.Body)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL`); n != 0 {
		t.Fatal("a comment was deleted before its author confirmed")
	}
	if res := br.PostForm(fmt.Sprintf("/comments/%d/delete", first), url.Values{"confirm": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.Status)
	}
	page = mx.Get(path).Body
	if strings.Contains(page, "¿Cuánto costó") || !strings.Contains(page, "Its author deleted this comment.") || !strings.Contains(page, "Respuesta de Panamá") {
		t.Fatalf("after delete:\n%s", page)
	}
	if res := br.PostForm(fmt.Sprintf("/comments/%d/edit", first), url.Values{"body": {"<p>otra vez</p>"}}); res.Status != http.StatusConflict {
		t.Fatalf("editing a deleted comment: %d", res.Status)
	}
	if count := dbtest.Int(t, e.DB.R, `SELECT comment_count FROM practices`); count != 2 {
		t.Fatalf("comment count %d, want 2 live comments", count)
	}
}

func TestFollowAndMyPractices(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica seguida", []string{"PA"}, "members"))
	draft := create(t, pa, practiceForm("Mi borrador", []string{"PA"}, "members"))
	mine := pa.Get("/my/practices").Body
	if !strings.Contains(mine, "Mi borrador") || !strings.Contains(mine, "Práctica seguida") {
		t.Fatal("my practices lacks the draft or the published practice")
	}
	_ = draft
	br := e.SignIn("br@gov.br")
	if res := br.PostForm(path+"/follow", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("follow: %d", res.Status)
	}
	if body := br.Get("/my/practices").Body; !strings.Contains(body, "Práctica seguida") {
		t.Fatal("followed practice not listed")
	}
	if body := br.Get(path).Body; !strings.Contains(body, path+"/unfollow") {
		t.Fatal("no unfollow button")
	}
	br.PostForm(path+"/unfollow", url.Values{"next": {"/my/practices"}})
	if body := br.Get("/my/practices").Body; strings.Contains(body, "Práctica seguida") {
		t.Fatal("still listed after unfollowing")
	}
}

func TestDynamicCatalogueKeys(t *testing.T) {
	var keys []string
	for _, s := range practices.Sections {
		keys = append(keys, "practice.section."+s, "practice.help."+s)
	}
	for _, s := range practices.Scopes {
		keys = append(keys, "scope."+string(s), "scope."+string(s)+".help")
	}
	for _, s := range []practices.Status{practices.Draft, practices.Submitted, practices.Published, practices.Returned, practices.Rejected, practices.Archived} {
		keys = append(keys, "pstatus."+string(s), "pstatus."+string(s)+".note")
	}
	for _, k := range []string{"objective", "recommendation"} {
		keys = append(keys, "tag.kind."+k)
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("catalogue lacks %s", k)
		}
	}
}

// TestUnreadMessagesAreBounded: a client that posts and never reads the
// pages keeps only the latest few messages in its session.
func TestUnreadMessagesAreBounded(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	path := publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Registro biométrico", []string{"PA"}, "members"))
	mx := e.SignIn("mx@gob.mx")
	for i := range 12 {
		if res := mx.PostForm(path+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>", i)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment %d: %d", i, res.Status)
		}
	}
	page := mx.Get(path)
	if n := strings.Count(page.Body, `class="flash"`); n != 5 {
		t.Fatalf("%d messages shown after 12 unread, want the latest 5", n)
	}
	if n := strings.Count(mx.Get(path).Body, `class="flash"`); n != 0 {
		t.Fatalf("%d messages shown a second time", n)
	}
	// Messages travel in a signed cookie: one made up by the client shows
	// nothing.
	mx.SetCookie("puente-flash", "practice.saved")
	if res := mx.Get(path); res.Status != http.StatusOK || strings.Contains(res.Body, `class="flash"`) {
		t.Fatalf("a forged message cookie: %d, shown: %t", res.Status, strings.Contains(res.Body, `class="flash"`))
	}
}
