package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// No one decides on their own work, whatever the page offers: every
// decision about a practice or comment its author would take as staff is
// refused with a 403 that says why, and nothing is written.
func TestNoOneDecidesOnTheirOwnWork(t *testing.T) {
	t.Parallel()
	e := modEnv(t) // mod, mod2, admin
	e.CreateAccount("modcr@puente.test", accounts.Moderator, "CR")
	modcr := e.SignIn("modcr@puente.test")
	mod := e.SignIn("mod@puente.test")
	refused := func(what string, res *servertest.Response) {
		t.Helper()
		if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "you cannot decide on your own work") {
			t.Errorf("%s: %d, want a 403 that says why\n%.400s", what, res.Status, res.Body)
		}
	}

	// A moderator's own submission: the review page says who decides
	// and offers no decision; a forged decision is refused.
	f := practiceForm("Ventanilla única en Costa Rica", []string{"CR"}, "members")
	f.Set("action", "submit")
	path := create(t, modcr, f)
	id := idOf(path)
	page := modcr.Get("/moderation/review/" + id).Body
	if !strings.Contains(page, "someone else decides on it") || !strings.Contains(page, "Who can decide: admin, mod, mod2.") ||
		strings.Contains(page, `value="publish"`) {
		t.Fatalf("own review page:\n%s", page)
	}
	if q := modcr.Get("/moderation").Body; !strings.Contains(q, "yours: someone else decides") {
		t.Error("the queue does not mark the moderator's own submission")
	}
	for _, d := range []string{"publish", "send_back", "reject"} {
		refused("review "+d, modcr.PostForm("/moderation/review/"+id, url.Values{"decision": {d}, "note": {"Bien."}}))
	}
	refused("quick publish", modcr.PostForm(path+"/publish", nil))
	refused("take one's own item in the queue", modcr.PostForm("/moderation/review/"+id+"/claim", nil))
	if st := dbtest.Value[string](t, e.DB.R, `SELECT status FROM practices WHERE id = ?`, id); st != "submitted" {
		t.Fatalf("status after refused decisions: %s", st)
	}
	if res := mod.PostForm("/moderation/review/"+id, url.Values{"decision": {"publish"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("another moderator publishes: %d", res.Status)
	}

	// Featuring, ordering, hiding and restoring one's own practice.
	if p := modcr.Get(path).Body; !strings.Contains(p, "someone else decides on it") || strings.Contains(p, "/feature\"") {
		t.Errorf("own practice page offers moderation:\n%s", p)
	}
	refused("feature", modcr.PostForm("/moderation/practices/"+id+"/feature", url.Values{"note": {"La mejor"}}))
	pa := e.SignIn("pa@gob.pa")
	other := idOf(publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members")))
	mod.PostForm("/moderation/practices/"+other+"/feature", nil)
	mod.PostForm("/moderation/practices/"+id+"/feature", nil)
	refused("unfeature", modcr.PostForm("/moderation/practices/"+id+"/unfeature", nil))
	refused("move own up", modcr.PostForm("/moderation/practices/"+id+"/move", url.Values{"dir": {"up"}}))
	refused("move another's past own", modcr.PostForm("/moderation/practices/"+other+"/move", url.Values{"dir": {"down"}}))
	refused("hide", modcr.PostForm("/moderation/practices/"+id+"/hide", url.Values{"reason": {"x"}}))
	mod.PostForm("/moderation/practices/"+id+"/hide", url.Values{"reason": {"Datos personales en el texto."}})
	refused("restore", modcr.PostForm("/moderation/practices/"+id+"/restore", nil))

	// A moderator's own comment: flags on it, hiding, restoring, and the
	// appeal against its hiding.
	modcr.PostForm("/practices/"+other+"/comments", url.Values{"body": {"<p>En Costa Rica lo probamos.</p>"}})
	cid := fmt.Sprint(dbtest.Int(t, e.DB.R, `SELECT id FROM comments`))
	e.SignIn("mx@gob.mx").PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {cid}, "reason": {"off_topic"}})
	refused("dismiss flags", modcr.PostForm("/moderation/flags/dismiss", url.Values{"target_type": {"comment"}, "target_id": {cid}}))
	refused("hide comment", modcr.PostForm("/moderation/comments/"+cid+"/hide", url.Values{"reason": {"x"}}))
	if res := mod.PostForm("/moderation/comments/"+cid+"/hide", url.Values{"reason": {"Fuera de tema."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("another moderator hides: %d", res.Status)
	}
	refused("restore comment", modcr.PostForm("/moderation/comments/"+cid+"/restore", nil))
	logID := dbtest.Int(t, e.DB.R, `SELECT id FROM moderation_log WHERE action = 'comment.hide'`)
	if res := modcr.PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"Estaba en tema."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("appeal: %d", res.Status)
	}
	appeal := fmt.Sprintf("/moderation/appeals/%d/resolve", dbtest.Int(t, e.DB.R, `SELECT id FROM appeals`))
	refused("resolve the appeal about one's own comment", modcr.PostForm(appeal, url.Values{"outcome": {"reverse"}, "response": {"Sí."}}))
	if res := mod.PostForm(appeal, url.Values{"outcome": {"reverse"}, "response": {"Sí."}}); res.Status != http.StatusForbidden ||
		!strings.Contains(res.Body, "a different moderator must resolve the appeal") {
		t.Errorf("the moderator who hid resolves the appeal: %d", res.Status)
	}
	if q := mod.Get("/moderation").Body; !strings.Contains(q, "a different moderator must resolve the appeal") {
		t.Error("the queue offers the deciding moderator the appeal")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE actor_id = (SELECT id FROM accounts WHERE email = 'modcr@puente.test')`); n != 0 {
		t.Fatalf("%d log entries by the refused moderator", n)
	}
	// An administrator decides when the other moderator cannot.
	if res := e.SignIn("admin@puente.test").PostForm(appeal, url.Values{"outcome": {"reverse"}, "response": {"Estaba en tema."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("admin resolves: %d", res.Status)
	}
	if hidden := dbtest.Int(t, e.DB.R, `SELECT hidden_at IS NOT NULL FROM comments WHERE id = ?`, cid); hidden != 0 {
		t.Error("the reversed hiding left the comment hidden")
	}
}

// When the only other staff member wrote the item too, the page says
// that nobody can decide yet, and in the reader's language.
func TestOwnWorkSaysWhenNoOneElseCanDecide(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("sola@puente.test", accounts.Admin, "PA")
	c := e.SignIn("sola@puente.test")
	f := practiceForm("Práctica de la única administradora", []string{"PA"}, "members")
	f.Set("action", "submit")
	id := idOf(create(t, c, f))
	c.PostForm("/account/profile", url.Values{"display_name": {"sola"}, "lang": {"es"}})
	if page := c.Get("/moderation/review/" + id).Body; !strings.Contains(page, "Nadie más puede decidir todavía") {
		t.Errorf("review page with no other decider:\n%s", page)
	}
	if res := c.PostForm("/moderation/review/"+id, url.Values{"decision": {"publish"}}); res.Status != http.StatusForbidden ||
		!strings.Contains(res.Body, "no puede decidir sobre su propio trabajo") {
		t.Errorf("own decision in Spanish: %d", res.Status)
	}
}
