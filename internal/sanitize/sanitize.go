// Package sanitize is the one road from user input to trusted HTML. It
// holds the single bluemonday policy that every rich-text field passes
// through before it is stored, and the single function that marks stored
// HTML as safe for templates.
package sanitize

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PolicyVersion names the policy below. Stored HTML records the version it
// was made with; raising this number and running "puente sanitize"
// re-sanitises every stored text from its raw input.
const PolicyVersion = 4

// LinkRel is set on every link: no endorsement, no window handle, no
// referrer for the sites officials link to.
const LinkRel = "nofollow noopener noreferrer"

var policy = newPolicy()

// newPolicy is bluemonday's UGC policy, tightened: the same text-level and
// structural elements, but no id, class or style anywhere, images only of
// the practices' own files, links only to http, https and mailto.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "code", "ul", "ol", "li", "dl", "dt", "dd",
		"strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "cite", "q", "span",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "colgroup", "col")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").OnElements("a", "abbr")
	p.AllowElements("abbr")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]?$`)).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("span").Matching(regexp.MustCompile(`^[1-9][0-9]?$`)).OnElements("col", "colgroup")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	// Language and direction matter for blocks (a quotation in Portuguese
	// inside a Spanish text); on inline spans they are paste noise.
	blocks := []string{"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "td", "th", "q"}
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(ltr|rtl|auto)$`)).OnElements(blocks...)
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)).OnElements(blocks...)
	p.AllowElements("td", "th")
	// Pictures only from the practice's own files: normalize turns an
	// <img src="/attachments/N"> into a marker the policy checks, finish
	// turns it back (policy 4). No other image source exists.
	p.AllowAttrs("data-attachment").Matching(regexp.MustCompile(`^[1-9][0-9]{0,17}$`)).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	// rel is set after parsing (see finish), so that every link gets
	// exactly LinkRel.
	p.RequireNoFollowOnLinks(false)
	return p
}

// Rich sanitises one rich-text field: it normalises what word processors
// paste, applies the policy, and re-parses the result so that unbalanced
// tags cannot swallow the rest of a page.
func Rich(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	// Hidden characters go before the final re-parse (which trims what
	// they leave at the edges) and again after it, in case the re-parse
	// joined the bytes around a dropped one into a new one.
	cleaned := StripHidden(policy.Sanitize(normalize(raw)))
	return StripHidden(finish(cleaned))
}

// HTML marks stored, sanitised HTML as safe to render. It must only ever be
// given the output of Rich, read back from the database.
func HTML(sanitized string) template.HTML {
	return template.HTML(sanitized) //nolint:gosec // the output of Rich, by contract
}

var bodyContext = &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}

// parse reads an HTML fragment as the content of a body, under a
// synthetic root so that any node, even a top-level one, can be unwrapped.
func parse(s string) *html.Node {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), bodyContext)
	if err != nil {
		return root
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// render writes the root's children.
func render(root *html.Node) string {
	var buf bytes.Buffer
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&buf, c)
	}
	return buf.String()
}

// finish re-parses sanitised HTML, sets rel on links, drops spans and
// links that carry nothing, and renders it in canonical form. Dropping a wrapper can
// leave nesting that a parser reads differently (a heading inside a
// heading), so it repeats until parsing the output gives the output back.
func finish(s string) string {
	for range 8 {
		next := finishOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

func finishOnce(s string) string {
	root := parse(s)
	var empty, removed []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.A:
			var attrs []html.Attribute
			for _, a := range n.Attr {
				if a.Key != "href" {
					continue
				}
				if href, ok := safeHref(a.Val); ok {
					attrs = append(attrs, html.Attribute{Key: "href", Val: href})
				}
			}
			// A link the policy left without a target (it kept only a
			// title) goes to nowhere, and the policy drops such a link the
			// next time it sees it: it is unwrapped now, so that the
			// output is a fixed point.
			if len(attrs) == 0 {
				empty = append(empty, n)
				return
			}
			n.Attr = append(attrs, html.Attribute{Key: "rel", Val: LinkRel})
		case atom.Span:
			if len(n.Attr) == 0 {
				empty = append(empty, n)
			}
		case atom.Img:
			var attrs []html.Attribute
			for _, a := range n.Attr {
				switch a.Key {
				case "data-attachment":
					attrs = append([]html.Attribute{{Key: "src", Val: "/attachments/" + a.Val}}, attrs...)
				case "src":
					if attachmentSrc.MatchString(a.Val) {
						attrs = append([]html.Attribute{{Key: "src", Val: a.Val}}, attrs...)
					}
				case "alt":
					attrs = append(attrs, a)
				}
			}
			if len(attrs) == 0 || attrs[0].Key != "src" {
				removed = append(removed, n)
				return
			}
			n.Attr = attrs
		}
	})
	for _, n := range empty {
		unwrap(n)
	}
	for _, n := range removed {
		n.Parent.RemoveChild(n)
	}
	return strings.TrimSpace(render(root))
}

// attachmentSrc is the one image source text may use: a file of
// Puente's own, by number.
var attachmentSrc = regexp.MustCompile(`^/attachments/([1-9][0-9]{0,17})$`)

var mailAddress = regexp.MustCompile(`^[A-Za-z0-9.!#$&'*+/=^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$`)

// safeHref returns the link a sanitised href may keep. A mailto link is
// reduced to one plain address: its query (subject, body, cc, bcc) and any
// encoded line break would let a link add recipients or headers to the
// mail it opens. Other links, already checked by the policy, are kept.
func safeHref(href string) (string, bool) {
	rest, ok := cutPrefixFold(href, "mailto:")
	if !ok {
		return href, true
	}
	addr, _, _ := strings.Cut(rest, "?")
	if !mailAddress.MatchString(addr) {
		return "", false
	}
	return "mailto:" + addr, true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		walk(c, fn)
		c = next
	}
}

