package a11y

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"puente/internal/browsertest"
	"puente/internal/demo"
	"puente/internal/servertest"
)

func demoEnv(t *testing.T) *servertest.Env {
	t.Helper()
	e := servertest.New(t)
	e.SeedDemo()
	return e
}

func demoSignIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), demo.Password))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
}

// TestAccessibility runs axe-core's WCAG 2.1 A and AA rules on the main
// pages, as the roles that use them: no serious or critical violation.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := demoEnv(t)
	base := e.HTTP.URL
	browsertest.Shots(t, ctx)
	check := func(path string) {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
		if (strings.Contains(path, "/new") || strings.HasPrefix(path, "/practices/")) && !strings.HasSuffix(path, "/flag") {
			browsertest.Do(t, ctx, chromedp.WaitReady(chromedp.CSS(".rich-content")))
		}
		for _, v := range browsertest.Axe(t, ctx) {
			t.Errorf("%s: %s", path, v)
		}
	}
	// The check can fail: an unlabelled field added to a page is caught.
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/signin"), chromedp.WaitReady(chromedp.CSS("main")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("main").insertAdjacentHTML("beforeend", "<input type=text id=axe-probe>")`))
	caught := false
	for _, v := range browsertest.Axe(t, ctx) {
		caught = caught || v.ID == "label"
	}
	if !caught {
		t.Fatal("axe-core did not report an unlabelled input: the check is not running")
	}
	check("/signin")
	check("/practices")
	demoSignIn(t, ctx, base, "panama@demo.puente.test")
	for _, p := range []string{"/", "/practices", "/practices/1", "/practices/new", "/search?q=registro", "/settings/digest", "/insights", "/account", "/log",
		"/practices/3/flag", "/comments/1/flag", "/meetings", "/meetings/1", "/notifications"} {
		check(p)
	}
	// Two-step verification: the page before and during setup (QR code).
	check("/account/2fa")
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/account/2fa/setup"] button`)))
	check("/account/2fa")
	if n := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.qr path").length`)); n != 1 {
		t.Errorf("setup page shows %d QR codes", n)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/"))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	demoSignIn(t, ctx, base, "moderator@demo.puente.test")
	check("/moderation")
	check(fmt.Sprintf("/moderation/review/%d", 14))
	check("/moderation/hidden")
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/"))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	demoSignIn(t, ctx, base, "admin@demo.puente.test")
	check("/admin/accounts/3") // suspension, correction, address and hand-over forms
}

// TestKeyboardOnly signs in and comments with the keyboard alone.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := demoEnv(t)
	base := e.HTTP.URL
	browsertest.Shots(t, ctx)
	focused := func() string {
		return browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.tagName`))
	}
	tabTo := func(id string) {
		t.Helper()
		for range 60 {
			if focused() == id {
				return
			}
			browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Tab))
		}
		t.Fatalf("Tab never reached #%s", id)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(chromedp.ID("email")))
	tabTo("email")
	browsertest.Do(t, ctx, chromedp.KeyEvent("panama@demo.puente.test"))
	tabTo("password")
	browsertest.Do(t, ctx, chromedp.KeyEvent(demo.Password))
	browsertest.Navigate(t, ctx, chromedp.KeyEvent(kb.Enter))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))

	browsertest.Do(t, ctx, chromedp.Navigate(base+"/practices/4"), chromedp.WaitVisible(chromedp.CSS(`#comment-body-0[contenteditable]`)))
	tabTo("comment-body-0")
	browsertest.Do(t, ctx, chromedp.KeyEvent("Comentario escrito solo con el teclado."))
	// Tab out of the editor to its submit button, then Enter.
	onSubmit := func() bool {
		return browsertest.Run(t, ctx, chromedp.Evaluate[bool](`document.activeElement.matches("form.comment-form:has(#comment-body-0) button[type=submit]")`))
	}
	for i := 0; !onSubmit(); i++ {
		if i == 20 {
			t.Fatalf("Tab never reached the comment's submit button; focus is on %s", focused())
		}
		browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	browsertest.Navigate(t, ctx, chromedp.KeyEvent(kb.Enter))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if c := browsertest.Text(t, ctx, "section.comments"); !strings.Contains(c, "Comentario escrito solo con el teclado.") {
		t.Fatalf("comment not posted by keyboard: %q", c)
	}
}
