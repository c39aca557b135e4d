package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

const cookie = "puente"

func TestSignInAndSignOut(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")

	anon := e.Client()
	if res := anon.Get("/account"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/signin?next=%2Faccount" {
		t.Fatalf("anonymous account page: %d %s", res.Status, res.Header.Get("Location"))
	}
	if res := anon.Get("/"); res.Status != http.StatusOK || !strings.Contains(res.Body, "How an institution gets an account") || strings.Contains(res.Body, "Hello,") {
		t.Fatalf("anonymous front page: %d", res.Status)
	}

	c := e.SignIn("ANA@gob.pa") // addresses match without case
	home := c.Get("/")
	if home.Status != http.StatusOK || !strings.Contains(home.Body, "Hello, ana") {
		t.Fatalf("home after sign-in: %d\n%s", home.Status, home.Body)
	}
	signedIn := c.Cookie(cookie)

	if res := c.PostForm("/signout", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.Status)
	}
	if page := c.Get("/signin"); !strings.Contains(page.Body, "You have signed out.") {
		t.Fatalf("no goodbye message:\n%s", page.Body)
	}
	replay := e.Client()
	replay.SetCookie(cookie, signedIn)
	if res := replay.Get("/account"); res.Status != http.StatusSeeOther {
		t.Fatalf("cookie replayed after sign-out: status %d", res.Status)
	}
}

func TestSignInKeepsNextOnSite(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	for next, want := range map[string]string{
		"/account":             "/account",
		"//evil.example/":      "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
	} {
		c := e.Client()
		res := c.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}, "next": {next}})
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}

func TestSignInBadCredentials(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	for _, tc := range []struct{ name, email, password, want string }{
		{"wrong password", "ana@gob.pa", "not the password", "The email address or password is not correct."},
		{"unknown address", "nobody@gob.pa", servertest.Password, "The email address or password is not correct."},
		{"empty password", "ana@gob.pa", "", "Fill in this field."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.Client()
			res := c.PostForm("/signin", url.Values{"email": {tc.email}, "password": {tc.password}})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			if !strings.Contains(res.Body, tc.want) {
				t.Errorf("message %q missing", tc.want)
			}
			if !strings.Contains(res.Body, `value="`+tc.email+`"`) {
				t.Errorf("typed address not kept")
			}
			if tc.password != "" && strings.Contains(res.Body, tc.password) {
				t.Errorf("password echoed back")
			}
		})
	}
}

// TestSessionFixation: the only session a browser holds before it is
// signed in is the code step of a two-step sign-in; its id dies when the
// sign-in completes, so an attacker who planted or copied it gains nothing.
// Signing out leaves no session at all.
func TestSessionFixation(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	secret, _ := enableTOTP(t, e, c)
	c.PostForm("/signout", nil)
	if left := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM sessions`); left != 0 || c.Cookie(cookie) != "" {
		t.Fatalf("sign-out left %d sessions and cookie %q", left, c.Cookie(cookie))
	}

	c = passwordStep(t, e, "ana@gob.pa")
	preSignIn := c.Cookie(cookie)
	if preSignIn == "" {
		t.Fatal("the code step holds no session to test with")
	}
	e.Clock.Advance(30 * time.Second) // the setup code's time step is spent
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	if res := c.PostForm("/signin/code", url.Values{"code": {code}}); res.Status != http.StatusSeeOther {
		t.Fatalf("code step: %d", res.Status)
	}
	after := c.Cookie(cookie)
	if after == preSignIn || !isSignedIn(c) {
		t.Fatal("session id kept across sign-in, or not signed in")
	}
	attacker := e.Client()
	attacker.SetCookie(cookie, preSignIn)
	if res := attacker.Get("/account"); res.Status != http.StatusSeeOther {
		t.Fatalf("pre-sign-in id is signed in: status %d", res.Status)
	}
	if anon := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM sessions WHERE account_id IS NULL`); anon != 0 {
		t.Fatalf("pre-sign-in session row still stored (%d)", anon)
	}
}

