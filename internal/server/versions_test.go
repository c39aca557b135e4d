package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
)

func versionForm(title string) url.Values {
	return url.Values{"title": {title}, "summary": {"Summary: " + title}, "context": {"<p>Each person arriving through the Darién is registered.</p>"},
		"actions": {"<ul><li>Fingerprints</li><li>Facial photograph</li></ul>"}, "results": {""}, "lessons": {""}, "adoption": {""}}
}

// A practice reads in other languages: its author or an official of one
// of its countries writes a version; on a published practice it waits
// for a moderator like any edit; readers of that language then see it,
// with the original a link away; lists and search speak their language.
func TestVersionsInOtherLanguages(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	e.CreateAccount("pa2@gob.pa", accounts.Official, "PA")
	pa, mx, mod := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("mod@puente.test")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	id := idOf(path)
	mx.PostForm("/language", url.Values{"lang": {"en"}})
	pa.PostForm("/language", url.Values{"lang": {"es"}})

	// Who may write one, and in which languages.
	if res := mx.Get(path + "/versions/en"); res.Status != http.StatusForbidden {
		t.Errorf("an official of another country opens the version form: %d", res.Status)
	}
	if res := pa.Get(path + "/versions/es"); res.Status != http.StatusNotFound {
		t.Errorf("a version in the original's language: %d", res.Status)
	}
	if res := pa.Get(path + "/versions/xx"); res.Status != http.StatusNotFound {
		t.Errorf("a version in no language: %d", res.Status)
	}
	if b := pa.Get(path).Body; !strings.Contains(b, `href="`+path+`/versions/en"`) {
		t.Error("the author is not offered to write a version")
	}
	if b := mx.Get(path).Body; strings.Contains(b, path+"/versions/") {
		t.Error("another country's official is offered to write a version")
	}

	// Refused: no title; what was typed stays.
	bad := versionForm("")
	res := pa.PostForm(path+"/versions/en", bad)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="title-error"`) || !strings.Contains(res.Body, "Fingerprints") {
		t.Fatalf("a version without a title: %d", res.Status)
	}
	// On a published practice it waits for review.
	if res := pa.PostForm(path+"/versions/en", versionForm("Biometric registration in the Darién")); res.Status != http.StatusSeeOther {
		t.Fatalf("version: %d", res.Status)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT state FROM practice_versions WHERE lang = 'en'`); st != "pending" {
		t.Fatalf("a version of a published practice is %s, want pending", st)
	}
	if b := mx.Get(path).Body; strings.Contains(b, "Biometric registration") {
		t.Fatal("a version waiting for review is shown")
	}
	queue := mod.Get("/moderation").Body
	if !strings.Contains(queue, "/moderation/versions/"+id+"/en") {
		t.Fatal("the version is not in the moderators' queue")
	}
	review := mod.Get("/moderation/versions/" + id + "/en")
	if review.Status != http.StatusOK || !strings.Contains(review.Body, "Biometric registration in the Darién") || !strings.Contains(review.Body, "Fingerprints") {
		t.Fatalf("review page: %d", review.Status)
	}
	if res := pa.PostForm("/moderation/versions/"+id+"/en", url.Values{"decision": {"approve"}}); res.Status != http.StatusForbidden {
		t.Fatalf("the author approves their own version: %d", res.Status)
	}
	if res := mod.PostForm("/moderation/versions/"+id+"/en", url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'practice.approve_version'`); n != 1 {
		t.Fatal("the approval is not logged")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'pa@gob.pa' AND n.kind = 'change_approved'`); n != 1 {
		t.Fatal("the writer is not told")
	}

	// An English reader reads it in English, with the original a link away.
	page := mx.Get(path).Body
	if !strings.Contains(page, "Biometric registration in the Darién") || !strings.Contains(page, "the original is in Español") ||
		!strings.Contains(page, `href="`+path+`?lang=es"`) {
		t.Fatalf("the English reader's page:\n%s", page)
	}
	if b := mx.Get(path + "?lang=es").Body; !strings.Contains(b, "<h1 id=\"practice-title\">Registro biométrico</h1>") {
		t.Error("?lang=es does not show the original")
	}
	if b := pa.Get(path).Body; !strings.Contains(b, "<h1 id=\"practice-title\">Registro biométrico</h1>") || !strings.Contains(b, `?lang=en"`) {
		t.Error("a Spanish reader does not read the original with the English one a link away")
	}
	// Lists and search speak the reader's language.
	if b := mx.Get("/practices").Body; !strings.Contains(b, "Biometric registration in the Darién") {
		t.Error("the English reader's list shows the original title")
	}
	if b := pa.Get("/practices").Body; strings.Contains(b, "Biometric registration") {
		t.Error("the Spanish reader's list shows the English title")
	}
	if b := pa.Get("/search?q=fingerprints").Body; !strings.Contains(b, "Registro biométrico") {
		t.Error("search does not find a practice by its version's words")
	}

	// Another official of its country adds one too; a draft's version is
	// part of the draft and needs no review of its own.
	pa2 := e.SignIn("pa2@gob.pa")
	if res := pa2.PostForm(path+"/versions/fr", versionForm("Enregistrement biométrique")); res.Status != http.StatusSeeOther {
		t.Fatalf("a colleague's version: %d", res.Status)
	}
	f := practiceForm("Borrador con versión", []string{"PA"}, "members")
	draft := create(t, pa, f)
	if res := pa.PostForm(draft+"/versions/pt", versionForm("Registro biométrico (pt)")); res.Status != http.StatusSeeOther {
		t.Fatalf("a draft's version: %d", res.Status)
	}
	if st := dbtest.Value[string](t, e.DB.R, `SELECT state FROM practice_versions WHERE lang = 'pt'`); st != "live" {
		t.Fatalf("a draft's version is %s, want live", st)
	}
}
