// Package search is full-text search over practices and their comments,
// with SQLite FTS5: diacritics folded, prefix and phrase queries, results
// ranked with the title above the summary above the text.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a query, so that no input is too costly to run.
const (
	MaxQueryLen = 300
	MaxTerms    = 12
)

// Term is one searched word, or a phrase of several, as typed.
type Term struct {
	Words  []string // lower case
	Prefix bool     // the last word matches as a prefix
}

// Terms reads what a person typed: words and "quoted phrases" that must
// all appear, the last word (or any ending in *) as a prefix. Everything
// else (FTS5 operators, punctuation, a quote left open) is only a
// separator, and the operators AND, OR, NOT and NEAR typed in capitals
// are left out: whoever types them means an operator, not the word.
func Terms(input string) []Term {
	if !utf8.ValidString(input) {
		input = strings.ToValidUTF8(input, " ")
	}
	if len(input) > MaxQueryLen {
		input = input[:MaxQueryLen]
		for !utf8.ValidString(input) {
			input = input[:len(input)-1]
		}
	}
	var terms []Term
	endsInSpace := strings.HasSuffix(input, " ")
	rest := input
	for len(terms) < MaxTerms {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool { return !isWordRune(r) && r != '"' })
		if rest == "" {
			break
		}
		if rest[0] == '"' {
			end := strings.IndexByte(rest[1:], '"')
			var phrase string
			if end < 0 {
				phrase, rest = rest[1:], "" // an unbalanced quote: the rest is the phrase
			} else {
				phrase, rest = rest[1:1+end], rest[2+end:]
			}
			if words := wordsOf(phrase); len(words) > 0 {
				terms = append(terms, Term{Words: words})
			}
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return !isWordRune(r) })
		word := rest
		if i >= 0 {
			word, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		if operators[word] {
			continue
		}
		prefix := strings.HasPrefix(rest, "*")
		if rest == "" && !endsInSpace {
			prefix = true // still typing the last word
		}
		terms = append(terms, Term{Words: []string{strings.ToLower(word)}, Prefix: prefix && utf8.RuneCountInString(word) >= 2})
	}
	return terms
}

// Parse turns what a person typed into a safe FTS5 query: every term is
// quoted, so FTS5 syntax in the input has no effect. It returns "" when
// nothing searchable is left.
func Parse(input string) string {
	var out []string
	for _, t := range Terms(input) {
		q := `"` + strings.Join(t.Words, " ") + `"`
		if t.Prefix {
			q += "*"
		}
		out = append(out, q)
	}
	return strings.Join(out, " ")
}

// operators are FTS5's, as they would act if a query were passed as typed.
var operators = map[string]bool{"AND": true, "OR": true, "NOT": true, "NEAR": true}

func isWordRune(r rune) bool {
	if r < 0x80 {
		// Most of the text: answered without the Unicode tables.
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func wordsOf(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		out = append(out, strings.ToLower(w))
	}
	return out
}
