package server

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"

	"puente/static"
)

// Many who read Puente are on slow links: text answers over 1 KB go out
// gzipped to browsers that accept it. Pages are rendered whole before they
// are written, so most answers arrive in one Write and the choice is made
// on their size; the fingerprinted static files are compressed once.

// minGzip is the smallest body worth compressing.
const minGzip = 1024

// gzipLevel trades some size for speed on a two-core server: at the
// fastest level a 65 KB practice page goes out in 10 KB. The compressor
// is klauspost/compress's, which does the same work as the standard
// library's in about 40 % of the time.
const gzipLevel = gzip.BestSpeed

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
	return w
}}

func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/html", "text/css", "text/javascript", "application/javascript", "application/atom+xml",
		"text/csv", "image/svg+xml", "application/json", "text/plain", "application/xml", "text/xml":
		return true
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(part, ";")
		if enc = strings.TrimSpace(enc); !strings.EqualFold(enc, "gzip") && enc != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q, _ = strconv.ParseFloat(v, 64)
		}
		return q > 0
	}
	return false
}

// compress gzips the answers worth it; every answer says it varies by
// Accept-Encoding, so that a cache keeps the two apart.
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, status: http.StatusOK}
		defer gw.finish()
		next.ServeHTTP(gw, r)
	})
}

// gzipWriter decides at the first write whether to compress.
type gzipWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool // the status is held until the first write
	decided     bool
	gz          *gzip.Writer
}

func (g *gzipWriter) WriteHeader(code int) {
	if g.wroteHeader {
		return
	}
	g.status, g.wroteHeader = code, true
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified || code >= 300 && code < 400 {
		g.decided = true
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.decided {
		gz := g.decide(len(p))
		g.ResponseWriter.WriteHeader(g.status)
		if gz {
			g.gz = gzipPool.Get().(*gzip.Writer)
			g.gz.Reset(g.ResponseWriter)
		}
	}
	if g.gz != nil {
		return g.gz.Write(p)
	}
	return g.ResponseWriter.Write(p)
}

// decide chooses, at the first write of n bytes, whether the answer is
// gzipped, and says so in the header; the caller sends the status held
// until then.
func (g *gzipWriter) decide(n int) bool {
	g.decided = true
	h := g.Header()
	gz := n >= minGzip && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type"))
	if gz {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
	}
	return gz
}

// A span is where a kept part lies in a rendered page, with the part
// compressed when it was kept (deflatePiece).
type span struct {
	start, end int
	z          []byte
}

// spanWriterOf finds the gzipWriter under the wrappers other middleware
// put around it.
func spanWriterOf(w http.ResponseWriter) *gzipWriter {
	for {
		if g, ok := w.(*gzipWriter); ok {
			return g
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
}

// writeSpans writes a whole page whose spans are kept parts. Gzipped, the
// answer is one gzip member whose deflate stream is pieced together: the
// bytes between spans are compressed now, each by a compressor started
// afresh and flushed to a byte boundary, and each span's bytes are its
// copy compressed when it was kept, made the same way. No piece refers
// back past its own start, so the pieces follow one another as one
// stream; the trailer's checksum and length cover the whole page.
func (g *gzipWriter) writeSpans(body []byte, spans []span) {
	if len(body) < minPieced {
		// Compressed whole, a short page is smaller by a good part.
		g.Write(body)
		return
	}
	if g.decided {
		g.Write(body)
		return
	}
	if !g.decide(len(body)) {
		g.ResponseWriter.WriteHeader(g.status)
		g.ResponseWriter.Write(body)
		return
	}
	// The answer is assembled first, so that it goes out with its length
	// in one write rather than in chunks of the connection's buffer.
	out := outPool.Get().(*bytes.Buffer)
	defer func() {
		if out.Cap() <= 1<<20 {
			out.Reset()
			outPool.Put(out)
		}
	}()
	// ID1 ID2, deflate, no flags, no time, no extra flags, OS unknown.
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255})
	fw := flatePool.Get().(*flate.Writer)
	pos := 0
	for _, sp := range spans {
		writePiece(out, fw, body[pos:sp.start])
		out.Write(sp.z)
		pos = sp.end
	}
	writePiece(out, fw, body[pos:])
	fw.Reset(io.Discard)
	flatePool.Put(fw)
	// The last block: empty, stored, final.
	var trailer [13]byte
	trailer[0], trailer[3], trailer[4] = 1, 0xff, 0xff
	binary.LittleEndian.PutUint32(trailer[5:9], crc32.ChecksumIEEE(body))
	binary.LittleEndian.PutUint32(trailer[9:], uint32(len(body)))
	out.Write(trailer[:])
	g.Header().Set("Content-Length", strconv.Itoa(out.Len()))
	g.ResponseWriter.WriteHeader(g.status)
	g.ResponseWriter.Write(out.Bytes())
}

var outPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// minPieced is the size from which a page is pieced together from its
// kept parts' compressed copies.
const minPieced = 4096

// smallPiece is the size under which a piece between kept parts goes out
// as it is, in a stored block: compressing a few hundred bytes costs more
// than sending them.
const smallPiece = 512

// writePiece writes b to w as deflate blocks that end on a byte boundary
// and do not end the stream.
func writePiece(w *bytes.Buffer, fw *flate.Writer, b []byte) {
	if len(b) == 0 {
		return
	}
	if len(b) < smallPiece {
		// A stored block: BFINAL 0, BTYPE 00, then LEN and its complement.
		n := uint16(len(b))
		w.Write([]byte{0, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)})
		w.Write(b)
		return
	}
	fw.Reset(w)
	fw.Write(b)
	fw.Flush() // writing to memory cannot fail
}

