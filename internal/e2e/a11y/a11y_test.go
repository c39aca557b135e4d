package a11y

import (
	"context"
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

// TestAccessibility checks that axe-core's check can fail, then runs it
// on the pages TestEveryPageKindAtEveryWidth does not reach: a comment's
// flag form, and two-step verification during setup (its QR code).
func TestAccessibility(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := demoEnv(t)
	base := e.HTTP.URL
	browsertest.Shots(t, ctx)
	check := func(path string) {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
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
	demoSignIn(t, ctx, base, "panama@demo.puente.test")
	check("/comments/1/flag")
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/account/2fa"), chromedp.WaitReady(chromedp.CSS("main")))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/account/2fa/setup"] button`)))
	check("/account/2fa")
	if n := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.qr path").length`)); n != 1 {
		t.Errorf("setup page shows %d QR codes", n)
	}
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
