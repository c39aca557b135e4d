package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestFrontPageForVisitors: a visitor at / meets what Puente is, the two
// processes and their members, the latest meeting's objectives, the
// public practices only, and how an institution gets an account; a
// member at / still gets their home.
func TestFrontPageForVisitors(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Ventanilla pública", []string{"PA"}, "public"))
	publish(t, e, pa, practiceForm("Solo para miembros", []string{"PA"}, "members"))
	front := e.Client().Get("/")
	if front.Status != http.StatusOK {
		t.Fatalf("front page: %d", front.Status)
	}
	for _, want := range []string{"Regional Conference on Migration (CRM)", "South American Conference on Migration (CSM)",
		`href="/countries/PA"`, `href="/countries/BR"`, "What the latest meeting agreed", `href="/tags/1"`,
		"Ventanilla pública", "How an institution gets an account", "contact your country&#39;s migration authority",
		`<meta name="description" content="The migration authorities of the 23 member states`, `<meta property="og:title" content="Puente">`,
		`<link rel="alternate" type="application/atom+xml"`, `<link rel="icon"`} {
		if !strings.Contains(front.Body, want) {
			t.Errorf("front page lacks %q", want)
		}
	}
	if strings.Contains(front.Body, "Solo para miembros") {
		t.Error("the front page shows a members-only practice")
	}
	if home := pa.Get("/").Body; !strings.Contains(home, "Hello,") || strings.Contains(home, "How an institution gets an account") {
		t.Error("a member at / does not get their home")
	}
	if ico := e.Client().Get("/favicon.ico"); ico.Status != http.StatusOK || ico.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(ico.Body, "<svg") {
		t.Errorf("favicon: %d %q", ico.Status, ico.Header.Get("Content-Type"))
	}
}

// TestSharePreviewOnlyForPublicPractices: a public practice carries a
// description and Open Graph data for link previews; a members' practice
// says nothing of itself in its head, even to a member.
func TestSharePreviewOnlyForPublicPractices(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	public := publish(t, e, pa, practiceForm("Ventanilla pública", []string{"PA"}, "public"))
	members := publish(t, e, pa, practiceForm("Solo para miembros", []string{"PA"}, "members"))
	body := e.Client().Get(public).Body
	for _, want := range []string{`<meta name="description" content="Resumen: Ventanilla pública">`, `<meta property="og:title" content="Ventanilla pública">`,
		`<meta property="og:type" content="article">`, `<meta property="og:url" content="` + e.HTTP.URL + public + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("public practice lacks %q", want)
		}
	}
	if head, _, _ := strings.Cut(pa.Get(members).Body, "</head>"); strings.Contains(head, "og:") || strings.Contains(head, `name="description"`) || strings.Contains(head, "Resumen") {
		t.Errorf("a members' practice describes itself in its head:\n%s", head)
	}
}

