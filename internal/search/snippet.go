package search

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Mark is a piece of a snippet; Hit is true for the words that matched.
type Mark struct {
	Text string
	Hit  bool
}

// folders hands each goroutine its own transformer: a transform.Chain
// keeps state between calls and must not be shared.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold lowers case and removes diacritics, as the index does.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := folders.Get().(transform.Transformer)
	out, _, err := transform.String(t, strings.ToLower(s))
	folders.Put(t)
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

type word struct{ start, end int }

func words(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(text)})
	}
	return out
}

// Snippet is the passage of text around the first matched word, about
// width words long, with the matched words marked. It is computed here,
// not by FTS5, because FTS5 must walk a common word's whole list to place
// one document's snippet.
func Snippet(text string, terms []Term, width int) []Mark {
	ws := words(text)
	if len(ws) == 0 {
		return nil
	}
	type folded struct {
		word   string
		prefix bool
	}
	var want []folded
	for _, t := range terms {
		for i, tw := range t.Words {
			want = append(want, folded{Fold(tw), t.Prefix && i == len(t.Words)-1})
		}
	}
	// Words are folded only when looked at: the scan stops at the first
	// hit, and the window after it is short.
	hit := func(w word) bool {
		f := Fold(text[w.start:w.end])
		for _, t := range want {
			if f == t.word || (t.prefix && strings.HasPrefix(f, t.word)) {
				return true
			}
		}
		return false
	}
	first := -1
	for i, w := range ws {
		if hit(w) {
			first = i
			break
		}
	}
	from := 0
	if first > width/3 {
		from = first - width/3
	}
	to := min(len(ws), from+width)
	var out []Mark
	if from > 0 {
		out = append(out, Mark{Text: "… "})
	}
	pos := ws[from].start
	for _, w := range ws[from:to] {
		if hit(w) {
			if w.start > pos {
				out = append(out, Mark{Text: text[pos:w.start]})
			}
			out = append(out, Mark{Text: text[w.start:w.end], Hit: true})
			pos = w.end
		}
	}
	end := ws[to-1].end
	if end > pos {
		out = append(out, Mark{Text: text[pos:end]})
	}
	if to < len(ws) {
		out = append(out, Mark{Text: " …"})
	}
	return out
}
