package server_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"puente/internal/browsertest"
	"puente/internal/dbtest"
)

// TestCompendium: a meeting's compendium holds the published practices
// the reader may see that carry its objectives or recommendations, each
// once, grouped in its contents, in the reader's language when a version
// is live; a visitor's holds the public ones only; a meeting whose items
// no practice carries says so; a format other than the page or a PDF is
// a 400.
func TestCompendium(t *testing.T) {
	t.Parallel()
	e := modEnv(t)
	pa, mx, br, mod := e.SignIn("pa@gob.pa"), e.SignIn("mx@gob.mx"), e.SignIn("br@gov.br"), e.SignIn("mod@puente.test")
	meeting := dbtest.Int(t, e.DB.R, `SELECT meeting_id FROM tags WHERE id = 1`)
	base := "/meetings/" + itoa(meeting) + "/compendium"

	// Public, written with an English version before it was sent.
	f := practiceForm("Registro biométrico en Darién", []string{"PA"}, "public")
	public := create(t, pa, f)
	if res := pa.PostForm(public+"/versions/en", versionForm("Biometric registration in the Darién")); res.Status != http.StatusSeeOther {
		t.Fatalf("version: %d", res.Status)
	}
	if res := pa.PostForm(public+"/submit", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.Status)
	}
	if res := mod.PostForm(public+"/publish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.Status)
	}
	publish(t, e, pa, practiceForm("Ventanilla para miembros", []string{"PA"}, "members"))
	publish(t, e, pa, practiceForm("Acuerdo solo para la CRM", []string{"PA"}, "crm"))
	create(t, pa, practiceForm("Borrador que no se publica", []string{"PA"}, "public"))

	visitor := e.Client()
	visitor.Header = http.Header{"Accept-Language": {"es"}}
	page := visitor.Get(base)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "Registro biométrico en Darién") || !strings.Contains(page.Body, "solo las prácticas públicas") {
		t.Fatalf("the visitor's compendium: %d\n%s", page.Status, page.Body)
	}
	for _, hidden := range []string{"Ventanilla para miembros", "Acuerdo solo para la CRM", "Borrador que no se publica", "Descargar en PDF"} {
		if strings.Contains(page.Body, hidden) {
			t.Errorf("the visitor's compendium shows %q", hidden)
		}
	}
	// Mexico's official reads English: the version, the CRM practice,
	// each once in full and listed under every item it carries.
	page = mx.Get(base)
	for _, want := range []string{"Biometric registration in the Darién", "Fingerprints", "Ventanilla para miembros", "Acuerdo solo para la CRM", "Contents", "Download as PDF"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("Mexico's compendium lacks %q", want)
		}
	}
	if n := strings.Count(page.Body, `class="compendium-practice"`); n != 3 {
		t.Errorf("%d practices written out, want 3", n)
	}
	if n := strings.Count(page.Body, `href="#practice-`); n < 6 {
		t.Errorf("%d entries in the contents; each practice carries two of the meeting's items (tags 1 and 4), want at least 6", n)
	}
	if strings.Contains(page.Body, "Borrador que no se publica") {
		t.Error("a draft is in the compendium")
	}
	if b := br.Get(base).Body; strings.Contains(b, "Acuerdo solo para la CRM") || !strings.Contains(b, "Ventanilla para miembros") {
		t.Error("Brazil's (CSM) compendium is wrong about the CRM practice")
	}

	// A meeting no practice carries yet.
	form := url.Values{"starts_on": {"2027-03-01"}, "ends_on": {"2027-03-02"}, "process": {"CRM"}, "kind": {"plenary"}, "place": {"Ciudad de Panamá"}}
	for _, l := range []string{"es", "en", "pt", "fr", "nl"} {
		form.Set("title_"+l, "Plenaria 2027 "+l)
	}
	if res := e.SignIn("admin@puente.test").PostForm("/admin/meetings", form); res.Status != http.StatusSeeOther {
		t.Fatalf("meeting: %d\n%s", res.Status, res.Body)
	}
	empty := dbtest.Int(t, e.DB.R, `SELECT max(id) FROM meetings`)
	if res := mx.Get("/meetings/" + itoa(empty) + "/compendium"); res.Status != http.StatusOK || !strings.Contains(res.Body, "no published practice you may read") {
		t.Errorf("an empty compendium: %d", res.Status)
	}
	if res := mx.Get(base + "?format=docx"); res.Status != http.StatusBadRequest {
		t.Errorf("format=docx: %d", res.Status)
	}
	if res := visitor.Get(base + "?format=pdf"); res.Status != http.StatusSeeOther {
		t.Errorf("a visitor's PDF: %d, want the sign-in page", res.Status)
	}
}

// TestCompendiumPDF: the PDF made on the server holds the practices'
// titles (read back with pdftotext), for the member who asked.
func TestCompendiumPDF(t *testing.T) {
	t.Parallel()
	chromium := browsertest.Require(t)
	pdftotext, _ := exec.LookPath("pdftotext")
	pdftotext = browsertest.RequireTool(t, pdftotext, "PDF TEST NOT RUN: pdftotext not found (run make deps: Debian's poppler-utils)")
	e := modEnv(t)
	e.App.Printer.Exec = chromium
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Registro biométrico en Darién", []string{"PA"}, "members"))
	publish(t, e, pa, practiceForm("Tarjeta de visitante regional", []string{"PA"}, "crm"))
	meeting := dbtest.Int(t, e.DB.R, `SELECT meeting_id FROM tags WHERE id = 1`)
	mx := e.SignIn("mx@gob.mx")
	res := mx.Get("/meetings/" + itoa(meeting) + "/compendium?format=pdf")
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("PDF: %d %s\n%.300s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	file := filepath.Join(t.TempDir(), "compendium.pdf")
	if err := os.WriteFile(file, []byte(res.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"COMPENDIUM OF GOOD PRACTICES", "Registro biométrico en Darién", "Tarjeta de visitante regional", "Contents", "Paso uno"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, flat)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
