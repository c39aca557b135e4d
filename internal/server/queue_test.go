package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"puente/internal/dbtest"
)

// The queue as a moderator works through it: filters, the count of items
// waiting too long, soft claims that others see, and "decide, then the
// next item", which skips what a colleague took.
func TestReviewQueueWorkflow(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	a := idOf(submitted(t, e, e.SignIn("pa@gob.pa"), "Registro en Darién"))
	mxForm := practiceForm("Ventanilla en Tapachula", []string{"MX"}, "members")
	mxForm.Set("action", "submit")
	b := idOf(create(t, e.SignIn("mx@gob.mx"), mxForm))
	e.Clock.Advance(8 * 24 * time.Hour)
	brForm := practiceForm("Acogida en Roraima", []string{"BR"}, "members")
	brForm.Set("action", "submit")
	c := idOf(create(t, e.SignIn("br@gov.br"), brForm))
	mod, mod2 := e.SignIn("mod@puente.test"), e.SignIn("mod2@puente.test")

	q := mod.Get("/moderation").Body
	if !strings.Contains(q, "2 items have waited more than 7 days.") {
		t.Error("the queue does not count the items waiting more than a week")
	}
	for filter, want := range map[string][]string{
		"country=MX":   {"Ventanilla en Tapachula"},
		"waiting=week": {"Registro en Darién", "Ventanilla en Tapachula"},
		"kind=new":     {"Registro en Darién", "Ventanilla en Tapachula", "Acogida en Roraima"},
		"kind=change":  nil,
	} {
		body := mod.Get("/moderation?" + filter).Body
		body = body[strings.Index(body, `id="review"`):strings.Index(body, `id="flags"`)]
		for _, title := range []string{"Registro en Darién", "Ventanilla en Tapachula", "Acogida en Roraima"} {
			if strings.Contains(body, title) != slices.Contains(want, title) {
				t.Errorf("filter %s: %q shown %t", filter, title, !slices.Contains(want, title))
			}
		}
	}

	// A colleague takes A: the queue and the review page say so.
	if res := mod2.PostForm("/moderation/review/"+a+"/claim", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("claim: %d", res.Status)
	}
	if !strings.Contains(mod.Get("/moderation").Body, "being reviewed by mod2 since") ||
		!strings.Contains(mod.Get("/moderation/review/"+a).Body, "mod2 is reviewing it since") {
		t.Error("another moderator's claim is not shown")
	}
	// Deciding on B, then the next: A is taken, so C.
	res := mod.PostForm("/moderation/review/"+b, url.Values{"decision": {"publish"}, "then": {"next"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/moderation/review/"+c {
		t.Fatalf("decide then next: %d → %q, want the review of %s", res.Status, res.Header.Get("Location"), c)
	}
	// Without asking for the next item, back to the queue.
	if res := mod.PostForm("/moderation/review/"+c, url.Values{"decision": {"publish"}}); res.Header.Get("Location") != "/moderation" {
		t.Errorf("decide alone went to %q", res.Header.Get("Location"))
	}
	// A claim ends with the decision, and lapses on its own.
	mod2.PostForm("/moderation/review/"+a, url.Values{"decision": {"publish"}})
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM review_claims`); n != 0 {
		t.Errorf("%d claims left after the decisions", n)
	}
	own := submitted(t, e, e.SignIn("pa@gob.pa"), "Otra práctica")
	mod.PostForm("/moderation/review/"+idOf(own)+"/claim", nil)
	e.Clock.Advance(31 * time.Minute)
	if strings.Contains(e.SignIn("mod2@puente.test").Get("/moderation").Body, "being reviewed by") {
		t.Error("a claim did not lapse")
	}
}
