package sanitize

import (
	"html/template"
	"strings"
)

// Markup builds HTML in Go where a template costs too much (a list's
// twenty cards): the program's own tags with Tag, every value from data
// with Text, escaped as html/template escapes text and quoted attributes.
// With Rich's output (HTML), it is the other road to trusted HTML.
type Markup struct{ b strings.Builder }

// Grow makes room for n more bytes, so that markup of a size known
// beforehand is written into one allocation.
func (m *Markup) Grow(n int) { m.b.Grow(n) }

// Tag writes the program's own markup. It must never be given data.
func (m *Markup) Tag(tags ...string) {
	for _, t := range tags {
		m.b.WriteString(t)
	}
}

// Text writes a value, escaped.
func (m *Markup) Text(s string) { m.b.WriteString(template.HTMLEscapeString(s)) }

// Rich writes stored, sanitised HTML as it is. It must only ever be given
// the output of Rich, read back from the database (as HTML).
func (m *Markup) Rich(sanitized string) { m.b.WriteString(sanitized) }

// HTML is what was written, marked safe to render.
func (m *Markup) HTML() template.HTML {
	return template.HTML(m.b.String()) //nolint:gosec // tags from the program, values escaped
}
