package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestUndecodableQueryStringsAre400: a query string that cannot be
// decoded gets the 400 page, on every kind of page, for GET and HEAD.
func TestUndecodableQueryStringsAre400(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	c := e.Client()
	// HEAD on a page that needs an account comes back to that page after
	// sign-in, as GET does.
	req, err := http.NewRequest(http.MethodHead, c.Base+"/log", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res := c.Do(req); res.Header.Get("Location") != "/signin?next=%2Flog" {
		t.Errorf("HEAD /log signed out: %d to %q", res.Status, res.Header.Get("Location"))
	}
	for _, p := range []string{"/search?q=%zz", "/search?q=%", "/practices?tag=%zz", "/practices?q=a;b", "/signin?next=%e0%80"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req, err := http.NewRequest(method, c.Base+p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res := c.Do(req); res.Status != http.StatusBadRequest {
				t.Errorf("%s %s: %d, want 400", method, p, res.Status)
			}
		}
	}
}

// TestMalformedParentIDIs400: a reply whose parent_id is not an id is a
// broken request, not a top-level comment; nothing is stored.
func TestMalformedParentIDIs400(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "crm"))
	mx := e.SignIn("mx@gob.mx")
	for _, parent := range []string{"1e3", "0x10", "1;", "-1", "uno", " 1"} {
		res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta</p>"}, "parent_id": {parent}})
		if res.Status != http.StatusBadRequest {
			t.Errorf("parent_id %q: %d, want 400", parent, res.Status)
		}
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`); n != 0 {
		t.Fatalf("%d comments stored from malformed replies", n)
	}
	// The forms send 0 for a top-level comment; no parent_id at all is one too.
	for _, v := range []url.Values{{"body": {"<p>Primero</p>"}, "parent_id": {"0"}}, {"body": {"<p>Segundo</p>"}}} {
		if res := mx.PostForm(path+"/comments", v); res.Status != http.StatusSeeOther {
			t.Fatalf("top-level comment %v: %d", v, res.Status)
		}
	}
	first := dbtest.Int(t, e.DB.R, `SELECT min(id) FROM comments`)
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Respuesta</p>"}, "parent_id": {fmt.Sprint(first)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments WHERE parent_id = ?`, first); n != 1 {
		t.Fatalf("%d replies stored, want 1", n)
	}
}

// TestFeedOfTagZeroIs404: tag 0 is no tag, like any other unknown one;
// it used to mean "no filter" and list every public practice.
func TestFeedOfTagZeroIs404(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Ventanilla única", []string{"PA"}, "public"))
	c := e.Client()
	for _, p := range []string{"/feeds/tags/0.atom", "/feeds/tags/0", "/feeds/tags/-1.atom", "/feeds/tags/999.atom", "/feeds/tags/x.atom"} {
		if res := c.Get(p); res.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.Status)
		}
	}
	if res := c.Get("/feeds/tags/1.atom"); res.Status != http.StatusOK || !strings.Contains(res.Body, "Ventanilla única") {
		t.Fatalf("feed of tag 1: %d", res.Status)
	}
}

// TestHiddenItemsTakeNoWriting: a comment moderators hid offers its author
// no edit form (saving it is refused too); a hidden practice takes comments
// from moderators only, who may tell its author what must change.
func TestHiddenItemsTakeNoWriting(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "crm"))
	mx, mod := e.SignIn("mx@gob.mx"), e.SignIn("mod@puente.test")
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Comentario</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	cid := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`)
	if res := mx.Get(fmt.Sprintf("/comments/%d/edit", cid)); res.Status != http.StatusOK {
		t.Fatalf("edit form of a visible comment: %d", res.Status)
	}
	if res := mod.PostForm(fmt.Sprintf("/moderation/comments/%d/hide", cid), url.Values{"reason": {"Lenguaje ofensivo."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide comment: %d", res.Status)
	}
	if res := mx.Get(fmt.Sprintf("/comments/%d/edit", cid)); res.Status != http.StatusConflict || strings.Contains(res.Body, `name="body"`) {
		t.Errorf("edit form of a hidden comment: %d", res.Status)
	}
	if res := mx.PostForm(fmt.Sprintf("/comments/%d/edit", cid), url.Values{"body": {"<p>Otro</p>"}}); res.Status != http.StatusConflict {
		t.Errorf("saving a hidden comment: %d", res.Status)
	}

	if res := mod.PostForm("/moderation"+path+"/hide", url.Values{"reason": {"Datos personales."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide practice: %d", res.Status)
	}
	if res := pa.PostForm(path+"/comments", url.Values{"body": {"<p>Del autor</p>"}}); res.Status != http.StatusConflict {
		t.Errorf("author commenting on a hidden practice: %d, want 409", res.Status)
	}
	if body := pa.Get(path).Body; strings.Contains(body, `class="comment-form"`) {
		t.Error("the author is offered a comment form on a hidden practice")
	}
	if res := mod.PostForm(path+"/comments", url.Values{"body": {"<p>Quite los datos personales del punto 2.</p>"}}); res.Status != http.StatusSeeOther {
		t.Errorf("moderator commenting on a hidden practice: %d, want 303", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`); n != 2 {
		t.Fatalf("%d comments stored, want 2", n)
	}
}