func TestForgedCookieIsAnonymous(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	c := e.Client()
	c.SetCookie(cookie, "MTIzNDU2Nzg5MA|forged|deadbeef")
	if res := c.Get("/account"); res.Status != http.StatusSeeOther {
		t.Fatalf("forged cookie: status %d", res.Status)
	}
	if res := c.Get("/signin"); res.Status != http.StatusOK {
		t.Fatalf("sign-in page with forged cookie: %d", res.Status)
	}
}

func TestIdleAndAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")

	t.Run("idle", func(t *testing.T) {
		c := e.SignIn("ana@gob.pa")
		e.Clock.Advance(2*time.Hour - time.Minute)
		if res := c.Get("/account"); res.Status != http.StatusOK {
			t.Fatalf("after 1h59m idle: %d", res.Status)
		}
		e.Clock.Advance(2 * time.Hour)
		if res := c.Get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("after 2h idle: %d, want sign-in redirect", res.Status)
		}
	})
	t.Run("absolute", func(t *testing.T) {
		c := e.SignIn("ana@gob.pa")
		for i := 0; i < 11; i++ {
			e.Clock.Advance(time.Hour)
			if res := c.Get("/account"); res.Status != http.StatusOK {
				t.Fatalf("active session refused after %dh: %d", i+1, res.Status)
			}
		}
		e.Clock.Advance(time.Hour)
		if res := c.Get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("session alive after 12h: %d", res.Status)
		}
	})
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("%d expired session rows left", n)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	c := e.SignIn("admin@puente.test")
	form := url.Values{"email": {"x@gob.cl"}, "role": {"official"}, "country": {"CL"}}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"sec-fetch-site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, 403},
		{"same origin", map[string]string{"Origin": c.Base, "Sec-Fetch-Site": "same-origin"}, 303},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, c.Base+"/admin/invitations", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			res := c.Do(req)
			if res.Status != tc.want {
				t.Fatalf("status %d, want %d\n%s", res.Status, tc.want, res.Body)
			}
			if tc.want == 403 && !strings.Contains(res.Body, "coming from another website was refused") {
				t.Errorf("403 page does not explain")
			}
			form.Set("email", "y"+form.Get("email"))
		})
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM invitations`); n != 1 {
		t.Fatalf("%d invitations stored, want only the same-origin one", n)
	}
}

func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	for i := 1; i <= 10; i++ {
		c := e.Client()
		c.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('0'+i%10)))
		res := c.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {"wrong guess " + string(rune('a'+i))}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i, res.Status)
		}
	}
	c := e.Client()
	c.Header.Set("X-Forwarded-For", "198.51.100.77")
	res := c.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}})
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: status %d, want 429", res.Status)
	}
	if res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "wait 15 minutes") {
		t.Errorf("429 does not say when to retry: %q\n%s", res.Header.Get("Retry-After"), res.Body)
	}
	if !strings.Contains(e.Logs.String(), "event=signin.locked") {
		t.Error("no log line for the lockout")
	}
	// Another account from the same address is not locked out.
	e.CreateAccount("luis@gob.mx", accounts.Official, "MX")
	if res := e.Client().PostForm("/signin", url.Values{"email": {"luis@gob.mx"}, "password": {servertest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("other account: %d", res.Status)
	}
	e.Clock.Advance(15 * time.Minute)
	if res := e.Client().PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("after the window: %d", res.Status)
	}
}

func TestTrustedProxyGivesClientAddress(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--trusted-proxies", "127.0.0.1"))
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	list := c.Get("/account")
	if !strings.Contains(list.Body, "127.0.0.1") {
		t.Fatalf("session list lacks the client address")
	}
	c2 := e.Client()
	c2.Header.Set("X-Forwarded-For", "203.0.113.50")
	c2.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}})
	if body := c2.Get("/account").Body; !strings.Contains(body, "203.0.113.50") {
		t.Fatalf("forwarded address of a trusted proxy not used")
	}
}

func TestPasswordResetByEmail(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	old := e.SignIn("ana@gob.pa")

	visitor := e.Client()
	visitor.Header.Set("Accept-Language", "es")
	res := visitor.PostForm("/password/forgot", url.Values{"email": {"ana@gob.pa"}})
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Revise su correo") {
		t.Fatalf("forgot: %d\n%s", res.Status, res.Body)
	}
	// An unknown address gets the same answer and no email.
	if r2 := visitor.PostForm("/password/forgot", url.Values{"email": {"nobody@gob.pa"}}); r2.Status != http.StatusOK || !strings.Contains(r2.Body, "Revise su correo") {
		t.Fatalf("unknown address answered differently: %d", r2.Status)
	}
	if n := e.SendMail(); n != 1 {
		t.Fatalf("sent %d messages, want 1", n)
	}
	msgs := e.SMTP.WaitFor(t, 1, 5*time.Second)
	m := smtptest.Parse(t, msgs[0].Raw)
	if m.Subject() != "Reset your Puente password" { // the account's language (en), not the browser's
		t.Errorf("subject %q", m.Subject())
	}
	if msgs[0].To[0] != "ana@gob.pa" {
		t.Errorf("sent to %v", msgs[0].To)
	}
	link := e.LinkIn(m.Text, "/password/reset/")
	if e.LinkIn(m.HTML, "/password/reset/") != link {
		t.Error("HTML and text parts carry different links")
	}

	page := visitor.Get(link)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "ana@gob.pa") {
		t.Fatalf("reset page: %d", page.Status)
	}
	bad := visitor.PostForm(link, url.Values{"password": {"password123"}, "confirm": {"password123"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "más usadas") {
		t.Fatalf("common password accepted: %d", bad.Status)
	}
	good := visitor.PostForm(link, url.Values{"password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}})
	if good.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", good.Status, good.Body)
	}
	if visitor.Get("/account").Status != http.StatusOK {
		t.Fatal("not signed in after reset")
	}
	if old.Get("/account").Status != http.StatusSeeOther {
		t.Fatal("session from before the reset still works")
	}
	if again := e.Client().Get(link); again.Status != http.StatusGone {
		t.Fatalf("used link: %d, want 410", again.Status)
	}
	if _, err := e.Accounts.Authenticate(context.Background(), "ana@gob.pa", "a new long passphrase"); err != nil {
		t.Fatalf("new password does not work: %v", err)
	}
}

func TestPasswordResetLinkExpires(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	e.Client().PostForm("/password/forgot", url.Values{"email": {"ana@gob.pa"}})
	e.SendMail()
	m := smtptest.Parse(t, e.SMTP.WaitFor(t, 1, 5*time.Second)[0].Raw)
	link := e.LinkIn(m.Text, "/password/reset/")
	e.Clock.Advance(31 * time.Minute)
	res := e.Client().PostForm(link, url.Values{"password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}})
	if res.Status != http.StatusGone || !strings.Contains(res.Body, "no longer works") {
		t.Fatalf("expired link: %d", res.Status)
	}
}

func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	c := e.SignIn("admin@puente.test")
	c.PostForm("/admin/invitations", url.Values{"email": {"new@gob.cl"}, "role": {"official"}, "country": {"CL"}})
	e.Client().PostForm("/signin", url.Values{"email": {"admin@puente.test"}, "password": {"guess-number-one"}})
	e.Client().PostForm("/password/forgot", url.Values{"email": {"admin@puente.test"}})
	e.SendMail()
	msgs := e.SMTP.WaitFor(t, 2, 5*time.Second)
	logs := e.Logs.String()
	secrets := []string{servertest.Password, "guess-number-one", c.Cookie(cookie)}
	for _, m := range msgs {
		p := smtptest.Parse(t, m.Raw)
		for _, part := range []string{"/invitations/", "/password/reset/"} {
			if strings.Contains(p.Text, part) {
				l := e.LinkIn(p.Text, part)
				secrets = append(secrets, l[strings.LastIndex(l, "/")+1:])
			}
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("log contains a secret %q", s)
		}
	}
	for _, event := range []string{"signin.success", "signin.failure", "invitation.created", "reset.requested"} {
		if !strings.Contains(logs, "event="+event) {
			t.Errorf("no %s event in the log", event)
		}
	}
}
