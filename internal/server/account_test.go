package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	other := e.SignIn("ana@gob.pa")
	c := e.SignIn("ana@gob.pa")
	for _, tc := range []struct {
		name, current, next, confirm, want string
	}{
		{"wrong current", "not it", "a brand new phrase", "a brand new phrase", "The current password is not correct."},
		{"common", servertest.Password, "qwertyuiop", "qwertyuiop", "among the most common"},
		{"own address", servertest.Password, "ana@gob.pa", "ana@gob.pa", "cannot be your name or your email"},
		{"mismatch", servertest.Password, "a brand new phrase", "a brand new phrasE", "do not match"},
		{"too long", servertest.Password, strings.Repeat("x", 257), strings.Repeat("x", 257), "at most 256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.PostForm("/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "confirm": {tc.confirm}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
				t.Fatalf("status %d, want 422 with %q", res.Status, tc.want)
			}
		})
	}
	long := strings.Repeat("long passphrase ", 10) // 160 characters, kept whole
	res := c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "new": {long}, "confirm": {long}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.Status, res.Body)
	}
	// The refused attempts told no one; the change is told, always.
	if n := e.SendMail(); n != 1 {
		t.Errorf("%d emails after one password change, want 1", n)
	} else if m := smtptest.Parse(t, e.SMTP.Messages()[0].Raw); !strings.Contains(m.Text, "Your account's password was changed") {
		t.Errorf("password notice:\n%s", m.Text)
	}
	if c.Get("/account").Status != http.StatusOK {
		t.Fatal("current session ended by its own password change")
	}
	if other.Get("/account").Status != http.StatusSeeOther {
		t.Fatal("other session survived the password change")
	}
	if _, err := e.Accounts.Authenticate(t.Context(), "ana@gob.pa", long[:72]); err == nil {
		t.Fatal("password truncated to 72 bytes")
	}
	if _, err := e.Accounts.Authenticate(t.Context(), "ana@gob.pa", long); err != nil {
		t.Fatal(err)
	}
}

