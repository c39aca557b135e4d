package sanitize

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var allowedElements = map[string]bool{
	"p": true, "div": true, "br": true, "hr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "code": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"strong": true, "b": true, "em": true, "i": true, "u": true, "s": true, "del": true, "ins": true, "sub": true, "sup": true,
	"small": true, "mark": true, "cite": true, "q": true, "span": true, "abbr": true, "a": true, "img": true,
	"table": true, "caption": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "td": true, "th": true,
	"colgroup": true, "col": true,
}

var forbiddenElements = []string{"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "link", "meta", "input", "button", "textarea", "frame", "frameset", "template", "noscript", "xmp", "plaintext", "noembed", "audio", "video", "source"}

// checkSafe asserts the properties the policy promises about its output.
func checkSafe(t testing.TB, in, out string) {
	t.Helper()
	root := parse(out)
	walk(root, func(n *html.Node) {
		if n == root || n.Type != html.ElementNode {
			return
		}
		if !allowedElements[n.Data] {
			t.Fatalf("element <%s> in output\ninput:  %q\noutput: %q", n.Data, in, out)
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			switch {
			case k == "src" && n.Data == "img" && attachmentSrc.MatchString(a.Val):
				// a file of the practice's own: the one image source
			case strings.HasPrefix(k, "on"), k == "style", k == "class", k == "id", k == "src", k == "srcset", k == "formaction", k == "xlink:href":
				t.Fatalf("attribute %s=%q on <%s>\ninput:  %q\noutput: %q", a.Key, a.Val, n.Data, in, out)
			case k == "href":
				u, err := url.Parse(a.Val)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
					t.Fatalf("link %q\ninput:  %q\noutput: %q", a.Val, in, out)
				}
				if u.Scheme == "mailto" && (strings.ContainsAny(a.Val, "?%\r\n") || u.RawQuery != "") {
					t.Fatalf("mailto link with more than an address: %q\ninput:  %q", a.Val, in)
				}
			case k == "rel" && a.Val != LinkRel:
				t.Fatalf("rel %q", a.Val)
			}
		}
		if n.Data == "a" && attr(n, "rel") != LinkRel {
			t.Fatalf("link without rel: %q", out)
		}
	})
	lower := strings.ToLower(out)
	for _, e := range forbiddenElements {
		if strings.Contains(lower, "<"+e+" ") || strings.Contains(lower, "<"+e+">") || strings.Contains(lower, "<"+e+"/") {
			t.Fatalf("<%s appears in output %q (input %q)", e, out, in)
		}
	}
	// The one image there may be is a file of the practice's own.
	if strings.Count(lower, "<img") != strings.Count(lower, `<img src="/attachments/`) {
		t.Fatalf("an image from elsewhere in output %q (input %q)", out, in)
	}
	if again := Rich(out); again != out {
		t.Fatalf("not idempotent\ninput:  %q\nonce:   %q\ntwice:  %q", in, out, again)
	}
}

