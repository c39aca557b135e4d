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
	if len(args) < 2 {
		return s
	}
	return expand(s, func(name string) (string, bool) {
		name, forms, plural := strings.Cut(name, "|")
		for i := 0; i+1 < len(args); i += 2 {
			if n, ok := args[i].(string); ok && n == name || !ok && fmt.Sprint(args[i]) == name {
				if plural {
					return l.pluralForm(forms, args[i+1]), true
				}
				return l.format(args[i+1]), true
			}
		}
		return "", false
	})
}

// A message chooses words by a number with {n|one:# práctica|other:#
// prácticas}: the form for exactly n when there is one (=0:ninguna
// práctica, as ICU's messages write it), else the form of n's CLDR plural
// category in the language, else the other form, with # replaced by the
// formatted number.
func (l Locale) pluralForm(forms string, v any) string {
	n, ok := wholeNumber(v)
	if !ok {
		parsed, err := strconv.ParseInt(fmt.Sprint(v), 10, 64)
		if err != nil {
			return fmt.Sprint(v)
		}
		n = parsed
	}
	want, exact := PluralCategory(l.Lang, n), "="+strconv.FormatInt(n, 10)
	var chosen, other string
	for _, f := range strings.Split(forms, "|") {
		cat, text, _ := strings.Cut(f, ":")
		switch cat {
		case exact:
			return strings.ReplaceAll(text, "#", l.Number(n))
		case want:
			chosen = text
		case "other":
			other = text
		}
	}
	if chosen == "" {
		chosen = other
	}
	return strings.ReplaceAll(chosen, "#", l.Number(n))
}

// PluralCategory is the CLDR plural category of the whole number n in
// lang: "one", "many" or "other" (these five languages use no others for
// whole numbers). French and Portuguese (Brazil's, CLDR "pt") treat 0 as
// singular; Spanish, French and Portuguese say "de" after whole millions
// ("1 millón de prácticas"), which CLDR names "many".
func PluralCategory(lang string, n int64) string {
	if n < 0 {
		n = -n
	}
	switch lang {
	case "fr", "pt":
		if n == 0 || n == 1 {
			return "one"
		}
	default:
		if n == 1 {
			return "one"
		}
	}
	switch lang {
	case "es", "fr", "pt":
		if n != 0 && n%1000000 == 0 {
			return "many"
		}
	}
	return "other"
}

// expand replaces each {name} in s that value knows, left to right, and
// leaves the rest as it is. Pages call T hundreds of times: this walks
// the message once where a strings.Replacer was built for every call.
func expand(s string, value func(name string) (string, bool)) string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i >= 0 {
		j := strings.IndexByte(s[i+1:], '}')
		if j < 0 {
			break
		}
		name := s[i+1 : i+1+j]
		if v, ok := value(name); ok && !strings.ContainsRune(name, '{') {
			b.WriteString(s[:i])
			b.WriteString(v)
			s = s[i+j+2:]
		} else {
			b.WriteString(s[:i+1])
			s = s[i+1:]
		}
		i = strings.IndexByte(s, '{')
	}
	b.WriteString(s)
	return b.String()
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

// wholeNumber reads an int or an int64.
func wholeNumber(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

// Number formats an integer (int or int64) with the language's thousands
// separator.
func (l Locale) Number(v any) string {
	n, ok := wholeNumber(v)
	if !ok {
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
	return expand(catalogue["date.long"].In(l.Lang), l.dateParts(t))
}

// dateParts gives the {d}, {month} and {y} of t.
func (l Locale) dateParts(t time.Time) func(string) (string, bool) {
	return func(name string) (string, bool) {
		switch name {
		case "d":
			return strconv.Itoa(t.Day()), true
		case "month":
			return l.T(monthKeys[t.Month()-1]), true
		case "y":
			return strconv.Itoa(t.Year()), true
		}
		return "", false
	}
}

var monthKeys = [12]string{"month.1", "month.2", "month.3", "month.4", "month.5", "month.6",
	"month.7", "month.8", "month.9", "month.10", "month.11", "month.12"}

// MonthYear formats a month, as in a practice's period.
func (l Locale) MonthYear(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return expand(catalogue["date.month_year"].In(l.Lang), l.dateParts(t))
}

// DateTime formats an instant as date and 24-hour time, in UTC unless loc
// is given.
// Time is t's time of day, in UTC.
func (l Locale) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("15:04") + " UTC"
}

// DateTime is t's date and time of day, in UTC.
func (l Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return l.Date(t) + ", " + t.Format("15:04") + " UTC"
}

// Ago says how long before now t was, in the largest whole unit ("5
// minutes ago"), and the date once it is a month old.
func (l Locale) Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("ago.now")
	case d < time.Hour:
		return l.T("ago.minutes", "n", int(d/time.Minute))
	case d < 24*time.Hour:
		return l.T("ago.hours", "n", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return l.T("ago.days", "n", int(d/(24*time.Hour)))
	}
	return l.Date(t)
}
