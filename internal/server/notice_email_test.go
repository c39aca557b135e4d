package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/notifications"
	"puente/internal/servertest"
)

// mailbox reads what the test SMTP server received since the last look.
type mailbox struct {
	t    *testing.T
	e    *servertest.Env
	seen int
}

// next runs the background jobs ten minutes later (so that no batching
// gap holds anything back) and returns the new messages by recipient.
func (m *mailbox) next() map[string][]*smtptest.Parsed {
	m.t.Helper()
	m.e.Clock.Advance(notifications.Gap)
	m.e.SendMail()
	msgs := m.e.SMTP.Messages()
	out := map[string][]*smtptest.Parsed{}
	for _, msg := range msgs[m.seen:] {
		out[msg.To[0]] = append(out[msg.To[0]], smtptest.Parse(m.t, msg.Raw))
	}
	m.seen = len(msgs)
	return out
}

// everyKindNow asks for every kind the person receives at once.
func everyKindNow(t *testing.T, c *servertest.Client) {
	t.Helper()
	f := url.Values{}
	for _, k := range notifications.Kinds {
		f.Set("kind."+k, "now")
	}
	if res := c.PostForm("/settings/notifications", f); res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", res.Status, res.Body)
	}
}

// Every kind of notification reaches its recipient by email when they
// chose it: the event over HTTP, the entry in its transaction, the email
// through the test SMTP server, with its one-click unsubscribe.
func TestEveryKindByEmail(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx, br := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br")
	mod, mod2, admin := e.SignIn("mod@puente.test"), e.SignIn("mod2@puente.test"), e.SignIn("admin@puente.test")
	// Panama's focal point, who hears what Panama's authors leave.
	fp := e.CreateAccount("focal@gob.pa", accounts.Official, "PA")
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/focal", fp.ID), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("focal point: %d", res.Status)
	}
	focal := e.SignIn("focal@gob.pa")
	for _, c := range []*servertest.Client{pa, mx, br, mod, mod2, admin, focal} {
		everyKindNow(t, c)
	}
	box := &mailbox{t: t, e: e}
	told := map[string]bool{}
	var check func(got map[string][]*smtptest.Parsed, kind, to string, want ...string)
	expect := func(kind, to string, want ...string) {
		t.Helper()
		check(box.next(), kind, to, want...)
	}
	check = func(got map[string][]*smtptest.Parsed, kind, to string, want ...string) {
		t.Helper()
		msgs := got[to]
		if len(msgs) != 1 {
			t.Fatalf("%s: %d emails to %s, want 1 (all: %v)", kind, len(msgs), to, got)
		}
		m := msgs[0]
		for _, w := range want {
			if !strings.Contains(m.Text, w) || !strings.Contains(m.HTML, w) {
				t.Errorf("%s: the email to %s lacks %q:\n%s", kind, to, w, m.Text)
			}
		}
		if !strings.Contains(m.Header.Get("List-Unsubscribe"), "/unsubscribe/notices/") ||
			m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.Contains(m.Text, "?kind="+kind) {
			t.Errorf("%s: no one-click unsubscribe for the kind", kind)
		}
		told[kind] = true
	}

	path := submitted(t, e, pa, "Registro biométrico")
	expect(notifications.QueueWaiting, "mod@puente.test", "Items are waiting in the review queue", "/moderation")
	mod.PostForm("/moderation/review/"+idOf(path), url.Values{"decision": {"publish"}})
	expect(notifications.Published, "pa@gob.pa", "Your practice “Registro biométrico” was published", path)

	second := submitted(t, e, pa, "Ventanilla única")
	mod.PostForm("/moderation/review/"+idOf(second), url.Values{"decision": {"send_back"}, "note": {"Añada cifras."}})
	expect(notifications.SentBack, "pa@gob.pa", "Your practice “Ventanilla única” was sent back with a note", "Añada cifras.")

	third := submitted(t, e, pa, "Práctica duplicada")
	mod.PostForm("/moderation/review/"+idOf(third), url.Values{"decision": {"reject"}, "note": {"Duplica otra."}})
	expect(notifications.Rejected, "pa@gob.pa", "will not be published as it is", "Duplica otra.")
	logID := dbtest.Int(t, e.DB.R, `SELECT id FROM moderation_log WHERE action = 'practice.reject'`)
	pa.PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"No la duplica."}})
	appeal := dbtest.Int(t, e.DB.R, `SELECT id FROM appeals`)
	mod2.PostForm(fmt.Sprintf("/moderation/appeals/%d/resolve", appeal), url.Values{"outcome": {"reverse"}, "response": {"Es otra provincia."}})
	expect(notifications.AppealAnswered, "pa@gob.pa", "Your appeal about “Práctica duplicada” was decided", "the decision was reversed", "Es otra provincia.")

	br.PostForm(path+"/comments", url.Values{"body": {"<p>¿Funciona sin red?</p>"}})
	first := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	expect(notifications.Comment, "pa@gob.pa", "br commented on “Registro biométrico”", fmt.Sprintf("/comments/%d", first))
	mx.PostForm(path+"/comments", url.Values{"body": {"<p>Sí.</p>"}, "parent_id": {fmt.Sprint(first)}})
	box.e.SendMail() // the author's copy of the reply waits for its gap
	expect(notifications.Reply, "br@gov.br", "mx replied to your comment on “Registro biométrico”", fmt.Sprintf("/comments/%d", first+1))

	pa.PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(first)}, "reason": {"off_topic"}})
	mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", first), url.Values{"reason": {"Fuera de tema."}})
	got := box.next()
	for to, want := range map[string]string{"br@gov.br": "Moderators hid your comment on “Registro biométrico”", "pa@gob.pa": "What you flagged on “Registro biométrico” was hidden"} {
		if len(got[to]) != 1 || !strings.Contains(got[to][0].Text, want) {
			t.Fatalf("hiding a flagged comment: %s not told %q", to, want)
		}
	}
	told[notifications.CommentHidden], told[notifications.FlagActioned] = true, true
	mod.PostForm(fmt.Sprintf("/moderation/comments/%d/restore", first), url.Values{"reason": {"Era pertinente."}})
	expect(notifications.CommentRestored, "br@gov.br", "Your comment on “Registro biométrico” is visible again")

	mx.PostForm("/flags", url.Values{"target_type": {"practice"}, "target_id": {idOf(path)}, "reason": {"off_topic"}})
	mod.PostForm("/moderation/flags/dismiss", url.Values{"target_type": {"practice"}, "target_id": {idOf(path)}})
	expect(notifications.FlagDismissed, "mx@gob.mx", "Moderators reviewed your flag on “Registro biométrico” and left it visible")
	// The flag page, and a second flag, say what became of the first.
	if b := mx.Get(path + "/flag").Body; !strings.Contains(b, "You already flagged this; moderators reviewed it and left it visible.") {
		t.Error("the flag page still says a dismissed flag waits")
	}
	if res := mx.PostForm("/flags", url.Values{"target_type": {"practice"}, "target_id": {idOf(path)}, "reason": {"spam"}}); res.Status != http.StatusConflict ||
		!strings.Contains(res.Body, "moderators reviewed it and left it visible") {
		t.Errorf("a second flag after dismissal: %d", res.Status)
	}

	if res := mx.PostForm(path+"/adoption", url.Values{"stage": {"piloting"}, "institution": {"INM"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("adoption: %d", res.Status)
	}
	expect(notifications.Adoption, "pa@gob.pa", "mx recorded what their country does with “Registro biométrico”", "Stage: piloting.", path)
	adoption := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM adoptions`)
	mod.PostForm(fmt.Sprintf("/moderation/adoptions/%d/hide", adoption), url.Values{"reason": {"Datos personales."}})
	expect(notifications.AdoptionHidden, "mx@gob.mx", "Moderators hid the adoption record you wrote on “Registro biométrico”", "Datos personales.")
	mod.PostForm(fmt.Sprintf("/moderation/adoptions/%d/restore", adoption), nil)
	expect(notifications.AdoptionRestored, "mx@gob.mx", "The adoption record you wrote on “Registro biométrico” is visible again")

	if res := mx.PostForm(path+"/questions", url.Values{"body": {"¿Cuánto costó el registro?"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("question: %d", res.Status)
	}
	question := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM questions`)
	got = box.next()
	if len(got["pa@gob.pa"]) != 1 || !strings.Contains(got["pa@gob.pa"][0].Text, "mx asked a question about “Registro biométrico”") ||
		!strings.Contains(got["pa@gob.pa"][0].Text, fmt.Sprintf("/questions/%d", question)) {
		t.Fatalf("the author is not told of the question: %v", got)
	}
	told[notifications.Question] = true
	e.Clock.Advance(15 * 24 * time.Hour)
	if n, err := e.App.Questions.Remind(context.Background()); err != nil || n != 1 {
		t.Fatalf("reminders: %d, %v", n, err)
	}
	reminded := box.next()
	check(reminded, notifications.QuestionReminder, "pa@gob.pa", "question about “Registro biométrico” has waited two weeks for your answer", fmt.Sprintf("/questions/%d", question))
	check(reminded, notifications.QuestionUnanswered, "focal@gob.pa", "question about “Registro biométrico”, your country", "has waited two weeks for its author", fmt.Sprintf("/questions/%d", question))
	pa = e.SignIn("pa@gob.pa") // two weeks passed on the test clock
	mx = e.SignIn("mx@gob.mx")
	mod = e.SignIn("mod@puente.test")
	pa.PostForm(fmt.Sprintf("/questions/%d/answer", question), url.Values{"answer": {"Unos 2 millones de dólares."}})
	expect(notifications.QuestionAnswered, "mx@gob.mx", "pa answered your question about “Registro biométrico”", fmt.Sprintf("/questions/%d", question))
	pa.PostForm(fmt.Sprintf("/questions/%d/publish", question), url.Values{"agree": {"1"}})
	mx.PostForm(fmt.Sprintf("/questions/%d/publish", question), url.Values{"agree": {"1"}})
	mod.PostForm(fmt.Sprintf("/moderation/questions/%d/hide", question), url.Values{"reason": {"Cifras sin fuente."}})
	expect(notifications.QuestionHidden, "mx@gob.mx", "Moderators hid your question and its answer on “Registro biométrico”", "Cifras sin fuente.")
	mod.PostForm(fmt.Sprintf("/moderation/questions/%d/restore", question), nil)
	expect(notifications.QuestionRestored, "mx@gob.mx", "Your question and its answer on “Registro biométrico” are visible again")

	mod.PostForm("/moderation/practices/"+idOf(path)+"/hide", url.Values{"reason": {"Datos personales."}})
	expect(notifications.PracticeHidden, "pa@gob.pa", "Moderators hid your practice “Registro biométrico”")
	mod.PostForm("/moderation/practices/"+idOf(path)+"/restore", url.Values{"reason": {"Corregido."}})
	expect(notifications.PracticeRestored, "pa@gob.pa", "Your practice “Registro biométrico” is visible again")

	f := practiceForm("Registro biométrico", []string{"PA"}, "members")
	f.Set("results", "<p>Todas las llegadas.</p>")
	f.Set("action", "submit")
	if res := pa.PostForm(path, f); res.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.Status)
	}
	box.next() // the moderators hear it waits
	mod.PostForm("/moderation/changes/"+idOf(path), url.Values{"decision": {"send_back"}, "note": {"Cite la fuente."}})
	expect(notifications.ChangeReturned, "pa@gob.pa", "Your changes to “Registro biométrico” were sent back with a note", "Cite la fuente.")
	f.Set("results", "<p>Todas las llegadas (fuente: SNM).</p>")
	pa.PostForm(path, f)
	box.next()
	mod.PostForm("/moderation/changes/"+idOf(path), url.Values{"decision": {"approve"}})
	expect(notifications.ChangeApproved, "pa@gob.pa", "Your changes to “Registro biométrico” were approved")

	admin = e.SignIn("admin@puente.test") // hours have passed on the test clock
	if res := admin.PostForm("/admin/invitations", url.Values{"email": {"cl@gob.cl"}, "role": {"official"}, "country": {"CL"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.Status)
	}
	all := box.next()
	invite := all["cl@gob.cl"]
	if len(invite) != 1 {
		t.Fatalf("no invitation: %v", all)
	}
	pw := "una frase larga y segura"
	if res := e.Client().PostForm(e.LinkIn(invite[0].Text, "/invitations/"), url.Values{"display_name": {"Carla"}, "password": {pw}, "confirm": {pw}}); res.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.Status)
	}
	expect(notifications.InviteAccepted, "admin@puente.test", "Carla accepted your invitation and joined Puente", "/admin/accounts/")

	// A year on, nobody answers whether it is still current.
	e.Clock.Advance(366 * 24 * time.Hour)
	if _, _, err := e.App.Notices.AskReviews(context.Background(), 12); err != nil {
		t.Fatal(err)
	}
	box.next()
	e.Clock.Advance(61 * 24 * time.Hour)
	if _, _, err := e.App.Notices.AskReviews(context.Background(), 12); err != nil {
		t.Fatal(err)
	}
	expect(notifications.ReviewUnanswered, "focal@gob.pa", "Nobody answered whether “Registro biométrico” is still current", path)

	for _, k := range notifications.Kinds {
		if !told[k] {
			t.Errorf("no test emails the %s notification", k)
		}
	}
}

