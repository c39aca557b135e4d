// Package servertest builds a whole Puente server for tests: a fresh
// migrated SQLite file in a temporary folder, a fake clock, a real SMTP
// server on loopback, and HTTP clients that keep cookies like a browser.
package servertest

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/app"
	"puente/internal/clock"
	"puente/internal/config"
	"puente/internal/digest"
	"puente/internal/mail"
	"puente/internal/mail/smtptest"
	"puente/internal/server"
)

// Password is the password of accounts made by CreateAccount.
const Password = "correct horse battery staple"

// TestHashParams keep argon2id cheap in tests; production uses
// accounts.DefaultHashParams.
var TestHashParams = accounts.HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}

// Env is one running server and what it is made of.
type Env struct {
	T        testing.TB
	DB       *db.DB
	Clock    *clock.Fake
	Config   *config.Config
	App      *app.App
	Accounts *accounts.Store
	Outbox   *mail.Outbox
	Digest   *digest.Runner
	SMTP     *smtptest.Server
	Server   *server.Server
	HTTP     *httptest.Server
	Logs     *SyncBuffer
}

// SyncBuffer is a log destination safe for concurrent writes.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Option changes the configuration before the server starts.
type Option func(args *[]string)

// WithArgs passes extra command-line flags to the configuration.
func WithArgs(extra ...string) Option {
	return func(args *[]string) { *args = append(*args, extra...) }
}

// New starts a server that lives until the test ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	dir := t.TempDir()
	e := &Env{T: t, Clock: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), Logs: &SyncBuffer{}}
	e.SMTP = smtptest.Start(t)
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.DB = d

	// The listener comes first so the base URL is known to the config.
	e.HTTP = httptest.NewUnstartedServer(nil)
	base := "http://" + e.HTTP.Listener.Addr().String()
	// Tests post many things from one account under a clock that does not
	// move: the per-account post limit is off unless a test turns it on
	// with WithArgs("--post-every", ...).
	args := []string{"--data", dir, "--base-url", base, "--smtp-url", e.SMTP.URL(),
		"--session-keys", strings.Repeat("ab", 32), "--log-level", "debug", "--post-every", "0"}
	for _, o := range opts {
		o(&args)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg := config.Register(fs, func(string) string { return "" })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	e.Config = cfg
	log := slog.New(slog.NewTextHandler(e.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sender, err := mail.NewSMTPSender(cfg.SMTPURL, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	hp := TestHashParams
	e.App, err = app.New(context.Background(), cfg, d, log, app.Options{Clock: e.Clock, HashParams: &hp, Sender: sender, MessageIDHost: "puente.test"})
	if err != nil {
		t.Fatal(err)
	}
	e.Accounts, e.Outbox, e.Digest = e.App.Accounts, e.App.Outbox, e.App.Digest
	if e.Server, err = e.App.Server(); err != nil {
		t.Fatal(err)
	}
	e.HTTP.Config.Handler = e.Server.Handler()
	e.HTTP.Start()
	t.Cleanup(e.HTTP.Close)
	return e
}

// CreateAccount makes an active account with Password.
func (e *Env) CreateAccount(email string, role accounts.Role, country string) *accounts.Account {
	e.T.Helper()
	a, err := e.Accounts.CreateDirect(context.Background(), email, strings.Split(email, "@")[0], role, country, "en", Password)
	if err != nil {
		e.T.Fatal(err)
	}
	return a
}

// SendMail does what the server's background jobs do: it composes the
// notification emails that are due, then delivers every queued message
// that is due now.
func (e *Env) SendMail() int {
	e.T.Helper()
	if _, err := e.App.Notices.SendDue(context.Background()); err != nil {
		e.T.Fatal(err)
	}
	n, err := e.Outbox.SendDue(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	return n
}

// Client is a cookie-keeping HTTP client that does not follow redirects,
// so tests see each answer.
type Client struct {
	T    testing.TB
	Base string
	HTTP *http.Client
	// Header is added to every request.
	Header http.Header
}

// Client returns a new client with an empty cookie jar.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: e.T, Base: e.HTTP.URL, Header: http.Header{"Accept-Language": {"en"}}, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
}

// SignIn returns a client signed in as email with Password.
func (e *Env) SignIn(email string) *Client {
	e.T.Helper()
	c := e.Client()
	res := c.PostForm("/signin", url.Values{"email": {email}, "password": {Password}})
	if res.Status != http.StatusSeeOther {
		e.T.Fatalf("sign in as %s: status %d\n%s", email, res.Status, res.Body)
	}
	return c
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends a request and reads the whole answer.
func (c *Client) Do(req *http.Request) *Response {
	c.T.Helper()
	for k, v := range c.Header {
		if req.Header.Get(k) == "" {
			req.Header[k] = v
		}
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) *Response {
	c.T.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	if err != nil {
		c.T.Fatal(err)
	}
	return c.Do(req)
}

// PostForm posts a form as a same-origin browser would.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.T.Helper()
	req, err := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// Cookie returns the value of the named cookie the client holds, or "".
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.Base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie replaces a cookie in the client's jar, to replay one.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.Base)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// LinkIn returns the first link in text under the server's base URL that
// contains part, as a path.
func (e *Env) LinkIn(text, part string) string {
	e.T.Helper()
	for _, l := range linkRE.FindAllString(text, -1) {
		if strings.HasPrefix(l, e.HTTP.URL) && strings.Contains(l, part) {
			return strings.TrimPrefix(l, e.HTTP.URL)
		}
	}
	e.T.Fatalf("no link containing %q in:\n%s", part, text)
	return ""
}

// SeedDemo fills the server with the demo's accounts, practices and
// comments, as "serve --demo" does.
func (e *Env) SeedDemo() {
	e.T.Helper()
	ctx := context.Background()
	if _, _, err := e.App.Demo(ctx); err != nil {
		e.T.Fatal(err)
	}
}
