package a11y

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"puente/internal/browsertest"
	"puente/internal/dbtest"
	"puente/internal/demo"
	"puente/internal/servertest"
)

// widths are the screens every page kind must fit: a small phone, a
// common phone, a tablet and a laptop.
var widths = []int64{320, 390, 768, 1280}

// axeWidths are the widths at which axe-core also checks every page.
var axeWidths = map[int64]bool{390: true, 1280: true}

// pageKinds lists a page of every kind, as the role that uses it.
func pageKinds(t *testing.T, e *servertest.Env) map[string][]string {
	t.Helper()
	q := func(query string) int64 { return dbtest.Int(t, e.DB.R, query) }
	public := q(`SELECT id FROM practices WHERE scope = 'public' AND status = 'published' AND hidden_at IS NULL ORDER BY comment_count DESC, id LIMIT 1`)
	panama := q(`SELECT id FROM accounts WHERE email = 'panama@demo.puente.test'`)
	own := q(`SELECT id FROM practices WHERE author_id = ` + fmt.Sprint(panama) + ` AND status = 'published' AND hidden_at IS NULL ORDER BY comment_count DESC, id LIMIT 1`)
	discussed := q(`SELECT id FROM practices WHERE status = 'published' AND hidden_at IS NULL ORDER BY comment_count DESC, id LIMIT 1`)
	comment := q(`SELECT id FROM comments WHERE author_id = ` + fmt.Sprint(panama) + ` AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT 1`)
	submitted := q(`SELECT p.id FROM practices p JOIN accounts a ON a.id = p.author_id WHERE p.status = 'submitted' AND a.email <> 'moderator@demo.puente.test' ORDER BY p.id LIMIT 1`)
	meeting := q(`SELECT id FROM meetings ORDER BY id LIMIT 1`)
	others := q(`SELECT p.id FROM practices p WHERE p.status = 'published' AND p.hidden_at IS NULL AND p.scope = 'public'
		AND NOT EXISTS (SELECT 1 FROM practice_countries pc WHERE pc.practice_id = p.id AND pc.country_code = 'PA') ORDER BY p.id LIMIT 1`)
	question := q(`SELECT q.id FROM questions q JOIN practices p ON p.id = q.practice_id WHERE p.author_id = ` + fmt.Sprint(panama) + ` AND q.answer <> '' LIMIT 1`)
	observer := q(`SELECT id FROM accounts WHERE email = 'oim@demo.puente.test'`)
	observed := q(`SELECT practice_id FROM comments WHERE author_id = ` + fmt.Sprint(observer) + ` LIMIT 1`)
	return map[string][]string{
		"visitor": {"/", "/practices", fmt.Sprintf("/practices/%d", public), "/search?q=migrantes", "/meetings", fmt.Sprintf("/meetings/%d", meeting), fmt.Sprintf("/meetings/%d/compendium", meeting),
			"/tags/1", "/countries/PA", "/signin", "/password/forgot", "/no-such-page"},
		"panama@demo.puente.test": {"/", "/practices?country=PA", fmt.Sprintf("/practices/%d", discussed), fmt.Sprintf("/practices/%d/history", own),
			"/practices/new", fmt.Sprintf("/practices/%d/edit", own), fmt.Sprintf("/practices/%d/versions/en", own), "/my/practices",
			"/search?q=registro", fmt.Sprintf("/comments/%d/edit", comment), fmt.Sprintf("/practices/%d/flag", discussed),
			"/notifications", "/insights", "/log", "/account", "/account/2fa", "/settings/digest", "/settings/notifications", "/countries/BR", "/tags/2",
			fmt.Sprintf("/practices/%d/adoption", others), fmt.Sprintf("/practices/%d/questions/new", others), fmt.Sprintf("/questions/%d", question)},
		"focal.panama@demo.puente.test": {"/focal", fmt.Sprintf("/meetings/%d/compendium", meeting)},
		"oim@demo.puente.test":          {"/", fmt.Sprintf("/practices/%d", observed)},
		"moderator@demo.puente.test":    {"/moderation", fmt.Sprintf("/moderation/review/%d", submitted), "/moderation/hidden", "/moderation/featured", "/log"},
		"admin@demo.puente.test": {"/admin/accounts", fmt.Sprintf("/admin/accounts/%d", panama), fmt.Sprintf("/admin/accounts/%d", observer), "/admin/invitations", "/admin/security",
			"/admin/taxonomy", fmt.Sprintf("/admin/meetings/%d", meeting), "/admin/tags/1", "/admin/digest/preview", "/admin/data"},
	}
}

// layoutCheck measures the page as it is: the document's width against
// the viewport's, then each control focused in turn (the browser scrolls
// it into view as the keyboard would), reporting any that a sticky or
// fixed element covers by half its height or more. With the menu
// opened, the width is measured again.
// A phone widens its layout viewport to fit a page wider than the
// screen, so the screen's width is given, not read from the page.
func layoutCheck(screen int64) string { return fmt.Sprintf(layoutJS, screen) }

