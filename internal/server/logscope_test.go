package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestLogKeepsScopes: the moderation log shows an entry about a practice
// (or a comment on one) only to readers who may see that practice, so its
// title, notes and reasons stay in scope, and its country filter cannot
// count what a reader may not see. Staff see every entry.
func TestLogKeepsScopes(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mod := e.SignIn("pa@gob.pa"), e.SignIn("mod@puente.test")
	crm := publish(t, e, pa, practiceForm("Solo para la CRM", []string{"PA"}, "crm"))
	publish(t, e, pa, practiceForm("Para todo el público", []string{"PA"}, "public"))
	if res := mod.PostForm("/moderation"+crm+"/feature", url.Values{"note": {"Nota de portada CRM"}}); res.Status != 303 {
		t.Fatalf("feature: %d", res.Status)
	}
	// A comment on the CRM practice, hidden with a public reason.
	mx := e.SignIn("mx@gob.mx")
	if res := mx.PostForm(crm+"/comments", url.Values{"body": {"<p>Comentario</p>"}}); res.Status != 303 {
		t.Fatalf("comment: %d", res.Status)
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"Nota privada del ocultamiento"}, "public": {"Motivo sobre la CRM"}}); res.Status != 303 {
		t.Fatalf("hide comment: %d", res.Status)
	}
	// Mexico's adoption record of the CRM practice, hidden with a public
	// reason: an entry about that practice too.
	if res := mx.PostForm(crm+"/adoption", url.Values{"stage": {"piloting"}, "institution": {"INM"}}); res.Status != 303 {
		t.Fatalf("adoption: %d", res.Status)
	}
	adid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM adoptions`)
	if res := mod.PostForm(fmt.Sprintf("/moderation/adoptions/%d/hide", adid), url.Values{"reason": {"Nota privada"}, "public": {"Motivo de adopción CRM"}}); res.Status != 303 {
		t.Fatalf("hide adoption: %d", res.Status)
	}
	// A submission sent back with a note for its author and a public
	// reason: the log shows the reason to whoever may see the submission
	// (its author), the note to moderators only.
	form := practiceForm("Borrador enviado", []string{"PA"}, "members")
	form.Set("action", "submit")
	draft := create(t, pa, form)
	id := strings.TrimPrefix(draft, "/practices/")
	if res := mod.PostForm("/moderation/review/"+id, url.Values{"decision": {"send_back"}, "note": {"Nota de devolución"}, "public": {"Falta la evaluación"}}); res.Status != 303 {
		t.Fatalf("send back: %d", res.Status)
	}

	br := e.SignIn("br@gov.br")
	secret := []string{"Solo para la CRM", "Nota de portada CRM", "Motivo sobre la CRM", "Motivo de adopción CRM", "Borrador enviado", "Falta la evaluación"}
	notes := []string{"Nota privada del ocultamiento", "Nota de devolución"}
	for _, tc := range []struct {
		who     string
		c       *servertest.Client
		see     []string
		notSee  []string
		entries int // rows in the log filtered by Panama
	}{
		// The CSM official sees the public practice's publication only.
		{"CSM official", br, []string{"Para todo el público"}, append(secret, notes...), 1},
		// A CRM official sees the CRM practice and what was written on
		// it in public, not the author's sent-back submission.
		{"CRM official", mx, []string{"Solo para la CRM", "Nota de portada CRM", "Motivo sobre la CRM", "Motivo de adopción CRM", "Para todo el público"},
			append([]string{"Borrador enviado", "Falta la evaluación"}, notes...), 5},
		// The author also sees their own submission and its public reason;
		// the note itself they read on the practice and in the email.
		{"author", pa, []string{"Solo para la CRM", "Borrador enviado", "Falta la evaluación"}, notes, 6},
		{"moderator", mod, append(secret, notes...), nil, 6},
	} {
		body := tc.c.Get("/log").Body
		for _, s := range tc.see {
			if !strings.Contains(body, s) {
				t.Errorf("%s does not see %q in the log", tc.who, s)
			}
		}
		for _, s := range tc.notSee {
			if strings.Contains(body, s) {
				t.Errorf("%s sees %q in the log", tc.who, s)
			}
		}
		filtered := tc.c.Get("/log?country=PA").Body
		if n := strings.Count(filtered, "<tr>") - 1; n != tc.entries {
			t.Errorf("%s counts %d entries for Panama, want %d", tc.who, n, tc.entries)
		}
	}
	// Once hidden, the CRM practice is no longer the CRM official's to
	// open: the log keeps the record that moderators acted, without its
	// title or their reason; the CSM official still sees nothing of it.
	if res := mod.PostForm("/moderation"+crm+"/hide", url.Values{"reason": {"Motivo del ocultamiento"}}); res.Status != 303 {
		t.Fatalf("hide practice: %d", res.Status)
	}
	body := mx.Get("/log").Body
	body = body[strings.Index(body, "<tbody>"):]
	if !strings.Contains(body, "hid a practice") || strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "Motivo del ocultamiento") ||
		strings.Contains(body, "Nota de portada CRM") {
		t.Errorf("CRM official's log after the practice was hidden:\n%s", body)
	}
	if body := br.Get("/log").Body; strings.Contains(body[strings.Index(body, "<tbody>"):], "hid a practice") {
		t.Error("the CSM official sees the hiding of a CRM practice")
	}
	if body := mod.Get("/log").Body; !strings.Contains(body, "Motivo del ocultamiento") {
		t.Error("moderators do not see the reason")
	}
}

// TestLogCountryFilterFollowsThePractice: filtering the log by a country
// finds what was done to every practice of that country, a joint one
// under each of its countries, and a hidden comment under its practice's
// countries, not its writer's.
func TestLogCountryFilterFollowsThePractice(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa, mod, mx := e.SignIn("pa@gob.pa"), e.SignIn("mod@puente.test"), e.SignIn("mx@gob.mx")
	joint := publish(t, e, pa, practiceForm("Práctica conjunta", []string{"PA", "GT"}, "crm"))
	if res := mx.PostForm(joint+"/comments", url.Values{"body": {"<p>Desde México</p>"}}); res.Status != 303 {
		t.Fatalf("comment: %d", res.Status)
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"Fuera de tema"}}); res.Status != 303 {
		t.Fatalf("hide: %d", res.Status)
	}
	rows := func(country string) string {
		body := mx.Get("/log?country=" + country).Body
		if i := strings.Index(body, "<tbody>"); i >= 0 {
			return body[i:]
		}
		return "" // no entry
	}
	for _, c := range []string{"PA", "GT"} {
		if b := rows(c); !strings.Contains(b, "published") || !strings.Contains(b, "hid a comment") {
			t.Errorf("log for %s lacks the joint practice's entries:\n%s", c, b)
		}
	}
	if b := rows("MX"); strings.Contains(b, "hid a comment") || strings.Contains(b, "published") {
		t.Errorf("log for Mexico lists entries about a Panamanian practice:\n%s", b)
	}
}
