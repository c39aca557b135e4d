package server_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"puente/internal/accounts"
	"puente/internal/servertest"
)

const bom = "\ufeff"

func TestInsightsCountWithinScope(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	uno := publish(t, e, pa, practiceForm("Uno", []string{"PA"}, "members"))     // tags 1 and 4
	publish(t, e, pa, practiceForm("Conjunta", []string{"PA", "BR"}, "members")) // counts in CRM and CSM
	crm := publish(t, e, pa, practiceForm("Solo CRM", []string{"PA"}, "crm"))
	// Adoptions: Mexico took up "Uno" and pilots "Solo CRM"; Brazil
	// adapted "Uno" and decided against nothing counted.
	for _, a := range []struct{ who, path, stage string }{
		{"mx@gob.mx", uno, "adopted"}, {"mx@gob.mx", crm, "piloting"}, {"br@gov.br", uno, "adapted"},
	} {
		if res := e.SignIn(a.who).PostForm(a.path+"/adoption", url.Values{"stage": {a.stage}, "institution": {"Migración"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("adoption by %s: %d", a.who, res.Status)
		}
	}
	read := func(who, name string) map[string][]string {
		t.Helper()
		res := e.SignIn(who).Get("/insights/" + name + ".csv") // these accounts read English: commas
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s CSV: %d", name, res.Status)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, bom))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, r := range recs[1:] {
			out[r[0]] = r[1:]
		}
		return out
	}
	// A CRM official sees all three; a CSM official two (not "Solo CRM").
	if got := read("mx@gob.mx", "countries")["Panama"]; got[0] != "3" {
		t.Errorf("CRM official, Panama: %v", got)
	}
	if got := read("br@gov.br", "countries")["Panama"]; got[0] != "2" {
		t.Errorf("CSM official, Panama: %v", got)
	}
	if got := read("br@gov.br", "countries")["Brazil"]; got[0] != "1" {
		t.Errorf("CSM official, Brazil: %v", got)
	}
	tags := read("mx@gob.mx", "tags")
	if got := tags["Objective 1: Collaboration between both processes"]; len(got) != 2 || got[0] != "3" || got[1] != "1" {
		t.Errorf("objective 1 by process (CRM, CSM): %v", got)
	}
	months := read("br@gov.br", "months")
	if got := months["November 2026"]; len(got) != 2 || got[0] != "2" || got[1] != "0" {
		t.Errorf("this month: %v", got)
	}
	// Adoptions per objective (taken up, under way) and from → to, each
	// within the reader's scope: the CSM official does not count the
	// pilot of the CRM-only practice.
	if got := read("mx@gob.mx", "adoptions")["Objective 1: Collaboration between both processes"]; len(got) != 2 || got[0] != "2" || got[1] != "1" {
		t.Errorf("CRM official, adoptions of objective 1: %v", got)
	}
	if got := read("br@gov.br", "adoptions")["Objective 1: Collaboration between both processes"]; len(got) != 2 || got[0] != "2" || got[1] != "0" {
		t.Errorf("CSM official, adoptions of objective 1: %v", got)
	}
	if got := read("mx@gob.mx", "flows"); len(got) != 2 || got["Panama → Mexico"][0] != "2" || got["Panama → Brazil"][0] != "1" {
		t.Errorf("CRM official, flows: %v", got)
	}
	if got := read("br@gov.br", "flows"); len(got) != 2 || got["Panama → Mexico"][0] != "1" || got["Panama → Brazil"][0] != "1" {
		t.Errorf("CSM official, flows: %v", got)
	}
	page := e.SignIn("br@gov.br").Get("/insights")
	if page.Status != 200 || strings.Count(page.Body, "<svg") != 5 || strings.Count(page.Body, "<table") != 5 {
		t.Fatalf("insights page: %d", page.Status)
	}
	if res := e.Client().Get("/insights"); res.Status != http.StatusSeeOther {
		t.Errorf("visitor: %d", res.Status)
	}
	if res := e.SignIn("br@gov.br").Get("/insights/nope.csv"); res.Status != 404 {
		t.Errorf("unknown chart: %d", res.Status)
	}
}

// signInAs signs in and switches the account to lang.
func signInAs(t *testing.T, e *servertest.Env, email, lang string) *servertest.Client {
	t.Helper()
	c := e.SignIn(email)
	if res := c.PostForm("/language", url.Values{"lang": {lang}, "next": {"/insights"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("language %s: %d", lang, res.Status)
	}
	return c
}

// TestInsightsCSVOpensInASpreadsheet checks the bytes of the downloads:
// a byte-order mark, the separator of the reader's spreadsheet (or the
// one asked for), headers in the reader's language, and labels that hold
// the separator quoted.
func TestInsightsCSVOpensInASpreadsheet(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Uno", []string{"PA"}, "members")) // tags 1 and 4
	publish(t, e, pa, practiceForm("Conjunta", []string{"PA", "BR"}, "members"))
	es := signInAs(t, e, "mx@gob.mx", "es")
	en := e.SignIn("br@gov.br") // English; a CSM official sees the same two practices

	esTags := bom + "Objetivo o recomendación;CRM;CSM\r\n" +
		"Objetivo 1: Colaboración entre ambos procesos;2;1\r\n" +
		"Objetivo 2: Colaboración entre actores ante la pandemia;0;0\r\n" +
		"Recomendación 1: Acciones conjuntas sobre migración irregular;0;0\r\n" +
		`"Recomendación 2: Vías regulares; contra el tráfico y la trata";2;1` + "\r\n" +
		"Recomendación 3: Asilo, integración y lucha contra la xenofobia;0;0\r\n"
	esTagsComma := bom + "Objetivo o recomendación,CRM,CSM\r\n" +
		"Objetivo 1: Colaboración entre ambos procesos,2,1\r\n" +
		"Objetivo 2: Colaboración entre actores ante la pandemia,0,0\r\n" +
		"Recomendación 1: Acciones conjuntas sobre migración irregular,0,0\r\n" +
		"Recomendación 2: Vías regulares; contra el tráfico y la trata,2,1\r\n" +
		`"Recomendación 3: Asilo, integración y lucha contra la xenofobia",0,0` + "\r\n"
	enTags := bom + "Objective or recommendation,CRM,CSM\r\n" +
		"Objective 1: Collaboration between both processes,2,1\r\n" +
		"Objective 2: Collaboration among actors amid the pandemic,0,0\r\n" +
		"Recommendation 1: Joint action on irregular migration,0,0\r\n" +
		"Recommendation 2: Regular pathways; against smuggling and trafficking,2,1\r\n" +
		`"Recommendation 3: Asylum, integration and combating xenophobia",0,0` + "\r\n"
	enTagsSemicolon := bom + "Objective or recommendation;CRM;CSM\r\n" +
		"Objective 1: Collaboration between both processes;2;1\r\n" +
		"Objective 2: Collaboration among actors amid the pandemic;0;0\r\n" +
		"Recommendation 1: Joint action on irregular migration;0;0\r\n" +
		`"Recommendation 2: Regular pathways; against smuggling and trafficking";2;1` + "\r\n" +
		"Recommendation 3: Asylum, integration and combating xenophobia;0;0\r\n"
	for _, tc := range []struct {
		name   string
		c      *servertest.Client
		path   string
		want   string
		prefix bool
	}{
		{"es, semicolons", es, "/insights/tags.csv", esTags, false},
		{"es, commas asked for", es, "/insights/tags.csv?sep=comma", esTagsComma, false},
		{"es, an unknown separator", es, "/insights/tags.csv?sep=tab", esTags, false},
		{"en, commas", en, "/insights/tags.csv", enTags, false},
		{"en, semicolons asked for", en, "/insights/tags.csv?sep=semicolon", enTagsSemicolon, false},
		{"es, months", es, "/insights/months.csv", bom + "Mes;Prácticas;Comentarios\r\n", true},
		{"es, countries", es, "/insights/countries.csv", bom + "País;Prácticas\r\nArgentina;0\r\nBelice;0\r\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.c.Get(tc.path)
			if res.Status != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" {
				t.Fatalf("%d %q", res.Status, res.Header.Get("Content-Type"))
			}
			name := strings.TrimPrefix(strings.SplitN(tc.path, "?", 2)[0], "/insights/")
			if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="puente-`+name+`"` {
				t.Errorf("Content-Disposition %q", got)
			}
			if tc.prefix && !strings.HasPrefix(res.Body, tc.want) || !tc.prefix && res.Body != tc.want {
				t.Errorf("body\n%q\nwant\n%q", res.Body, tc.want)
			}
		})
	}

	// Every language: French, Portuguese and Dutch read semicolons too.
	for lang, header := range map[string]string{"fr": "Pays;Pratiques", "pt": "País;Práticas", "nl": "Land;Praktijken"} {
		res := signInAs(t, e, "pa@gob.pa", lang).Get("/insights/countries.csv")
		if !strings.HasPrefix(res.Body, bom+header+"\r\n") {
			t.Errorf("%s: %q", lang, res.Body[:min(len(res.Body), 60)])
		}
	}
	fr := signInAs(t, e, "pa@gob.pa", "fr").Get("/insights/tags.csv")
	if !strings.Contains(fr.Body, "\r\n\"Recommandation 2: Voies régulières ; contre le trafic et la traite\";2;1\r\n") {
		t.Errorf("French tags:\n%s", fr.Body)
	}

	// A label an administrator wrote with quotes in it.
	e.CreateAccount("admin@puente.test", accounts.Admin, "")
	tag := url.Values{}
	for _, l := range []string{"es", "en", "pt", "fr", "nl"} {
		tag.Set("label_"+l, `La "acción" conjunta `+l)
		tag.Set("body_"+l, "Texto completo "+l)
	}
	tag.Set("label_en", `Joint "action"`)
	if res := e.SignIn("admin@puente.test").PostForm("/admin/tags/3", tag); res.Status != http.StatusSeeOther {
		t.Fatalf("edit tag: %d", res.Status)
	}
	for c, want := range map[*servertest.Client]string{
		en: "\r\n\"Recommendation 1: Joint \"\"action\"\"\",0,0\r\n",
		es: "\r\n\"Recomendación 1: La \"\"acción\"\" conjunta es\";0;0\r\n",
	} {
		if body := c.Get("/insights/tags.csv").Body; !strings.Contains(body, want) {
			t.Errorf("quoted label %q not in\n%s", want, body)
		}
	}
}

var (
	svgRE       = regexp.MustCompile(`(?s)<svg[^>]*>.*?</svg>`)
	fontSizeRE  = regexp.MustCompile(`font-size="([0-9.]+)"`)
	labelTextRE = regexp.MustCompile(`<text[^>]*class="label"[^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>`)
)

// TestInsightsPageChartsReadOnAPhone checks the markup that keeps the
// charts readable at 320 px: no viewBox (so nothing is scaled down),
// no text under 12 px, every tag's label drawn in full, and a link to the
// other separator's CSV.
func TestInsightsPageChartsReadOnAPhone(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	publish(t, e, e.SignIn("pa@gob.pa"), practiceForm("Uno", []string{"PA"}, "members"))
	es := signInAs(t, e, "mx@gob.mx", "es")
	page := es.Get("/insights")
	svgs := svgRE.FindAllString(page.Body, -1)
	// Tags, countries, adoptions per objective and months; the flows
	// between countries say there are none yet rather than draw nothing.
	if page.Status != 200 || len(svgs) != 4 || !strings.Contains(page.Body, "Todavía ningún Estado registró haber adoptado la práctica de otro.") {
		t.Fatalf("insights page: %d with %d charts", page.Status, len(svgs))
	}
	for i, svg := range svgs {
		if strings.Contains(svg, "viewBox") || !strings.Contains(svg, `width="100%"`) || !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "aria-labelledby=") {
			t.Errorf("chart %d: %.200s", i, svg)
		}
		sizes := fontSizeRE.FindAllStringSubmatch(svg, -1)
		if len(sizes) == 0 || strings.Count(svg, "<text") != len(sizes) {
			t.Errorf("chart %d: %d texts, %d sizes", i, strings.Count(svg, "<text"), len(sizes))
		}
		for _, m := range sizes {
			if n, _ := strconv.ParseFloat(m[1], 64); n < 12 {
				t.Errorf("chart %d: text at %s px", i, m[1])
			}
		}
	}
	var lines []string
	for _, m := range labelTextRE.FindAllStringSubmatch(svgs[0], -1) {
		lines = append(lines, m[1])
	}
	drawn := strings.Join(lines, " ")
	for _, label := range []string{"Objetivo 1: Colaboración entre ambos procesos", "Recomendación 2: Vías regulares; contra el tráfico y la trata", "Recomendación 3: Asilo, integración y lucha contra la xenofobia"} {
		if !strings.Contains(drawn, label) {
			t.Errorf("label %q not drawn in full: %q", label, drawn)
		}
	}
	for _, want := range []string{`href="/insights/tags.csv"`, `href="/insights/tags.csv?sep=comma"`, "Los mismos datos, separados por comas", `href="/insights/months.csv?sep=comma"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if en := e.SignIn("br@gov.br").Get("/insights"); !strings.Contains(en.Body, `href="/insights/countries.csv?sep=semicolon"`) {
		t.Error("English page lacks the semicolon download")
	}
}
