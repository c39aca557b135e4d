package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"puente/internal/accounts"
	"puente/internal/servertest"
)

var routeParam = regexp.MustCompile(`\{[a-z]+\}`)

// TestHeadAnswersEveryGetRoute walks the router and sends HEAD to every
// GET route, as a visitor and as an admin: the answer is the GET's status
// and headers without a body, never a 405.
func TestHeadAnswersEveryGetRoute(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Ventanilla única", []string{"PA"}, "public"))
	var paths []string
	err := chi.Walk(e.Server.Handler().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet {
			p := strings.Replace(pattern, "/*", "/css/app.css", 1)
			p = strings.Replace(p, "{code}", "PA", 1)
			p = strings.Replace(p, "{chart}", "objectives", 1)
			paths = append(paths, routeParam.ReplaceAllString(p, "1"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 40 {
		t.Fatalf("only %d GET routes found", len(paths))
	}
	for name, c := range map[string]*servertest.Client{"visitor": e.Client(), "admin": e.SignIn("admin@puente.test")} {
		for _, p := range paths {
			get := c.Get(p)
			req, err := http.NewRequest(http.MethodHead, c.Base+p, nil)
			if err != nil {
				t.Fatal(err)
			}
			head := c.Do(req)
			if head.Status == http.StatusMethodNotAllowed || head.Status != get.Status || head.Body != "" ||
				head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
				t.Errorf("%s: HEAD %s = %d %q with %d bytes; GET = %d %q",
					name, p, head.Status, head.Header.Get("Content-Type"), len(head.Body), get.Status, get.Header.Get("Content-Type"))
			}
		}
	}
}

// TestMethodNotAllowedSaysWhatIs: a 405 names the methods the path does
// answer, as HTTP asks.
func TestMethodNotAllowedSaysWhatIs(t *testing.T) {
	t.Parallel()
	e := servertest.New(t)
	c := e.Client()
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, "/search", "GET, HEAD"},
		{http.MethodDelete, "/practices", "GET, HEAD, POST"},
		{http.MethodPut, "/signin", "GET, HEAD, POST"},
	} {
		req, err := http.NewRequest(tc.method, c.Base+tc.path, strings.NewReader(url.Values{}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", c.Base)
		res := c.Do(req)
		if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405 with %q", tc.method, tc.path, res.Status, res.Header.Get("Allow"), tc.allow)
		}
	}
}
