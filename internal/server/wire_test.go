package server_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"puente/internal/accounts"
	"puente/internal/dbtest"
)

// TestBadInputOverTheWire sends what browsers never send: broken
// encodings, invalid UTF-8, duplicated and missing fields, wrong content
// types, very long URLs, path tricks on static files and unknown methods.
// Every answer is a 4xx page (or the form again), never a 5xx, and
// nothing is stored half-way.
func TestBadInputOverTheWire(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	e.CreateAccount("cr@gob.cr", accounts.Official, "CR")
	c := e.SignIn("cr@gob.cr")
	pa := e.SignIn("pa@gob.pa")
	practice := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "public"))

	count := func() int64 {
		return dbtest.Int(t, e.DB.R, `SELECT (SELECT count(*) FROM practices) + (SELECT count(*) FROM comments) + (SELECT count(*) FROM practice_revisions)`)
	}
	before := count()

	raw := func(method, path, ctype, body string) *http.Request {
		req, err := http.NewRequest(method, c.Base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Origin", c.Base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return req
	}
	form := "application/x-www-form-urlencoded"
	valid := practiceForm("Título válido", []string{"CR"}, "public")
	valid.Set("action", "save")
	for _, tc := range []struct {
		name   string
		req    *http.Request
		stores bool // a 303 that stores something is a right answer
	}{
		{"malformed percent-encoding", raw("POST", "/practices", form, "title=%zz&summary=%"), false},
		{"invalid UTF-8 in the title", raw("POST", "/practices", form, "title=%ff%fe%fd&summary=ok&action=save"), false},
		{"NUL bytes in a comment", raw("POST", practice+"/comments", form, "body=%00%00%00"), false},
		{"invalid UTF-8 in a comment", raw("POST", practice+"/comments", form, "body=%c3%28"), false},
		{"JSON instead of a form", raw("POST", "/practices", "application/json", `{"title":"x"}`), false},
		{"no content type", raw("POST", practice+"/comments", "", "body=hola"), false},
		{"multipart without a boundary", raw("POST", "/practices", "multipart/form-data", "title=x"), false},
		{"broken multipart", raw("POST", "/practices", "multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx"), false},
		{"duplicated fields", raw("POST", "/practices", form, valid.Encode()+"&title=Otro&scope=nope&lang=xx"), true},
		{"unknown method on a page", raw("PATCH", "/practices", form, ""), false},
		{"made-up method", raw("BREW", "/", "", ""), false},
		{"DELETE on a practice", raw("DELETE", practice, "", ""), false},
		{"number too large for an id", raw("GET", "/practices/99999999999999999999999", "", ""), false},
		{"id that is not a number", raw("GET", "/practices/abc", "", ""), false},
		{"very long query string", raw("GET", "/practices?country="+strings.Repeat("PA,", 20000), "", ""), false},
		{"very long search", raw("GET", "/search?q="+strings.Repeat("migraci%C3%B3n+", 5000), "", ""), false},
		{"page out of range", raw("GET", "/practices?page=-1&after=zz&sort=%ff", "", ""), false},
		{"static: dot-dot", raw("GET", "/static/../go.mod", "", ""), false},
		{"static: encoded dot-dot", raw("GET", "/static/%2e%2e/go.mod", "", ""), false},
		{"static: encoded slash", raw("GET", "/static/..%2f..%2fgo.mod", "", ""), false},
		{"static: directory listing", raw("GET", "/static/", "", ""), false},
		{"static: backslash", raw("GET", "/static/..\\go.mod", "", ""), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.Do(tc.req)
			if res.Status >= 500 {
				t.Fatalf("%d\n%.600s", res.Status, res.Body)
			}
			if strings.Contains(res.Body, "module puente") || strings.Contains(res.Body, "<pre>\n<a href=") {
				t.Fatalf("static files escaped their directory or were listed")
			}
			if !utf8.ValidString(res.Body) {
				t.Errorf("answer is not valid UTF-8: %d %q %.300q", res.Status, res.Header, res.Body)
			}
			switch {
			case res.Status == http.StatusSeeOther && tc.stores:
			case res.Status == http.StatusOK && tc.req.Method == http.MethodGet:
			case res.Status >= 400 && res.Status < 500:
				if !strings.Contains(res.Header.Get("Content-Type"), "text/html") && tc.req.Method != http.MethodGet {
					t.Errorf("%d answered as %q, not a page", res.Status, res.Header.Get("Content-Type"))
				}
			default:
				t.Errorf("status %d", res.Status)
			}
		})
	}
	after := count()
	// Only the valid practice with duplicated fields may have been stored
	// (one practice and its first revision), and with the first values.
	if after-before > 2 {
		t.Errorf("%d rows stored by bad requests", after-before-2)
	}
	if after > before {
		var title, scope, lang string
		dbtest.Row(t, e.DB.R, `SELECT title, scope, lang FROM practices ORDER BY id DESC LIMIT 1`).Scan(&title, &scope, &lang)
		if title != "Título válido" || scope != "public" || lang != "es" {
			t.Errorf("duplicated fields stored %q %q %q", title, scope, lang)
		}
	}
	if bad := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM practices WHERE instr(title, char(65533)) > 0 OR instr(title, char(0)) > 0 OR instr(summary, char(0)) > 0`); bad != 0 {
		t.Errorf("%d practices stored with broken text", bad)
	}
}