// TestFollowObjectiveAndCountryFromTheirPages: the Follow button on an
// objective's and a country's page is the digest settings' choice; the
// pages offer their Atom feed, also as <link rel="alternate">; cards link
// their countries and objectives.
func TestFollowObjectiveAndCountryFromTheirPages(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Ventanilla pública", []string{"PA"}, "public"))
	id := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'pa@gob.pa'`)
	for _, c := range []struct{ page, feed, table, where, box string }{
		{"/tags/1", "/feeds/tags/1.atom", "follow_tags", "tag_id = 1", `name="tags" value="1" checked`},
		{"/countries/BR", "/feeds/countries/BR.atom", "follow_countries", "country_code = 'BR'", `name="countries" value="BR" checked`},
	} {
		body := pa.Get(c.page).Body
		if !strings.Contains(body, `action="`+c.page+`/follow"`) || !strings.Contains(body, `<link rel="alternate" type="application/atom+xml" title=`) ||
			!strings.Contains(body, `href="`+c.feed+`"`) {
			t.Errorf("%s: no Follow button or feed link", c.page)
		}
		if strings.Contains(e.Client().Get(c.page).Body, "/follow") {
			t.Errorf("%s: a visitor is offered Follow", c.page)
		}
		for range 2 { // twice: following again changes nothing
			if res := pa.PostForm(c.page+"/follow", nil); res.Status != http.StatusSeeOther || res.Header.Get("Location") != c.page {
				t.Fatalf("%s follow: %d %s", c.page, res.Status, res.Header.Get("Location"))
			}
		}
		if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM `+c.table+` WHERE account_id = ? AND `+c.where, id); n != 1 {
			t.Errorf("%s: %d follow rows", c.page, n)
		}
		if body := pa.Get(c.page).Body; !strings.Contains(body, `action="`+c.page+`/unfollow"`) {
			t.Errorf("%s: the page does not show it is followed", c.page)
		}
		if body := pa.Get("/settings/digest").Body; !strings.Contains(body, c.box) {
			t.Errorf("%s: the digest settings do not tick it", c.page)
		}
		pa.PostForm(c.page+"/unfollow", nil)
		if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM `+c.table+` WHERE account_id = ?`, id); n != 0 {
			t.Errorf("%s: still followed after unfollow", c.page)
		}
	}
	for _, p := range []string{"/tags/999/follow", "/countries/ZZ/follow"} {
		if res := pa.PostForm(p, nil); res.Status != http.StatusNotFound {
			t.Errorf("%s: %d", p, res.Status)
		}
	}
	list := e.Client().Get("/practices").Body
	if !strings.Contains(list, `<a href="/countries/PA">Panama</a>`) || !strings.Contains(list, `<li><a href="/tags/1">`) {
		t.Error("cards do not link their countries and objectives")
	}
	if !strings.Contains(list, `class="badge-scope">Open to everyone<`) {
		t.Error("the public badge does not say who may read")
	}
	empty := e.Client().Get("/practices?country=BR").Body
	if !strings.Contains(empty, `<a href="/practices">Clear filters</a>`) {
		t.Error("an empty filtered list does not offer to clear the filters")
	}
	if strings.Contains(list, "Clear filters") {
		t.Error("an unfiltered list offers to clear filters")
	}
	if !strings.Contains(empty, `<details class="filters-box" open>`) || !strings.Contains(list, `<details class="filters-box">`) {
		t.Error("the filters box is not open exactly when a filter narrows the list")
	}
}

// TestKeptHomeFollowsChanges: the home's body is kept per scopes and
// language, and rendered again when what it shows changes: a practice
// featured or no longer featured, a new practice published, a comment on a
// practice it shows; each member keeps their own greeting; a CSM member
// never gets the CRM members' body.
func TestKeptHomeFollowsChanges(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx, br := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br")
	mod := e.SignIn("mod@puente.test")
	crm := publish(t, e, pa, practiceForm("Solo para la CRM", []string{"PA"}, "crm"))
	for _, c := range []*servertest.Client{pa, mx, br} {
		c.Get("/") // kept from here on
	}
	if body := mx.Get("/").Body; !strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Hello, mx") {
		t.Fatalf("a CRM member's home lacks the CRM practice or their own greeting")
	}
	if body := br.Get("/").Body; strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Hello, br") {
		t.Fatal("a CSM member got the CRM members' home")
	}
	mod.PostForm("/moderation/practices/"+idOf(crm)+"/feature", url.Values{"note": {"Primera nota."}})
	if body := mx.Get("/").Body; !strings.Contains(body, "Primera nota.") {
		t.Fatal("a newly featured practice is not on the kept home")
	}
	mod.PostForm("/moderation/practices/"+idOf(crm)+"/unfeature", nil)
	if body := mx.Get("/").Body; strings.Contains(body, "Primera nota.") {
		t.Fatal("a practice no longer featured stays on the kept home")
	}
	publish(t, e, pa, practiceForm("Recién publicada", []string{"PA"}, "members"))
	if body := br.Get("/").Body; !strings.Contains(body, "Recién publicada") {
		t.Fatal("a newly published practice is not on the kept home")
	}
	if res := mx.PostForm(crm+"/comments", url.Values{"body": {"<p>Muy útil.</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	if body := pa.Get("/").Body; !strings.Contains(body, "1 comment") {
		t.Fatal("a comment on a practice the home shows does not change its count there")
	}
}

// TestKeptPracticeFollowsChanges: the practice itself is kept rendered
// for readers who may not edit or moderate it, and rendered again when a
// file is approved, a tag renamed, or its author's name changes; its
// author and moderators never get the readers' copy.
func TestKeptPracticeFollowsChanges(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx")
	path := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "members"))
	id := idOf(path)
	mx.Get(path) // kept from here on
	if body := mx.Get(path).Body; !strings.Contains(body, "Contexto del") {
		t.Fatal("the reader's page lacks the practice")
	}
	dbtest.Exec(t, e.DB.W, `INSERT INTO practice_attachments (practice_id, name, type, size, data, created_at, state)
		VALUES (?, 'protocolo-firmado.pdf', 'application/pdf', 4, X'25504446', '2026-01-01T00:00:00Z', 'added')`, id)
	if body := mx.Get(path).Body; strings.Contains(body, "protocolo-firmado.pdf") {
		t.Fatal("a reader sees a file still waiting for review")
	}
	if body := pa.Get(path).Body; !strings.Contains(body, "protocolo-firmado.pdf") {
		t.Fatal("the author does not see their file waiting")
	}
	dbtest.Exec(t, e.DB.W, `UPDATE practice_attachments SET state = 'live' WHERE name = 'protocolo-firmado.pdf'`)
	if body := mx.Get(path).Body; !strings.Contains(body, "protocolo-firmado.pdf") {
		t.Fatal("an approved file is not on the kept practice")
	}
	dbtest.Exec(t, e.DB.W, `UPDATE tag_i18n SET label = 'Etiqueta renombrada' WHERE tag_id = 1`)
	if body := mx.Get(path).Body; !strings.Contains(body, "Etiqueta renombrada") {
		t.Fatal("a renamed objective is not on the kept practice")
	}
}
