// Package smtptest runs a real SMTP server on 127.0.0.1 for tests. It
// keeps every message it accepts and can be told to answer the next
// deliveries with a 4xx or 5xx code, to test retries and failures.
package smtptest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Raw  []byte
}

// Server is an SMTP server listening on a loopback port.
type Server struct {
	Addr string

	mu       sync.Mutex
	msgs     []Message
	failures []int            // codes to answer to the next DATA commands
	failFor  map[string][]int // codes to answer to the next messages to an address
	notify   chan struct{}
	srv      *smtp.Server
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), notify: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the server's address as Puente's --smtp-url.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// FailNext makes the next len(codes) deliveries fail with those codes
// (451 for a temporary failure, 550 for a permanent one).
func (s *Server) FailNext(codes ...int) {
	s.mu.Lock()
	s.failures = append(s.failures, codes...)
	s.mu.Unlock()
}

// FailFor makes the next len(codes) deliveries to addr fail with those
// codes, whatever is sent to others meanwhile (messages to different
// people go out side by side, in no fixed order).
func (s *Server) FailFor(addr string, codes ...int) {
	s.mu.Lock()
	if s.failFor == nil {
		s.failFor = map[string][]int{}
	}
	s.failFor[addr] = append(s.failFor[addr], codes...)
	s.mu.Unlock()
}

// Messages returns the accepted messages so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor waits until at least n messages were accepted, or the timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.notify:
		case <-deadline:
			t.Fatalf("smtp: %d message(s) after %v, want %d", len(s.Messages()), timeout, n)
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	code := 0
	for _, to := range ss.to {
		if fs := s.failFor[to]; len(fs) > 0 {
			code, s.failFor[to] = fs[0], fs[1:]
			break
		}
	}
	if code == 0 && len(s.failures) > 0 {
		code = s.failures[0]
		s.failures = s.failures[1:]
	}
	if code != 0 {
		s.mu.Unlock()
		class := code / 100
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, 0, 0}, Message: "refused by test server"}
	}
	s.msgs = append(s.msgs, Message{From: ss.from, To: ss.to, Raw: raw})
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// Parsed is a message split into headers and its text and HTML parts.
type Parsed struct {
	Header mail.Header
	Text   string
	HTML   string
}

// Subject returns the decoded Subject header.
func (p *Parsed) Subject() string {
	dec := new(mime.WordDecoder)
	s, err := dec.DecodeHeader(p.Header.Get("Subject"))
	if err != nil {
		return p.Header.Get("Subject")
	}
	return s
}

// Parse reads a message and decodes its parts.
func Parse(t testing.TB, raw []byte) *Parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	p := &Parsed{Header: m.Header}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, _ := io.ReadAll(m.Body)
		p.Text = string(b)
		return p
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Text = string(b)
		case "text/html":
			p.HTML = string(b)
		}
	}
	return p
}
