package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var placeholder = regexp.MustCompile(`\{([a-z]+)(\|[^{}]*)?\}`)

func placeholders(s string) string {
	var p []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		p = append(p, m[1])
	}
	sort.Strings(p)
	return strings.Join(p, ",")
}

var exactForm = regexp.MustCompile(`^=\d+$`)

func isPlural(s string) bool {
	for _, sel := range placeholder.FindAllStringSubmatch(s, -1) {
		if sel[2] != "" {
			return true
		}
	}
	return false
}

// TestPluralForms: every message that chooses words by a number names
// only the categories its language has, always an "other", and reads
// right at the numbers where the languages differ.
func TestPluralForms(t *testing.T) {
	cats := map[string][]string{"es": {"one", "many", "other"}, "en": {"one", "other"}, "pt": {"one", "many", "other"}, "fr": {"one", "many", "other"}, "nl": {"one", "other"}}
	plurals := 0
	for key, m := range catalogue {
		for _, lang := range Langs {
			for _, sel := range placeholder.FindAllStringSubmatch(m.In(lang), -1) {
				if sel[2] == "" {
					continue
				}
				plurals++
				hasOther := false
				for _, f := range strings.Split(sel[2][1:], "|") {
					cat, _, ok := strings.Cut(f, ":")
					if !ok || !slices.Contains(cats[lang], cat) && !exactForm.MatchString(cat) {
						t.Errorf("%s (%s): form %q is not a plural category of the language", key, lang, f)
					}
					hasOther = hasOther || cat == "other"
				}
				if !hasOther {
					t.Errorf("%s (%s): no other form", key, lang)
				}
			}
			if strings.Contains(m.In(lang), "(s)") || strings.Contains(m.In(lang), "(en)") || strings.Contains(m.In(lang), "(es)") {
				t.Errorf("%s (%s): a plural written as (s): %q", key, lang, m.In(lang))
			}
		}
	}
	if plurals == 0 {
		t.Fatal("no plural message found")
	}
	cases := []struct {
		lang string
		n    any
		want string
	}{
		{"es", 0, "ninguna práctica"}, {"es", 1, "1 práctica"}, {"es", 2, "2 prácticas"}, {"es", 1000000, "1.000.000 de prácticas"}, {"es", 1000001, "1.000.001 prácticas"},
		{"en", 0, "no practices"}, {"en", 1, "1 practice"}, {"en", 21, "21 practices"}, {"en", int64(1000000), "1,000,000 practices"},
		{"pt", 0, "nenhuma prática"}, {"pt", 1, "1 prática"}, {"pt", 2, "2 práticas"}, {"pt", 2000000, "2.000.000 de práticas"},
		{"fr", 0, "aucune pratique"}, {"fr", 1, "1 pratique"}, {"fr", 2, "2 pratiques"}, {"fr", 1000000, "1\u202f000\u202f000 de pratiques"},
		{"nl", 0, "geen praktijken"}, {"nl", 1, "1 praktijk"}, {"nl", 2, "2 praktijken"},
		{"es", "1", "1 práctica"}, {"en", "12", "12 practices"},
	}
	for _, c := range cases {
		if got := For(c.lang).T("list.count", "n", c.n); got != c.want {
			t.Errorf("%s, %v: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := For("en").T("comments.earlier_replies", "n", 1); got != "See the earlier reply" {
		t.Errorf("one reply: %q", got)
	}
	if got := For("es").T("meetings.counts", "objectives", 1, "recommendations", 2, "practices", 0); got != "1 objetivo, 2 recomendaciones, 0 prácticas" {
		t.Errorf("three numbers: %q", got)
	}
	// Without a form for exactly 0, French and Portuguese say 0 in the
	// singular, as CLDR has it.
	if got := For("pt").T("meetings.counts", "objectives", 0, "recommendations", 1, "practices", 2); got != "0 objetivo, 1 recomendação, 2 práticas" {
		t.Errorf("pt zero: %q", got)
	}
}

// TestCatalogueComplete fails when a message is missing in a language or
// its placeholders differ between languages.
func TestCatalogueComplete(t *testing.T) {
	for key, m := range catalogue {
		want := placeholders(m.ES)
		for _, lang := range Langs {
			s := m.In(lang)
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: missing in %s", key, lang)
				continue
			}
			if got := placeholders(s); got != want {
				t.Errorf("%s: %s has placeholders %q, es has %q", key, lang, got, want)
			}
		}
	}
}

// literalKey finds {{.T "key"}}, {{$.T "key" ...}} and (.T "key").
var literalKey = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)

