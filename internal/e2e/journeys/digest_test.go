package journeys

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/browsertest"
	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestDigestRendersAndFollowsSettings: the HTML digest renders in a real
// browser (with its inline styles), and an official's settings, changed
// in the browser, change what the next preview holds.
func TestDigestRendersAndFollowsSettings(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	pa := e.CreateAccount("samira@migracion.gob.pa", accounts.Official, "PA")
	mx := e.CreateAccount("luis@inm.gob.mx", accounts.Official, "MX")
	base := e.HTTP.URL
	shots := browsertest.Shots(t, ctx)
	at := db.FormatTime(time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)) // in week 2026-W47
	for _, p := range []struct {
		author *accounts.Account
		title  string
		tag    int
	}{{pa, "Registro biométrico en Darién", 3}, {mx, "Tarjeta de Visitante Regional", 4}} {
		res, err := e.DB.W.Exec(`INSERT INTO practices (author_id, status, scope, lang, title, summary, policy_version, period_start, created_at, updated_at, published_at)
			VALUES (?, 'published', 'members', 'es', ?, 'Resumen.', 1, '2021-01', ?, ?, ?)`, p.author.ID, p.title, at, at, at)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		dbtest.Exec(t, e.DB.W, `INSERT INTO practice_countries VALUES (?, ?)`, id, p.author.CountryCode)
		dbtest.Exec(t, e.DB.W, `INSERT INTO practice_tags VALUES (?, ?)`, id, p.tag)
	}
	preview := base + "/admin/digest/preview?email=samira@migracion.gob.pa&week=2026-W47"

	browsertest.SignIn(t, ctx, base, "admin@puente.test", servertest.Password)
	// The preview forbids every script, so the checks read the page through
	// the DOM and CSS protocol domains, which need none.
	browsertest.Do(t, ctx, chromedp.Navigate(preview), chromedp.WaitReady(chromedp.CSS(`a[href*="/practices/"]`)))
	body := browsertest.OuterHTML(t, ctx, "body")
	if !strings.Contains(body, "Registro biométrico en Darién") || !strings.Contains(body, "Tarjeta de Visitante Regional") {
		t.Fatalf("digest: %q", body)
	}
	// The inline styles apply: the header band is the brand colour.
	var bg string
	for _, p := range browsertest.Run(t, ctx, chromedp.ComputedStyle(chromedp.CSS(`td[style*="background:#0b4f6c"]`))) {
		if p.Name == "background-color" {
			bg = p.Value
		}
	}
	if bg != "rgb(11, 79, 108)" {
		t.Fatalf("email styles not applied: %q", bg)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(shots, "digest.png"))
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/"))
	browsertest.SignOut(t, ctx)

	// The official follows Recommendation 1 only.
	browsertest.SignIn(t, ctx, base, "samira@migracion.gob.pa", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/settings/digest"), chromedp.WaitVisible(chromedp.ID("ft-3")), chromedp.Click(chromedp.ID("ft-3")))
	browsertest.Navigate(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/settings/digest"] button[type=submit]`)))
	browsertest.SignOut(t, ctx)

	browsertest.SignIn(t, ctx, base, "admin@puente.test", servertest.Password)
	browsertest.Do(t, ctx, chromedp.Navigate(preview), chromedp.WaitReady(chromedp.CSS(`a[href*="/practices/"]`)))
	body = browsertest.OuterHTML(t, ctx, "body")
	if !strings.Contains(body, "Registro biométrico en Darién") || strings.Contains(body, "Tarjeta de Visitante Regional") {
		t.Fatalf("after following one recommendation: %q", body)
	}
}
