package server

import (
	"bytes"
	"testing"
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
