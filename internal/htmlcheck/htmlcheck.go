// Package htmlcheck reads a served page as a browser's parser would and
// lists the markup through which stored content could run script, load
// from another origin, restyle the page or hide what text says. The
// hostile-content test runs it over every page that shows a sample, in
// process; a browser pass then renders one page of each kind.
package htmlcheck

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"puente/internal/sanitize"
)

// urlAttrs are the attributes a browser fetches or follows.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "data": true, "poster": true,
	"background": true, "ping": true, "lowsrc": true, "dynsrc": true, "codebase": true, "cite": true, "longdesc": true,
	"srcset": true, "manifest": true, "icon": true,
}

// framing elements embed another document or change where links go.
var framing = map[atom.Atom]bool{
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true, atom.Embed: true,
	atom.Applet: true, atom.Base: true,
}

var (
	scriptScheme = regexp.MustCompile(`^(javascript|vbscript|livescript|data):`)
	badStyle     = regexp.MustCompile(`url\(|expression|behavior|binding|position:fixed|@import`)
	spaceOrCtl   = regexp.MustCompile(`[\x00-\x20]+`)
)

// Page lists what is wrong with page, served from origin (scheme and
// host, "http://127.0.0.1:1234"): each problem names the element and what
// it carries. An empty list is a clean page.
func Page(page, origin string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"page does not parse: " + err.Error()}
	}
	var out []string
	add := func(format string, args ...any) {
		if len(out) < 20 {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	var walk func(n *html.Node, inBody, rawText bool)
	walk = func(n *html.Node, inBody, rawText bool) {
		switch n.Type {
		case html.TextNode:
			// What a person typed comes back to them in a field as typed.
			if !rawText && strings.ContainsFunc(n.Data, sanitize.HiddenControl) {
				add("hidden direction or zero-width character in text %q", clip(n.Data))
			}
		case html.ElementNode:
			checkElement(n, inBody, origin, add)
			switch n.DataAtom {
			case atom.Body:
				inBody = true
			case atom.Textarea, atom.Script, atom.Style, atom.Title:
				rawText = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody, rawText)
		}
	}
	walk(doc, false, false)
	return out
}

func checkElement(n *html.Node, inBody bool, origin string, add func(string, ...any)) {
	tag := n.Data
	if n.Namespace != "" {
		tag = n.Namespace + ":" + n.Data
	}
	switch {
	case (framing[n.DataAtom] || n.Data == "portal") && n.Namespace == "":
		add("<%s> element", tag)
	case n.DataAtom == atom.Meta && (attr(n, "http-equiv") != "" || inBody):
		add("<meta http-equiv=%q> (in body: %v)", attr(n, "http-equiv"), inBody)
	case n.DataAtom == atom.Script:
		if src, ok := attrOK(n, "src"); !ok || !sameOrigin(src, origin) {
			add("inline or foreign <%s src=%q>", tag, clip(src))
		}
	case n.DataAtom == atom.Link && n.Namespace == "":
		if href := attr(n, "href"); !sameOrigin(href, origin) {
			add("<link> to %q", clip(href))
		}
	case n.DataAtom == atom.Style && inBody:
		add("<style> in body")
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = a.Namespace + ":" + key
		}
		v := strings.ToLower(spaceOrCtl.ReplaceAllString(a.Val, ""))
		switch {
		case strings.HasPrefix(key, "on"):
			add("<%s %s=%q>", tag, key, clip(a.Val))
		case key == "srcdoc":
			add("<%s srcdoc>", tag)
		case urlAttrs[key] && scriptScheme.MatchString(v):
			// An image may be drawn from data; nothing else may run or
			// load from a URL that carries its own content.
			if !(n.DataAtom == atom.Img && key == "src" && strings.HasPrefix(v, "data:image/")) {
				add("<%s %s=%q>", tag, key, clip(a.Val))
			}
		case key == "style" && badStyle.MatchString(v):
			add("<%s style=%q>", tag, clip(a.Val))
		}
	}
}

// sameOrigin tells whether ref, as written in a page from origin, stays on
// origin: a path, or an absolute URL with the same scheme and host.
func sameOrigin(ref, origin string) bool {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return false
	}
	if u.Scheme == "" && u.Host == "" {
		return true
	}
	o, err := url.Parse(origin)
	return err == nil && u.Scheme == o.Scheme && u.Host == o.Host
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func clip(s string) string {
	if r := []rune(s); len(r) > 50 {
		return string(r[:50]) + "…"
	}
	return s
}

// NextLink is the href of the page's first <a rel="next">, or "".
func NextLink(page string) string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return ""
	}
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A && strings.Contains(" "+attr(n, "rel")+" ", " next ") {
			found = attr(n, "href")
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}
