package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestOpenData: /data/practices.json and .csv hold the public practices
// and nothing else (no members' or CRM practice, no draft, no hidden one),
// with their countries, objectives, sections, adoptions and files; each
// carries an ETag that answers 304 until something changes, such as the
// licence an admin sets; anything but ?lang is a 400.
func TestOpenData(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx, mod, admin := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("mod@puente.test"), e.SignIn("admin@puente.test")
	public := publish(t, e, pa, practiceForm("Registro biométrico abierto", []string{"PA"}, "public"))
	publish(t, e, pa, practiceForm("Ventanilla para miembros", []string{"PA"}, "members"))
	publish(t, e, pa, practiceForm("Acuerdo solo para la CRM", []string{"PA"}, "crm"))
	hidden := publish(t, e, pa, practiceForm("Pública pero oculta", []string{"PA"}, "public"))
	create(t, pa, practiceForm("Borrador público", []string{"PA"}, "public"))
	if res := mod.PostForm("/moderation/practices/"+strings.TrimPrefix(hidden, "/practices/")+"/hide", url.Values{"reason": {"Datos personales."}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.Status)
	}
	if res := mx.PostForm(public+"/adoption", url.Values{"stage": {"piloting"}, "institution": {"INM"}, "started": {"2024-03"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("adoption: %d", res.Status)
	}
	dbtest.Exec(t, e.DB.W, `INSERT INTO practice_attachments (practice_id, name, type, size, data, created_at) VALUES (?, 'protocolo.pdf', 'application/pdf', 5, X'255044462D', '2026-11-26T12:00:00Z')`,
		strings.TrimPrefix(public, "/practices/"))

	visitor := e.Client()
	res := visitor.Get("/data/practices.json")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("json: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	var doc struct {
		Licence   *struct{ Name, URL string } `json:"licence"`
		Practices []struct {
			ID        int64  `json:"id"`
			URL       string `json:"url"`
			Title     string `json:"title"`
			Countries []struct{ Code, Name string }
			Tags      []struct {
				Kind  string `json:"kind"`
				Label string `json:"label"`
			} `json:"tags"`
			Sections  map[string]string `json:"sections"`
			Adoptions []struct {
				Country string  `json:"country"`
				Stage   string  `json:"stage"`
				Since   *string `json:"since"`
			} `json:"adoptions"`
			Attachments []struct {
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"attachments"`
		} `json:"practices"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("json: %v\n%.500s", err, res.Body)
	}
	if len(doc.Practices) != 1 || doc.Practices[0].Title != "Registro biométrico abierto" {
		t.Fatalf("open data holds %d practices, want only the public one: %+v", len(doc.Practices), doc.Practices)
	}
	p := doc.Practices[0]
	if doc.Licence != nil || len(p.Countries) != 1 || p.Countries[0].Name != "Panamá" || len(p.Tags) != 2 || !strings.Contains(p.Sections["actions"], "Paso uno") ||
		len(p.Adoptions) != 1 || p.Adoptions[0].Country != "MX" || p.Adoptions[0].Stage != "piloting" || p.Adoptions[0].Since == nil ||
		len(p.Attachments) != 1 || !strings.HasSuffix(p.Attachments[0].URL, "/attachments/"+itoa(dbtest.Int(t, e.DB.R, `SELECT max(id) FROM practice_attachments`))) ||
		!strings.HasSuffix(p.URL, public) {
		t.Errorf("the public practice as open data: licence %v, %+v", doc.Licence, p)
	}

	// The same file again: 304 until something changes.
	etag := res.Header.Get("ETag")
	again := visitor.Do(withHeader(visitor, "/data/practices.json", "If-None-Match", etag))
	if etag == "" || again.Status != http.StatusNotModified {
		t.Errorf("If-None-Match %q: %d", etag, again.Status)
	}
	bad := admin.PostForm("/admin/data", url.Values{"licence_name": {" "}, "licence_url": {"https://creativecommons.org/licenses/by/4.0/"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `value="https://creativecommons.org/licenses/by/4.0/"`) || !strings.Contains(bad.Body, `id="licence-name-error"`) {
		t.Errorf("a licence without a name: %d", bad.Status)
	}
	if res := admin.PostForm("/admin/data", url.Values{"licence_name": {"CC BY 4.0"}, "licence_url": {"https://creativecommons.org/licenses/by/4.0/"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("licence: %d", res.Status)
	}
	changed := visitor.Do(withHeader(visitor, "/data/practices.json", "If-None-Match", etag))
	if changed.Status != http.StatusOK || changed.Header.Get("ETag") == etag || !strings.Contains(changed.Body, `"licence":{"name":"CC BY 4.0","url":"https://creativecommons.org/licenses/by/4.0/"}`) {
		t.Errorf("after the licence: %d, ETag %q\n%.300s", changed.Status, changed.Header.Get("ETag"), changed.Body)
	}
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM moderation_log WHERE action = 'settings.open_data_licence'`); n != 1 {
		t.Errorf("%d log entries for the licence", n)
	}

	// The CSV: a header and the one public practice.
	res = visitor.Get("/data/practices.csv?lang=en")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d", res.Status)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || records[0][0] != "id" || records[1][2] != "Registro biométrico abierto" || records[1][5] != "PA" ||
		records[1][15] != "MX: piloting" || !strings.Contains(records[1][17], "CC BY 4.0") {
		t.Errorf("csv: %q", records)
	}
	for _, q := range []string{"?lang=xx", "?page=2", "?scope=members"} {
		if res := visitor.Get("/data/practices.json" + q); res.Status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, res.Status)
		}
	}
}

// withHeader is a GET of path with one header set.
func withHeader(c *servertest.Client, path, k, v string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, c.Base+path, nil)
	req.Header.Set(k, v)
	return req
}
