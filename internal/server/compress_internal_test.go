package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWriteSpans: a page pieced together from parts compressed when they
// were kept and bytes compressed now is one gzip member that the standard
// library's reader (which checks the checksum and the length) reads back
// as the page, wherever the kept parts lie: at the start, at the end,
// side by side, around pieces too small to compress and pieces large
// enough to.
func TestWriteSpans(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(n int) []byte {
		words := []string{"<li class=\"card\">", "migración ", "frontera ", "registro ", "</li>\n", "Panamá ", "biométrico "}
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(words[rng.IntN(len(words))])
		}
		return b.Bytes()[:n]
	}
	cases := []struct {
		name   string
		pieces []int  // byte counts, in order
		kept   []bool // which pieces are kept parts
	}{
		{"one kept part in the middle", []int{4000, 50000, 200}, []bool{false, true, false}},
		{"kept part first and last", []int{9000, 300, 7000}, []bool{true, false, true}},
		{"two kept parts side by side", []int{100, 3000, 3000, 100}, []bool{false, true, true, false}},
		{"only kept", []int{20000}, []bool{true}},
		{"an empty kept part", []int{2000, 0, 2000}, []bool{false, true, false}},
		{"pieces of every size", []int{1, 511, 512, 513, 70000, 5, 100000, 2}, []bool{false, true, false, true, false, true, false, true}},
	}
	for _, c := range cases {
		var body []byte
		var spans []span
		for i, n := range c.pieces {
			p := text(n)
			if c.kept[i] {
				spans = append(spans, span{len(body), len(body) + n, deflatePiece(p)})
			}
			body = append(body, p...)
		}
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "text/html; charset=utf-8")
		g := &gzipWriter{ResponseWriter: rec, status: http.StatusOK}
		g.writeSpans(body, spans)
		g.finish()
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzipped", c.name)
			continue
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		zr.Multistream(false)
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Errorf("%s: reading the stream: %v", c.name, err)
			continue
		}
		if !bytes.Equal(got, body) {
			t.Errorf("%s: read back %d bytes, want the %d written", c.name, len(got), len(body))
		}
		if rest, _ := io.ReadAll(rec.Body); len(rest) != 0 {
			t.Errorf("%s: %d bytes after the gzip member", c.name, len(rest))
		}
		if len(body) > 10000 && rec.Body.Len() > len(body)/3 {
			t.Errorf("%s: %d bytes compressed to %d", c.name, len(body), rec.Body.Len())
		}
	}
	// A page too small to compress goes out as it is.
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "text/html; charset=utf-8")
	g := &gzipWriter{ResponseWriter: rec, status: http.StatusOK}
	small := []byte("<p>" + strings.Repeat("a", 100) + "</p>")
	g.writeSpans(small, []span{{3, 103, deflatePiece(small[3:103])}})
	g.finish()
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != string(small) {
		t.Errorf("small page: %q, %q", rec.Header().Get("Content-Encoding"), rec.Body.String())
	}
}