// Immediate emails are batched: at most one per person per ten minutes,
// gathering what happened meanwhile. What the person read on the site in
// the meantime, or chose not to receive, is not emailed; a kind left in
// the digest waits for it.
func TestNoticeEmailsBatchAndChoices(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, br, mx := e.SignIn("pa@gob.pa"), e.SignIn("br@gov.br"), e.SignIn("mx@gob.mx")
	mod := e.SignIn("mod@puente.test")
	box := &mailbox{t: t, e: e}
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	if got := box.next()["pa@gob.pa"]; len(got) != 1 || got[0].Subject() != "Your practice “Registro biométrico” was published" {
		t.Fatalf("published: %d emails", len(got))
	}

	// Three replies to br within the gap: the first at once, the other
	// two together ten minutes later.
	br.PostForm(path+"/comments", url.Values{"body": {"<p>Pregunta</p>"}})
	q := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	reply := func(c *servertest.Client, text string) {
		if res := c.PostForm(path+"/comments", url.Values{"body": {"<p>" + text + "</p>"}, "parent_id": {fmt.Sprint(q)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("reply: %d", res.Status)
		}
	}
	reply(mx, "Primera")
	e.SendMail()
	reply(pa, "Segunda")
	e.Clock.Advance(time.Minute)
	reply(mx, "Tercera")
	e.Clock.Advance(5 * time.Minute)
	if e.SendMail(); len(e.SMTP.Messages()) != box.seen+1 {
		t.Fatalf("%d emails within the gap, want 1", len(e.SMTP.Messages())-box.seen)
	}
	got := box.next()["br@gov.br"]
	if len(got) != 2 || !strings.Contains(got[0].Text, "mx replied") || strings.Contains(got[0].Text, "pa replied") {
		t.Fatalf("replies: %d emails to br", len(got))
	}
	if !strings.Contains(got[1].Text, "pa replied") || !strings.Contains(got[1].Text, "mx replied") ||
		got[1].Subject() != "pa replied to your comment on “Registro biométrico” (and 1 more)" {
		t.Fatalf("the batch: %q\n%s", got[1].Subject(), got[1].Text)
	}

	// Read on the site before the email: not emailed.
	reply(mx, "Cuarta")
	br.PostForm("/notifications/read", nil)
	if got := box.next()["br@gov.br"]; len(got) != 0 {
		t.Fatal("a notification read on the site was emailed")
	}

	// "Never": in the centre, not by email. "In the digest": not now.
	f := url.Values{}
	for _, k := range notifications.Kinds {
		f.Set("kind."+k, string(notifications.Default(k)))
	}
	f.Set("kind.reply", "never")
	f.Set("kind.comment", "now")
	if res := pa.PostForm("/settings/notifications", f); res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d", res.Status)
	}
	f.Set("kind.reply", "digest")
	br.PostForm("/settings/notifications", f)
	pa.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta de la autora</p>"}, "parent_id": {fmt.Sprint(q)}})
	mx.PostForm(path+"/comments", url.Values{"body": {"<p>Nuevo hilo</p>"}})
	got2 := box.next()
	if len(got2["br@gov.br"]) != 0 {
		t.Error("a reply br wants in the digest was emailed at once")
	}
	if len(got2["pa@gob.pa"]) != 1 || !strings.Contains(got2["pa@gob.pa"][0].Text, "mx commented on") {
		t.Error("pa chose comments at once and was not emailed")
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id
		WHERE a.email = 'br@gov.br' AND n.mail_state = 'digest'`); n != 1 {
		t.Errorf("%d of br's notifications wait for the digest, want 1", n)
	}

	// The form refuses a choice that is not one, and keeps the rest.
	f.Set("kind.comment", "hourly")
	f.Set("kind.reply", "never")
	res := br.PostForm("/settings/notifications", f)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="kind.comment-error"`) ||
		!strings.Contains(res.Body, `<option value="never" selected>`) {
		t.Fatalf("a bad choice: %d\n%s", res.Status, res.Body)
	}
	// The settings page offers moderators the queue, officials not.
	if b := mod.Get("/settings/notifications").Body; !strings.Contains(b, `name="kind.queue_waiting"`) || strings.Contains(b, `name="kind.invite_accepted"`) {
		t.Error("a moderator's settings lack the queue, or offer invitations")
	}
	if b := br.Get("/settings/notifications").Body; strings.Contains(b, `name="kind.queue_waiting"`) || !strings.Contains(b, "always") {
		t.Error("an official's settings offer the queue, or do not say security notices always go")
	}
}

// The one-click unsubscribe of a notification email turns off the kinds
// it told of, in the recipient's language, and answers the same when
// repeated; a link for one kind turns off that kind only.
func TestNoticeUnsubscribe(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, br := e.SignIn("pa@gob.pa"), e.SignIn("br@gov.br")
	pa.PostForm("/language", url.Values{"lang": {"es"}})
	box := &mailbox{t: t, e: e}
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	msg := box.next()["pa@gob.pa"][0]
	if msg.Subject() != "Se publicó su práctica «Registro biométrico»" {
		t.Fatalf("the email is not in the recipient's language: %q", msg.Subject())
	}
	header := msg.Header.Get("List-Unsubscribe")
	link := strings.Trim(header, "<>")
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		t.Fatalf("List-Unsubscribe %q", header)
	}

	// A mail client's one-click POST: no session, no Origin, twice.
	for i := range 2 {
		res := e.Client().PostForm(u.RequestURI(), url.Values{"List-Unsubscribe": {"One-Click"}})
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "ya no recibirá correos sobre esto") || res.Header.Get("Content-Language") != "es" ||
			!strings.Contains(res.Body, "Su práctica fue publicada") || !strings.Contains(res.Body, `href="/settings/notifications"`) {
			t.Fatalf("one-click POST %d: %d\n%s", i+1, res.Status, res.Body)
		}
	}
	if d := dbtest.Value[string](t, e.DB.R, `SELECT delivery FROM notification_prefs p JOIN accounts a ON a.id = p.account_id
		WHERE a.email = 'pa@gob.pa' AND kind = 'published'`); d != "never" {
		t.Fatalf("published is %q after unsubscribing", d)
	}
	if b := pa.Get("/settings/notifications").Body; !strings.Contains(b, `<option value="never" selected>Nunca por correo</option>`) {
		t.Error("the settings page does not show the kind turned off")
	}

	// A GET only asks (mail scanners follow links).
	br.PostForm(path+"/comments", url.Values{"body": {"<p>Hola</p>"}})
	q := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	pa.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta</p>"}, "parent_id": {fmt.Sprint(q)}})
	reply := box.next()["br@gov.br"][0]
	stop := e.LinkIn(reply.Text, "/unsubscribe/notices/")
	if !strings.Contains(stop, "?kind=reply") {
		t.Fatalf("per-kind link %q", stop)
	}
	if res := e.Client().Get(stop); res.Status != http.StatusOK || !strings.Contains(res.Body, "Stop receiving emails about this?") ||
		!strings.Contains(res.Body, "Replies to your comments") {
		t.Fatalf("GET: %d\n%s", res.Status, res.Body)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notification_prefs`); n != 1 {
		t.Fatal("a GET changed a choice")
	}
	if res := e.Client().PostForm(stop, nil); res.Status != http.StatusOK {
		t.Fatalf("POST: %d", res.Status)
	}
	prefs := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notification_prefs p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'br@gov.br'`)
	if prefs != 1 {
		t.Fatalf("%d of br's kinds turned off by a one-kind link, want 1", prefs)
	}
	// Another kind of that email, or an unknown token, is no link.
	for _, bad := range []string{strings.Replace(stop, "kind=reply", "kind=published", 1), "/unsubscribe/notices/nonsense"} {
		if res := e.Client().PostForm(bad, nil); res.Status != http.StatusGone || !strings.Contains(res.Body, "This link to stop notification emails is not valid") {
			t.Errorf("POST %s: %d, want 410 saying what link it was", bad, res.Status)
		}
	}
	if !slices.Contains([]string{"reply"}, dbtest.Value[string](t, e.DB.R, `SELECT kind FROM notification_prefs p JOIN accounts a ON a.id = p.account_id WHERE a.email = 'br@gov.br'`)) {
		t.Error("the wrong kind was turned off")
	}
}

