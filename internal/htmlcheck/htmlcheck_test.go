package htmlcheck

import (
	"strings"
	"testing"
)

const origin = "http://127.0.0.1:8080"

func page(body string) string {
	return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Puente</title>` +
		`<link rel="stylesheet" href="/static/css/app.css"><script src="/static/js/editor.js" defer></script></head><body>` + body + `</body></html>`
}

func TestCleanPagesPass(t *testing.T) {
	for name, body := range map[string]string{
		"text and links":           `<main><h1>Registro biométrico</h1><p><a href="https://www.migracion.gob.pa/" rel="nofollow">INM</a> &lt;script&gt;</p></main>`,
		"typed text in a field":    "<form><textarea name=body>\u202eevil<script>x</script></textarea><input value=\"\u200badmin\"></form>",
		"same-origin script":       `<script src="http://127.0.0.1:8080/static/x.js"></script>`,
		"an image drawn from data": `<img src="data:image/png;base64,AAAA" alt="">`,
		"mail styles":              `<p style="margin:0 0 16px;color:#5b6875">x</p>`,
		"svg path":                 `<svg class="qr" viewBox="0 0 10 10"><path d="M0 0h1v1H0z"/></svg>`,
		"joiners kept in emoji":    "<p>familia 👩\u200d👩\u200d👧</p>",
	} {
		if got := Page(page(body), origin); len(got) > 0 {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// Every rule catches what it is for: a check that cannot fail proves
// nothing.
func TestEveryRuleCatches(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`<p onclick="alert(1)">x</p>`, "onclick"},
		{`<svg><a onmouseover=alert(1)>x</a></svg>`, "onmouseover"},
		{`<a href=" JaVa&#x09;script:alert(1)">x</a>`, "href"},
		{`<a href="data:text/html,<script>alert(1)</script>">x</a>`, "href"},
		{`<form action="javascript:alert(1)"><button formaction="vbscript:x">b</button></form>`, "action"},
		{`<img src="data:text/html,x">`, "src"},
		{`<iframe src="/x"></iframe>`, "<iframe>"},
		{`<object data="/x"></object>`, "<object>"},
		{`<embed src="/x">`, "<embed>"},
		{`<base href="https://evil.example/">`, "<base>"},
		{`<portal src="/x"></portal>`, "<portal>"},
		{`<iframe srcdoc="<p>x</p>"></iframe>`, "srcdoc"},
		{`<script>alert(1)</script>`, "inline or foreign <script"},
		{`<script src="https://evil.example/x.js"></script>`, "inline or foreign <script"},
		{`<script src="//evil.example/x.js"></script>`, "inline or foreign <script"},
		{`<link rel="stylesheet" href="https://evil.example/x.css">`, "<link> to"},
		{`<style>body{display:none}</style>`, "<style> in body"},
		{`<meta http-equiv="refresh" content="0;url=https://evil.example/">`, "http-equiv"},
		{`<p style="background:url(https://evil.example/x.png)">x</p>`, "style="},
		{`<div style="position: fixed; top:0">x</div>`, "style="},
		{"<p>Informe \u202etxt.exe</p>", "hidden direction"},
		{"<p>admin\u200b</p>", "hidden direction"},
		{"<p title=\"x\">\U000E0041</p>", "hidden direction"},
		{`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, "xlink:href"},
	} {
		got := Page(page(tc.body), origin)
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("%s: got %q, want a problem naming %q", tc.body, got, tc.want)
		}
	}
}

func TestNextLink(t *testing.T) {
	if got := NextLink(page(`<nav><a href="/p?page=1" rel="prev">a</a><a rel="next" href="/p?after=20&amp;tag=4">b</a></nav>`)); got != "/p?after=20&tag=4" {
		t.Fatalf("NextLink = %q", got)
	}
	if got := NextLink(page(`<a href="/x">x</a>`)); got != "" {
		t.Fatalf("NextLink on a last page = %q", got)
	}
}