func TestPolicyTable(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain paragraph", `<p>Registro biométrico</p>`, `<p>Registro biométrico</p>`},
		{"script removed with content", `<p>a</p><script>alert(1)</script>`, `<p>a</p>`},
		{"event handler", `<p onmouseover="alert(1)">a</p>`, `<p>a</p>`},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, `x`},
		{"data link", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, `x`},
		{"vbscript link", `<a href="vbscript:msgbox(1)">x</a>`, `x`},
		{"relative link", `<a href="/admin">x</a>`, `x`},
		{"link with only a title", `<A title >`, ``},
		{"mailto keeps the address only", `<a href="mailto:contacto@migracion.gob.pa?subject=Hola&amp;bcc=otro@evil.example">c</a>`, `<a href="mailto:contacto@migracion.gob.pa" rel="nofollow noopener noreferrer">c</a>`},
		{"mailto with encoded line breaks", `<a href="mailto:x@y.z?subject=%0d%0aBcc:evil@evil.example">m</a>`, `<a href="mailto:x@y.z" rel="nofollow noopener noreferrer">m</a>`},
		{"mailto with a line break in the address", `<a href="mailto:x@y.z%0d%0aBcc:evil@evil.example">m</a>`, `m`},
		{"mailto upper case", `<a href="MAILTO:a.b+c@gob.pa">m</a>`, `<a href="mailto:a.b+c@gob.pa" rel="nofollow noopener noreferrer">m</a>`},
		{"link with a title and text", `<p><a title="t">uno</a> dos</p>`, `<p>uno dos</p>`},
		{"http link gets rel", `<a href="http://www.migracion.gob.pa" title="INM" target="_blank" rel="opener">INM</a>`, `<a href="http://www.migracion.gob.pa" rel="nofollow noopener noreferrer">INM</a>`},
		{"mailto", `<a href="mailto:contacto@migracion.gob.pa">contacto</a>`, `<a href="mailto:contacto@migracion.gob.pa" rel="nofollow noopener noreferrer">contacto</a>`},
		{"image removed", `<p>a<img src="https://evil.example/x.png" onerror="alert(1)">b</p>`, `<p>ab</p>`},
		{"iframe removed", `<iframe src="https://evil.example"></iframe><p>ok</p>`, `<p>ok</p>`},
		{"svg removed", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg><p>ok</p>`, `x<p>ok</p>`},
		{"math removed", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`, `<table></table>`},
		{"form removed", `<form action="https://evil.example"><input name="pw"><button>go</button></form>`, `go`},
		{"style element removed", `<style>body{display:none}</style><p>x</p>`, `<p>x</p>`},
		{"style and class attrs removed", `<p style="color:red" class="big" id="top">x</p>`, `<p>x</p>`},
		{"base removed", `<base href="https://evil.example/"><p>x</p>`, `<p>x</p>`},
		{"unbalanced tags closed", `<ul><li>uno<li>dos`, `<ul><li>uno</li><li>dos</li></ul>`},
		{"stray closing tags", `</div></td></table><p>x</p>`, `<p>x</p>`},
		{"headings lists quote code", `<h2>T</h2><h5>U</h5><ol start="3"><li>a</li></ol><blockquote>c</blockquote><pre><code>x := 1</code></pre>`, `<h3>T</h3><h4>U</h4><ol start="3"><li>a</li></ol><blockquote>c</blockquote><pre><code>x := 1</code></pre>`},
		{"table kept", `<table><caption>Cifras</caption><tr><th scope="col">Año</th></tr><tr><td rowspan="2">2021</td></tr></table>`, `<table><caption>Cifras</caption><tbody><tr><th scope="col">Año</th></tr><tr><td rowspan="2">2021</td></tr></tbody></table>`},
		{"bad table attrs", `<table><tr><td colspan="9999" onclick="x">a</td></tr></table>`, `<table><tbody><tr><td>a</td></tr></tbody></table>`},
		{"comment removed", `<p>a<!-- secret --></p>`, `<p>a</p>`},
		{"entities kept as text", `<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`, `<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`},
		{"empty", "  \n ", ""},
		{"plain text becomes text", `uno < dos & tres`, `uno &lt; dos &amp; tres`},
		{"noscript mutation", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `&#34;&gt;`},
		{"picture of a file of the practice", `<p><img src="/attachments/12" alt="Foto del puesto" onerror="alert(1)" width="900"></p>`, `<p><img src="/attachments/12" alt="Foto del puesto"/></p>`},
		{"picture from elsewhere", `<img src="https://tracker.example/p.gif"><img src="javascript:alert(1)"><img src="/attachments/1/../../admin"><img src="data:image/png;base64,AAAA"><img data-attachment="3">`, ``},
		{"lang and dir", `<p lang="pt-BR" dir="ltr">olá</p><p lang="x onclick=1">no</p>`, `<p lang="pt-BR" dir="ltr">olá</p><p>no</p>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rich(tc.in)
			if got != tc.want {
				t.Errorf("Rich(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			checkSafe(t, tc.in, got)
		})
	}
}

// Pasted from word processors: the result keeps the structure people
// wrote (headings, lists, bold, links, tables) and nothing of the styling.
func TestPastedFromWordProcessors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		wants []string
	}{
		{"Microsoft Word", wordPaste, []string{
			"<h3>Registro biométrico de migrantes en tránsito</h3>",
			"<b>Servicio Nacional de Migración</b>",
			`<a href="https://www.migracion.gob.pa/" rel="nofollow noopener noreferrer">`,
			"<table>", "<td>Darién</td>", "<li>Captura de huellas",
		}},
		{"Google Docs", gdocsPaste, []string{
			`<h3 dir="ltr">Resultados</h3>`,
			"<strong>120 000 personas</strong>",
			"<em> en tiempo real</em>",
			`<ul><li dir="ltr">`, "<td>Paso Canoas</td>",
			`<a href="https://www.gob.pa/" rel="nofollow noopener noreferrer">`,
		}},
		{"LibreOffice", libreOfficePaste, []string{
			"<h3>Lições aprendidas</h3>",
			"<b>interoperabilidade</b>",
			"<ol><li>", "<td>Roraima</td>",
			`<a href="https://www.gov.br/" rel="nofollow noopener noreferrer">`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rich(tc.in)
			checkSafe(t, tc.in, got)
			for _, w := range tc.wants {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, bad := range []string{"Mso", "mso-", "o:p", "style=", "class=", "docs-internal", "<meta", "font-family", "<span"} {
				if strings.Contains(got, bad) {
					t.Errorf("left %q in\n%s", bad, got)
				}
			}
		})
	}
}

func TestText(t *testing.T) {
	got := Text(Rich(`<h2>Contexto</h2><p>Uno <b>dos</b></p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>`))
	want := "Contexto\n\nUno dos\n\n• a\n\n• b\n\n| x | y"
	if got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestHTMLMarksTrusted(t *testing.T) {
	if string(HTML("<p>x</p>")) != "<p>x</p>" {
		t.Fatal("HTML changed its input")
	}
}

func FuzzRich(f *testing.F) {
	for _, s := range []string{
		wordPaste, gdocsPaste, libreOfficePaste,
		`<a href="javascript:alert(1)">x</a>`, `<svg onload=alert(1)>`, `<img src=x onerror=alert(1)>`,
		`<table><td><table><td>`, `<p>unclosed <b>bold <i>both`, `<math><mi xlink:href="data:x,<script>alert(4)</script>">`,
		`<a href="  JaVaScRiPt:alert(1)">`, `<a href="http://x/&#x6A;avascript">`, `<<p>>`, "<p>\u202Eevil\u202C</p>",
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `<style><style/><img src=x onerror=alert(1)>`,
		`<b style="font-weight:normal" id="docs-internal-guid-1"><span style="font-weight:700">x</span></b>`,
		`<a href="mailto:x@y.org?subject=<script>">m</a>`, `<ol start="-1"><li>x`, `<td colspan=2>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSafe(t, in, Rich(in))
	})
}

