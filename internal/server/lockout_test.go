package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

var csrfOrNonce = regexp.MustCompile(`(value|content|nonce)="[^"]*"`)

// TestLockoutCannotBeTurnedAgainstTheOwner: ten wrong passwords sent by
// anyone lock the account's unknown browsers out, the attacker's included,
// and its owner is told by email once; the owner's own browser, which has
// signed in before, still gets in with the right password. An unknown
// address gets the same answers, and no email.
func TestLockoutCannotBeTurnedAgainstTheOwner(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.CreateAccount("ana@gob.pa", accounts.Official, "PA")
	owner := e.SignIn("ana@gob.pa")
	if res := owner.PostForm("/signout", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.Status)
	}
	if owner.Cookie("puente-device") == "" {
		t.Fatal("no device cookie after a sign-in")
	}
	// Another account's device cookie, or a forged one, is no device of
	// ana's.
	e.CreateAccount("luis@gob.mx", accounts.Official, "MX")
	withLuisDevice := e.SignIn("luis@gob.mx")
	forged := e.Client()
	forged.SetCookie("puente-device", "ana@gob.pa")

	attack := func(email string) []*servertest.Response {
		var out []*servertest.Response
		for i := range 11 {
			c := e.Client()
			if i == 3 {
				c = withLuisDevice
			} else if i == 4 {
				c = forged
			}
			out = append(out, c.PostForm("/signin", url.Values{"email": {email}, "password": {"adivinanza " + strings.Repeat("x", i)}}))
		}
		return out
	}
	real, unknown := attack("ana@gob.pa"), attack("nadie@gob.pa")
	for i := range real {
		want := http.StatusUnprocessableEntity
		if i == 10 {
			want = http.StatusTooManyRequests
		}
		if real[i].Status != want || unknown[i].Status != want {
			t.Fatalf("try %d: %d for the account, %d for an unknown address, want %d", i+1, real[i].Status, unknown[i].Status, want)
		}
		a, b := csrfOrNonce.ReplaceAllString(real[i].Body, ""), csrfOrNonce.ReplaceAllString(strings.ReplaceAll(unknown[i].Body, "nadie@gob.pa", "ana@gob.pa"), "")
		if a != b {
			t.Fatalf("try %d: the answers differ for an existing and an unknown address", i+1)
		}
	}
	// The attacker is locked out even with the right password.
	if res := e.Client().PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}}); res.Status != http.StatusTooManyRequests {
		t.Fatalf("right password from an unknown browser during the lock: %d, want 429", res.Status)
	}
	// The owner's browser is not.
	if res := owner.PostForm("/signin", url.Values{"email": {"ana@gob.pa"}, "password": {servertest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("the owner's own browser during the lock: %d, want 303", res.Status)
	}
	if res := owner.Get("/account"); res.Status != http.StatusOK {
		t.Fatalf("the owner is not signed in: %d", res.Status)
	}
	// One email, to the owner, in their language; none for the unknown
	// address.
	// The notice is written apart from the request; it is sent once queued.
	for deadline := time.Now().Add(10 * time.Second); len(e.SMTP.Messages()) == 0 && time.Now().Before(deadline); {
		e.SendMail()
		time.Sleep(20 * time.Millisecond)
	}
	msgs := e.SMTP.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "ana@gob.pa" {
		t.Fatalf("lock notices: %d", len(msgs))
	}
	if subj := smtptest.Parse(t, msgs[0].Raw).Subject(); subj != "Sign-ins to your Puente account from unknown browsers are paused" {
		t.Fatalf("lock notice subject %q", subj)
	}
	if !strings.Contains(e.Logs.String(), "event=signin.locked") {
		t.Error("no log line for the lockout")
	}

	// The owner's own failures count against their browser alone, and
	// lock it too: a stolen device cookie buys ten guesses, no more.
	owner2 := e.SignIn("luis@gob.mx")
	owner2.PostForm("/signout", nil)
	var statuses []int
	for i := range 11 {
		statuses = append(statuses, owner2.PostForm("/signin", url.Values{"email": {"luis@gob.mx"}, "password": {"otra " + strings.Repeat("y", i)}}).Status)
	}
	if statuses[9] != http.StatusUnprocessableEntity || statuses[10] != http.StatusTooManyRequests {
		t.Fatalf("a known browser's failures: %v", statuses)
	}
	if res := e.Client().PostForm("/signin", url.Values{"email": {"luis@gob.mx"}, "password": {servertest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("another browser after the known one locked itself: %d", res.Status)
	}
	if n := len(e.SMTP.Messages()); n != 1 {
		t.Fatalf("%d notices; a known browser locking itself sends none", n)
	}
}
