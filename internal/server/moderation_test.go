package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/notifications"
	"puente/internal/servertest"
)

func modEnv(t *testing.T) *servertest.Env {
	e := practiceEnv(t) // mod@puente.test, pa@gob.pa, mx@gob.mx, br@gov.br
	e.CreateAccount("mod2@puente.test", accounts.Moderator, "")
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	return e
}

func submitted(t *testing.T, e *servertest.Env, author *servertest.Client, title string) string {
	t.Helper()
	f := practiceForm(title, []string{"PA"}, "members")
	f.Set("action", "submit")
	return create(t, author, f)
}

func idOf(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func TestModerationRoutesRefuseOfficials(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := submitted(t, e, pa, "Práctica en revisión")
	id := idOf(path)
	mx := e.SignIn("mx@gob.mx")
	for _, rt := range []struct{ method, path string }{
		{"GET", "/moderation"}, {"GET", "/moderation/review/" + id}, {"GET", "/moderation/featured"},
		{"POST", "/moderation/review/" + id}, {"POST", "/moderation/practices/" + id + "/feature"},
		{"POST", "/moderation/practices/" + id + "/unfeature"}, {"POST", "/moderation/practices/" + id + "/move"},
		{"POST", "/moderation/practices/" + id + "/hide"}, {"POST", "/moderation/practices/" + id + "/restore"},
		{"POST", "/moderation/comments/1/hide"}, {"POST", "/moderation/comments/1/restore"},
		{"POST", "/moderation/flags/dismiss"}, {"POST", "/moderation/appeals/1/resolve"}, {"POST", path + "/publish"},
		{"GET", "/admin/taxonomy"}, {"POST", "/admin/meetings"}, {"POST", "/admin/tags/1"}, {"POST", "/admin/tags/1/retire"},
	} {
		for who, c := range map[string]*servertest.Client{"official": mx, "author": pa} {
			var res *servertest.Response
			if rt.method == "GET" {
				res = c.Get(rt.path)
			} else {
				res = c.PostForm(rt.path, url.Values{"decision": {"publish"}, "reason": {"x"}})
			}
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s %s: %d, want 403", who, rt.method, rt.path, res.Status)
			}
		}
	}
	// Moderators cannot reach admin-only routes either.
	mod := e.SignIn("mod@puente.test")
	for _, p := range []string{"/admin/taxonomy", "/admin/accounts"} {
		if res := mod.Get(p); res.Status != http.StatusForbidden {
			t.Errorf("moderator GET %s: %d", p, res.Status)
		}
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log`); n != 0 {
		t.Fatalf("%d log entries after refused requests", n)
	}
}

func TestReviewSendBackResubmitPublish(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := submitted(t, e, pa, "Registro en frontera")
	id := idOf(path)
	mod := e.SignIn("mod@puente.test")

	queue := mod.Get("/moderation")
	if !strings.Contains(queue.Body, "Registro en frontera") || !strings.Contains(queue.Body, "To review (1)") {
		t.Fatalf("queue:\n%s", queue.Body)
	}
	if !strings.Contains(mod.Get("/").Body, `class="queue-count"`) {
		t.Error("no queue count in the navigation")
	}
	// No note: refused, nothing changes, what was typed stays.
	res := mod.PostForm("/moderation/review/"+id, url.Values{"decision": {"send_back"}, "note": {"  "}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Write the reason") {
		t.Fatalf("send back without note: %d", res.Status)
	}
	res = mod.PostForm("/moderation/review/"+id, url.Values{"decision": {"send_back"}, "note": {"Añada cifras de resultados, por favor."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("send back: %d", res.Status)
	}
	e.SendMail()
	msg := smtptest.Parse(t, e.SMTP.WaitFor(t, 1, 5*time.Second)[0].Raw)
	if msg.Subject() != "Your practice “Registro en frontera” was sent back with a note" || !strings.Contains(msg.Text, "Añada cifras de resultados") ||
		!strings.Contains(msg.Text, path) || msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("send-back email: %q\n%s", msg.Subject(), msg.Text)
	}
	page := pa.Get(path)
	if !strings.Contains(page.Body, "Sent back with a note") || !strings.Contains(page.Body, "Añada cifras de resultados") {
		t.Fatal("author does not see the note")
	}
	// The author edits and resubmits; the reviewer sees what changed.
	f := practiceForm("Registro en frontera", []string{"PA"}, "members")
	f.Set("results", "<p>Se registraron 1200 personas.</p>")
	f.Set("action", "submit")
	if res := pa.PostForm(path, f); res.Status != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", res.Status)
	}
	review := mod.Get("/moderation/review/" + id)
	if !strings.Contains(review.Body, "Changes since version") || !strings.Contains(review.Body, "<ins>Se registraron 1200 personas.</ins>") {
		t.Fatalf("review page lacks the changes:\n%s", review.Body)
	}
	// Two moderators publish at once: one wins, one is told.
	mod2 := e.SignIn("mod2@puente.test")
	var wg sync.WaitGroup
	results := make([]*servertest.Response, 2)
	for i, c := range []*servertest.Client{mod, mod2} {
		wg.Go(func() { results[i] = c.PostForm("/moderation/review/"+id, url.Values{"decision": {"publish"}}) })
	}
	wg.Wait()
	if published := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'practice.publish'`); published != 1 {
		t.Fatalf("%d publish entries, want 1", published)
	}
	told := 0
	for _, c := range []*servertest.Client{mod, mod2} {
		if strings.Contains(c.Get(path).Body, "already handled") {
			told++
		}
	}
	if told != 1 {
		t.Fatalf("%d moderators told it was already handled, want 1 (statuses %d, %d)", told, results[0].Status, results[1].Status)
	}
}