// flatePool holds the compressors of the bytes between kept parts.
var flatePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, gzipLevel)
	return w
}}

// pieceLevel is the compression of kept parts served again: done once
// per part and then served many times, it can afford more than the
// answers' fastest level (a 60 KB practice in 8.9 KB instead of 9.9 KB).
// A part is first kept at the fastest level: most parts of pages opened
// once (a practice among a hundred thousand) are pushed out before
// anyone asks for them again, and compressing them harder was a tenth of
// such a page's time; the part is compressed again at this level when
// it is served from the cache (keptPart.refine).
const pieceLevel = 5

var piecePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, pieceLevel)
	return w
}}

// deflatePiece compresses b as a piece of a deflate stream, with a
// compressor of pool: started afresh (nothing it writes refers to what
// comes before it) and flushed to a byte boundary without ending the
// stream.
func deflatePiece(pool *sync.Pool, b []byte) []byte {
	var buf bytes.Buffer
	fw := pool.Get().(*flate.Writer)
	fw.Reset(&buf)
	fw.Write(b)
	fw.Flush()
	fw.Reset(io.Discard)
	pool.Put(fw)
	return buf.Bytes()
}

// finish sends a status held without a body, and ends the gzip stream.
func (g *gzipWriter) finish() {
	if !g.decided && g.wroteHeader {
		g.ResponseWriter.WriteHeader(g.status)
	}
	if g.gz != nil {
		g.gz.Close()
		g.gz.Reset(io.Discard)
		gzipPool.Put(g.gz)
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// gzippedStatic holds each static file compressed, made at first use.
var gzippedStatic sync.Map // path → []byte

// staticGzip is the gzipped content of the static file name, or nil when
// it is not worth compressing.
func staticGzip(name, contentType string) []byte {
	if v, ok := gzippedStatic.Load(name); ok {
		return v.([]byte)
	}
	b, err := static.Files.ReadFile(name)
	var out []byte
	if err == nil && len(b) >= minGzip && compressible(contentType) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			out = buf.Bytes()
		}
	}
	gzippedStatic.Store(name, out)
	return out
}
