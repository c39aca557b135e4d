package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
)

func adoptionForm(stage, institution string) url.Values {
	return url.Values{"stage": {stage}, "institution": {institution}, "started": {"2025-03"},
		"changes": {"<p>Usamos lectores más baratos.</p>"}, "note": {"<p>Empezamos en la frontera norte.</p>"}}
}

// An official of another member state records what their country did
// with a practice: one record per country, updated with dated entries;
// never for their own country's practice; shown under the practice's own
// scope; the author and followers are told.
func TestAdoptionRules(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("cr@gob.cr", accounts.Official, "CR") // CRM
	pa, mx, br, cr := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br"), e.SignIn("cr@gob.cr")
	crmOnly := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "crm"))
	if res := cr.PostForm(crmOnly+"/follow", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("follow: %d", res.Status)
	}

	// The author's own country may not record an adoption of it.
	if res := pa.Get(crmOnly + "/adoption"); res.Status != http.StatusForbidden {
		t.Errorf("author's form: %d, want 403", res.Status)
	}
	if res := pa.PostForm(crmOnly+"/adoption", adoptionForm("adopted", "Ministerio")); res.Status != http.StatusForbidden {
		t.Errorf("author's adoption: %d, want 403", res.Status)
	}
	// A CSM official cannot see a CRM-only practice: not found.
	if res := br.PostForm(crmOnly+"/adoption", adoptionForm("adopted", "Ministério")); res.Status != http.StatusNotFound {
		t.Errorf("CSM official on a CRM practice: %d, want 404", res.Status)
	}

	// A refused form keeps what was typed, the message beside the field.
	bad := adoptionForm("declined", "Instituto Nacional de Migración")
	bad.Set("started", "2025-13")
	res := mx.PostForm(crmOnly+"/adoption", bad)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="adoption-started-error"`) ||
		!strings.Contains(res.Body, `id="adoption-reason-error"`) || !strings.Contains(res.Body, `value="Instituto Nacional de Migración"`) ||
		!strings.Contains(res.Body, "Usamos lectores más baratos.") {
		t.Fatalf("refused form: %d\n%s", res.Status, res.Body)
	}
	if !strings.Contains(res.Body, `id="error-summary"`) || !strings.Contains(res.Body, `href="#adoption-started"`) || !strings.Contains(res.Body, `href="#adoption-reason"`) {
		t.Error("the refused form has no summary of its problems linked to the fields")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM adoptions`); n != 0 {
		t.Fatal("a refused form was saved")
	}

	// Mexico records it, hostile markup and all; a second send updates.
	first := adoptionForm("piloting", "Instituto Nacional de Migración")
	first.Set("changes", `<p onclick="x()">Lectores <script>alert(1)</script>baratos</p>`)
	if res := mx.PostForm(crmOnly+"/adoption", first); res.Status != http.StatusSeeOther {
		t.Fatalf("record: %d\n%s", res.Status, res.Body)
	}
	second := adoptionForm("adopted", "Instituto Nacional de Migración")
	second.Set("started", "2024-11")
	second.Set("outcome", "<p>12 000 personas registradas.</p>")
	if res := mx.PostForm(crmOnly+"/adoption", second); res.Status != http.StatusSeeOther {
		t.Fatalf("update: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM adoptions`); n != 1 {
		t.Fatalf("%d records, want one per country", n)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM adoption_entries`); n != 2 {
		t.Fatalf("%d dated entries, want 2", n)
	}
	var stage, started, changes string
	dbtest.Row(t, e.DB.R, `SELECT stage, started, changes_html FROM adoptions`).Scan(&stage, &started, &changes)
	if stage != "adopted" || started != "2024-11" || strings.Contains(changes, "onclick") {
		t.Fatalf("stored %s %s %q", stage, started, changes)
	}

	page := cr.Get(crmOnly).Body
	if !strings.Contains(page, "Taken up by:") || !strings.Contains(page, "Mexico</a> (adopted since November 2024)") ||
		!strings.Contains(page, "12 000 personas registradas.") || !strings.Contains(page, "History (2)") {
		t.Errorf("the practice page does not show the adoption:\n%s", page)
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("the record's text was not sanitised")
	}
	if !strings.Contains(page, `href="`+crmOnly+`/adoption"`) {
		t.Error("another official is not offered to record their country's")
	}
	if body := mx.Get(crmOnly).Body; !strings.Contains(body, "Update your country") {
		t.Error("the official whose country has a record is not offered to update it")
	}
	if strings.Contains(pa.Get(crmOnly).Body, `href="`+crmOnly+`/adoption"`) {
		t.Error("the author is offered to record an adoption of their own practice")
	}
	// Author and follower are told; the actor is not.
	for _, who := range []string{"pa@gob.pa", "cr@gob.cr"} {
		if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = ? AND n.kind = 'adoption'`, who); n != 2 {
			t.Errorf("%s told %d times, want 2", who, n)
		}
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'mx@gob.mx'`); n != 0 {
		t.Error("the official was told of their own record")
	}
	if body := pa.Get("/notifications").Body; !strings.Contains(body, "recorded what their country does with") || !strings.Contains(body, "Stage: adopted.") {
		t.Errorf("the author's notifications do not name the adoption:\n%s", body)
	}

	// The list filters the practices taken up; the countries' pages say
	// who took what from whom, each under the practice's scope.
	publish(t, e, pa, practiceForm("Otra práctica sin adoptar", []string{"PA"}, "crm"))
	for range 3 { // kept from the second request on
		if body := cr.Get("/practices?adopted=1").Body; !strings.Contains(body, "Registro biométrico") || strings.Contains(body, "Otra práctica sin adoptar") ||
			!strings.Contains(body, `id="f-adopted" name="adopted" type="checkbox" value="1" checked`) {
			t.Fatalf("the taken-up filter:\n%s", body)
		}
	}
	if body := cr.Get("/countries/MX").Body; !strings.Contains(body, "What Mexico took up from others") ||
		!strings.Contains(body, `<a href="`+crmOnly+`#adoption-`) {
		t.Errorf("Mexico's page does not show what it took up:\n%s", body)
	}
	if body := cr.Get("/countries/PA").Body; !strings.Contains(body, "What other states took from Panama") || !strings.Contains(body, "Mexico:") {
		t.Errorf("Panama's page does not show what others took from it")
	}
	// A decision against is not something taken up: it stays off the
	// countries' lists, and shows on the practice with its reason.
	if res := cr.PostForm(crmOnly+"/adoption", url.Values{"stage": {"declined"}, "institution": {"DGME"}, "reason": {"Sin presupuesto este año."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("decline: %d", res.Status)
	}
	if body := cr.Get("/countries/CR").Body; strings.Contains(body, `<a href="`+crmOnly+`#adoption-`) {
		t.Error("a decision against is listed as taken up on the country's page")
	}
	if body := cr.Get(crmOnly).Body; !strings.Contains(body, "Why it decided against") || !strings.Contains(body, "Sin presupuesto este año.") {
		t.Error("the practice does not show the decision against with its reason")
	}
	if body := br.Get("/countries/MX").Body; strings.Contains(body, "Registro biométrico") {
		t.Error("a CSM official reads a CRM-only practice's adoption on a country page")
	}

	// Moderators hide a record like a comment, logged; readers no longer
	// see it, its country's officials and staff do, marked.
	id := dbtest.Int(t, e.DB.R, `SELECT id FROM adoptions WHERE country_code = 'MX'`)
	mod := e.SignIn("mod@puente.test")
	hide := "/moderation/adoptions/" + fmt.Sprint(id) + "/hide"
	if res := mx.PostForm(hide, url.Values{"reason": {"Datos personales"}}); res.Status != http.StatusForbidden {
		t.Errorf("an official hid a record: %d", res.Status)
	}
	if res := mod.PostForm(hide, url.Values{"reason": {"Datos personales"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d\n%s", res.Status, res.Body)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'adoption.hide' AND target_id = ?`, id); n != 1 {
		t.Error("hiding was not logged")
	}
	if body := cr.Get(crmOnly).Body; strings.Contains(body, "12 000 personas") || strings.Contains(body, "Taken up by:") {
		t.Error("a hidden record is shown to another official")
	}
	if body := cr.Get("/practices?adopted=1").Body; strings.Contains(body, "Registro biométrico") {
		t.Error("the kept taken-up list still holds a practice whose only record was hidden")
	}
	if body := cr.Get("/countries/MX").Body; strings.Contains(body, `<a href="`+crmOnly+`#adoption-`) {
		t.Error("a hidden record is listed on its country's page")
	}
	if body := mx.Get(crmOnly).Body; !strings.Contains(body, "Moderators hid this record.") || !strings.Contains(body, "Datos personales") {
		t.Error("the record's country does not see it hidden, with the reason")
	}
	if res := mod.PostForm("/moderation/adoptions/"+fmt.Sprint(id)+"/restore", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.Status)
	}
	if body := cr.Get(crmOnly).Body; !strings.Contains(body, "12 000 personas") {
		t.Error("a restored record is not shown")
	}
}

// A visitor sees the adoptions of a public practice, and is offered no
// form; a practice not published takes no record.
func TestAdoptionVisitorsAndDrafts(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx")
	public := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "public"))
	if res := mx.PostForm(public+"/adoption", adoptionForm("exploring", "Migración México")); res.Status != http.StatusSeeOther {
		t.Fatalf("record: %d", res.Status)
	}
	body := e.Client().Get(public).Body
	if !strings.Contains(body, "Mexico</a> (exploring since March 2025)") || strings.Contains(body, public+"/adoption") {
		t.Errorf("visitor's page:\n%s", body)
	}
	e.Client().PostForm(public+"/adoption", adoptionForm("adopted", "x"))
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM adoptions`); n != 1 {
		t.Error("a visitor recorded an adoption")
	}
	if res := e.Client().Get(public + "/adoption"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("a visitor's form: %d %s, want the sign-in page", res.Status, res.Header.Get("Location"))
	}
	draft := practiceForm("Borrador", []string{"PA"}, "public")
	draft.Set("action", "save")
	path := create(t, pa, draft)
	if res := mx.PostForm(path+"/adoption", adoptionForm("adopted", "x")); res.Status != http.StatusNotFound {
		t.Errorf("adoption of a draft: %d, want 404", res.Status)
	}
}
