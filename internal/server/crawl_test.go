package server_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"puente/internal/demo"
	"puente/internal/servertest"
)

var hrefRE = regexp.MustCompile(`href="(/[^"#]*)`)

// TestCrawlDemoAsEveryRole follows every link on the demo site, signed in
// as each role and as a visitor, and fails on any server error or any
// untranslated catalogue key on a page.
func TestCrawlDemoAsEveryRole(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	e.SeedDemo()
	keyLeak := regexp.MustCompile(`>\s*(practice|comment|admin|moderation|log|flag|appeal|hide|feature|review|digest|taxonomy|nav|field|error)\.[a-z_.]+\s*<`)
	for _, who := range []string{"", "panama@demo.puente.test", "brasil@demo.puente.test", "moderator@demo.puente.test", "admin@demo.puente.test"} {
		t.Run("as "+who, func(t *testing.T) {
			c := e.Client()
			if who != "" {
				res := c.PostForm("/signin", url.Values{"email": {who}, "password": {demo.Password}})
				if res.Status != 303 {
					t.Fatalf("sign in: %d", res.Status)
				}
			}
			seen := map[string]bool{}
			queue := []string{"/", "/practices", "/signin"}
			for len(queue) > 0 && len(seen) < 400 {
				p := queue[0]
				queue = queue[1:]
				if seen[p] || strings.HasPrefix(p, "/static/") || strings.Contains(p, "/unsubscribe/") {
					continue
				}
				seen[p] = true
				res := c.Get(p)
				if res.Status >= 500 {
					t.Errorf("GET %s: %d", p, res.Status)
				}
				if m := keyLeak.FindString(res.Body); m != "" {
					t.Errorf("GET %s shows a raw catalogue key: %s", p, m)
				}
				for _, m := range hrefRE.FindAllStringSubmatch(res.Body, -1) {
					u := strings.ReplaceAll(m[1], "&amp;", "&")
					if !seen[u] {
						queue = append(queue, u)
					}
				}
			}
			if len(seen) < 20 {
				t.Errorf("crawled only %d pages", len(seen))
			}
			t.Logf("%d pages", len(seen))
		})
	}
}