var (
	boldStyle   = regexp.MustCompile(`(?i)font-weight\s*:\s*(bold|bolder|[6-9]00)`)
	italicStyle = regexp.MustCompile(`(?i)font-style\s*:\s*italic`)
	normalStyle = regexp.MustCompile(`(?i)font-weight\s*:\s*(normal|[1-4]00)`)
)

// normalize turns what word processors express with styles into plain
// elements before the styles are removed: Google Docs wraps a whole paste
// in a <b style="font-weight:normal"> and marks bold and italic on spans.
// It also sets headings at the two levels a section has.
func normalize(raw string) string {
	root := parse(raw)
	var wrappers []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		// A picture from the practice's files keeps its file's number as
		// a marker; any other image source is dropped (policy 4).
		if n.DataAtom == atom.Img {
			var keep []html.Attribute
			if m := attachmentSrc.FindStringSubmatch(attr(n, "src")); m != nil {
				keep = append(keep, html.Attribute{Key: "data-attachment", Val: m[1]})
			}
			if alt := attr(n, "alt"); alt != "" {
				keep = append(keep, html.Attribute{Key: "alt", Val: alt})
			}
			n.Attr = keep
		}
		// Headings sit below the section's own title: h1 and h2 become
		// h3, h5 and h6 become h4 (policy 3).
		switch n.DataAtom {
		case atom.H1, atom.H2:
			n.DataAtom, n.Data = atom.H3, "h3"
		case atom.H5, atom.H6:
			n.DataAtom, n.Data = atom.H4, "h4"
		}
		style := attr(n, "style")
		switch {
		case n.DataAtom == atom.B && (strings.HasPrefix(attr(n, "id"), "docs-internal-guid") || normalStyle.MatchString(style)):
			wrappers = append(wrappers, n)
		case n.DataAtom == atom.Span && style != "":
			if italicStyle.MatchString(style) {
				wrapChildren(n, atom.Em)
			}
			if boldStyle.MatchString(style) {
				wrapChildren(n, atom.Strong)
			}
		}
	})
	for _, n := range wrappers {
		unwrap(n)
	}
	// Editors put a paragraph in every list item and table cell, and keep
	// empty paragraphs as spacing: a lone paragraph in an item or cell is
	// unwrapped, and empty paragraphs go (policy 3).
	var empty, lone []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.P:
			if blank(n) {
				empty = append(empty, n)
			}
		case atom.Li, atom.Td, atom.Th:
			if p := onlyChild(n); p != nil && p.DataAtom == atom.P {
				lone = append(lone, p)
			}
		}
	})
	for _, n := range empty {
		n.Parent.RemoveChild(n)
	}
	for _, n := range lone {
		if n.Parent != nil {
			unwrap(n)
		}
	}
	return render(root)
}

// blank reports whether a paragraph shows nothing: no text but spaces,
// nothing but line breaks.
func blank(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", "")) == "":
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
		case c.Type == html.CommentNode:
		default:
			return false
		}
	}
	return true
}

// onlyChild is n's one element child when n holds nothing else but
// spaces, or nil.
func onlyChild(n *html.Node) *html.Node {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && only == nil:
			only = c
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		default:
			return nil
		}
	}
	return only
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// unwrap replaces n by its children. It is called after a walk, never
// during one, so that the walk sees every node.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
		c = next
	}
	n.Parent.RemoveChild(n)
}

func wrapChildren(n *html.Node, a atom.Atom) {
	w := &html.Node{Type: html.ElementNode, Data: a.String(), DataAtom: a}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		w.AppendChild(c)
		c = next
	}
	n.AppendChild(w)
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true, atom.Tr: true,
	atom.Dt: true, atom.Dd: true, atom.Hr: true, atom.Table: true, atom.Ul: true, atom.Ol: true,
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// Text renders sanitised HTML as plain text, one block per line, for
// comparing revisions and for search snippets.
func Text(sanitized string) string {
	var b strings.Builder
	root := parse(sanitized)
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		textOf(&b, c)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

func textOf(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if n.DataAtom == atom.Li {
			b.WriteString("\n• ")
		} else if blockAtoms[n.DataAtom] {
			b.WriteString("\n")
		}
		if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			b.WriteString(" | ")
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		textOf(b, c)
	}
	if n.Type == html.ElementNode && blockAtoms[n.DataAtom] {
		b.WriteString("\n")
	}
}

// HiddenControl reports the invisible characters that change how other
// text reads without showing themselves: bidirectional embeddings,
// overrides and isolates (a filename "txt.exe" shown as "exe.txt"), the
// zero-width space, word joiner and byte-order mark (an "admin" that is
// not "admin"), and Unicode tag characters. None is needed in the working
// languages; the zero-width joiner and non-joiner, which emoji and some
// scripts need, are kept.
func HiddenControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x061C:
		return true
	case r == 0x200B, r == 0x2060, r == 0xFEFF:
		return true
	case r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return false
}

// StripHidden removes the hidden control characters from s.
func StripHidden(s string) string {
	if !strings.ContainsFunc(s, HiddenControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if HiddenControl(r) {
			return -1
		}
		return r
	}, s)
}

// Plain tidies one plain-text field: hidden control characters removed,
// surrounding space trimmed.
func Plain(s string) string { return strings.TrimSpace(StripHidden(s)) }
