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

// scan finds the terms among a text's words as FTS5 matches them: a word
// alone, a phrase as its words in a row, the last word of a term typed
// as a prefix. Words are found only as far as they are looked at, and
// folded only when they might match: a snippet's scan stops a window past
// the first match, and most of a practice's text is never read.
type scan struct {
	text   string
	pos    int // where finding words goes on
	ws     []word
	folded []string
	want   []want
}

type want struct {
	words  []string // folded
	prefix bool
}

func newScan(text string, terms []Term) *scan {
	s := &scan{text: text}
	for _, t := range terms {
		w := want{prefix: t.Prefix}
		for _, tw := range t.Words {
			if f := Fold(tw); f != "" {
				w.words = append(w.words, f)
			}
		}
		s.want = append(s.want, w)
	}
	return s
}

// has reports whether the text has a word i, finding words up to it.
func (s *scan) has(i int) bool {
	for len(s.ws) <= i && s.pos < len(s.text) {
		start := -1
		end := len(s.text)
		for j, r := range s.text[s.pos:] {
			if isWordRune(r) {
				if start < 0 {
					start = s.pos + j
				}
				continue
			}
			if start >= 0 {
				end = s.pos + j
				break
			}
		}
		if start < 0 {
			s.pos = len(s.text)
			break
		}
		s.ws = append(s.ws, word{start, end})
		s.folded = append(s.folded, "")
		s.pos = end
	}
	return i < len(s.ws)
}

// count is the number of words in the whole text.
func (s *scan) count() int {
	s.has(len(s.text))
	return len(s.ws)
}

func (s *scan) fold(i int) string {
	if s.folded[i] == "" {
		s.folded[i] = Fold(s.text[s.ws[i].start:s.ws[i].end])
	}
	return s.folded[i]
}

// couldBe tells, without folding, whether word i may fold to something
// starting with the folded tw: an ASCII first letter must be tw's.
func (s *scan) couldBe(i int, tw string) bool {
	c := s.text[s.ws[i].start]
	if c >= 0x80 {
		return true
	}
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c == tw[0]
}

// at returns the end (a word index, exclusive) of the longest term that
// matches from word i, and that term's index; end is 0 when none does.
func (s *scan) at(i int) (end, term int) {
	for t, w := range s.want {
		n := len(w.words)
		if n == 0 || !s.has(i+n-1) || i+n <= end {
			continue
		}
		ok := true
		for j, tw := range w.words {
			if !s.couldBe(i+j, tw) {
				ok = false
				break
			}
			f := s.fold(i + j)
			if f != tw && !(w.prefix && j == n-1 && strings.HasPrefix(f, tw)) {
				ok = false
				break
			}
		}
		if ok {
			end, term = i+n, t
		}
	}
	return end, term
}

// first returns the word span of the first match, or -1, -1.
func (s *scan) first() (from, to int) {
	for i := 0; s.has(i); i++ {
		if end, _ := s.at(i); end > 0 {
			return i, end
		}
	}
	return -1, -1
}

// marks writes the text of words [from, to) with each match inside it
// marked, a phrase as one piece; textFrom and textTo are where the text
// shown starts and ends.
func (s *scan) marks(from, to, textFrom, textTo int) []Mark {
	var out []Mark
	pos := textFrom
	for i := from; i < to; {
		end, _ := s.at(i)
		if end == 0 || end > to {
			i++
			continue
		}
		start, stop := s.ws[i].start, s.ws[end-1].end
		if start > pos {
			out = append(out, Mark{Text: s.text[pos:start]})
		}
		out = append(out, Mark{Text: s.text[start:stop], Hit: true})
		pos, i = stop, end
	}
	if textTo > pos {
		out = append(out, Mark{Text: s.text[pos:textTo]})
	}
	return out
}

// Snippet is the passage of text around the first match, about width
// words long and never cutting it, with the matches marked: a word typed
// alone wherever it appears, a quoted phrase only as the phrase. Without
// a match it is the start of the text. It is computed here, not by FTS5,
// because FTS5 must walk a common word's whole list to place one
// document's snippet.
func Snippet(text string, terms []Term, width int) []Mark {
	s := newScan(text, terms)
	if !s.has(0) || width < 1 {
		return nil
	}
	first, firstEnd := s.first()
	// The match a third of the way in, unless the text ends before the
	// window would be full (only then are all its words counted).
	from := max(0, first-width/3)
	if !s.has(from + width - 1) {
		from = max(0, min(from, s.count()-width))
	}
	want := max(from+width, firstEnd)
	// One word past the window tells whether the text goes on.
	more := s.has(want)
	to := min(len(s.ws), want)
	var out []Mark
	if from > 0 {
		out = append(out, Mark{Text: "… "})
	}
	end := s.ws[to-1].end
	if !more {
		// The text's own last stop or question mark, not a cut.
		end = len(strings.TrimRightFunc(text, unicode.IsSpace))
	}
	out = append(out, s.marks(from, to, s.ws[from].start, end)...)
	if more {
		out = append(out, Mark{Text: " …"})
	}
	return out
}

// Mentions reports whether text holds any of the terms.
func Mentions(text string, terms []Term) bool {
	first, _ := newScan(text, terms).first()
	return first >= 0
}

// HasHit reports whether any piece of ms is a match.
func HasHit(ms []Mark) bool {
	for _, m := range ms {
		if m.Hit {
			return true
		}
	}
	return false
}
