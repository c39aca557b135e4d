// Package i18n is the one translation catalogue of the interface and the
// choice of a person's language. Content (practices, comments) is stored
// in the language it was written in; this package is only for what the
// interface itself says.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Langs are the interface languages, Spanish first: it is the default.
var Langs = []string{"es", "en", "pt", "fr", "nl"}

// Default is the language when nothing else decides.
const Default = "es"

// Msg is one message in every interface language.
type Msg struct{ ES, EN, PT, FR, NL string }

// In returns the message in lang.
func (m Msg) In(lang string) string {
	switch lang {
	case "en":
		return m.EN
	case "pt":
		return m.PT
	case "fr":
		return m.FR
	case "nl":
		return m.NL
	}
	return m.ES
}

// Supported reports whether lang is an interface language.
func Supported(lang string) bool {
	for _, l := range Langs {
		if l == lang {
			return true
		}
	}
	return false
}

// NativeName is the language's name in itself, for the language switcher.
func NativeName(lang string) string {
	switch lang {
	case "es":
		return "Español"
	case "en":
		return "English"
	case "pt":
		return "Português"
	case "fr":
		return "Français"
	case "nl":
		return "Nederlands"
	}
	return lang
}

var matcher = language.NewMatcher([]language.Tag{
	language.Spanish, language.English, language.Portuguese, language.French, language.Dutch,
})

// FromAcceptLanguage picks the best interface language for an
// Accept-Language header, or Default.
func FromAcceptLanguage(header string) string {
	if header == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Langs[idx]
}

// Locale speaks one language.
type Locale struct {
	Lang string
}

// For returns the locale of lang, falling back to Default.
func For(lang string) Locale {
	if !Supported(lang) {
		lang = Default
	}
	return Locale{Lang: lang}
}

// T translates key, replacing {name} placeholders with the values that
// follow it in name, value pairs. An unknown key shows itself, so a
// missing message is visible rather than blank (and a test catches it).
func (l Locale) T(key string, args ...any) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	s := m.In(l.Lang)
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", l.format(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func (l Locale) format(v any) string {
	switch v := v.(type) {
	case int, int64:
		return l.Number(v)
	case time.Time:
		return l.Date(v)
	}
	return fmt.Sprint(v)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// Keys returns every catalogue key, for tests.
func Keys() map[string]Msg { return catalogue }

// Number formats an integer (int or int64) with the language's thousands
// separator.
func (l Locale) Number(v any) string {
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	default:
		return fmt.Sprint(v)
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	switch l.Lang {
	case "en":
		sep = ","
	case "fr":
		sep = "\u202f"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Date formats a calendar date in the language's long form.
func (l Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	month := l.T("month." + strconv.Itoa(int(t.Month())))
	return strings.NewReplacer("{d}", strconv.Itoa(t.Day()), "{month}", month, "{y}", strconv.Itoa(t.Year())).
		Replace(catalogue["date.long"].In(l.Lang))
}

// MonthYear formats a month, as in a practice's period.
func (l Locale) MonthYear(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	month := l.T("month." + strconv.Itoa(int(t.Month())))
	return strings.NewReplacer("{month}", month, "{y}", strconv.Itoa(t.Year())).Replace(catalogue["date.month_year"].In(l.Lang))
}

// DateTime formats an instant as date and 24-hour time, in UTC unless loc
// is given.
func (l Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return l.Date(t) + ", " + t.Format("15:04") + " UTC"
}