const layoutJS = `((screen) => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
    (el.textContent ? " «" + el.textContent.trim().slice(0, 40) + "»" : "");
  const out = {vw: screen, width: document.documentElement.scrollWidth, wide: [], hidden: [], focused: 0};
  if (out.width > out.vw) {
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > out.vw + 1 && r.width > 0 && el.checkVisibility() && getComputedStyle(el).position !== "fixed" && !el.closest(".visually-hidden")) out.wide.push(describe(el) + " ends at " + Math.round(r.right));
      if (out.wide.length > 6) break;
    }
  }
  const stickies = [...document.querySelectorAll("body *")].filter((e) => ["sticky", "fixed"].includes(getComputedStyle(e).position));
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  for (const el of document.querySelectorAll(controls)) {
    if (el.disabled || !el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    el.focus();
    if (document.activeElement !== el) continue;
    out.focused++;
    const r = el.getBoundingClientRect();
    for (const s of stickies) {
      if (s.contains(el) || el.contains(s)) continue;
      const q = s.getBoundingClientRect();
      const ox = Math.min(r.right, q.right) - Math.max(r.left, q.left);
      const oy = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
      if (ox > 0 && oy >= r.height / 2) out.hidden.push(describe(el) + " under " + describe(s));
    }
  }
  if (document.activeElement) document.activeElement.blur();
  const menu = document.querySelector("details.site-menu");
  if (menu && !menu.open) {
    menu.open = true;
    out.menuWidth = document.documentElement.scrollWidth;
    menu.open = false;
  }
  window.scrollTo(0, 0);
  return JSON.stringify(out);
})(%d)`

type layout struct {
	VW, Width, MenuWidth int
	Wide, Hidden         []string
	Focused              int
}

// setWidth makes the tab a screen w CSS pixels wide, a phone's (touch,
// the page's viewport meta obeyed) below 600.
func setWidth(t *testing.T, ctx context.Context, w int64) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride,
		emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 800, DeviceScaleFactor: 1, Mobile: w < 600}); err != nil {
		t.Fatal(err)
	}
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// TestEveryPageKindAtEveryWidth opens a page of every kind, as the role
// that uses it, at every width from a small phone to a laptop: the page
// is never wider than the screen (with the menu open too), no focused
// control hides under a sticky element, and axe-core finds no serious or
// critical violation at phone and laptop widths. A screenshot of each is
// kept in the test's artifact folder (go test -artifacts, as make test
// runs it) for a person to look at.
func TestEveryPageKindAtEveryWidth(t *testing.T) {
	t.Parallel()
	e := demoEnv(t)
	base := e.HTTP.URL
	kinds := pageKinds(t, e)
	total := 0
	for role, paths := range kinds {
		total += len(paths)
		t.Run(strings.SplitN(role, "@", 2)[0], func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewFor(t, 6*time.Minute)
			browsertest.Shots(t, ctx)
			dir := t.ArtifactDir()
			t.Logf("screenshots in %s", dir)
			if role != "visitor" {
				browsertest.SignIn(t, ctx, base, role, demo.Password)
			}
			for _, w := range widths {
				setWidth(t, ctx, w)
				for _, path := range paths {
					browsertest.Do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")),
						chromedp.Poll[chromedp.Void](`document.querySelectorAll("textarea[data-rich]").length === 0 || document.querySelectorAll(".rich-content").length > 0`))
					var got layout
					if err := json.Unmarshal([]byte(browsertest.Run(t, ctx, chromedp.Evaluate[string](layoutCheck(w)))), &got); err != nil {
						t.Fatal(err)
					}
					where := fmt.Sprintf("%s at %d px", path, w)
					// A phone's screen, a desktop's window: what the page is given.
					given := "innerWidth"
					if w < 600 {
						given = "screen.width"
					}
					if vw := browsertest.Run(t, ctx, chromedp.Evaluate[int](given)); vw != int(w) {
						t.Fatalf("%s: the screen is %d px", where, vw)
					}
					if got.Width > got.VW {
						t.Errorf("%s: the page is %d px wide; widest: %v", where, got.Width, got.Wide)
					}
					if got.MenuWidth > got.VW {
						t.Errorf("%s: with the menu open the page is %d px wide", where, got.MenuWidth)
					}
					if got.Focused == 0 {
						t.Errorf("%s: no control took the focus", where)
					}
					for _, h := range got.Hidden {
						t.Errorf("%s: focused control hidden: %s", where, h)
					}
					if axeWidths[w] {
						for _, v := range browsertest.Axe(t, ctx) {
							t.Errorf("%s: %s", where, v)
						}
					}
					shot := browsertest.Run(t, ctx, chromedp.FullScreenshot(70))
					name := fmt.Sprintf("%s-%04d-%s.jpg", t.Name()[strings.LastIndexByte(t.Name(), '/')+1:], w,
						strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(path), "-"), "-"))
					if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
	if total < 40 {
		t.Fatalf("only %d page kinds", total)
	}
}

// TestLayoutCheckCanFail: a page made too wide, and a control put under
// a sticky bar, are caught.
func TestLayoutCheckCanFail(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	e := servertest.New(t)
	setWidth(t, ctx, 390)
	browsertest.Do(t, ctx, chromedp.Navigate(e.HTTP.URL+"/signin"), chromedp.WaitReady(chromedp.CSS("main")),
		// Styles set through the DOM: the page's CSP refuses style attributes.
		chromedp.Evaluate[chromedp.Void](`(() => {
			const add = (tag, css, text) => { const el = document.createElement(tag); Object.assign(el.style, css); el.textContent = text; document.querySelector("main").append(el); return el; };
			add("div", {width: "600px"}, "wide");
			add("div", {height: "2000px"}, "");
			add("a", {}, "probe").href = "#x";
			add("div", {position: "fixed", bottom: "0", left: "0", right: "0", height: "50vh", background: "#fff"}, "sticky");
		})()`))
	var got layout
	if err := json.Unmarshal([]byte(browsertest.Run(t, ctx, chromedp.Evaluate[string](layoutCheck(390)))), &got); err != nil {
		t.Fatal(err)
	}
	if got.Width <= got.VW || len(got.Wide) == 0 {
		t.Errorf("a 600 px block at 390 px was not caught: %+v", got)
	}
	if len(got.Hidden) == 0 {
		t.Errorf("controls under a fixed half-screen bar were not caught: %+v", got)
	}
}
