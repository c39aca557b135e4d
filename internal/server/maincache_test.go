package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The practice list's rendered part is kept between requests: it must
// never show one viewer what their scope hides because another viewer
// loaded the same address first, nor outlive a change to what it shows.
func TestListCacheFollowsScopesAndChanges(t *testing.T) {
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	crmOnly := publish(t, e, pa, practiceForm("Solo para la CRM", []string{"PA"}, "crm"))
	publish(t, e, pa, practiceForm("Para los miembros", []string{"PA"}, "members"))
	mx, br, anon := e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br"), e.Client()
	es := e.SignIn("mx@gob.mx")
	es.Header.Set("Accept-Language", "es")

	for _, p := range []string{"/practices", "/practices?country=PA", "/practices?tag=1&country=PA"} {
		// Loaded twice by a CRM official: the second answer is the kept one.
		for range 2 {
			if body := mx.Get(p).Body; !strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Para los miembros") {
				t.Fatalf("CRM official on %s misses a practice", p)
			}
		}
		if body := br.Get(p).Body; strings.Contains(body, "Solo para la CRM") || !strings.Contains(body, "Para los miembros") {
			t.Errorf("CSM official on %s after a CRM official: wrong practices", p)
		}
		if body := anon.Get(p).Body; strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "Para los miembros") || !strings.Contains(body, "Sign in") {
			t.Errorf("visitor on %s after members: wrong practices or page", p)
		}
		if body := es.Get(p).Body; !strings.Contains(body, "Solo para la CRM") || strings.Contains(body, "1 practice(s)") {
			t.Errorf("Spanish page on %s is the English one", p)
		}
	}

	// Changes the list shows, each made by a different road.
	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"a comment changes the count", func() {
			if res := mx.PostForm(crmOnly+"/comments", url.Values{"body": {"<p>Comentario</p>"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("comment: %d", res.Status)
			}
		}, "1 comment(s)"},
		{"a title changed in the database", func() {
			e.DB.W.Exec(`UPDATE practices SET title = 'Título corregido' WHERE title = 'Solo para la CRM'`)
		}, "Título corregido"},
		{"a tag relabelled", func() {
			e.DB.W.Exec(`UPDATE tag_i18n SET label = 'Etiqueta renombrada' WHERE tag_id = 1 AND lang = 'en'`)
		}, "Etiqueta renombrada"},
		{"a practice hidden by moderators", func() {
			e.DB.W.Exec(`UPDATE practices SET hidden_at = '2026-01-01T00:00:00Z' WHERE title = 'Para los miembros'`)
		}, ""},
	}
	for _, s := range steps {
		mx.Get("/practices")
		s.change()
		body := mx.Get("/practices").Body
		if s.want != "" && !strings.Contains(body, s.want) {
			t.Errorf("%s: the list does not show it", s.name)
		}
		if s.want == "" && strings.Contains(body, "Para los miembros") {
			t.Errorf("%s: the list still shows it", s.name)
		}
	}
}
