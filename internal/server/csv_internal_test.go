package server

import (
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"puente/web"
)

// TestEncodeCSV checks what no label on the site holds today but a future
// CSV may: quotes, line breaks, and text a spreadsheet would run as a
// formula, which gets a leading apostrophe (numbers stay numbers).
func TestEncodeCSV(t *testing.T) {
	var buf bytes.Buffer
	err := encodeCSV(&buf, ';', [][]string{
		{"Título", "n"},
		{`Dijo "sí"; luego no`, "-3"},
		{"=HYPERLINK(\"http://x\")", "+1"},
		{"@SUM(A1)", "-"},
		{"línea\nsegunda", " espacio"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeffTítulo;n\r\n" +
		`"Dijo ""sí""; luego no";-3` + "\r\n" +
		`"'=HYPERLINK(""http://x"")";+1` + "\r\n" +
		"'@SUM(A1);'-\r\n" +
		"\"línea\r\nsegunda\";\" espacio\"\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// The header marks a link as current only for the addresses in navPaths
// (the header's key holds no other address): the two lists agree.
func TestNavPathsAreTheHeadersLinks(t *testing.T) {
	b, err := fs.ReadFile(web.Templates, "templates/layouts/base.html")
	if err != nil {
		t.Fatal(err)
	}
	inTemplate := map[string]bool{}
	for _, m := range regexp.MustCompile(`eq \.NavPath "([^"]*)"`).FindAllStringSubmatch(string(b), -1) {
		inTemplate[m[1]] = true
		if !navPaths[m[1]] {
			t.Errorf("the header marks %s as current, but navPaths lacks it", m[1])
		}
	}
	for p := range navPaths {
		if !inTemplate[p] {
			t.Errorf("navPaths holds %s, which the header does not link", p)
		}
	}
	if strings.Contains(string(b), "eq .Path ") {
		t.Error("the header compares .Path, which its key does not hold")
	}
}
