package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

var (
	secretRe   = regexp.MustCompile(`<code class="secret">([A-Z2-7 ]+)</code>`)
	recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)
)

// enableTOTP turns two-factor sign-in on for c's account and returns the
// secret and the recovery codes.
func enableTOTP(t *testing.T, e *servertest.Env, c *servertest.Client) (string, []string) {
	t.Helper()
	if res := c.PostForm("/account/2fa/setup", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.Status)
	}
	page := c.Get("/account/2fa")
	m := secretRe.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 `) ||
		!strings.Contains(page.Body, `aria-label="QR code for your authenticator app"`) {
		t.Fatalf("setup page has no QR code or secret:\n%s", page.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	res := c.PostForm("/account/2fa/enable", url.Values{"code": {code}})
	if res.Status != http.StatusOK {
		t.Fatalf("enable: %d\n%s", res.Status, res.Body)
	}
	var codes []string
	for _, m := range recoveryRe.FindAllStringSubmatch(res.Body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != accounts.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d", len(codes), accounts.RecoveryCodeCount)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("recovery codes page may be cached: %q", res.Header.Get("Cache-Control"))
	}
	return secret, codes
}

// passwordStep signs in with the password and expects to be asked for a code.
func passwordStep(t *testing.T, e *servertest.Env, email string) *servertest.Client {
	t.Helper()
	c := e.Client()
	res := c.PostForm("/signin", url.Values{"email": {email}, "password": {servertest.Password}, "next": {"/my/practices"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/signin/code" {
		t.Fatalf("password step: %d %s", res.Status, res.Header.Get("Location"))
	}
	return c
}

func isSignedIn(c *servertest.Client) bool { return c.Get("/account").Status == http.StatusOK }

func TestTwoFactorSignIn(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	if page := c.Get("/account"); !strings.Contains(page.Body, "Two-step verification is off.") {
		t.Fatalf("account page does not say two-step verification is off")
	}

	// A wrong code while setting up: the page comes back with the error
	// next to the field, what was typed, and the same secret.
	c.PostForm("/account/2fa/setup", nil)
	before := secretRe.FindStringSubmatch(c.Get("/account/2fa").Body)
	secret := strings.ReplaceAll(before[1], " ", "")
	right, _ := totp.GenerateCode(secret, e.Clock.Now())
	wrong := "000000"
	if wrong == right {
		wrong = "111111"
	}
	res := c.PostForm("/account/2fa/enable", url.Values{"code": {wrong}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="code-error">That code is not right`) ||
		!strings.Contains(res.Body, `value="`+wrong+`"`) || !strings.Contains(res.Body, before[1]) {
		t.Fatalf("wrong setup code: %d\n%s", res.Status, res.Body)
	}
	res = c.PostForm("/account/2fa/enable", url.Values{"code": {right[:3] + " " + right[3:]}}) // spaces are forgiven
	if res.Status != http.StatusOK || len(recoveryRe.FindAllString(res.Body, -1)) != 10 {
		t.Fatalf("enable: %d\n%s", res.Status, res.Body)
	}
	codes := recoveryRe.FindAllStringSubmatch(res.Body, -1)
	if again := c.Get("/account/2fa"); recoveryRe.MatchString(again.Body) || !strings.Contains(again.Body, "<dd>10</dd>") {
		t.Fatal("recovery codes shown a second time, or the count is wrong")
	}

	// The password alone no longer signs in.
	p := passwordStep(t, e, "ana@gob.pa")
	if isSignedIn(p) {
		t.Fatal("signed in after the password alone")
	}
	// The code that turned the feature on cannot be used again.
	if res := p.PostForm("/signin/code", url.Values{"code": {right}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already used") {
		t.Fatalf("replayed setup code: %d", res.Status)
	}
	e.Clock.Advance(30 * time.Second)
	if res := p.PostForm("/signin/code", url.Values{"code": {wrong}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "That code is not right") || !strings.Contains(res.Body, `value="`+wrong+`"`) {
		t.Fatalf("wrong code: %d", res.Status)
	}
	now, _ := totp.GenerateCode(secret, e.Clock.Now())
	preCookie := p.Cookie(cookie)
	res = p.PostForm("/signin/code", url.Values{"code": {now}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/my/practices" || !isSignedIn(p) {
		t.Fatalf("right code: %d %s", res.Status, res.Header.Get("Location"))
	}
	if p.Cookie(cookie) == preCookie {
		t.Error("the session id did not change when the sign-in completed")
	}

	// A captured code replayed in another browser within its 30 seconds.
	q := passwordStep(t, e, "ana@gob.pa")
	if res := q.PostForm("/signin/code", url.Values{"code": {now}}); res.Status != http.StatusUnprocessableEntity || isSignedIn(q) {
		t.Fatalf("replayed code: %d", res.Status)
	}
	// A code from the previous step (clock drift) is fine if unused; one
	// from two steps back is not.
	e.Clock.Advance(30 * time.Second)
	old, _ := totp.GenerateCode(secret, e.Clock.Now().Add(-60*time.Second))
	if res := q.PostForm("/signin/code", url.Values{"code": {old}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("code two steps old: %d", res.Status)
	}

	// A recovery code works once, typed any which way.
	r1 := passwordStep(t, e, "ana@gob.pa")
	typed := strings.ToUpper(strings.ReplaceAll(codes[0][1], "-", " "))
	res = r1.PostForm("/signin/code", url.Values{"code": {typed}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d\n%s", res.Status, res.Body)
	}
	if page := r1.Get("/my/practices"); page.Status != http.StatusOK || !strings.Contains(page.Body, "You used a recovery code") {
		t.Errorf("not signed in, or no warning that a recovery code was spent: %d", page.Status)
	}
	r2 := passwordStep(t, e, "ana@gob.pa")
	if res := r2.PostForm("/signin/code", url.Values{"code": {codes[0][1]}}); res.Status != http.StatusUnprocessableEntity || isSignedIn(r2) {
		t.Fatalf("recovery code used twice: %d", res.Status)
	}
	if page := r1.Get("/account/2fa"); !strings.Contains(page.Body, "<dd>9</dd>") {
		t.Error("unused recovery codes not counted down")
	}

	// The code step waits ten minutes, no more.
	late := passwordStep(t, e, "ana@gob.pa")
	e.Clock.Advance(11 * time.Minute)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	if res := late.PostForm("/signin/code", url.Values{"code": {code}}); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/signin" || isSignedIn(late) {
		t.Fatalf("late code: %d %s", res.Status, res.Header.Get("Location"))
	}

	// Nothing secret reaches the log.
	if logs := e.Logs.String(); strings.Contains(logs, secret) || strings.Contains(logs, codes[1][1]) || strings.Contains(logs, code) {
		t.Error("a secret, recovery code or one-time code was logged")
	}
}

func TestTwoFactorCodeRateLimit(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	secret, _ := enableTOTP(t, e, e.SignIn("ana@gob.pa"))
	e.Clock.Advance(30 * time.Second)
	p := passwordStep(t, e, "ana@gob.pa")
	right, _ := totp.GenerateCode(secret, e.Clock.Now())
	for i := 0; i < 5; i++ {
		guess := []string{"123456", "654321", "000001", "999999", "424242"}[i]
		if guess == right {
			guess = "135790"
		}
		if res := p.PostForm("/signin/code", url.Values{"code": {guess}}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, res.Status)
		}
	}
	// Locked for this account, even with the right code, even after a new
	// password step from another browser.
	if res := p.PostForm("/signin/code", url.Values{"code": {right}}); res.Status != http.StatusTooManyRequests || isSignedIn(p) {
		t.Fatalf("6th try: %d, want 429", res.Status)
	}
	p2 := passwordStep(t, e, "ana@gob.pa")
	if res := p2.PostForm("/signin/code", url.Values{"code": {right}}); res.Status != http.StatusTooManyRequests {
		t.Fatalf("new browser: %d, want 429", res.Status)
	}
	if !strings.Contains(e.Logs.String(), "event=2fa.locked") {
		t.Error("no log line for the lockout")
	}
	e.Clock.Advance(15 * time.Minute)
	p3 := passwordStep(t, e, "ana@gob.pa")
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	if res := p3.PostForm("/signin/code", url.Values{"code": {code}}); res.Status != http.StatusSeeOther || !isSignedIn(p3) {
		t.Fatalf("after the window: %d", res.Status)
	}
}

func TestTwoFactorDisableAndReset(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	c := e.SignIn("ana@gob.pa")
	secret, _ := enableTOTP(t, e, c)
	e.Clock.Advance(30 * time.Second)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())

	res := c.PostForm("/account/2fa/disable", url.Values{"password": {"not it"}, "code": {code}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="off-password-error"`) {
		t.Fatalf("wrong password: %d\n%s", res.Status, res.Body)
	}
	// New recovery codes need a code; the old ones stop working.
	res = c.PostForm("/account/2fa/recovery", url.Values{"code": {code}})
	if res.Status != http.StatusOK || len(recoveryRe.FindAllString(res.Body, -1)) != 10 {
		t.Fatalf("new recovery codes: %d", res.Status)
	}

	// A password reset by email does not skip the code.
	e.Client().PostForm("/password/forgot", url.Values{"email": {"ana@gob.pa"}})
	e.SendMail()
	msgs := e.SMTP.Messages()
	// Turning it on and making new codes were each told by a notice that
	// always goes out; the reset link comes last.
	var notices []string
	for _, m := range msgs[:len(msgs)-1] {
		notices = append(notices, smtptest.Parse(t, m.Raw).Text)
	}
	if all := strings.Join(notices, "\n"); !strings.Contains(all, "Two-step verification was turned on") || !strings.Contains(all, "New recovery codes were made") {
		t.Errorf("security notices:\n%s", all)
	}
	link := e.LinkIn(smtptest.Parse(t, msgs[len(msgs)-1].Raw).Text, "/password/reset/")
	v := e.Client()
	res = v.PostForm(link, url.Values{"password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/signin/code" || isSignedIn(v) {
		t.Fatalf("reset with two-step on: %d %s", res.Status, res.Header.Get("Location"))
	}
	e.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	if res := v.PostForm("/signin/code", url.Values{"code": {code}}); res.Status != http.StatusSeeOther || !isSignedIn(v) {
		t.Fatalf("code after reset: %d", res.Status)
	}

	e.Clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	res = v.PostForm("/account/2fa/disable", url.Values{"password": {"a new long passphrase"}, "code": {code}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d\n%s", res.Status, res.Body)
	}
	w := e.Client()
	if res := w.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {"a new long passphrase"}}); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in after disabling still asks for a code: %s", res.Header.Get("Location"))
	}
}

func TestTwoFactorRequiredForStaff(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("admin@puente.org", accounts.Admin, "")
	mod := e.CreateAccount("mod@puente.org", accounts.Moderator, "")
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	adm := e.SignIn("admin@puente.org")
	m := e.SignIn("mod@puente.org")
	official := e.SignIn("ana@gob.pa")

	page := adm.Get("/admin/security")
	if !strings.Contains(page.Body, "mod@puente.org"[:3]) || !strings.Contains(page.Body, `name="require_2fa"`) {
		t.Fatalf("security page: %d\n%s", page.Status, page.Body)
	}
	if res := adm.PostForm("/admin/security", url.Values{"require_2fa": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("require: %d", res.Status)
	}
	// The moderator is sent to set it up and can do nothing else.
	if res := m.Get("/moderation"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/account/2fa" {
		t.Fatalf("moderator without two-step: %d %s", res.Status, res.Header.Get("Location"))
	}
	if res := m.PostForm("/moderation/flags/dismiss", url.Values{"target_type": {"practice"}, "target_id": {"1"}}); res.Status != http.StatusForbidden ||
		!strings.Contains(res.Body, "Turn on two-step verification") {
		t.Fatalf("moderator POST without two-step: %d", res.Status)
	}
	if page := m.Get("/account/2fa"); page.Status != http.StatusOK || !strings.Contains(page.Body, "An admin requires two-step verification") {
		t.Fatalf("setup page for the moderator: %d", page.Status)
	}
	// Officials are not concerned.
	if res := official.Get("/account"); res.Status != http.StatusOK {
		t.Fatalf("official: %d", res.Status)
	}
	// The admin, too, must set it up before anything else.
	if res := adm.Get("/admin/accounts"); res.Status != http.StatusSeeOther {
		t.Fatalf("admin without two-step: %d", res.Status)
	}
	adminSecret, _ := enableTOTP(t, e, adm)
	secret, _ := enableTOTP(t, e, m)
	if res := m.Get("/moderation"); res.Status != http.StatusOK {
		t.Fatalf("moderator with two-step: %d", res.Status)
	}
	// While required, it cannot be turned off.
	e.Clock.Advance(30 * time.Second)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	res := m.PostForm("/account/2fa/disable", url.Values{"password": {servertest.Password}, "code": {code}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "you cannot turn it off") {
		t.Fatalf("disable while required: %d", res.Status)
	}

	// The moderator lost the phone: the admin removes it, the moderator's
	// sessions end, the log says so.
	if page := adm.Get("/admin/accounts/" + strconv.FormatInt(mod.ID, 10)); !strings.Contains(page.Body, "/2fa/reset") {
		t.Fatal("no reset button on the account page")
	}
	if res := adm.PostForm("/admin/accounts/"+strconv.FormatInt(mod.ID, 10)+"/2fa/reset", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	if isSignedIn(m) {
		t.Error("moderator still signed in after the reset")
	}
	if log := official.Get("/log?action=account.2fa_reset"); !strings.Contains(log.Body, "removed two-step verification") {
		t.Error("reset not in the log")
	}
	if log := official.Get("/log"); !strings.Contains(log.Body, "changed the two-step verification requirement") {
		t.Error("requirement change not in the log")
	}
	// An admin cannot remove their own (they use the account page).
	_ = adminSecret
	var adminID int64
	if err := e.DB.R.QueryRow(`SELECT id FROM accounts WHERE email = 'admin@puente.org'`).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	if res := adm.PostForm("/admin/accounts/"+strconv.FormatInt(adminID, 10)+"/2fa/reset", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("reset self: %d", res.Status)
	}
	if on := dbtest.Value[bool](t, e.DB.R, `SELECT totp_enabled_at IS NOT NULL FROM accounts WHERE id = ?`, adminID); !on {
		t.Error("an admin removed their own two-step verification through the admin route")
	}
}
