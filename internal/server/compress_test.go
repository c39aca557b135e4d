package server_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"puente/static"
)

// TestGzip: text answers over 1 KB go out gzipped to a browser that
// accepts it, static files from a copy compressed once; small answers,
// HEAD, pictures and browsers that refuse gzip get plain bytes; every
// answer varies by Accept-Encoding.
func TestGzip(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	for _, title := range []string{"Ventanilla única de migración", "Registro biométrico en frontera"} {
		publish(t, e, pa, practiceForm(title, []string{"PA"}, "public"))
	}
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, path, accept string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, e.HTTP.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		res, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	gunzip := func(b []byte) string {
		t.Helper()
		zr, err := gzip.NewReader(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, c := range []struct{ path, want string }{
		{"/practices", "</html>"},
		{"/signin", "</html>"},
		{static.URL("css/app.css"), ".site-header"},
		{"/feeds/practices.atom", "</feed>"},
	} {
		res, b := get("GET", c.path, "gzip, deflate, br")
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Content-Encoding %q, Vary %q", c.path, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
			continue
		}
		if body := gunzip(b); !strings.Contains(body, c.want) {
			t.Errorf("%s: the gzipped body lacks %q", c.path, c.want)
		}
		plainRes, plain := get("GET", c.path, "")
		if plainRes.Header.Get("Content-Encoding") != "" || !strings.Contains(string(plain), c.want) {
			t.Errorf("%s without Accept-Encoding: %q", c.path, plainRes.Header.Get("Content-Encoding"))
		}
		if len(b)*2 > len(plain) {
			t.Errorf("%s: gzip made %d bytes of %d", c.path, len(b), len(plain))
		}
	}
	for _, c := range []struct{ method, path, accept string }{
		{"GET", "/healthz", "gzip"},             // two bytes
		{"GET", "/practices", "gzip;q=0"},       // refused
		{"GET", "/practices", "identity"},       // not offered
		{"HEAD", "/practices", "gzip"},          // no body to compress
		{"GET", "/favicon.ico", "br"},           // not offered
		{"GET", "/no-such-page", "deflate, br"}, // not offered
	} {
		res, _ := get(c.method, c.path, c.accept)
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s %s (Accept-Encoding %q): Content-Encoding %q", c.method, c.path, c.accept, res.Header.Get("Content-Encoding"))
		}
	}
	// Pages made of kept parts (the list, a practice, the front page) are
	// pieced together from parts compressed when they were kept: read
	// back, they are the page as sent plain, byte for byte (the nonce and
	// form token aside, which change with every answer).
	var first string
	if res, b := get("GET", "/practices", ""); res.StatusCode == http.StatusOK {
		m := regexp.MustCompile(`href="(/practices/\d+)"`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("the list links no practice")
		}
		first = m[1]
	}
	perAnswer := regexp.MustCompile(`(nonce|value)="[^"]*"`)
	for _, path := range []string{"/practices", first, "/"} {
		for i := range 3 {
			_, plain := get("GET", path, "")
			res, b := get("GET", path, "gzip")
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: not gzipped", path)
				break
			}
			got, want := perAnswer.ReplaceAllString(gunzip(b), ""), perAnswer.ReplaceAllString(string(plain), "")
			if got != want {
				t.Errorf("%s (answer %d): the gzipped page differs from the plain one:\n%s\n---\n%s", path, i, got, want)
				break
			}
		}
	}
	// A redirect carries no body to compress and keeps its status.
	if res, _ := get("GET", "/account", "gzip"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("redirect: %d %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	// A 404 page in full is compressed like any page, its status kept.
	if res, b := get("GET", "/no-such-page", "gzip"); res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gunzip(b), "</html>") {
		t.Errorf("404 page: %d %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}

// TestStaticFiles: a static file is its embedded bytes, with its length,
// type and a validator per encoding; a browser holding it gets a 304, a
// range request its range, and a HEAD the headers alone.
func TestStaticFiles(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	want, err := static.Files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	do := func(method, path string, hdr map[string]string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, e.HTTP.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	url := static.URL("css/app.css")
	res, b := do("GET", url, nil)
	if res.StatusCode != 200 || string(b) != string(want) || res.Header.Get("Content-Length") != strconv.Itoa(len(want)) ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s: %d, %d bytes, headers %v", url, res.StatusCode, len(b), res.Header)
	}
	etag := res.Header.Get("ETag")
	zres, _ := do("GET", url, map[string]string{"Accept-Encoding": "gzip"})
	if etag == "" || zres.Header.Get("ETag") == "" || zres.Header.Get("ETag") == etag {
		t.Errorf("validators: plain %q, gzipped %q; want one each, different", etag, zres.Header.Get("ETag"))
	}
	if res, b := do("GET", url, map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified || len(b) != 0 {
		t.Errorf("If-None-Match its ETag: %d with %d bytes, want 304", res.StatusCode, len(b))
	}
	if res, b := do("GET", url, map[string]string{"Range": "bytes=0-9"}); res.StatusCode != http.StatusPartialContent || string(b) != string(want[:10]) {
		t.Errorf("a range: %d %q", res.StatusCode, b)
	}
	if res, b := do("HEAD", url, nil); res.StatusCode != 200 || len(b) != 0 || res.Header.Get("Content-Length") != strconv.Itoa(len(want)) {
		t.Errorf("HEAD: %d, %d bytes, length %q", res.StatusCode, len(b), res.Header.Get("Content-Length"))
	}
	if res, _ := do("GET", "/static/css/none.css", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a file that is not there: %d", res.StatusCode)
	}
}
