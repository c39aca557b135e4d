package server_test

import (
	"context"
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

// A member asks the people who ran a practice: the question reaches the
// contact point by email and the author in their notifications; the
// author answers and the asker is told; the exchange shows on the
// practice only when both agree; a question unanswered for two weeks
// reminds the author once.
func TestAskTheImplementers(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx, br := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br")
	crm := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "crm"))
	e.SendMail()
	sent := len(e.SMTP.Messages())

	// Not about one's own practice; not about one the person cannot see.
	if res := pa.PostForm(crm+"/questions", url.Values{"body": {"¿Yo?"}}); res.Status != http.StatusForbidden {
		t.Errorf("the author asked their own practice: %d", res.Status)
	}
	if res := br.PostForm(crm+"/questions", url.Values{"body": {"Pergunta"}}); res.Status != http.StatusNotFound {
		t.Errorf("a CSM official asked about a CRM-only practice: %d, want 404", res.Status)
	}
	// An empty or too long question comes back with what was typed.
	long := strings.Repeat("¿Cómo? ", 700)
	if res := mx.PostForm(crm+"/questions", url.Values{"body": {long}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="question-body-error"`) || !strings.Contains(res.Body, "¿Cómo? ¿Cómo?") {
		t.Fatalf("too long: %d", res.Status)
	}

	ask := "¿Cuánto costó el registro?\nY ¿con qué proveedor? <script>alert(1)</script>"
	res := mx.PostForm(crm+"/questions", url.Values{"body": {ask}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/questions/") {
		t.Fatalf("ask: %d", res.Status)
	}
	q := res.Header.Get("Location")
	e.SendMail()
	msgs := e.SMTP.Messages()[sent:]
	var contact *smtptest.Parsed
	for _, m := range msgs {
		if m.To[0] == "focal@gob.example" {
			contact = smtptest.Parse(t, m.Raw)
		}
	}
	// In the practice's language: the contact point's.
	if contact == nil || !strings.Contains(contact.Text, "mx (México) pregunta sobre la práctica «Registro biométrico»") ||
		!strings.Contains(contact.Text, "¿Cuánto costó el registro?") || strings.Contains(contact.HTML, "<script>") {
		t.Fatalf("the contact point's email: %+v", contact)
	}
	if contact.Header.Get("Reply-To") != "" || strings.Contains(contact.Text, "mx@gob.mx") {
		t.Error("the contact point's email gives out the asker's address")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'pa@gob.pa' AND n.kind = 'question'`); n != 1 {
		t.Error("the author was not told of the question")
	}

	// The asker, the author and staff read it; another member does not.
	e.CreateAccount("cr@gob.cr", accounts.Official, "CR")
	if res := e.SignIn("cr@gob.cr").Get(q); res.Status != http.StatusNotFound {
		t.Errorf("another member reads the question: %d", res.Status)
	}
	if body := pa.Get("/my/practices").Body; !strings.Contains(body, "Questions waiting for your answer (1)") || !strings.Contains(body, `href="`+q+`"`) {
		t.Error("the author's practices do not list the open question")
	}
	if body := mx.Get(q).Body; !strings.Contains(body, "open, waiting for an answer") || !strings.Contains(body, "No answer yet.") ||
		strings.Contains(body, `name="answer"`) || strings.Contains(body, "<script>alert") {
		t.Error("the asker's view of the open question")
	}
	if body := pa.Get(q).Body; !strings.Contains(body, "mx <span class=\"muted\">(Mexico)</span>") {
		t.Error("the question's page does not say which country asks")
	}
	if res := mx.PostForm(q+"/answer", url.Values{"answer": {"Yo mismo"}}); res.Status != http.StatusForbidden {
		t.Errorf("the asker answered: %d", res.Status)
	}
	if res := e.SignIn("mod@puente.test").PostForm(q+"/answer", url.Values{"answer": {"Moderación"}}); res.Status != http.StatusForbidden {
		t.Errorf("a moderator answered: %d", res.Status)
	}

	// Two weeks without an answer: the author is reminded once.
	e.Clock.Advance(13 * 24 * time.Hour)
	if n, err := e.App.Questions.Remind(context.Background()); err != nil || n != 0 {
		t.Fatalf("reminded after 13 days: %d %v", n, err)
	}
	e.Clock.Advance(2 * 24 * time.Hour)
	for range 2 {
		if _, err := e.App.Questions.Remind(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications WHERE kind = 'question_reminder'`); n != 1 {
		t.Errorf("%d reminders, want one", n)
	}
	pa, mx = e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx") // the sessions ended meanwhile

	// The author answers; an empty answer keeps the form.
	if res := pa.PostForm(q+"/answer", url.Values{"answer": {"  "}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="question-answer-error"`) {
		t.Errorf("empty answer: %d", res.Status)
	}
	if res := pa.PostForm(q+"/answer", url.Values{"answer": {"Unos 2 millones de dólares, con un proveedor regional."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'mx@gob.mx' AND n.kind = 'question_answered'`); n != 1 {
		t.Error("the asker was not told of the answer")
	}
	if body := mx.Get(q).Body; !strings.Contains(body, "Answered by pa, ") {
		t.Error("the question's page does not say who answered")
	}
	if body := pa.Get("/my/practices").Body; strings.Contains(body, "Questions waiting for your answer") {
		t.Error("an answered question still waits on the author's page")
	}

	// Private until both agree; then on the practice, for its readers.
	if res := mx.PostForm(q+"/publish", url.Values{"agree": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("asker agrees: %d", res.Status)
	}
	if body := e.SignIn("cr@gob.cr").Get(crm).Body; strings.Contains(body, "Unos 2 millones") {
		t.Error("the answer shows with one side's agreement")
	}
	if res := pa.PostForm(q+"/publish", url.Values{"agree": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("author agrees: %d", res.Status)
	}
	body := e.SignIn("cr@gob.cr").Get(crm).Body
	if !strings.Contains(body, "Questions and answers") || !strings.Contains(body, "Unos 2 millones") || !strings.Contains(body, "¿Cuánto costó el registro?") {
		t.Errorf("the published exchange is not on the practice")
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("the question's text was not escaped")
	}
	if res := br.Get(crm); res.Status != http.StatusNotFound || strings.Contains(res.Body, "Unos 2 millones") {
		t.Error("a CSM official reads the exchange")
	}
	// Either side may take the agreement back.
	if res := mx.PostForm(q+"/publish", url.Values{"agree": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("asker withdraws: %d", res.Status)
	}
	if body := e.SignIn("cr@gob.cr").Get(crm).Body; strings.Contains(body, "Unos 2 millones") {
		t.Error("the exchange shows after the asker withdrew")
	}
	if res := mx.PostForm(q+"/close", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("close: %d", res.Status)
	}
	if res := pa.PostForm(q+"/answer", url.Values{"answer": {"Tarde"}}); res.Status != http.StatusConflict {
		t.Errorf("an answer to a closed question: %d, want 409", res.Status)
	}
	if body := mx.Get("/my/practices").Body; !strings.Contains(body, "Questions you asked") || !strings.Contains(body, "closed") {
		t.Error("the asker's page does not list the question")
	}
}

// No one decides on their own work: a moderator who wrote a practice
// does not hide the exchange their answer is part of.
func TestModeratorDoesNotHideTheirOwnAnswer(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("mod2@puente.test", accounts.Moderator, "PA")
	mod2, mx := e.SignIn("mod2@puente.test"), e.SignIn("mx@gob.mx")
	p := publish(t, e, mod2, practiceForm("Práctica de la moderadora", []string{"PA"}, "members"))
	res := mx.PostForm(p+"/questions", url.Values{"body": {"¿Cómo empezaron?"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("ask: %d", res.Status)
	}
	q := res.Header.Get("Location")
	mod2.PostForm(q+"/answer", url.Values{"answer": {"Con un piloto."}})
	for _, c := range []*servertest.Client{mod2, mx} {
		c.PostForm(q+"/publish", url.Values{"agree": {"1"}})
	}
	id := strings.TrimPrefix(q, "/questions/")
	if res := mod2.PostForm("/moderation/questions/"+id+"/hide", url.Values{"reason": {"Mejor no."}}); res.Status != http.StatusForbidden {
		t.Errorf("the practice's author hid the exchange they answered: %d", res.Status)
	}
	if res := e.SignIn("mod@puente.test").PostForm("/moderation/questions/"+id+"/hide", url.Values{"reason": {"Datos personales."}}); res.Status != http.StatusSeeOther {
		t.Errorf("another moderator could not hide it: %d", res.Status)
	}
}

// Each question emails people: a person may send a few at once, then one
// now and then; a refused one keeps what was typed.
func TestQuestionsAreLimited(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mx := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx")
	p := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "members"))
	for i := range 5 {
		if res := mx.PostForm(p+"/questions", url.Values{"body": {fmt.Sprintf("Pregunta %d", i)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("question %d: %d", i, res.Status)
		}
	}
	res := mx.PostForm(p+"/questions", url.Values{"body": {"La sexta pregunta"}})
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "La sexta pregunta") {
		t.Fatalf("sixth question: %d", res.Status)
	}
	e.Clock.Advance(31 * time.Minute)
	mx = e.SignIn("mx@gob.mx")
	if res := mx.PostForm(p+"/questions", url.Values{"body": {"Más tarde"}}); res.Status != http.StatusSeeOther {
		t.Errorf("a question half an hour later: %d", res.Status)
	}
}
