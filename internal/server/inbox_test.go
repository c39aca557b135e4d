package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/notifications"
	"puente/internal/servertest"
)

// The notification centre: each event tells the people it concerns, in
// the event's own transaction; the header counts what is unread; entries
// link to the place; one or all can be marked read, only by their owner.
func TestNotificationCentre(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx, br := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br")
	mod := e.SignIn("mod@puente.test")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	count := func(who string) int {
		return int(dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = ? AND read_at IS NULL`, who))
	}
	if count("pa@gob.pa") != 1 {
		t.Fatalf("publishing told the author %d times", count("pa@gob.pa"))
	}

	// Moderators hear that something waits for review: once, until read.
	if n := count("mod@puente.test"); n != 1 {
		t.Fatalf("moderator told %d times of one submission", n)
	}
	submitted(t, e, pa, "Segunda práctica")
	submitted(t, e, pa, "Tercera práctica")
	if n := count("mod@puente.test"); n != 1 {
		t.Errorf("moderator told %d times while the first is unread, want 1", n)
	}
	if b := mod.Get("/notifications").Body; !strings.Contains(b, "Items are waiting in the review queue") || !strings.Contains(b, `name="next" value="/moderation"`) {
		t.Error("the queue notification does not lead to the queue")
	}
	mod.PostForm("/notifications/read", nil)
	submitted(t, e, pa, "Cuarta práctica")
	if n := count("mod@puente.test"); n != 1 {
		t.Errorf("after reading, a new submission told the moderator %d times, want 1", n)
	}

	// A comment tells the author and the followers; a reply tells the
	// person answered once, not twice.
	mx.PostForm(path+"/follow", nil)
	br.PostForm(path+"/comments", url.Values{"body": {"<p>¿Funciona sin red?</p>"}})
	first := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	mx.PostForm(path+"/comments", url.Values{"body": {"<p>Sí, con sincronización diferida.</p>"}, "parent_id": {fmt.Sprint(first)}})
	// The author's two (the comment, the reply) gather into one entry.
	if got := []int{count("pa@gob.pa"), count("mx@gob.mx"), count("br@gov.br")}; got[0] != 2 || got[1] != 1 || got[2] != 1 {
		t.Fatalf("unread after a comment and a reply (author, follower, the one answered): %v, want [2 1 1]", got)
	}
	if b := pa.Get("/notifications").Body; !strings.Contains(b, "2 new comments on “Registro biométrico”, the first by br") ||
		!strings.Contains(b, fmt.Sprintf(`name="next" value="%s#comment-%d"`, path, first)) {
		t.Fatalf("the author's gathered entry does not count both comments or lead to the first:\n%s", b)
	}
	// A refused comment tells no one.
	mx.PostForm(path+"/comments", url.Values{"body": {"  "}})
	if count("pa@gob.pa") != 2 {
		t.Error("a refused comment left a notification")
	}

	// The page: newest first, what happened and where, with the header count.
	page := br.Get("/notifications")
	if !strings.Contains(page.Body, "mx replied to your comment on “Registro biométrico”") ||
		!strings.Contains(page.Body, fmt.Sprintf(`name="next" value="/comments/%d"`, first+1)) || !strings.Contains(page.Body, `class="queue-count"`) {
		t.Fatalf("notifications page:\n%s", page.Body)
	}
	// Opening an unread entry marks it read and leads to the place.
	open := dbtest.Int(t, e.DB.R, `SELECT n.id FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'br@gov.br' AND n.kind = 'reply'`)
	if res := br.PostForm(fmt.Sprintf("/notifications/%d/read", open), url.Values{"next": {fmt.Sprintf("/comments/%d", first+1)}}); res.Status != http.StatusSeeOther ||
		res.Header.Get("Location") != fmt.Sprintf("/comments/%d", first+1) || count("br@gov.br") != 0 {
		t.Fatalf("opening an entry: %d %q, %d unread", res.Status, res.Header.Get("Location"), count("br@gov.br"))
	}
	if !strings.Contains(br.Get("/notifications").Body, fmt.Sprintf(`<a href="/comments/%d">`, first+1)) {
		t.Error("a read entry is not a plain link")
	}
	dbtest.Exec(t, e.DB.W, `UPDATE notifications SET read_at = NULL WHERE id = ?`, open) // unread again, for what follows

	// A hiding tells its author with the note, and the flagger the outcome.
	pa.PostForm("/flags", url.Values{"target_type": {"comment"}, "target_id": {fmt.Sprint(first)}, "reason": {"off_topic"}})
	mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", first), url.Values{"reason": {"Pregunta fuera de tema."}})
	if b := br.Get("/notifications").Body; !strings.Contains(b, "Moderators hid your comment on “Registro biométrico”") || !strings.Contains(b, "Pregunta fuera de tema.") {
		t.Error("the author of a hidden comment is not told, with the note")
	}
	if b := pa.Get("/notifications").Body; !strings.Contains(b, "What you flagged on “Registro biométrico” was hidden") {
		t.Error("the flagger is not told the outcome")
	}

	// Marking read: one, then all; nobody marks another's.
	id := dbtest.Int(t, e.DB.R, `SELECT max(n.id) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.email = 'br@gov.br'`)
	mx.PostForm(fmt.Sprintf("/notifications/%d/read", id), nil)
	if count("br@gov.br") != 2 {
		t.Fatal("someone else marked a notification read")
	}
	if res := br.PostForm(fmt.Sprintf("/notifications/%d/read", id), nil); res.Status != http.StatusSeeOther || count("br@gov.br") != 1 {
		t.Fatalf("mark one read: %d, %d unread", res.Status, count("br@gov.br"))
	}
	br.PostForm("/notifications/read", nil)
	if count("br@gov.br") != 0 || strings.Contains(br.Get("/notifications").Body, `class="queue-count"`) {
		t.Fatal("mark all read left unread notifications or the header count")
	}

	// An item the reader may no longer see is named by neither title nor link.
	mod.PostForm("/moderation/practices/"+idOf(path)+"/hide", url.Values{"reason": {"Datos personales."}})
	if b := mx.Get("/notifications").Body; strings.Contains(b, "Registro biométrico") || !strings.Contains(b, "an item you can no longer see") {
		t.Errorf("a notification shows a practice its reader may no longer see:\n%s", b)
	}
}

// Comments on a practice gather into each reader's unread entry: a busy
// discussion is one line saying how many came, leading to the first. Once
// read, the next comment starts a new entry; nothing gathers for a person
// who wants comments emailed at once, nor into an entry already emailed;
// other kinds never gather.
func TestCommentsGatherUntilRead(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx, br := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	mx.PostForm(path+"/follow", nil)
	type entry struct {
		kind    string
		comment int64
		grouped int
		mail    string
	}
	entries := func(who string) []entry {
		t.Helper()
		rows, err := e.DB.R.Query(`SELECT n.kind, coalesce(n.comment_id, 0), n.grouped, coalesce(n.mail_state, '') FROM notifications n
			JOIN accounts a ON a.id = n.account_id WHERE a.email = ? AND n.kind = 'comment' ORDER BY n.id`, who)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []entry
		for rows.Next() {
			var x entry
			if err := rows.Scan(&x.kind, &x.comment, &x.grouped, &x.mail); err != nil {
				t.Fatal(err)
			}
			out = append(out, x)
		}
		return out
	}
	comment := func(c *servertest.Client, text string) int64 {
		t.Helper()
		if res := c.PostForm(path+"/comments", url.Values{"body": {"<p>" + text + "</p>"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.Status)
		}
		return dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	}

	c1 := comment(br, "Primera")
	comment(br, "Segunda")
	comment(br, "Tercera")
	for _, who := range []string{"pa@gob.pa", "mx@gob.mx"} {
		if got := entries(who); len(got) != 1 || got[0].grouped != 3 || got[0].comment != c1 {
			t.Fatalf("%s after three comments: %+v, want one entry of 3 leading to %d", who, got, c1)
		}
	}
	if got := entries("br@gov.br"); len(got) != 0 {
		t.Fatalf("the commenter is told of their own comments: %+v", got)
	}
	pa.PostForm("/language", url.Values{"lang": {"es"}, "next": {"/notifications"}})
	if b := pa.Get("/notifications").Body; !strings.Contains(b, "3 comentarios nuevos en «Registro biométrico», el primero de br") ||
		!strings.Contains(b, fmt.Sprintf(`name="next" value="%s#comment-%d"`, path, c1)) {
		t.Fatalf("the gathered entry in Spanish:\n%s", b)
	}
	// It leads to the discussion's newest page, which holds all three.
	if page := pa.Get(path).Body; strings.Count(page, `id="comment-`) < 3 || !strings.Contains(page, fmt.Sprintf(`id="comment-%d"`, c1)) {
		t.Fatal("the page a gathered entry leads to lacks the comments it counts")
	}

	// Read: the next comment starts a new entry, of one.
	pa.PostForm("/notifications/read", nil)
	c4 := comment(br, "Cuarta")
	if got := entries("pa@gob.pa"); len(got) != 2 || got[1].grouped != 1 || got[1].comment != c4 {
		t.Fatalf("after reading, a comment: %+v", got)
	}
	if b := pa.Get("/notifications").Body; !strings.Contains(b, "br comentó «Registro biométrico»") ||
		!strings.Contains(b, fmt.Sprintf(`name="next" value="/comments/%d"`, c4)) {
		t.Fatalf("a new entry of one comment, leading to it:\n%s", b)
	}
	if got := entries("mx@gob.mx"); len(got) != 1 || got[0].grouped != 4 {
		t.Fatalf("mx, who read nothing, after a fourth comment: %+v", got)
	}

	// Comments emailed at once: each its own entry, and each emailed.
	f := url.Values{}
	for _, k := range notifications.Kinds {
		f.Set("kind."+k, string(notifications.Default(k)))
	}
	f.Set("kind.comment", "now")
	if res := mx.PostForm("/settings/notifications", f); res.Status != http.StatusSeeOther {
		t.Fatalf("settings: %d", res.Status)
	}
	box := &mailbox{t: t, e: e}
	box.next()
	comment(br, "Quinta")
	comment(pa, "Sexta")
	got := entries("mx@gob.mx")
	if len(got) != 3 || got[0].grouped != 4 || got[1].grouped != 1 || got[2].grouped != 1 {
		t.Fatalf("mx wants comments at once, after two more: %+v", got)
	}
	mails := box.next()["mx@gob.mx"]
	if got := entries("mx@gob.mx"); got[1].mail != "sent" || got[2].mail != "sent" {
		t.Fatalf("mx's comments were not emailed: %+v", got)
	}
	if len(mails) != 1 || !strings.Contains(mails[0].Text, "br commented on") || !strings.Contains(mails[0].Text, "pa commented on") {
		t.Fatalf("the email to mx tells of each comment: %d emails", len(mails))
	}

	// Back to the digest: an entry already emailed gathers nothing more.
	f.Set("kind.comment", "digest")
	mx.PostForm("/settings/notifications", f)
	comment(br, "Séptima")
	comment(br, "Octava")
	if got := entries("mx@gob.mx"); len(got) != 4 || got[3].grouped != 2 || got[2].grouped != 1 {
		t.Fatalf("after the emailed entries, two comments: %+v", got)
	}

	// Other kinds are one entry per event: two replies to br, two entries.
	for _, text := range []string{"Respuesta uno", "Respuesta dos"} {
		if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>" + text + "</p>"}, "parent_id": {fmt.Sprint(c1)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("reply: %d", res.Status)
		}
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM notifications n JOIN accounts a ON a.id = n.account_id
		WHERE a.email = 'br@gov.br' AND n.kind = 'reply' AND n.grouped = 1 AND n.read_at IS NULL`); n != 2 {
		t.Fatalf("two replies made %d entries of one, want 2", n)
	}
}
