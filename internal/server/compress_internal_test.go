package server

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestWriteSpans: a page pieced together from parts compressed when they
// were kept (at either level) and bytes compressed now is one gzip member that the standard
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
				// Parts kept at the fastest level and parts compressed
				// again harder follow one another in one stream.
				pool := []*sync.Pool{&flatePool, &piecePool}[len(spans)%2]
				spans = append(spans, span{len(body), len(body) + n, deflatePiece(pool, p)})
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
	g.writeSpans(small, []span{{3, 103, deflatePiece(&flatePool, small[3:103])}})
	g.finish()
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != string(small) {
		t.Errorf("small page: %q, %q", rec.Header().Get("Content-Encoding"), rec.Body.String())
	}
}

// A part is kept compressed at the fastest level, and compressed harder
// the first time it is served again: the refined copy reads back as the
// same bytes, is smaller, and replaces the one kept.
func TestKeptPartRefinedWhenServedAgain(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields(`registro biométrico de migrantes en tránsito Panamá Costa Rica frontera sur
		albergue temporal atención humanitaria protocolo interinstitucional niñez no acompañada
		documentación consular retorno asistido reintegración comunitaria capacitación funcionarios`)
	var buf bytes.Buffer
	buf.WriteString("<main>")
	for buf.Len() < 40000 {
		fmt.Fprintf(&buf, "<li class=\"card\"><a href=\"/practices/%d\">", rng.IntN(100000))
		for range 8 + rng.IntN(12) {
			buf.WriteString(words[rng.IntN(len(words))] + " ")
		}
		buf.WriteString("</a></li>\n")
	}
	k := keepFrom(&buf, len("<main>"))
	if !k.fast {
		t.Fatal("a part is first kept at the fastest level")
	}
	r := k.refine()
	if r.fast || len(r.z) >= len(k.z) || !bytes.Equal(r.html, k.html) {
		t.Fatalf("refined: fast %v, %d bytes compressed (fast: %d)", r.fast, len(r.z), len(k.z))
	}
	for _, z := range [][]byte{k.z, r.z} {
		got, err := io.ReadAll(flateReader(z))
		if err != nil || !bytes.Equal(got, k.html) {
			t.Fatalf("a kept copy does not read back as the part: %v", err)
		}
	}
	if again := r.refine(); &again.z[0] != &r.z[0] {
		t.Error("a refined part is compressed again")
	}
}

// flateReader reads a piece of a deflate stream, ended by an empty final
// stored block.
func flateReader(z []byte) io.Reader {
	return flate.NewReader(bytes.NewReader(append(bytes.Clone(z), 1, 0, 0, 0xff, 0xff)))
}
