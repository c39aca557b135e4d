package search

import (
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
