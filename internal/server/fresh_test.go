package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
)

// A year after publication the author is asked whether the practice is
// still current, by email and on My practices; sixty days without an
// answer mark it "not reviewed since" on its page, in lists and for
// moderators; an answer (from the email's link or the page) clears it;
// an author who has left is replaced by the officials of its country.
func TestPracticesStayCurrent(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("pa2@gob.pa", accounts.Official, "PA")
	pa := e.SignIn("pa@gob.pa")
	p := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	ended := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "members"))
	ctx := context.Background()
	ask := func() (int, int) {
		t.Helper()
		asked, marked, err := e.App.Notices.AskReviews(ctx, 12)
		if err != nil {
			t.Fatal(err)
		}
		return asked, marked
	}
	if a, m := ask(); a != 0 || m != 0 {
		t.Fatalf("asked %d, marked %d on publication day", a, m)
	}
	e.SendMail()
	sent := len(e.SMTP.Messages())

	e.Clock.Advance(366 * 24 * time.Hour)
	if a, _ := ask(); a != 2 {
		t.Fatalf("asked about %d practices after a year, want 2", a)
	}
	if a, _ := ask(); a != 0 {
		t.Fatalf("asked again: %d", a)
	}
	e.SendMail()
	var msg *smtptest.Parsed
	for _, m := range e.SMTP.Messages()[sent:] {
		if m.To[0] == "pa@gob.pa" && strings.Contains(smtptest.Parse(t, m.Raw).Text, "“Registro biométrico” was published or last confirmed") {
			msg = smtptest.Parse(t, m.Raw)
		}
	}
	if msg == nil || !strings.Contains(msg.Text, "It is still current") || !strings.Contains(msg.Text, "/review/") {
		t.Fatalf("no review email to the author")
	}
	link := regexp.MustCompile(`/review/[A-Za-z0-9_-]+\?answer=current`).FindString(msg.Text)

	pa = e.SignIn("pa@gob.pa") // a year passed on the test clock
	if body := pa.Get("/my/practices").Body; !strings.Contains(body, "Still current? Practices to confirm") || !strings.Contains(body, `action="`+p+`/review"`) {
		t.Error("My practices does not ask about the practice")
	}
	if body := e.SignIn("mx@gob.mx").Get(p).Body; strings.Contains(body, "Not reviewed since") {
		t.Error("marked before the grace period")
	}
	// Someone else may not answer for the author.
	if res := e.SignIn("mx@gob.mx").PostForm(p+"/review", url.Values{"answer": {"current"}}); res.Status != http.StatusForbidden {
		t.Errorf("another member answered: %d", res.Status)
	}

	// Sixty days unanswered: marked on its page, in lists (kept ones
	// too), for moderators.
	for range 2 {
		if body := e.SignIn("mx@gob.mx").Get("/practices").Body; strings.Contains(body, "Not reviewed since") {
			t.Fatal("the list marks practices before the grace period")
		}
	}
	e.Clock.Advance(61 * 24 * time.Hour)
	if _, m := ask(); m != 2 {
		t.Fatalf("marked %d, want 2", m)
	}
	mx := e.SignIn("mx@gob.mx")
	if body := mx.Get(p).Body; !strings.Contains(body, "Not reviewed since 26 November 2026") {
		t.Errorf("the page does not say it is not reviewed:\n%s", body)
	}
	if body := mx.Get("/practices").Body; strings.Count(body, "Not reviewed since 26 November 2026") != 2 {
		t.Error("the list does not mark the practices")
	}
	if body := e.SignIn("mod@puente.test").Get("/moderation").Body; !strings.Contains(body, "Practices not reviewed (2)") {
		t.Error("moderators do not see the practices not reviewed")
	}
	if body := e.SignIn("mod@puente.test").Get("/moderation?country=MX").Body; !strings.Contains(body, "Practices not reviewed (0)") {
		t.Error("the queue's country filter does not narrow the practices not reviewed")
	}

	// The email's link: a GET changes nothing, the button answers.
	if res := e.Client().Get(link); res.Status != http.StatusOK || !strings.Contains(res.Body, `value="current" id="review-current" checked`) {
		t.Fatalf("review page: %d", res.Status)
	}
	if body := mx.Get(p).Body; !strings.Contains(body, "Not reviewed since") {
		t.Error("opening the link answered")
	}
	token := strings.TrimPrefix(strings.Split(link, "?")[0], "/review/")
	if res := e.Client().PostForm("/review/"+token, url.Values{"answer": {"current"}}); res.Status != http.StatusOK || !strings.Contains(res.Body, "the practice is marked as reviewed") {
		t.Fatalf("answer: %d", res.Status)
	}
	if body := mx.Get(p).Body; strings.Contains(body, "Not reviewed since") {
		t.Error("still marked after the author confirmed it")
	}
	if res := e.Client().PostForm("/review/"+token, url.Values{"answer": {"current"}}); res.Status != http.StatusGone {
		t.Errorf("the link answered twice: %d", res.Status)
	}

	// Ended, from My practices: the month is checked and kept when refused.
	pa = e.SignIn("pa@gob.pa")
	res := pa.PostForm(ended+"/review", url.Values{"answer": {"ended"}, "month": {"2099-01"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="review-month-error"`) || !strings.Contains(res.Body, `value="2099-01"`) {
		t.Fatalf("future end: %d", res.Status)
	}
	if res := pa.PostForm(ended+"/review", url.Values{"answer": {"ended"}, "month": {"2027-06"}}); res.Status != http.StatusOK {
		t.Fatalf("ended: %d", res.Status)
	}
	if body := mx.Get(ended).Body; strings.Contains(body, "Not reviewed since") || !strings.Contains(body, "June 2027") {
		t.Error("the ended practice does not show its end")
	}

	// An author who left: the officials of the practice's country are asked.
	gone := dbtest.Int(t, e.DB.R, `SELECT id FROM accounts WHERE email = 'pa@gob.pa'`)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	if res := e.SignIn("admin@puente.test").PostForm(fmt.Sprintf("/admin/accounts/%d/suspend", gone), url.Values{"reason": {"Dejó el cargo."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("suspend: %d", res.Status)
	}
	e.SendMail()
	sent = len(e.SMTP.Messages())
	e.Clock.Advance(366 * 24 * time.Hour)
	if a, _ := ask(); a != 1 {
		t.Fatalf("asked %d after the author left, want 1 (the ended one is not asked)", a)
	}
	e.SendMail()
	to := map[string]bool{}
	for _, m := range e.SMTP.Messages()[sent:] {
		to[m.To[0]] = true
	}
	if !to["pa2@gob.pa"] || to["pa@gob.pa"] {
		t.Errorf("asked %v, want the country's other official", to)
	}
	pa2 := e.SignIn("pa2@gob.pa")
	if res := pa2.PostForm(p+"/review", url.Values{"answer": {"current"}}); res.Status != http.StatusOK {
		t.Errorf("the country's official answers for the author who left: %d", res.Status)
	}
}

// A site that turns the question on with years of practices asks about
// them a hundred at a time (each run of the sweep), not all at once.
func TestReviewQuestionsAreSpreadOut(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	p := publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Registro biométrico", []string{"PA"}, "members"))
	id := strings.TrimPrefix(p, "/practices/")
	cols, err := db.Column[string](context.Background(), e.DB.R, `SELECT name FROM pragma_table_info('practices') WHERE name <> 'id'`)
	if err != nil {
		t.Fatal(err)
	}
	list := strings.Join(cols, ", ")
	dbtest.Exec(t, e.DB.W, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 149)
		INSERT INTO practices (`+list+`) SELECT `+list+` FROM practices, n WHERE id = ?`, id)
	e.Clock.Advance(400 * 24 * time.Hour)
	for _, want := range []int{100, 50, 0} {
		asked, _, err := e.App.Notices.AskReviews(context.Background(), 12)
		if err != nil {
			t.Fatal(err)
		}
		if asked != want {
			t.Fatalf("asked about %d practices in a run, want %d", asked, want)
		}
	}
}