func TestRejectAppealReverse(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := submitted(t, e, pa, "Práctica discutible")
	id := idOf(path)
	mod := e.SignIn("mod@puente.test")
	mod.PostForm("/moderation/review/"+id, url.Values{"decision": {"reject"}, "note": {"Duplica otra práctica."}})
	e.SendMail()
	if m := smtptest.Parse(t, e.SMTP.WaitFor(t, 1, 5*time.Second)[0].Raw); m.Subject() != "Your practice “Práctica discutible” will not be published as it is" {
		t.Fatalf("reject email %q", m.Subject())
	}
	logID := dbtest.Int(t, e.DB.R, `SELECT id FROM moderation_log WHERE action = 'practice.reject'`)
	if res := e.SignIn("mx@gob.mx").PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"no es mía"}}); res.Status != http.StatusForbidden {
		t.Fatalf("appeal by someone else: %d", res.Status)
	}
	if res := pa.PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"No la duplica: es otra provincia."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("appeal: %d", res.Status)
	}
	pa.PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"otra vez"}})
	if page := pa.Get(path).Body; !strings.Contains(page, "You already appealed") || !strings.Contains(page, "Your appeal is pending.") {
		t.Fatal("second appeal not refused, or pending state not shown")
	}
	appealID := dbtest.Int(t, e.DB.R, `SELECT id FROM appeals`)
	resolve := fmt.Sprintf("/moderation/appeals/%d/resolve", appealID)
	// The moderator who acted cannot resolve the appeal.
	if res := mod.PostForm(resolve, url.Values{"outcome": {"uphold"}, "response": {"Se mantiene."}}); res.Status != http.StatusForbidden {
		t.Fatalf("own appeal: %d", res.Status)
	}
	mod2 := e.SignIn("mod2@puente.test")
	if res := mod2.PostForm(resolve, url.Values{"outcome": {"reverse"}, "response": {"Tiene razón: es otra provincia."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("resolve: %d", res.Status)
	}
	// Reversed: back in the queue, marked, for its current text to be
	// reviewed before anyone reads it.
	if status := dbtest.Value[string](t, e.DB.R, `SELECT status FROM practices WHERE id = ?`, id); status != "submitted" {
		t.Fatalf("after reversal: %s", status)
	}
	if q := mod2.Get("/moderation").Body; !strings.Contains(q, "back after an appeal") {
		t.Error("the queue does not mark a practice back after an appeal")
	}
	// The answer waits until ten minutes after the last email.
	if e.SendMail(); len(e.SMTP.Messages()) != 1 {
		t.Fatalf("%d emails within ten minutes of the last one", len(e.SMTP.Messages()))
	}
	e.Clock.Advance(notifications.Gap)
	e.SendMail()
	msgs := e.SMTP.WaitFor(t, 2, 5*time.Second)
	m := smtptest.Parse(t, msgs[1].Raw)
	if m.Subject() != "Your appeal about “Práctica discutible” was decided" || !strings.Contains(m.Text, "the decision was reversed") ||
		!strings.Contains(m.Text, "Tiene razón: es otra provincia.") {
		t.Fatalf("appeal email %q\n%s", m.Subject(), m.Text)
	}
	if res := mod2.PostForm(resolve, url.Values{"outcome": {"uphold"}, "response": {"again"}}); res.Status != http.StatusSeeOther ||
		!strings.Contains(mod2.Get("/moderation").Body, "already handled") {
		t.Fatal("second resolution not refused")
	}
}

func TestFlagHideAppealRestoreAndLog(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica con debate", []string{"PA"}, "members"))
	id := idOf(path)
	br := e.SignIn("br@gov.br")
	br.PostForm(path+"/comments", url.Values{"body": {"<p>Comentario fuera de lugar</p>"}})
	cid := dbtest.Int(t, e.DB.R, `SELECT id FROM comments`)
	mod := e.SignIn("mod@puente.test")
	mod.PostForm("/account/notifications", url.Values{"notify_flags": {"1"}})
	e.SendMail() // the author hears that it was published
	before := len(e.SMTP.Messages())

	// The flag page shows the comment and the form; members flag once
	// each; the author cannot flag their own comment.
	mx := e.SignIn("mx@gob.mx")
	flagPage := fmt.Sprintf("/comments/%d/flag", cid)
	if res := mx.Get(flagPage); res.Status != http.StatusOK || !strings.Contains(res.Body, "Comentario fuera de lugar") ||
		!strings.Contains(res.Body, `name="reason"`) || !strings.Contains(res.Body, fmt.Sprintf(`href="/comments/%d"`, cid)) {
		t.Fatalf("flag page: %d\n%s", res.Status, res.Body)
	}
	// The comment's own address leads to the page of the thread that shows
	// it, however far back the discussion has been paged.
	if res := mx.Get(fmt.Sprintf("/comments/%d", cid)); res.Status != http.StatusFound ||
		!strings.HasSuffix(res.Header.Get("Location"), fmt.Sprintf("?thread=%d#comment-%d", cid, cid)) ||
		!strings.Contains(mx.Get(strings.Split(res.Header.Get("Location"), "#")[0]).Body, fmt.Sprintf(`id="comment-%d"`, cid)) {
		t.Fatalf("comment permalink: %d %q", res.Status, res.Header.Get("Location"))
	}
	if !strings.Contains(mx.Get(path).Body, `href="`+flagPage+`"`) {
		t.Fatal("the practice page does not link to the comment's flag page")
	}
	// Refused: no reason. The page comes back with the message beside the
	// reasons and the details typed.
	res := mx.PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(cid)}, "details": {"Insulta a otra delegación"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="flag-reason-error"`) ||
		!strings.Contains(res.Body, "Choose a reason.") || !strings.Contains(res.Body, ">Insulta a otra delegación</textarea>") {
		t.Fatalf("flag without a reason: %d\n%s", res.Status, res.Body)
	}
	flag := url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(cid)}, "reason": {"offensive"}}
	for _, c := range []*servertest.Client{mx, pa} {
		if res := c.PostForm("/flags", flag); res.Status != http.StatusSeeOther {
			t.Fatalf("flag: %d", res.Status)
		}
	}
	if res := mx.PostForm("/flags", flag); res.Status != http.StatusConflict || !strings.Contains(res.Body, "You already flagged this") {
		t.Fatalf("second flag not refused: %d", res.Status)
	}
	if res := mx.Get(flagPage); !strings.Contains(res.Body, "You already flagged this") || strings.Contains(res.Body, `name="reason"`) {
		t.Fatal("the flag page offers a second flag")
	}
	if res := br.PostForm("/flags", flag); res.Status != http.StatusConflict || !strings.Contains(res.Body, "cannot flag what you wrote") {
		t.Fatalf("author flagging own comment not refused: %d", res.Status)
	}
	if res := br.Get(flagPage); !strings.Contains(res.Body, "cannot flag what you wrote") || strings.Contains(res.Body, `name="reason"`) {
		t.Fatal("the author is offered a flag on their own comment")
	}
	if res := e.SignIn("admin@puente.test").PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(cid)}, "reason": {"other"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="flag-details-error"`) {
		t.Fatalf("flag with other and no details: %d", res.Status)
	}
	if flags := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM flags`); flags != 2 {
		t.Fatalf("%d flags stored, want 2", flags)
	}
	// One email to the moderator who asked, for the item, not per flag.
	// SendMail delivers synchronously (no worker runs in these tests): what
	// it hands to SMTP is all there is, so no wait is needed to see that a
	// second email does not come.
	if n := e.SendMail(); n != 1 {
		t.Fatalf("%d flag emails handed to SMTP, want 1", n)
	}
	msgs := e.SMTP.Messages()[before:]
	if len(msgs) != 1 || smtptest.Parse(t, msgs[0].Raw).Subject() != "Something was flagged on Puente" {
		t.Fatalf("flag emails: %d", len(msgs))
	}
	// Counts are for moderators only.
	if body := mod.Get("/moderation").Body; !strings.Contains(body, "2 flags") || !strings.Contains(body, "Offensive: 2") {
		t.Fatal("moderator does not see the flag counts")
	}
	if strings.Contains(mx.Get(path).Body, "2 flags") {
		t.Fatal("a member sees flag counts")
	}

	// Hide: the author sees it with the reason, others a placeholder.
	if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"Lenguaje ofensivo."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.Status)
	}
	if body := mx.Get(path).Body; strings.Contains(body, "Comentario fuera de lugar") || !strings.Contains(body, "Hidden by moderators.") {
		t.Fatal("hidden comment visible to others")
	}
	if body := br.Get(path).Body; !strings.Contains(body, "Comentario fuera de lugar") || !strings.Contains(body, "Lenguaje ofensivo.") {
		t.Fatal("author does not see their hidden comment and the reason")
	}
	if flags := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM flags WHERE resolution = 'actioned'`); flags != 2 {
		t.Fatalf("flags not resolved by hiding: %d", flags)
	}
	// The author appeals; the same moderator cannot restore it; another does.
	logID := dbtest.Int(t, e.DB.R, `SELECT id FROM moderation_log WHERE action = 'comment.hide'`)
	if res := br.PostForm("/appeals", url.Values{"log_id": {fmt.Sprint(logID)}, "message": {"Era una crítica, no un insulto."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("appeal: %d", res.Status)
	}
	appealID := dbtest.Int(t, e.DB.R, `SELECT id FROM appeals`)
	mod2 := e.SignIn("mod2@puente.test")
	mod2.PostForm(fmt.Sprintf("/moderation/appeals/%d/resolve", appealID), url.Values{"outcome": {"reverse"}, "response": {"Restaurado."}})
	if body := mx.Get(path).Body; !strings.Contains(body, "Comentario fuera de lugar") {
		t.Fatal("comment not restored")
	}

	// Feature and hide a practice; the log lists everything in order.
	mod.PostForm("/moderation/practices/"+id+"/feature", url.Values{"note": {"Un modelo para la región."}})
	if body := mx.Get("/").Body; !strings.Contains(body, "Featured by the moderators") || !strings.Contains(body, "Un modelo para la región.") {
		t.Fatal("featured practice not on the home page")
	}
	mod.PostForm("/moderation/practices/"+id+"/hide", url.Values{"reason": {"Datos personales de un funcionario."}, "public": {"Contiene datos personales."}})
	if res := mx.Get(path); res.Status != 404 {
		t.Fatalf("hidden practice for others: %d", res.Status)
	}
	if body := mx.Get("/").Body; strings.Contains(body, "Práctica con debate") {
		t.Fatal("hidden practice still featured or listed")
	}
	if res := pa.Get(path); res.Status != 200 || !strings.Contains(res.Body, "Datos personales de un funcionario.") {
		t.Fatal("author does not see the hidden practice with its reason")
	}
	log := mx.Get("/log").Body
	log = log[strings.Index(log, "<tbody>"):] // the entries, not the filter's options
	order := []string{"hid a practice", "featured", "reversed an appealed decision", "restored a comment", "hid a comment", "published"}
	last := -1
	for _, o := range order {
		i := strings.Index(log, o)
		if i < 0 || i < last {
			t.Fatalf("log lacks %q or is out of order:\n%s", o, log)
		}
		last = i
	}
	// The note is for the author: no member reads it in the log (nor the
	// comment's "Lenguaje ofensivo."). The public reason is shown to whoever
	// may still see the hidden practice (its author), to no one else.
	if strings.Contains(log, "Datos personales de un funcionario.") || strings.Contains(log, "Lenguaje ofensivo.") ||
		strings.Contains(log, "Contiene datos personales.") {
		t.Fatal("a note for the author, or what was written about a hidden practice, is shown to a member")
	}
	if authorLog := pa.Get("/log").Body; strings.Contains(authorLog, "Datos personales de un funcionario.") || !strings.Contains(authorLog, "Contiene datos personales.") {
		t.Fatal("the author's log shows the note, or not the public reason")
	}
	if modLog := mod.Get("/log").Body; !strings.Contains(modLog, "Datos personales de un funcionario.") || !strings.Contains(modLog, "Contiene datos personales.") {
		t.Fatal("moderators do not see the note and the public reason")
	}
	if body := mx.Get("/log?action=comment.hide").Body; !strings.Contains(body[strings.Index(body, "<tbody>"):], "hid a comment") ||
		strings.Contains(body[strings.Index(body, "<tbody>"):], "featured") {
		t.Fatal("log filter by action")
	}
}

func TestLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	e.SignIn("admin@puente.test").PostForm("/admin/invitations", url.Values{"email": {"n@gob.cl"}, "role": {"official"}, "country": {"CL"}})
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'account.invite'`); n != 1 {
		t.Fatalf("invitation not logged: %d", n)
	}
	if _, err := e.DB.W.Exec(`UPDATE moderation_log SET reason = 'changed'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("UPDATE allowed: %v", err)
	}
	if _, err := e.DB.W.Exec(`DELETE FROM moderation_log`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("DELETE allowed: %v", err)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log`); n != 1 {
		t.Fatalf("log has %d rows", n)
	}
}

func TestTaxonomyAdministration(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	admin := e.SignIn("admin@puente.test")
	form := url.Values{"starts_on": {"2023-11-20"}, "ends_on": {"2023-11-21"}, "process": {"CRM"}, "kind": {"plenary"}}
	for _, l := range []string{"es", "en", "pt", "fr"} {
		form.Set("title_"+l, "Reunión "+l)
	}
	res := admin.PostForm("/admin/meetings", form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="title_nl-error"`) || !strings.Contains(res.Body, `value="Reunión pt"`) {
		t.Fatalf("missing Dutch title: %d", res.Status)
	}
	form.Set("title_nl", "Bijeenkomst")
	// A plenary was held somewhere.
	if res := admin.PostForm("/admin/meetings", form); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="place-error"`) {
		t.Fatalf("plenary without a place: %d", res.Status)
	}
	form.Set("place", "Ciudad de Guatemala")
	res = admin.PostForm("/admin/meetings", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create meeting: %d\n%s", res.Status, res.Body)
	}
	meeting := res.Header.Get("Location")
	// Before it has any objective, the meeting has its page and is listed,
	// as what it is.
	public := "/meetings/" + idOf(meeting)
	if res := e.Client().Get(public); res.Status != http.StatusOK || !strings.Contains(res.Body, "Plenary meeting · CRM · Ciudad de Guatemala") ||
		!strings.Contains(res.Body, "no objectives or recommendations yet") {
		t.Fatalf("a meeting without objectives: %d\n%s", res.Status, res.Body)
	}
	if list := e.Client().Get("/meetings").Body; !strings.Contains(list, `href="`+public+`"`) || !strings.Contains(list, "0 objectives, 0 recommendations") {
		t.Fatal("the meetings list lacks the new meeting")
	}
	tag := url.Values{"kind": {"objective"}}
	for _, l := range []string{"es", "en", "pt", "fr", "nl"} {
		tag.Set("label_"+l, "Nuevo objetivo "+l)
		tag.Set("body_"+l, "Texto completo "+l)
	}
	if res := admin.PostForm(meeting+"/tags", tag); res.Status != http.StatusSeeOther {
		t.Fatalf("add tag: %d", res.Status)
	}
	tagID := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM tags`)
	pa := e.SignIn("pa@gob.pa")
	if !strings.Contains(pa.Get("/practices/new").Body, fmt.Sprintf(`value="%d"`, tagID)) {
		t.Fatal("new objective not offered")
	}
	// A practice carries it; the admin retires it; it stays on the practice.
	f := practiceForm("Con el nuevo objetivo", []string{"PA"}, "members")
	f.Set("tags", fmt.Sprint(tagID))
	path := publish(t, e, pa, f)
	if page := pa.Get(public).Body; !strings.Contains(page, "Con el nuevo objetivo") || !strings.Contains(page, "1 practice") {
		t.Errorf("the meeting page does not list the practice that answers it:\n%s", page)
	}
	if list := pa.Get("/meetings").Body; !strings.Contains(list, "1 objective, 0 recommendations, 1 practice") {
		t.Error("the meetings list does not count the practice")
	}
	admin.PostForm(fmt.Sprintf("/admin/tags/%d/retire", tagID), nil)
	if strings.Contains(pa.Get("/practices/new").Body, fmt.Sprintf(`value="%d"`, tagID)) {
		t.Fatal("retired objective still offered to new practices")
	}
	if body := pa.Get(path + "/edit").Body; !strings.Contains(body, fmt.Sprintf(`value="%d" checked`, tagID)) {
		t.Fatal("retired objective not kept on the practice that carries it")
	}
	f.Set("title", "Con el nuevo objetivo, editada")
	if res := pa.PostForm(path, f); res.Status != http.StatusSeeOther {
		t.Fatalf("saving a practice with a retired tag it already had: %d", res.Status)
	}
	other := practiceForm("Otra", []string{"PA"}, "members")
	other.Set("tags", fmt.Sprint(tagID))
	if res := pa.PostForm("/practices", other); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("new practice with a retired tag: %d", res.Status)
	}
	// Wording edits show everywhere.
	tag.Set("label_en", "Renamed objective")
	if res := admin.PostForm(fmt.Sprintf("/admin/tags/%d", tagID), tag); res.Status != http.StatusSeeOther {
		t.Fatalf("edit tag: %d", res.Status)
	}
	if body := e.SignIn("mx@gob.mx").Get(path).Body; !strings.Contains(body, "Renamed objective") {
		t.Fatal("new wording not shown")
	}
	if logged := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action LIKE 'taxonomy.%'`); logged != 4 {
		t.Fatalf("%d taxonomy log entries, want 4 (meeting, tag, retire, edit)", logged)
	}
}
