package journeys

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/practices"
	"puente/internal/servertest"
)

// TestAdoptionAndQuestionJourney: an official of another state records
// that their country pilots a practice, and asks its implementers a
// question; its author finds the question on My practices and answers;
// both agree to show the exchange, and the practice page shows who took
// it up and the question with its answer.
func TestAdoptionAndQuestionJourney(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	samira := e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	e.CreateAccount("luis@inm.gob.mx", accounts.Official, "MX")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)

	bg := context.Background()
	p, err := e.App.Practices.Create(bg, samira, practices.Form{Title: "Registro biométrico en Darién", Summary: "Registro de personas en tránsito.",
		Sections: map[string]string{"context": "<p>Contexto.</p>", "actions": "<p>Acciones.</p>"}, Countries: []string{"PA"}, Tags: []string{"1"},
		PeriodStart: "2019-06", Ongoing: true, Institutions: "SNM", ContactName: "Punto focal", ContactEmail: "focal@migracion.gob.pa",
		Lang: "es", Scope: "members"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.App.Practices.PublishDirect(bg, p.ID); err != nil {
		t.Fatal(err)
	}
	practiceURL := base + "/practices/" + strconv.FormatInt(p.ID, 10)

	// Mexico records its pilot.
	browsertest.SignIn(t, ctx, base, "luis@inm.gob.mx", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`#adoptions a.button`)))
	browsertest.Submit(t, ctx, `#adoptions a.button`)
	browsertest.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#adoption-changes[contenteditable]`)),
		chromedp.Click(chromedp.ID("adoption-stage-piloting")),
		chromedp.SendKeys(chromedp.ID("adoption-institution"), "Instituto Nacional de Migración"),
		chromedp.SetValue(chromedp.ID("adoption-started"), "2025-03"),
		browsertest.TypeRich("adoption-changes", "Lectores portátiles en Tapachula."),
	)
	browsertest.Screenshot(t, ctx, shots+"/adoption-form.png")
	browsertest.Submit(t, ctx, `form.adoption-form button[type=submit]`)
	if line := browsertest.Text(t, ctx, "#adoptions .taken-up"); !strings.Contains(line, "Mexico (piloting since March 2025)") {
		t.Fatalf("the practice does not say who took it up: %q", line)
	}
	if card := browsertest.Text(t, ctx, "#adoptions .adoption"); !strings.Contains(card, "Lectores portátiles en Tapachula.") {
		t.Fatalf("the record: %q", card)
	}

	// And asks the people who ran it.
	browsertest.Submit(t, ctx, `#questions a.button`)
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("question-body"), "¿Cuánto costaron los lectores?"))
	browsertest.Submit(t, ctx, `form[action$="/questions"] button[type=submit]`)
	questionURL := browsertest.Location(t, ctx)
	if status := browsertest.Text(t, ctx, "main .badge-status"); !strings.Contains(status, "open") {
		t.Fatalf("the question's status: %q", status)
	}
	browsertest.SignOut(t, ctx)

	// The author finds it on My practices and answers.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/my/practices"), chromedp.WaitVisible(chromedp.CSS(`#to-answer-h`)))
	browsertest.Submit(t, ctx, `section[aria-labelledby="to-answer-h"] a`)
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("question-answer"), "Unos 300 dólares cada uno."))
	browsertest.Submit(t, ctx, `form[action$="/answer"] button[type=submit]`)
	browsertest.Submit(t, ctx, `form[action$="/publish"] button[type=submit]`)
	browsertest.SignOut(t, ctx)

	// The asker agrees too; the exchange is on the practice.
	browsertest.SignIn(t, ctx, base, "luis@inm.gob.mx", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(questionURL), chromedp.WaitVisible(chromedp.CSS(`form[action$="/publish"] button`)))
	browsertest.Submit(t, ctx, `form[action$="/publish"] button[type=submit]`)
	browsertest.Do(t, ctx, chromedp.Navigate(practiceURL), chromedp.WaitVisible(chromedp.CSS(`#questions article`)))
	if qa := browsertest.Text(t, ctx, "#questions article"); !strings.Contains(qa, "¿Cuánto costaron los lectores?") || !strings.Contains(qa, "Unos 300 dólares cada uno.") {
		t.Fatalf("the published exchange: %q", qa)
	}
	browsertest.Screenshot(t, ctx, shots+"/adoption-practice.png")
}