func TestHiddenControlsAreRemoved(t *testing.T) {
	cases := map[string]string{
		"Informe \u202etxt.exe":         "Informe txt.exe",
		"\u2067Panamá\u2069 registro":   "Panamá registro",
		"admin\u200b":                   "admin",
		"Zero\ufeffwidth\u2060joiner":   "Zerowidthjoiner",
		"tag\U000E0041\U000E0042 chars": "tag chars",
		"familia 👩\u200d👩\u200d👧":       "familia 👩\u200d👩\u200d👧", // the joiner stays
		"  plain text, untouched  ":     "plain text, untouched",
		"\u061cArabic letter mark":      "Arabic letter mark",
	}
	for in, want := range cases {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Rich("<p>Texto \u202eoculto</p>"); got != "<p>Texto oculto</p>" {
		t.Errorf("Rich kept a direction override: %q", got)
	}
}

func TestMarkupEscapesValues(t *testing.T) {
	var m Markup
	m.Tag(`<a href="`)
	m.Text(`/x" onclick="y`)
	m.Tag(`">`)
	m.Text(`<script>&'`)
	m.Tag(`</a>`)
	if got, want := string(m.HTML()), `<a href="/x&#34; onclick=&#34;y">&lt;script&gt;&amp;&#39;</a>`; got != want {
		t.Errorf("markup %q, want %q", got, want)
	}
}
