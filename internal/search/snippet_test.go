package search

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSnippetMarksFoldedAndPrefixMatches(t *testing.T) {
	text := "Panamá registra con datos biométricos a cada persona que llega por la selva de Darién y coopera."
	got := Snippet(text, Terms("biometr* darien "), 30)
	var hits []string
	for _, m := range got {
		if m.Hit {
			hits = append(hits, m.Text)
		}
	}
	if len(hits) != 2 || hits[0] != "biométricos" || hits[1] != "Darién" {
		t.Fatalf("hits %q in %+v", hits, got)
	}
	long := Snippet("uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis", Terms(`"diez"`), 6)
	if long[0].Text != "… " || long[len(long)-1].Text != " …" {
		t.Fatalf("window edges: %+v", long)
	}
	if Fold("Migración ÁÉÍÑ") != "migracion aein" {
		t.Fatalf("fold: %q", Fold("Migración ÁÉÍÑ"))
	}
}

// TestSnippetPhrasesAndWords: a quoted phrase is marked as one piece and
// only where its words stand in a row; words typed alone are marked
// wherever they appear; the window always holds the whole first match.
func TestSnippetPhrasesAndWords(t *testing.T) {
	const text = "La guía de registro de personas en tránsito: el registro biométrico de cada persona se hace en la selva de Darién."
	long := strings.Repeat("palabra ", 60) + "uno dos tres cuatro cinco seis siete ocho nueve diez" + strings.Repeat(" fin", 40)
	for _, tc := range []struct {
		name, text, q string
		width         int
		hits          []string
		// contains must appear in the snippet's text, whole.
		contains string
		// edges are whether the snippet starts and ends with an ellipsis.
		before, after bool
	}{
		{"phrase as one mark", text, `"registro biométrico"`, 28, []string{"registro biométrico"}, "", false, false},
		{"phrase folded", text, `"REGISTRO biometrico"`, 28, []string{"registro biométrico"}, "", false, false},
		{"phrase of a common word", text, `"selva de Darién"`, 28, []string{"selva de Darién"}, "", false, false},
		{"words each", text, `registro biometrico `, 28, []string{"registro", "registro", "biométrico"}, "", false, false},
		{"phrase beside a word", text, `"registro biométrico" darien`, 28, []string{"registro biométrico", "Darién"}, "", false, false},
		{"no match: the start", text, `frontera`, 5, nil, "La guía de registro de", false, true},
		{"text's own end kept", text, `darien`, 28, []string{"Darién"}, "Darién.", false, false},
		{"phrase longer than the window", long, `"uno dos tres cuatro cinco seis siete ocho nueve diez"`, 6,
			[]string{"uno dos tres cuatro cinco seis siete ocho nueve diez"}, "", true, true},
		{"phrase at the window's end", long, `"nueve diez fin"`, 6, []string{"nueve diez fin"}, "", true, true},
		{"the last word of a long text", long + " último.", `ultimo`, 6, []string{"último"}, "fin fin fin fin fin último.", true, false},
		{"a window that holds the whole text", long + " último.", `fin`, 200, slices.Repeat([]string{"fin"}, 40), "diez fin", false, false},
		{"a phrase's words apart are not marked", "el registro civil y el registro biométrico", `"registro biométrico"`, 28, []string{"registro biométrico"}, "el registro civil", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Snippet(tc.text, Terms(tc.q), tc.width)
			var hits []string
			var all strings.Builder
			for _, m := range got {
				if m.Hit {
					hits = append(hits, m.Text)
				}
				all.WriteString(m.Text)
			}
			if !slices.Equal(hits, tc.hits) {
				t.Errorf("hits %q, want %q in %q", hits, tc.hits, all.String())
			}
			if !strings.Contains(all.String(), tc.contains) {
				t.Errorf("%q not in %q", tc.contains, all.String())
			}
			if b := strings.HasPrefix(all.String(), "… "); b != tc.before {
				t.Errorf("starts with an ellipsis: %v in %q", b, all.String())
			}
			if a := strings.HasSuffix(all.String(), " …"); a != tc.after {
				t.Errorf("ends with an ellipsis: %v in %q", a, all.String())
			}
		})
	}
	if Snippet("¡¿?!", Terms("x"), 10) != nil || Snippet("", nil, 10) != nil {
		t.Error("a text without words has a snippet")
	}
}

func TestMentions(t *testing.T) {
	for _, tc := range []struct {
		text, q string
		want    bool
	}{
		{"Nos interesa Roraima.", "roraima", true},
		{"Nos interesa Roraima.", "rora", true},
		{"Nos interesa Roraima.", "rora ", false},
		{"el registro civil, biométrico", `"registro biométrico"`, false},
		{"el registro biométrico", `"registro biometrico"`, true},
		{"nada", "", false},
	} {
		if got := Mentions(tc.text, Terms(tc.q)); got != tc.want {
			t.Errorf("Mentions(%q, %q) = %v", tc.text, tc.q, got)
		}
	}
}

// TestFoldConcurrently folds from many goroutines at once, as a busy
// search page does; a shared transformer garbled words and panicked.
func TestFoldConcurrently(t *testing.T) {
	words := map[string]string{"Migración": "migracion", "Guía": "guia", "biométrico": "biometrico", "Darién": "darien",
		"proteção": "protecao", "Haïti": "haiti", "São Tomé e Príncipe": "sao tome e principe"}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2000 {
				for in, want := range words {
					if got := Fold(in); got != want {
						select {
						case errs <- in + " -> " + got:
						default:
						}
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
