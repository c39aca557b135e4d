package journeys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/mail/smtptest"
	"puente/internal/servertest"
)

// TestInviteAcceptSignOutJourney: an admin signs in and invites an
// official; the official opens the emailed link, sets a password, is
// signed in, signs out; the old cookie replayed is rejected.
func TestInviteAcceptSignOutJourney(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)

	// The admin signs in; the sign-in page sends them on to where they were going.
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+"/admin/invitations"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "admin@puente.test"),
		chromedp.SendKeys(chromedp.ID("password"), servertest.Password),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("invite-h")))
	if loc := browsertest.Location(t, ctx); loc != base+"/admin/invitations" {
		t.Fatalf("after sign-in at %s", loc)
	}

	// The admin invites an official of Mexico, in English.
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.ID("email"), "luis.hernandez@inm.gob.mx"),
		chromedp.SetValue(chromedp.ID("role"), "official"),
		chromedp.SetValue(chromedp.ID("country"), "MX"),
		chromedp.SetValue(chromedp.ID("lang"), "en"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/invitations"] button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if flash := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS(".flash"))); !strings.Contains(flash, "The invitation was sent.") {
		t.Fatalf("flash %q", flash)
	}
	if row := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS("tbody"))); !strings.Contains(row, "luis.hernandez@inm.gob.mx") || !strings.Contains(row, "Mexico") {
		t.Fatalf("pending list: %q", row)
	}
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("email")))

	// The email arrives at the SMTP server.
	e.SendMail()
	msg := smtptest.Parse(t, e.SMTP.WaitFor(t, 1, 10*time.Second)[0].Raw)
	if msg.Subject() != "Your invitation to Puente" {
		t.Fatalf("subject %q", msg.Subject())
	}
	link := e.LinkIn(msg.Text, "/invitations/")

	// The official opens it, chooses a name and a password.
	browsertest.Do(t, ctx,
		chromedp.Navigate(base+link),
		chromedp.WaitVisible(chromedp.ID("display_name")),
		chromedp.SendKeys(chromedp.ID("display_name"), "Luis Hernández"),
		chromedp.SendKeys(chromedp.ID("password"), "short"),
		chromedp.SendKeys(chromedp.ID("confirm"), "short"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("password-error")))
	if name := browsertest.Run(t, ctx, chromedp.Value(chromedp.ID("display_name"))); name != "Luis Hernández" {
		t.Fatalf("name not kept after a failed submit: %q", name)
	}
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.ID("password"), "the bridge between two processes"),
		chromedp.SendKeys(chromedp.ID("confirm"), "the bridge between two processes"),
	)
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if h1 := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS("main h1"))); h1 != "Hello, Luis Hernández" {
		t.Fatalf("home heading %q", h1)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "home.png"))
	signedIn := browsertest.Cookie(t, ctx, base, "puente")
	if signedIn == "" {
		t.Fatal("no session cookie")
	}

	// The official signs out.
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("email")))
	if flash := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS(".flash"))); flash != "You have signed out." {
		t.Fatalf("after sign-out: %q", flash)
	}

	// The old cookie, replayed, is refused.
	browsertest.SetCookie(t, ctx, base, "puente", signedIn)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.ID("email")))
	if loc := browsertest.Location(t, ctx); !strings.HasPrefix(loc, base+"/signin") {
		t.Fatalf("replayed cookie reached %s", loc)
	}
	if os.Getenv("PUENTE_KEEP_SCREENSHOTS") != "" {
		t.Logf("screenshots in %s", shots)
	}
}
