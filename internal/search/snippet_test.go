package search

import "testing"

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