// An address the mail server refuses for good stops its emails, not its
// notification centre.
func TestNoticeEmailToRefusedAddress(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	box := &mailbox{t: t, e: e}
	e.SMTP.FailFor("pa@gob.pa", 550)
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	box.next()
	if dbtest.Value[string](t, e.DB.R, `SELECT coalesce(undeliverable_at, '') FROM accounts WHERE email = 'pa@gob.pa'`) == "" {
		t.Fatal("a refused address is not marked undeliverable")
	}
	e.SignIn("br@gov.br").PostForm(path+"/comments", url.Values{"body": {"<p>Hola</p>"}})
	e.SignIn("mod@puente.test").PostForm("/moderation/practices/"+idOf(path)+"/hide", url.Values{"reason": {"Datos."}})
	if got := box.next()["pa@gob.pa"]; len(got) != 0 {
		t.Fatal("emails still go to a refused address")
	}
	if b := pa.Get("/notifications").Body; !strings.Contains(b, "Moderators hid your practice") {
		t.Fatal("the centre lost what the email could not carry")
	}
}

// The settings page saves what its own form sends, for every kind of
// account: the choices it shows, as a browser sends them back, with one
// changed. (Two kinds once had to be sent that the page did not show, and
// nothing could be saved, with no message.) Focal points, and only they,
// choose for what nobody answered on their country's practices.
func TestNoticeSettingsSaveWhatTheFormShows(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	admin := e.SignIn("admin@puente.test")
	fp := e.CreateAccount("focal@gob.pa", accounts.Official, "PA")
	if res := admin.PostForm(fmt.Sprintf("/admin/accounts/%d/focal", fp.ID), url.Values{"focal": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("name focal point: %d", res.Status)
	}
	selects := regexp.MustCompile(`(?s)<select id="[^"]*" name="(kind\.[a-z_]+)"[^>]*>(.*?)</select>`)
	selected := regexp.MustCompile(`<option value="([a-z]+)" selected>`)
	form := func(c *servertest.Client) url.Values {
		t.Helper()
		f := url.Values{}
		for _, m := range selects.FindAllStringSubmatch(c.Get("/settings/notifications").Body, -1) {
			s := selected.FindStringSubmatch(m[2])
			if s == nil {
				t.Fatalf("%s has no choice selected", m[1])
			}
			f.Set(m[1], s[1])
		}
		return f
	}
	for _, who := range []string{"pa@gob.pa", "focal@gob.pa", "mod@puente.test", "admin@puente.test"} {
		c := e.SignIn(who)
		f := form(c)
		focal := f.Has("kind." + notifications.QuestionUnanswered)
		if focal != (who == "focal@gob.pa") || f.Has("kind."+notifications.ReviewUnanswered) != focal {
			t.Errorf("%s: the focal points' kinds shown: %v", who, focal)
		}
		if f.Has("kind."+notifications.QueueWaiting) != (who == "mod@puente.test" || who == "admin@puente.test") {
			t.Errorf("%s: the review queue shown: %v", who, f.Has("kind."+notifications.QueueWaiting))
		}
		f.Set("kind.comment", "now")
		if res := c.PostForm("/settings/notifications", f); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: the page's own form sent back: %d\n%s", who, res.Status, res.Body)
		}
		if got := form(c); got.Get("kind.comment") != "now" || len(got) != len(f) {
			t.Errorf("%s: after saving, comments %q (%d choices shown, %d sent)", who, got.Get("kind.comment"), len(got), len(f))
		}
	}
}