func TestProfileAndLanguage(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	res := c.PostForm("/account/profile", url.Values{"display_name": {strings.Repeat("n", 81)}, "lang": {"fr"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "at most 80 characters") {
		t.Fatalf("long name: %d", res.Status)
	}
	res = c.PostForm("/account/profile", url.Values{"display_name": {"Ana Ríos"}, "lang": {"fr"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("profile: %d", res.Status)
	}
	page := c.Get("/account")
	if !strings.Contains(page.Body, `lang="fr"`) || !strings.Contains(page.Body, "Vos modifications ont été enregistrées.") {
		t.Fatalf("account language not applied:\n%.400s", page.Body)
	}
	// The switcher in the footer also sets the account's language.
	c.PostForm("/language", url.Values{"lang": {"nl"}, "next": {"/account"}})
	if !strings.Contains(c.Get("/").Body, "Hallo, Ana Ríos") {
		t.Fatal("switcher did not change the account's language")
	}
}

func TestLanguageNegotiation(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	for _, tc := range []struct{ accept, want string }{
		{"pt-BR,pt;q=0.9", "Entrar"},
		{"fr-CA", "Connexion"},
		{"nl-SR", "Inloggen"},
		{"de-DE", "Iniciar sesión"}, // no match: Spanish
		{"", "Iniciar sesión"},
		{"en-US,en;q=0.8", "Sign in"},
	} {
		c := e.Client()
		c.Header.Set("Accept-Language", tc.accept)
		if body := c.Get("/signin").Body; !strings.Contains(body, "<h1>"+tc.want+"</h1>") {
			t.Errorf("Accept-Language %q: heading not %q", tc.accept, tc.want)
		}
	}
	visitor := e.Client()
	if res := visitor.PostForm("/language", url.Values{"lang": {"pt"}, "next": {"/signin"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("switch: %d", res.Status)
	}
	if body := visitor.Get("/signin").Body; !strings.Contains(body, "<h1>Entrar</h1>") {
		t.Error("visitor's language cookie ignored")
	}
	if res := visitor.PostForm("/language", url.Values{"lang": {"xx"}}); res.Status != http.StatusBadRequest {
		t.Errorf("unknown language: %d", res.Status)
	}
}

func TestOwnSessions(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	luis := e.CreateAccount("luis@gob.mx", accounts.Official, "MX")
	_ = luis
	laptop := e.SignIn("ana@gob.pa")
	phone := e.SignIn("ana@gob.pa")
	luisC := e.SignIn("luis@gob.mx")
	page := laptop.Get("/account")
	if n := strings.Count(page.Body, "/end\""); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	phoneID := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE email='ana@gob.pa')`)
	luisID := dbtest.Int(t, e.DB.R, `SELECT id FROM sessions WHERE account_id = ?`, luis.ID)
	// Another person's session answers like one that does not exist.
	if res := laptop.PostForm(fmt.Sprintf("/account/sessions/%d/end", luisID), nil); res.Status != http.StatusNotFound {
		t.Fatalf("ending another person's session: %d, want 404", res.Status)
	}
	if luisC.Get("/account").Status != http.StatusOK {
		t.Fatal("another person's session was ended")
	}
	if res := laptop.PostForm(fmt.Sprintf("/account/sessions/%d/end", phoneID), nil); res.Status != http.StatusSeeOther {
		t.Fatalf("end: %d", res.Status)
	}
	if phone.Get("/account").Status != http.StatusSeeOther {
		t.Fatal("ended session still works")
	}
	phone = e.SignIn("ana@gob.pa")
	if res := laptop.PostForm("/account/sessions/end-all", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("end all: %d", res.Status)
	}
	if laptop.Get("/account").Status != http.StatusSeeOther || phone.Get("/account").Status != http.StatusSeeOther {
		t.Fatal("a session survived signing out everywhere")
	}
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	c.Header.Set("Accept-Language", "fr")
	if res := c.Get("/no/such/page"); res.Status != 404 || !strings.Contains(res.Body, "The page you are looking for does not exist") {
		t.Errorf("404: %d", res.Status) // the account's language (en) wins over the browser's
	}
	anon := e.Client()
	anon.Header.Set("Accept-Language", "fr")
	if res := anon.Get("/no/such/page"); res.Status != 404 || !strings.Contains(res.Body, "Page introuvable") {
		t.Errorf("anonymous 404: %d", res.Status)
	}
	req, _ := http.NewRequest(http.MethodDelete, c.Base+"/signin", nil)
	req.Header.Set("Origin", c.Base)
	if res := c.Do(req); res.Status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /signin: %d", res.Status)
	}
	big := strings.Repeat("a", 5<<20)
	if res := c.PostForm("/account/profile", url.Values{"display_name": {big}}); res.Status != http.StatusRequestEntityTooLarge ||
		!strings.Contains(res.Body, "larger than the limit") {
		t.Errorf("5 MB form: %d", res.Status)
	}
	if res := c.Get("/invitations/not-a-token"); res.Status != http.StatusGone {
		t.Errorf("unknown invitation: %d", res.Status)
	}
	for _, res := range []*servertest.Response{c.Get("/nope"), anon.Get("/signin")} {
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if res.Header.Get(h) == "" {
				t.Errorf("missing %s", h)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
	}
}

func TestHTTPSCookiesAndHSTS(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--base-url", "https://puente.example.org"))
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.Client()
	c.Base = e.HTTP.URL
	req, _ := http.NewRequest(http.MethodPost, e.HTTP.URL+"/signin", strings.NewReader(url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := c.Do(req)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.Status)
	}
	set := res.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-puente=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Errorf("cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Domain=") {
		t.Errorf("__Host- cookie with a Domain: %q", set)
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS over https")
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	res := e.Client().Get("/healthz")
	if res.Status != 200 || res.Body != "ok\n" {
		t.Fatalf("healthz: %d %q", res.Status, res.Body)
	}
	e.DB.R.Close()
	if res := e.Client().Get("/healthz"); res.Status != http.StatusServiceUnavailable {
		t.Fatalf("healthz with a closed database: %d", res.Status)
	}
}
