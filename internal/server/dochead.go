package server

import (
	"bytes"
	"strings"

	"puente/static"
)

// writeDocHead writes the start of every page, from the doctype to the
// skip link: its title, the assets, the description and sharing preview,
// and the page's feeds. It was the template every page runs first, a
// twentieth of a list page's time in reflective calls for a few lines of
// markup. Values are escaped as html/template escapes them: text and
// attributes (escapeText), addresses in src and href (escapeURL).
func writeDocHead(b *bytes.Buffer, v *View) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"")
	escapeText(b, v.Lang)
	b.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if v.TitleText != "" {
		escapeText(b, v.TitleText)
	} else {
		escapeText(b, v.T(v.Title))
	}
	b.WriteString(" · Puente</title>\n")
	// Each optional line ends in a newline, there or not, as the
	// template's did.
	if v.Editor {
		if _, ok := static.Hashes["vendor/editor/editor.js"]; ok {
			writeScript(b, "vendor/editor/editor.js")
		}
	}
	b.WriteString("\n")
	if v.Editor || v.DraftSaved {
		writeScript(b, "js/drafts.js")
	}
	b.WriteString("\n<link rel=\"stylesheet\" href=\"")
	escapeURL(b, static.URL("css/app.css"))
	b.WriteString("\">\n<link rel=\"icon\" href=\"")
	escapeURL(b, static.URL("img/favicon.svg"))
	b.WriteString("\" type=\"image/svg+xml\">\n")
	if v.Description != "" {
		b.WriteString("<meta name=\"description\" content=\"")
		escapeText(b, v.Description)
		b.WriteString("\">")
	}
	b.WriteString("\n")
	if sh := v.Share; sh != nil {
		b.WriteString("<meta property=\"og:site_name\" content=\"Puente\">\n")
		for _, m := range [...][2]string{{"type", sh.Type}, {"title", sh.Title}, {"description", sh.Description}, {"url", sh.URL}, {"locale", v.Lang}} {
			b.WriteString("<meta property=\"og:")
			b.WriteString(m[0])
			b.WriteString("\" content=\"")
			escapeText(b, m[1])
			b.WriteString("\">\n")
		}
		b.WriteString("<meta name=\"twitter:card\" content=\"summary\">")
	}
	b.WriteString("\n")
	for _, f := range v.Feeds {
		b.WriteString("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
		escapeText(b, f.Title)
		b.WriteString("\" href=\"")
		escapeURL(b, f.URL)
		b.WriteString("\">\n")
	}
	b.WriteString("</head>\n<body")
	if v.DraftSaved {
		b.WriteString(" data-draft-saved")
	}
	b.WriteString(">\n<a class=\"skip\" href=\"#main\">")
	escapeText(b, v.T("nav.skip"))
	b.WriteString("</a>\n")
}

func writeScript(b *bytes.Buffer, asset string) {
	b.WriteString("<script src=\"")
	escapeURL(b, static.URL(asset))
	b.WriteString("\" defer></script>")
}

// escapeText writes s escaped for HTML text and quoted attributes, as
// html/template escapes them.
func escapeText(b *bytes.Buffer, s string) { htmlEscaper.WriteString(b, s) }

var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// escapeURL writes the address u for a src or href attribute, as
// html/template does: a scheme other than http, https or mailto becomes
// "#ZgotmplZ", bytes outside a URL's own characters are percent-encoded
// (valid escapes are kept), and the result is escaped for the attribute.
func escapeURL(b *bytes.Buffer, u string) {
	if scheme, _, ok := strings.Cut(u, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	var n strings.Builder
	n.Grow(len(u))
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0,
			c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			n.WriteByte(c)
		default:
			n.WriteByte('%')
			n.WriteByte("0123456789abcdef"[c>>4])
			n.WriteByte("0123456789abcdef"[c&15])
		}
	}
	escapeText(b, n.String())
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
