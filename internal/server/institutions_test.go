package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

// TestObserverReadsAndCommentsOnlyWhenAllowed: an admin invites an
// international organisation as an observer of the CRM. It reads the
// CRM's practices and not the CSM's, never posts a practice, flags or
// records an adoption, comments only once the admin allows it, and its
// comments carry its organisation.
func TestObserverReadsAndCommentsOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := e.SignIn("admin@puente.test")
	pa, br := e.SignIn("pa@gob.pa"), e.SignIn("br@gov.br")
	crm := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "crm"))
	csm := publish(t, e, br, practiceForm("Residencia Mercosur", []string{"BR"}, "csm"))

	// A missing organisation and scope come back beside their fields,
	// with what was typed.
	bad := admin.PostForm("/admin/invitations", url.Values{"email": {"enlace@oim.int"}, "role": {"observer"}, "country": {"PA"}, "lang": {"es"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "An observer has an organisation, not a country.") ||
		!strings.Contains(bad.Body, "Give the observer&#39;s organisation.") || !strings.Contains(bad.Body, `value="enlace@oim.int"`) {
		t.Fatalf("observer without organisation: %d\n%s", bad.Status, bad.Body)
	}
	if res := admin.PostForm("/admin/invitations", url.Values{"email": {"enlace@oim.int"}, "role": {"observer"}, "lang": {"es"},
		"organisation": {"Organización Internacional para las Migraciones"}, "scope": {"crm"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("invite observer: %d\n%s", res.Status, res.Body)
	}
	e.SendMail()
	var m *smtptest.Parsed
	for _, msg := range e.SMTP.WaitFor(t, 1, 5*time.Second) {
		if strings.Contains(strings.Join(msg.To, ","), "enlace@oim.int") {
			m = smtptest.Parse(t, msg.Raw)
		}
	}
	if m == nil {
		t.Fatal("no invitation sent")
	}
	if !strings.Contains(m.Text, "Observador/a") {
		t.Errorf("the invitation does not name the role:\n%s", m.Text)
	}
	link := e.LinkIn(m.Text, "/invitations/")
	if res := e.Client().PostForm(link, url.Values{"display_name": {"Enlace OIM"}, "password": {servertest.Password}, "confirm": {servertest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", res.Status, res.Body)
	}
	obs := e.SignIn("enlace@oim.int")

	if res := obs.Get(crm); res.Status != http.StatusOK || strings.Contains(res.Body, "/flag\"") || strings.Contains(res.Body, `name="body"`) {
		t.Errorf("the CRM practice for the observer: %d, a flag link or a comment box shown", res.Status)
	}
	if res := obs.Get(csm); res.Status != http.StatusNotFound {
		t.Errorf("a CSM practice for a CRM observer: %d, want 404", res.Status)
	}
	for _, path := range []string{"/practices/new", crm + "/adoption", crm + "/flag"} {
		if res := obs.Get(path); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "no publican prácticas") {
			t.Errorf("GET %s by an observer: %d", path, res.Status)
		}
	}
	if res := obs.PostForm("/practices", practiceForm("De la OIM", []string{"PA"}, "crm")); res.Status != http.StatusForbidden {
		t.Errorf("an observer posted a practice: %d", res.Status)
	}
	if res := obs.PostForm(crm+"/comments", url.Values{"body": {"<p>Desde la OIM</p>"}}); res.Status != http.StatusForbidden {
		t.Errorf("an observer not allowed to comment commented: %d", res.Status)
	}

	id := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'enlace@oim.int'`)
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/observer", id), url.Values{"organisation": {""}, "scope": {"crm"}, "comments": {"1"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Give the observer&#39;s organisation.") {
		t.Errorf("access without an organisation: %d", res.Status)
	}
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/observer", id), url.Values{"organisation": {"Organización Internacional para las Migraciones"}, "scope": {"both"}, "comments": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("allow comments: %d\n%s", res.Status, res.Body)
	}
	if res := obs.PostForm(crm+"/comments", url.Values{"body": {"<p>Desde la OIM</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("an observer allowed to comment: %d", res.Status)
	}
	page := pa.Get(crm)
	if !strings.Contains(page.Body, "(Organización Internacional para las Migraciones)") || !strings.Contains(page.Body, `<span class="badge-note">Observer</span>`) {
		t.Errorf("the comment does not carry the organisation:\n%s", page.Body)
	}
	if res := obs.Get(csm); res.Status != http.StatusOK {
		t.Errorf("an observer of both processes on a CSM practice: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'account.observer_access' AND target_id = ?`, id); n != 1 {
		t.Errorf("%d log entries for the access change, want 1", n)
	}
	// Never turned into an official.
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/role", id), url.Values{"role": {"official"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("role: %d", res.Status)
	}
	if role := dbtest.Value[string](t, e.DB.R, `SELECT role FROM accounts WHERE id = ?`, id); role != "observer" {
		t.Errorf("the observer became %s", role)
	}
}

// TestFocalPointVouchesForTheirCountry: an admin names Panama's focal
// point. They invite an official of Panama (never of another country),
// suspend one with a reason the person is told (an admin reverses it),
// cannot suspend themself, another focal point or another country's
// official, and see Panama's practices not yet published, a draft only
// once its author shares it.
func TestFocalPointVouchesForTheirCountry(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	admin := e.SignIn("admin@puente.test")
	fp := e.CreateAccount("focal@gob.pa", accounts.Official, "PA")
	other := e.CreateAccount("otro.focal@gob.pa", accounts.Official, "PA")
	gone := e.CreateAccount("salio@gob.pa", accounts.Official, "PA")
	gt := e.CreateAccount("gt@gob.gt", accounts.Official, "GT")
	pa := e.SignIn("pa@gob.pa")

	if res := e.SignIn("focal@gob.pa").Get("/focal"); res.Status != http.StatusForbidden {
		t.Fatalf("/focal before being named: %d", res.Status)
	}
	for _, a := range []*accounts.Account{fp, other} {
		if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/focal", a.ID), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("name focal point: %d", res.Status)
		}
	}
	mod := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'mod@puente.test'`)
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/focal", mod), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther ||
		dbtest.Int(t, e.DB.R, `SELECT focal_point FROM accounts WHERE id = ?`, mod) != 0 {
		t.Errorf("a moderator was named focal point: %d", res.Status)
	}
	focal := e.SignIn("focal@gob.pa")
	page := focal.Get("/focal")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "salio@gob.pa") || strings.Contains(page.Body, "gt@gob.gt") || !strings.Contains(page.Body, "Panama") {
		t.Fatalf("focal page: %d\n%s", page.Status, page.Body)
	}

	// An invitation is for Panama, as an official, whatever is sent.
	if res := focal.PostForm("/focal/invitations", url.Values{"email": {"nueva@gob.pa"}, "role": {"admin"}, "country": {"BR"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("focal invite: %d\n%s", res.Status, res.Body)
	}
	if role, cc := dbtest.Value[string](t, e.DB.R, `SELECT role FROM invitations WHERE email = 'nueva@gob.pa'`), dbtest.Value[string](t, e.DB.R, `SELECT country_code FROM invitations WHERE email = 'nueva@gob.pa'`); role != "official" || cc != "PA" {
		t.Errorf("the focal point's invitation: %s of %s", role, cc)
	}
	if res := focal.PostForm("/focal/invitations", url.Values{"email": {"no es correo"}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="no es correo"`) {
		t.Errorf("a bad address: %d", res.Status)
	}

	// Suspending: a reason is required and the text comes back.
	empty := focal.PostForm(fmt.Sprintf("/focal/accounts/%d/suspend", gone.ID), url.Values{"reason": {"  "}})
	if empty.Status != http.StatusUnprocessableEntity || !strings.Contains(empty.Body, `id="suspend-`+fmt.Sprint(gone.ID)+`-error"`) {
		t.Errorf("suspension without a reason: %d", empty.Status)
	}
	for _, tc := range []struct {
		id   int64
		want int
	}{{fp.ID, http.StatusForbidden}, {other.ID, http.StatusForbidden}, {gt.ID, http.StatusNotFound}, {mod, http.StatusNotFound}} {
		if res := focal.PostForm(fmt.Sprintf("/focal/accounts/%d/suspend", tc.id), url.Values{"reason": {"Prueba"}}); res.Status != tc.want {
			t.Errorf("suspend account %d: %d, want %d", tc.id, res.Status, tc.want)
		}
	}
	if res := focal.PostForm(fmt.Sprintf("/focal/accounts/%d/suspend", gone.ID), url.Values{"reason": {"Dejó el Servicio Nacional de Migración."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("suspend: %d\n%s", res.Status, res.Body)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT status FROM accounts WHERE id = ?`, gone.ID); st != "suspended" {
		t.Errorf("status %s after the focal point's suspension", st)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'account.suspend' AND actor_id = ? AND target_id = ?`, fp.ID, gone.ID); n != 1 {
		t.Errorf("%d log entries for the suspension", n)
	}
	e.SendMail()
	found := false
	for _, msg := range e.SMTP.Messages() {
		if strings.Contains(strings.Join(msg.To, ","), "salio@gob.pa") && strings.Contains(smtptest.Parse(t, msg.Raw).Text, "Dejó el Servicio Nacional de Migración.") {
			found = true
		}
	}
	if !found {
		t.Error("the suspended official was not told why")
	}
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/reactivate", gone.ID), nil); res.Status != http.StatusSeeOther ||
		dbtest.Value[string](t, e.DB.R, `SELECT status FROM accounts WHERE id = ?`, gone.ID) != "active" {
		t.Errorf("the admin could not reverse it: %d", res.Status)
	}

	// Panama's work: a draft only once shared.
	draft := create(t, pa, practiceForm("Borrador de Panamá", []string{"PA"}, "crm"))
	colleague := e.SignIn("salio@gob.pa")
	if res := focal.Get(draft); res.Status != http.StatusNotFound {
		t.Errorf("an unshared draft for the focal point: %d", res.Status)
	}
	if res := pa.PostForm(draft+"/share", url.Values{"share": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("share: %d", res.Status)
	}
	if res := focal.Get(draft); res.Status != http.StatusOK {
		t.Errorf("a shared draft for the focal point: %d", res.Status)
	}
	if res := colleague.Get(draft); res.Status != http.StatusNotFound {
		t.Errorf("a shared draft for another official: %d", res.Status)
	}
	if res := focal.PostForm(draft+"/share", url.Values{"share": {"0"}}); res.Status != http.StatusForbidden {
		t.Errorf("the focal point unshared the author's draft: %d", res.Status)
	}
	if res := focal.Get("/focal"); !strings.Contains(res.Body, "Borrador de Panamá") {
		t.Error("the shared draft is not on the focal page")
	}
	if res := pa.PostForm(draft+"/share", url.Values{"share": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("unshare: %d", res.Status)
	}
	if res := focal.Get(draft); res.Status != http.StatusNotFound {
		t.Errorf("an unshared draft again: %d", res.Status)
	}
	// Submitted, it is the focal point's to see without sharing.
	if res := pa.PostForm(draft+"/submit", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.Status)
	}
	if res := focal.Get(draft); res.Status != http.StatusOK {
		t.Errorf("a submitted practice of Panama for its focal point: %d", res.Status)
	}
	// A focal point whose country is corrected is no longer one.
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/correct", fp.ID), url.Values{"display_name": {"Focal"}, "country": {"CR"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("correct: %d", res.Status)
	}
	if res := focal.Get("/focal"); res.Status != http.StatusForbidden {
		t.Errorf("/focal after moving to another country: %d", res.Status)
	}
}

// TestFocalPointsFollowUpWhatAuthorsLeave: a question on Panama's practice
// that waits two weeks, and a "still current?" that its author leaves
// unanswered for sixty days, reach Panama's focal point, who reads the
// question (and may not answer it in the author's place) and confirms the
// practice from their page.
func TestFocalPointsFollowUpWhatAuthorsLeave(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	fp := e.CreateAccount("focal@gob.pa", accounts.Official, "PA")
	if res := e.SignIn("admin@puente.test").PostForm(fmt.Sprintf("/admin/accounts/%d/focal", fp.ID), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("name focal point: %d", res.Status)
	}
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	if res := e.SignIn("mx@gob.mx").PostForm(path+"/questions", url.Values{"body": {"¿Cuánto costó el primer año?"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("question: %d", res.Status)
	}
	qid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM questions`)
	ctx := t.Context()
	unanswered := func(kind string) int64 {
		return dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications WHERE account_id = ? AND kind = ?`, fp.ID, kind)
	}

	e.Clock.Advance(15 * 24 * time.Hour)
	if _, err := e.App.Questions.Remind(ctx); err != nil {
		t.Fatal(err)
	}
	if n := unanswered("question_unanswered"); n != 1 {
		t.Fatalf("%d notifications of the unanswered question for the focal point, want 1", n)
	}
	focal := e.SignIn("focal@gob.pa")
	q := fmt.Sprintf("/questions/%d", qid)
	if res := focal.Get(q); res.Status != http.StatusOK || !strings.Contains(res.Body, "¿Cuánto costó el primer año?") {
		t.Errorf("the question for the focal point: %d", res.Status)
	}
	if res := focal.PostForm(q+"/answer", url.Values{"body": {"En nombre de la autora"}}); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
		t.Errorf("the focal point answered in the author's place: %d", res.Status)
	}
	if res := focal.Get("/notifications"); !strings.Contains(res.Body, "has waited two weeks for its author&#39;s answer") || !strings.Contains(res.Body, q) {
		t.Errorf("the notification does not lead to the question:\n%s", res.Body)
	}

	e.Clock.Advance(366 * 24 * time.Hour)
	if _, _, err := e.App.Notices.AskReviews(ctx, 12); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(61 * 24 * time.Hour)
	if _, marked, err := e.App.Notices.AskReviews(ctx, 12); err != nil || marked != 1 {
		t.Fatalf("marked %d (%v), want the practice", marked, err)
	}
	if n := unanswered("review_unanswered"); n != 1 {
		t.Fatalf("%d notifications of the unreviewed practice for the focal point, want 1", n)
	}
	focal = e.SignIn("focal@gob.pa")
	page := focal.Get("/focal")
	if !strings.Contains(page.Body, "Still current?") || !strings.Contains(page.Body, `action="`+path+`/review"`) {
		t.Fatalf("the focal page does not offer to confirm it:\n%s", page.Body)
	}
	if res := focal.PostForm(path+"/review", url.Values{"answer": {"current"}}); res.Status >= 400 {
		t.Fatalf("the focal point confirmed: %d\n%s", res.Status, res.Body)
	}
	if stale := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practice_reviews WHERE practice_id = ? AND stale_at IS NOT NULL`, strings.TrimPrefix(path, "/practices/")); stale != 0 {
		t.Error("still marked not reviewed after the focal point's answer")
	}
	if res := focal.Get("/focal"); strings.Contains(res.Body, `action="`+path+`/review"`) {
		t.Error("the confirmed practice still waits on the focal page")
	}
}
