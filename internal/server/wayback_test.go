package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
)

// Every decision has a way back, and approved text changes only through
// review: a change sent back reaches its author with the note; a
// rejected practice is corrected and resubmitted with a note, back in the
// queue marked as such; a hidden practice's author sends a corrected
// change, whose approval shows the practice again.
func TestEveryDecisionHasAWayBack(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx")
	mod := e.SignIn("mod@puente.test")

	// A change to a published practice, sent back with a note.
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	id := idOf(path)
	f := practiceForm("COMPRE VISTOS BARATOS AQUI", []string{"PA"}, "members")
	if res := pa.PostForm(path, f); res.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.Status)
	}
	if b := mx.Get(path).Body; strings.Contains(b, "COMPRE VISTOS") || !strings.Contains(b, "Registro biométrico") {
		t.Fatal("a change went live before review")
	}
	if b := mx.Get("/practices").Body; strings.Contains(b, "COMPRE VISTOS") {
		t.Fatal("a change waiting for review is listed")
	}
	if res := mod.PostForm("/moderation/changes/"+id, url.Values{"decision": {"send_back"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="change-note-error"`) {
		t.Fatalf("sending back without a note: %d", res.Status)
	}
	if res := mod.PostForm("/moderation/changes/"+id, url.Values{"decision": {"send_back"}, "note": {"El título no describe la práctica."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("send back: %d", res.Status)
	}
	if b := pa.Get(path).Body; !strings.Contains(b, "Moderators sent your changes back with a note.") || !strings.Contains(b, "El título no describe la práctica.") {
		t.Fatal("the author does not read the note on the returned change")
	}
	if edit := pa.Get(path + "/edit").Body; !strings.Contains(edit, `value="COMPRE VISTOS BARATOS AQUI"`) ||
		!strings.Contains(edit, "The moderators&#39; note to correct:") || !strings.Contains(edit, "El título no describe la práctica.") {
		t.Fatal("the edit form does not go on from the returned change, with the note beside it")
	}
	if b := mx.Get("/log").Body; strings.Contains(b, "COMPRE VISTOS") || strings.Contains(b, "El título no describe") {
		t.Fatal("the log shows the rejected title or the note to a member")
	}
	// The author withdraws it: the published version stays, nothing waits.
	if res := pa.PostForm(path+"/change/withdraw", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practice_changes`); n != 0 {
		t.Fatalf("%d changes after withdrawing", n)
	}
	// Correcting only the contact point goes live at once.
	f = practiceForm("Registro biométrico", []string{"PA"}, "members")
	f.Set("contact_email", "nuevo.punto@gob.pa")
	pa.PostForm(path, f)
	if b := mx.Get(path).Body; !strings.Contains(b, "nuevo.punto@gob.pa") {
		t.Error("a correction of the contact point waited for review")
	}

	// Rejected, corrected, resubmitted with a note.
	rej := submitted(t, e, pa, "Práctica incompleta")
	mod.PostForm("/moderation/review/"+idOf(rej), url.Values{"decision": {"reject"}, "note": {"Faltan resultados."}})
	f = practiceForm("Práctica completa", []string{"PA"}, "members")
	f.Set("results", "<p>Se registraron 1200 personas.</p>")
	f.Set("author_note", "Añadí los resultados.")
	f.Set("action", "submit")
	if res := pa.PostForm(rej, f); res.Status != http.StatusSeeOther {
		t.Fatalf("resubmit after a rejection: %d", res.Status)
	}
	if q := mod.Get("/moderation").Body; !strings.Contains(q, "Práctica completa") || !strings.Contains(q, "resubmitted after a rejection") {
		t.Fatal("the resubmitted practice is not back in the queue, marked")
	}
	if r := mod.Get("/moderation/review/" + idOf(rej)).Body; !strings.Contains(r, "Añadí los resultados.") {
		t.Fatal("the review page does not show the author's note")
	}

	// Hidden, corrected, approved: shown again.
	mod.PostForm("/moderation/practices/"+id+"/hide", url.Values{"reason": {"Datos personales en el contacto."}})
	if res := mx.Get(path); res.Status != http.StatusNotFound {
		t.Fatalf("hidden practice for others: %d", res.Status)
	}
	if h := mod.Get("/moderation/hidden?kind=practice&country=PA").Body; !strings.Contains(h, "Registro biométrico") || !strings.Contains(h, "Datos personales en el contacto.") {
		t.Fatal("the hidden list lacks the practice and its note")
	}
	if h := mod.Get("/moderation/hidden?kind=practice&country=MX").Body; strings.Contains(h, "Registro biométrico") {
		t.Fatal("the hidden list ignores its country filter")
	}
	f = practiceForm("Registro biométrico", []string{"PA"}, "members")
	f.Set("contact_email", "oficina@gob.pa")
	f.Set("author_note", "Quité el correo personal.")
	if res := pa.PostForm(path, f); res.Status != http.StatusSeeOther {
		t.Fatalf("correct the hidden practice: %d", res.Status)
	}
	if res := mx.Get(path); res.Status != http.StatusNotFound {
		t.Fatal("a correction of a hidden practice showed it before review")
	}
	if q := mod.Get("/moderation").Body; !strings.Contains(q, "Corrected after it was hidden") {
		t.Fatal("the change of a hidden practice is not marked in the queue")
	}
	if res := mod.PostForm("/moderation/changes/"+id, url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.Status)
	}
	if res := mx.Get(path); res.Status != http.StatusOK || !strings.Contains(res.Body, "oficina@gob.pa") {
		t.Fatalf("after approving the correction: %d", res.Status)
	}
	// The log names what was decided on as it was then.
	log := mod.Get(fmt.Sprintf("/log?action=%s", "practice.return_change")).Body
	if !strings.Contains(log, "Registro biométrico") {
		t.Error("the log does not name the practice whose change was sent back")
	}
}