// TestTemplatesUseKnownKeys fails when a template names a key the
// catalogue lacks.
func TestTemplatesUseKnownKeys(t *testing.T) {
	root := filepath.Join("..", "..", "web", "templates")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			if !Has(m[1]) {
				t.Errorf("%s: unknown key %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"observer", "official", "moderator", "admin"} {
		if !Has("role." + role) {
			t.Errorf("no label for role %s", role)
		}
	}
	for _, code := range []string{"400", "401", "403", "404", "405", "409", "410", "413", "422", "429", "500"} {
		if !Has("error.title." + code) {
			t.Errorf("no error title for %s", code)
		}
	}
}

// TestGoCodeUsesKnownKeys checks the message keys that Go code names as
// string literals in the packages that produce messages for people.
func TestGoCodeUsesKnownKeys(t *testing.T) {
	keyLike := regexp.MustCompile(`"((?:signin|signout|password|email|name|field|invite|admin|account|sessions|link|reset|accept|error|twofactor|focal|observer)\.[a-z0-9_.]+)"`)
	notMessages := map[string]bool{ // log event names, not interface text
		"signin.success": true, "signin.failure": true, "signin.locked": true, "reset.requested": true,
		"reset.completed": true, "reset.limited": true, "account.role_changed": true, "account.suspended": true,
		"account.reactivated": true, "signin.password_ok": true, "signin.lock_notice": true, "account.email_changed": true,
		"account.admin_restored": true, "account.focal_point": true,
	}
	checked := 0
	for _, dir := range []string{"../accounts", "../server", "../apperr", "../mail", "../practices"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, _ := os.ReadFile(f)
			for _, m := range keyLike.FindAllStringSubmatch(string(b), -1) {
				if notMessages[m[1]] || strings.HasSuffix(m[1], ".") {
					continue
				}
				checked++
				if !Has(m[1]) {
					t.Errorf("%s: unknown key %q", f, m[1])
				}
			}
		}
	}
	if checked < 30 {
		t.Fatalf("only %d keys found in Go code; the pattern has gone stale", checked)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"": "es", "pt-BR": "pt", "en-GB,en;q=0.9": "en", "fr-CA,fr;q=0.8,en;q=0.5": "fr", "nl": "nl",
		"de-DE,de;q=0.9": "es", "garbage;;;": "es", "es-419": "es", "zh;q=0.9,pt;q=0.1": "pt",
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	d := time.Date(2021, 9, 9, 15, 4, 0, 0, time.UTC)
	for lang, want := range map[string]string{
		"es": "9 de septiembre de 2021", "en": "9 September 2021", "pt": "9 de setembro de 2021", "fr": "9 septembre 2021", "nl": "9 september 2021",
	} {
		if got := For(lang).Date(d); got != want {
			t.Errorf("%s date %q, want %q", lang, got, want)
		}
	}
	if got := For("en").Number(1234567); got != "1,234,567" {
		t.Errorf("en number %q", got)
	}
	if got := For("es").Number(-1234); got != "-1.234" {
		t.Errorf("es number %q", got)
	}
	if got := For("en").T("home.welcome", "name", "Ana"); got != "Hello, Ana" {
		t.Errorf("placeholder: %q", got)
	}
	if got := For("xx").T("nav.home"); got != "Inicio" {
		t.Errorf("unknown language should fall back to Spanish: %q", got)
	}
}

var (
	tplAction  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	htmlTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	textAttr   = regexp.MustCompile(`(?i)\b(placeholder|title|aria-label|alt|label)="([^"]*)"`)
	hasLetter  = regexp.MustCompile(`\p{L}`)
	literalOK  = map[string]bool{"Puente": true, "· Puente": true}
	formatHint = regexp.MustCompile(`^[0-9W-]+$`)
)

// TestTemplatesHaveNoLiteralText fails when a template shows a person
// words that do not come from the catalogue.
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	root := filepath.Join("..", "..", "web", "templates")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		src := string(b)
		for _, m := range textAttr.FindAllStringSubmatch(tplAction.ReplaceAllString(src, ""), -1) {
			v := m[2]
			if hasLetter.MatchString(v) && !formatHint.MatchString(v) && !literalOK[strings.TrimSpace(v)] {
				t.Errorf("%s: %s=%q is not from the catalogue", path, m[1], m[2])
			}
		}
		text := htmlTag.ReplaceAllString(tplAction.ReplaceAllString(src, " "), "\n")
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || !hasLetter.MatchString(line) || literalOK[line] || strings.HasPrefix(line, "/") {
				continue
			}
			t.Errorf("%s: literal text %q", path, line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d templates", checked)
	}
}

// T fills placeholders as a strings.Replacer over every {name} would, for
// every message in every language, and dates read as before.
func TestPlaceholdersFilledLikeAReplacer(t *testing.T) {
	args := []any{"n", 1234, "name", "Ana {n}", "when", "ayer", "count", 7, "total", int64(20), "q", "{name}"}
	var pairs []string
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i].(string)+"}", "")
	}
	filled := 0
	for key, m := range Keys() {
		for _, lang := range Langs {
			l := For(lang)
			for i := 0; i+1 < len(args); i += 2 {
				pairs[i+1] = l.format(args[i+1])
			}
			if isPlural(m.In(lang)) {
				continue // TestPluralForms reads these
			}
			want := strings.NewReplacer(pairs...).Replace(m.In(lang))
			if got := l.T(key, args...); got != want {
				t.Errorf("%s in %s: %q, want %q", key, lang, got, want)
			}
			if want != m.In(lang) {
				filled++
			}
		}
	}
	if filled < 50 {
		t.Fatalf("only %d messages had a placeholder filled: the comparison tests little", filled)
	}
	for _, c := range []struct{ msg, want string }{
		{"{n} of {total}", "1,234 of 20"}, {"{unknown} {n}", "{unknown} 1,234"}, {"{{n}}", "{1,234}"},
		{"{a{n}", "{a1,234"}, {"no close {n", "no close {n"}, {"", ""},
	} {
		if got := expand(c.msg, func(name string) (string, bool) {
			switch name {
			case "n":
				return "1,234", true
			case "total":
				return "20", true
			}
			return "", false
		}); got != c.want {
			t.Errorf("expand(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
	d := time.Date(2026, 3, 5, 14, 7, 0, 0, time.UTC)
	for lang, want := range map[string]string{"es": "5 de marzo de 2026", "en": "5 March 2026"} {
		if got := For(lang).Date(d); got != want {
			t.Errorf("Date in %s: %q, want %q", lang, got, want)
		}
	}
}
