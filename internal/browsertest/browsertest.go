// Package browsertest drives a real headless Chromium against a test
// server, for the journeys a person makes. The browser may reach only
// loopback addresses.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"puente/internal/printer"
)

// ExecPath finds Chromium as the server's printer does: $PUENTE_CHROMIUM,
// else the usual names on PATH.
func ExecPath() string { return printer.ExecPath(os.Getenv("PUENTE_CHROMIUM")) }

// Require returns Chromium's path. Without Chromium, a test fails under CI
// (CI=true) and is skipped, loudly, elsewhere.
func Require(t testing.TB) string {
	t.Helper()
	return RequireTool(t, ExecPath(), "BROWSER TEST NOT RUN: no Chromium found (install Debian's chromium package, or set PUENTE_CHROMIUM)")
}

// RequireTool returns path, an outside program a test needs (Chromium,
// pdftotext, Litestream: make deps installs them all). When path is "",
// the test fails under CI (CI=true) with missing, and is skipped, loudly,
// elsewhere: the one rule for every such program.
func RequireTool(t testing.TB, path, missing string) string {
	t.Helper()
	if path != "" {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(missing)
	}
	t.Log("!!!!!!!! " + missing + " !!!!!!!!")
	t.Skip(missing)
	return ""
}

// New starts a browser for the test and returns a context that drives one
// tab of it, for at most three minutes.
func New(t testing.TB) context.Context {
	t.Helper()
	return NewFor(t, 3*time.Minute)
}

// NewFor is New for a test that needs the browser for up to d.
func NewFor(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	path := Require(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium")),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		// Anything but loopback goes to a closed port: the browser can
		// reach the test server and nothing else.
		chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "127.0.0.1;localhost"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithLogf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// StepTimeout bounds one call of Do or Run, so a page that never shows
// what a step waits for fails in seconds, not at the test's deadline.
const StepTimeout = 20 * time.Second

// Do runs steps and fails the test on the first error. Each step has
// StepTimeout of its own: a long list of keystrokes on a loaded machine is
// not a page that never shows what a step waits for.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, step := range steps {
		sctx, cancel := context.WithTimeout(ctx, StepTimeout)
		err := chromedp.Do(sctx, step)
		cancel()
		if err != nil {
			t.Fatalf("step %d of %d: %v", i+1, len(steps), err)
		}
	}
}

// Run runs one action that returns a value and fails the test on error.
func Run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Navigate runs steps that load a new page (a click on a link or a
// submit button) and waits until that page has loaded.
func Navigate(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Location is the current page's URL.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Run(t, ctx, chromedp.Location())
}

// Cookie returns the value of the named cookie for url, or "".
func Cookie(t testing.TB, ctx context.Context, url, name string) string {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// SetCookie puts a cookie in the browser, as a stolen one would be.
func SetCookie(t testing.TB, ctx context.Context, url, name, value string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: url, Path: "/"}); err != nil {
		t.Fatal(err)
	}
}

// Screenshot saves a PNG of the page to path, for looking at a failure.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Shots returns the folder for a test's screenshots: $PUENTE_SCREENSHOTS,
// or a temporary one. When the test fails, a screenshot of the page at
// that moment is saved there and its path logged.
func Shots(t testing.TB, ctx context.Context) string {
	t.Helper()
	dir := os.Getenv("PUENTE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	t.Cleanup(func() {
		if t.Failed() {
			path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-failure.png")
			Screenshot(t, ctx, path)
			t.Logf("screenshot of the failure: %s", path)
		}
	})
	return dir
}

// SignIn signs in through the form as email with password and waits for
// the signed-in page.
func SignIn(t testing.TB, ctx context.Context, base, email, password string) {
	t.Helper()
	Do(t, ctx,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	Navigate(t, ctx, chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
}

// SignOut signs out with the header's button and waits for the sign-in
// form.
func SignOut(t testing.TB, ctx context.Context) {
	t.Helper()
	Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	Do(t, ctx, chromedp.WaitVisible(chromedp.ID("email")))
}

// Text is the text of the first element matching css.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return Run(t, ctx, chromedp.Text(chromedp.CSS(css)))
}

// OuterHTML is the markup of the first element matching css.
func OuterHTML(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	return Run(t, ctx, chromedp.OuterHTML(chromedp.CSS(css)))
}

// Submit clicks the button matching css and waits for the page it loads.
func Submit(t testing.TB, ctx context.Context, css string) {
	t.Helper()
	Navigate(t, ctx, chromedp.Click(chromedp.CSS(css)))
}

// TypeRich types s into the rich-text editor with the given id.
func TypeRich(id, s string) chromedp.Action[chromedp.Void] {
	sel := `#` + id + `[contenteditable]`
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), s))
}

// Enter presses Enter as a keyboard does in a rich-text editor: a key
// press without a typed character (SendKeys's "\r" also types one, which
// an editor that handles Enter itself would see twice).
func Enter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter",
				WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}); err != nil {
				return err
			}
		}
		return nil
	})
}