// TestOwnPasswordChangeRotatesTheSession: after changing one's password the
// session goes on under a new id, and the old id signs nobody in.
func TestOwnPasswordChangeRotatesTheSession(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	c := e.SignIn("pa@gob.pa")
	name := "puente"
	before := c.Cookie(name)
	if before == "" {
		t.Fatal("no session cookie")
	}
	res := c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "new": {"otra contraseña bastante larga"}, "confirm": {"otra contraseña bastante larga"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("change password: %d\n%.800s", res.Status, res.Body)
	}
	after := c.Cookie(name)
	if after == "" || after == before {
		t.Fatal("the session id did not change with the password")
	}
	if res := c.Get("/account"); res.Status != http.StatusOK {
		t.Fatalf("signed out by one's own password change: %d", res.Status)
	}
	old := e.Client()
	old.SetCookie(name, before)
	if res := old.Get("/account"); res.Status != http.StatusSeeOther {
		t.Fatalf("the old session id still signs in: %d", res.Status)
	}
}

// TestEveryCookieIsHostPrefixedUnderHTTPS: over https every cookie Puente
// sets (session, messages, language) carries the __Host- prefix.
func TestEveryCookieIsHostPrefixedUnderHTTPS(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--base-url", "https://puente.example.org"))
	e.CreateAccount("pa@gob.pa", "official", "PA")
	c := e.Client()
	origin := func(req *http.Request) *http.Request {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://puente.example.org")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return req
	}
	var set []string
	for _, p := range []struct{ path, body string }{
		{"/language", "lang=pt&next=/signin"},
		{"/signin", url.Values{"email": {"pa@gob.pa"}, "password": {servertest.Password}}.Encode()},
		{"/password/forgot", "email=nadie@gob.pa"},
		{"/signout", ""},
	} {
		req, err := http.NewRequest(http.MethodPost, c.Base+p.path, strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		res := c.Do(origin(req))
		if res.Status >= 400 {
			t.Fatalf("POST %s: %d", p.path, res.Status)
		}
		set = append(set, res.Header.Values("Set-Cookie")...)
	}
	names := map[string]bool{}
	for _, s := range set {
		names[strings.SplitN(s, "=", 2)[0]] = true
	}
	if len(names) < 3 {
		t.Fatalf("only %d cookies set: %q", len(set), set)
	}
	for _, s := range set {
		if !strings.HasPrefix(s, "__Host-") || !strings.Contains(s, "Secure") || !strings.Contains(s, "Path=/") || strings.Contains(s, "Domain=") {
			t.Errorf("cookie without the __Host- prefix and its rules: %q", s)
		}
	}
}

// TestPostingIsRateLimitedPerAccount: one account may post a burst, then
// one post every so often; past that, comments, flags and new practices get
// a 429 with the form as typed and Retry-After, and nothing is stored.
// Other accounts are not slowed.
func TestPostingIsRateLimitedPerAccount(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--post-burst", "3", "--post-every", "10s"))
	e.CreateAccount("mod@puente.test", "moderator", "")
	e.CreateAccount("pa@gob.pa", "official", "PA")
	e.CreateAccount("mx@gob.mx", "official", "MX")
	e.CreateAccount("gt@gob.gt", "official", "GT")
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Ventanilla única", []string{"PA"}, "crm"))
	mx := e.SignIn("mx@gob.mx")
	for i := range 3 {
		if res := mx.PostForm(path+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>", i)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment %d of the burst: %d", i, res.Status)
		}
	}
	mx.Header.Set("Referer", mx.Base+path) // as the browser sends it from the practice page
	res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Cuarto comentario, escrito con cuidado</p>"}})
	mx.Header.Del("Referer")
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "10" ||
		!strings.Contains(res.Body, "Cuarto comentario, escrito con cuidado") || !strings.Contains(res.Body, "posting faster than Puente allows") {
		t.Fatalf("fourth comment: %d, Retry-After %q\n%.600s", res.Status, res.Header.Get("Retry-After"), res.Body)
	}
	// The message is also at the top of the page, linked to the form, and
	// the language switch comes back to the practice, not to the address
	// that only takes POST.
	if !strings.Contains(res.Body, `id="comment-error-summary"><a href="#comment-body-0">`) || !strings.Contains(res.Body, `name="next" value="`+path+`"`) {
		t.Errorf("the refused comment's page lacks the summary at the top or sends the language switch elsewhere")
	}
	res = mx.PostForm("/flags", url.Values{"target_type": {"practice"}, "target_id": {strings.TrimPrefix(path, "/practices/")}, "reason": {"other"}, "details": {"Detalles del aviso"}})
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "Detalles del aviso") {
		t.Fatalf("flag past the limit: %d", res.Status)
	}
	form := practiceForm("Práctica escrita de prisa", []string{"MX"}, "crm")
	if res := mx.PostForm("/practices", form); res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "Práctica escrita de prisa") ||
		!strings.Contains(res.Body, "posting faster than Puente allows") {
		t.Fatalf("new practice past the limit: %d", res.Status)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`); n != 3 {
		t.Fatalf("%d comments stored, want 3", n)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM flags`) + dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices WHERE title = 'Práctica escrita de prisa'`); n != 0 {
		t.Fatalf("%d flags or practices stored past the limit", n)
	}
	// Another account is not slowed by this one.
	if res := e.SignIn("gt@gob.gt").PostForm(path+"/comments", url.Values{"body": {"<p>Desde Guatemala</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("another account: %d", res.Status)
	}
	// Ten seconds later, one more post goes through, and only one.
	e.Clock.Advance(10 * time.Second)
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Cuarto comentario, escrito con cuidado</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("after the interval: %d", res.Status)
	}
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>Otro más</p>"}}); res.Status != http.StatusTooManyRequests {
		t.Fatalf("second post after one interval: %d", res.Status)
	}
}
