package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"os"

	"puente/db"
	"puente/internal/dbtest"
	"puente/internal/demo"
	"puente/internal/digest"
	"puente/internal/mail/smtptest"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func noEnv(string) string { return "" }

// listening matches the line serve logs once its listener is open, with
// the address the system gave it.
var listening = regexp.MustCompile(`msg=listening .*addr=(127\.0\.0\.1:\d+)`)

// listenedAddr waits until log shows the address serve listens on: the
// server is started on port 0, so no other test can take its port between
// a choice and the listen, and no other server can answer in its place.
func listenedAddr(log *syncBuf, exited func() bool, deadline time.Time) (string, bool) {
	for time.Now().Before(deadline) && !exited() {
		if m := listening.FindStringSubmatch(log.String()); m != nil {
			return m[1], true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "", false
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs "puente serve" until the test ends and waits for /healthz.
func startServe(t *testing.T, args ...string) (base string, stdout *syncBuf, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuf{}, &syncBuf{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), noEnv, stdout, stderr)
	}()
	deadline := time.Now().Add(20 * time.Second)
	var exitErr error
	exited := func() bool {
		select {
		case exitErr = <-done:
			return true
		default:
			return false
		}
	}
	addr, ok := listenedAddr(stderr, exited, deadline)
	if !ok {
		cancel()
		t.Fatalf("serve did not start listening (exit: %v)\n%s", exitErr, stderr.String())
	}
	base = "http://" + addr
	for !healthy(base) {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("serve did not stop")
		}
	}
	t.Cleanup(func() { stop() })
	return base, stdout, stop
}

// healthy reports whether the server at base answers /healthz with 200.
func healthy(base string) bool {
	res, err := http.Get(base + "/healthz")
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func post(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestProductionStartHasNoKnownPassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--data", dir}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate said %q", out.String())
	}
	base, _, stop := startServe(t, "--data", dir)

	out.Reset()
	err := run(context.Background(), []string{"admin", "create", "--email", "Jefa@Migracion.gob.pa", "--country", "PA", "--data", dir, "--base-url", base}, noEnv, &out, &errs)
	if err != nil {
		t.Fatal(err, errs.String())
	}
	link := regexp.MustCompile(`http://\S+/invitations/\S+`).FindString(out.String())
	if link == "" {
		t.Fatalf("no link printed:\n%s", out.String())
	}
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	n := dbtest.Int(t, d.R, `SELECT count(*) FROM accounts`)
	d.Close()
	if n != 0 {
		t.Fatalf("%d accounts exist before the first admin accepted", n)
	}

	c := client()
	res := post(t, c, link, url.Values{"display_name": {"Jefa"}, "password": {"una frase larga y segura"}, "confirm": {"una frase larga y segura"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	res, _ = c.Get(base + "/admin/accounts")
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("first admin cannot reach administration: %d", res.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	// The only admin lost access (demoted, suspended): the command gives
	// the existing account administration back, with a password link.
	if d, err = db.Open(filepath.Join(dir, "puente.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`UPDATE accounts SET role = 'official', status = 'suspended'`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"admin", "create", "--email", "jefa@migracion.gob.pa", "--data", dir, "--base-url", base}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !regexp.MustCompile(`http://\S+/password/reset/\S+`).MatchString(out.String()) {
		t.Fatalf("no password link printed:\n%s", out.String())
	}
	if role := dbtest.Value[string](t, d.R, `SELECT role || ' ' || status FROM accounts`); role != "admin active" {
		t.Errorf("after restoring: %s", role)
	}
	if n := dbtest.Int(t, d.R, `SELECT count(*) FROM moderation_log WHERE action = 'account.admin_restored'`); n != 1 {
		t.Errorf("%d restorations logged", n)
	}
	d.Close()

	if err := run(context.Background(), []string{"admin", "create", "--email", "not an address", "--data", dir}, noEnv, &out, &errs); err == nil {
		t.Fatal("bad address accepted")
	}
}

func TestDemoServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, out, stop := startServe(t, "--data", dir, "--demo")
	if !strings.Contains(out.String(), demo.Password) || !strings.Contains(out.String(), "panama@demo.puente.test") {
		t.Fatalf("demo instructions not printed:\n%s", out.String())
	}
	for _, a := range demo.Accounts {
		c := client()
		if res := post(t, c, base+"/signin", url.Values{"email": {a.Email}, "password": {demo.Password}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("demo account %s: %d", a.Email, res.StatusCode)
		}
	}
	stop()
	// A second start seeds nothing twice.
	_, _, stop = startServe(t, "--data", dir, "--demo")
	stop()
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if n := dbtest.Value[int](t, d.R, `SELECT count(*) FROM accounts`); n != len(demo.Accounts) {
		t.Fatalf("%d accounts after two demo starts", n)
	}
}

func TestServeRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, d.W, `INSERT INTO schema_migrations VALUES (?, 'future.sql', '')`, db.LatestVersion()+1)
	d.Close()
	var out, errs bytes.Buffer
	err = run(context.Background(), []string{"serve", "--data", dir, "--addr", freeAddr(t)}, noEnv, &out, &errs)
	if !errors.Is(err, db.ErrSchemaTooNew) {
		t.Fatalf("serve on a newer schema: %v", err)
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"PUENTE_DATA": dir, "PUENTE_SESSION_IDLE": "3h", "PUENTE_SESSION_MAX": "1h"}
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "idle no longer than max") {
		t.Fatalf("inconsistent timeouts from the environment: %v", err)
	}
	env["PUENTE_SESSION_MAX"] = "12h"
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &errs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), filepath.Join(dir, "puente.db")) {
		t.Fatalf("PUENTE_DATA ignored: %s", out.String())
	}
	if err := run(context.Background(), []string{"migrate", "--smtp-url", "http://x"}, noEnv, &out, &errs); err == nil {
		t.Fatal("bad SMTP URL accepted")
	}
}

func TestSanitizeCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, _, stop := startServe(t, "--data", dir, "--demo")
	_ = base
	stop()
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the stored HTML came from an older, looser policy.
	dbtest.Exec(t, d.W, `UPDATE practices SET context_html = '<p onclick="x()">old</p>', context_raw = '<p onclick="x()">old</p>', policy_version = 0 WHERE id = 1`)
	dbtest.Exec(t, d.W, `UPDATE comments SET body_html = '<img src=x>', body_raw = '<p>kept<img src=x></p>', policy_version = 0 WHERE id = 1`)
	d.Close()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"sanitize", "--data", dir}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "re-sanitised 1 practices and 1 comments") {
		t.Fatalf("output %q", out.String())
	}
	if d, err = db.Open(filepath.Join(dir, "puente.db")); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	html := dbtest.Value[string](t, d.R, `SELECT context_html FROM practices WHERE id = 1`)
	body := dbtest.Value[string](t, d.R, `SELECT body_html FROM comments WHERE id = 1`)
	if html != "<p>old</p>" || body != "<p>kept</p>" {
		t.Fatalf("after sanitize: %q, %q", html, body)
	}
	out.Reset()
	run(context.Background(), []string{"sanitize", "--data", dir, "--all"}, noEnv, &out, &errs)
	if !strings.Contains(out.String(), "re-sanitised 14 practices") {
		t.Fatalf("--all: %q", out.String())
	}
}

func TestDigestCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, _, stop := startServe(t, "--data", dir, "--demo")
	stop()
	// The demo's practices were published long ago: make one recent.
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	week := digest.LastComplete(time.Now(), time.UTC)
	dbtest.Exec(t, d.W, `UPDATE practices SET published_at = ? WHERE id = 2`, db.FormatTime(week.Start(time.UTC).Add(36*time.Hour)))
	d.Close()
	var out, errs bytes.Buffer
	args := []string{"digest", "send", "--data", dir, "--digest-tz", "UTC", "--week", week.String()}
	if err := run(context.Background(), append(args, "--dry-run"), noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "dry run: period "+week.String()) || !strings.Contains(out.String(), fmt.Sprintf("%d recipients", len(demo.Accounts))) {
		t.Fatalf("dry run: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), args, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "messages handed to folder") {
		t.Fatalf("send: %s", out.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml"))
	if len(files) == 0 {
		t.Fatal("no digest written")
	}
	out.Reset()
	if err := run(context.Background(), args, noEnv, &out, &errs); err != nil || !strings.Contains(out.String(), "0 queued") {
		t.Fatalf("second send: %v %s", err, out.String())
	}
	out.Reset()
	eml := filepath.Join(dir, "preview.eml")
	if err := run(context.Background(), []string{"digest", "preview", "--data", dir, "--digest-tz", "UTC", "--week", week.String(),
		"--email", "brasil@demo.puente.test", "--out", eml}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	b, _ := os.ReadFile(eml)
	if !strings.Contains(string(b), "List-Unsubscribe-Post: List-Unsubscribe=One-Click") || !strings.Contains(string(b), "Subject:") {
		t.Fatalf("preview:\n%.500s", b)
	}
	if err := run(context.Background(), []string{"digest", "send", "--data", dir, "--week", "2026-48"}, noEnv, &out, &errs); err == nil {
		t.Fatal("bad week accepted")
	}
}

// TestBackupCommand copies the database of a running server, then serves
// the copy, as a restore would.
func TestBackupCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, _, stop := startServe(t, "--data", dir, "--demo")
	restored := t.TempDir()
	dest := filepath.Join(restored, "puente.db")
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--data", dir, dest}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "integrity checked") {
		t.Fatalf("output %q", out.String())
	}
	if err := run(context.Background(), []string{"backup", dest, "--data", dir}, noEnv, &out, &errs); !errors.Is(err, db.ErrBackupExists) {
		t.Fatalf("backup over an existing file: %v", err)
	}
	if err := run(context.Background(), []string{"backup", "--data", dir}, noEnv, &out, &errs); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("backup without a file: %v", err)
	}
	stop()

	base, _, _ := startServe(t, "--data", restored)
	res, err := http.Get(base + "/practices")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	d, err := db.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := dbtest.Int(t, d.R, `SELECT count(*) FROM practices`)
	if res.StatusCode != 200 || n != 14 {
		t.Fatalf("restored copy: status %d, %d practices", res.StatusCode, n)
	}
}

// TestDiagnostics: --diag-addr serves the metrics, the readiness check
// and Go's profiler on their own loopback listener, none of them on the
// site (where only /readyz is), and any address that is not loopback is
// refused.
func TestDiagnostics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	daddr := freeAddr(t)
	base, _, stop := startServe(t, "--data", dir, "--diag-addr", daddr)
	defer stop()
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	if code, body := get("http://" + daddr + "/debug/pprof/goroutine?debug=1"); code != http.StatusOK || !strings.Contains(body, "goroutine profile") {
		t.Fatalf("profiler: %d\n%.300s", code, body)
	}
	get(base + "/practices/7")
	code, body := get("http://" + daddr + "/metrics")
	if code != http.StatusOK {
		t.Fatalf("metrics: %d\n%.300s", code, body)
	}
	for _, series := range []string{
		`puente_http_requests_total{code="404",method="GET",route="/practices/{id}"} 1`,
		"puente_outbox_queued ", "puente_db_commit_batch_writes_bucket", `go_sql_wait_count_total{db_name="writer"}`,
		"process_resident_memory_bytes ", "puente_digest_last_run_timestamp_seconds 0",
	} {
		if !strings.Contains(body, series) {
			t.Errorf("metrics lack %s", series)
		}
	}
	for _, url := range []string{"http://" + daddr + "/readyz", base + "/readyz"} {
		if code, body := get(url); code != http.StatusOK || body != "ok\n" {
			t.Errorf("%s: %d %q", url, code, body)
		}
	}
	for _, path := range []string{"/debug/pprof/", "/metrics"} {
		if code, _ := get(base + path); code != http.StatusNotFound {
			t.Errorf("%s reachable on the site: %d", path, code)
		}
	}
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"migrate", "--data", dir, "--diag-addr", "0.0.0.0:6060"}, noEnv, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("diagnostics on every interface accepted: %v", err)
	}
}

// The README's cron line, exactly, on a site whose server was started with
// its SMTP server and public address: the digest reaches the SMTP server
// with links to the public address. A command told to write mail to files
// or link to a loopback address against the site's settings is refused;
// a week that has not ended is refused with nothing recorded.
func TestCronDigestUsesTheSiteSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	smtp := smtptest.Start(t)
	_, _, stop := startServe(t, "--data", dir, "--demo", "--base-url", "https://puente.example.org", "--smtp-url", smtp.URL())
	stop()
	if info, err := os.Stat(filepath.Join(dir, "site.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("site settings file: %v, %v", info, err)
	}
	d, err := db.Open(filepath.Join(dir, "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	panama, _ := time.LoadLocation("America/Panama")
	week := digest.LastComplete(time.Now(), panama)
	dbtest.Exec(t, d.W, `UPDATE practices SET published_at = ? WHERE id = 2`, db.FormatTime(week.Start(panama).Add(36*time.Hour)))
	d.Close()

	var out, errs bytes.Buffer
	for _, bad := range [][]string{
		{"--smtp-url", ""},
		{"--base-url", "http://127.0.0.1:8080"},
		{"--week", digest.PeriodOf(time.Now().In(panama)).String()},
	} {
		if err := run(context.Background(), append([]string{"digest", "send", "--data", dir}, bad...), noEnv, &out, &errs); err == nil {
			t.Errorf("digest send %v accepted", bad)
		}
	}
	if d, err = db.Open(filepath.Join(dir, "puente.db")); err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Int(t, d.R, `SELECT count(*) FROM digest_deliveries`); n != 0 {
		t.Fatalf("%d deliveries recorded by refused runs", n)
	}
	d.Close()

	// What serve sent while it ran (the demo's notification emails, which
	// the command may also deliver if serve stopped first) is not the
	// digest's.
	before := len(smtp.Messages())
	out.Reset()
	if err := run(context.Background(), []string{"digest", "send", "--data", dir}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if !strings.Contains(out.String(), "handed to smtp") {
		t.Fatalf("send: %s", out.String())
	}
	var msgs []smtptest.Message
	for _, m := range smtp.WaitFor(t, before+1, 10*time.Second) {
		if strings.Contains(smtptest.Parse(t, m.Raw).Header.Get("List-Id"), "digest") {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		t.Fatal("no digest reached the SMTP server")
	}
	m := smtptest.Parse(t, msgs[0].Raw)
	if !strings.Contains(m.Text, "https://puente.example.org/") || strings.Contains(m.Text, "127.0.0.1") ||
		!strings.Contains(m.Header.Get("List-Unsubscribe"), "https://puente.example.org/unsubscribe/") {
		t.Fatalf("digest links:\n%s\n%s", m.Header.Get("List-Unsubscribe"), m.Text)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml")); len(files) != 0 {
		t.Fatalf("%d digests written to files", len(files))
	}
	out.Reset()
	if err := run(context.Background(), []string{"digest", "status", "--data", dir}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	want := fmt.Sprintf("%s: %d recipients now; %d digests queued (0 waiting, %d sent, 0 failed)", week, len(demo.Accounts), len(msgs), len(msgs))
	if !strings.Contains(out.String(), want) {
		t.Fatalf("status:\n%s\nwant %q", out.String(), want)
	}
}

// puente config keeps the mail settings without starting the server, shows
// them with the SMTP password hidden, and the other commands obey them.
func TestConfigCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"config", "--data", dir, "--base-url", "https://puente.example.org",
		"--smtp-url", "smtp://puente:s3cret@mail.example.org:587"}, noEnv, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	if info, err := os.Stat(filepath.Join(dir, "site.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("site settings file: %v, %v", info, err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"config", "--data", dir}, noEnv, &out, &errs); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "https://puente.example.org") || !strings.Contains(s, "smtp://puente:xxxxx@mail.example.org:587") ||
		strings.Contains(s, "s3cret") || strings.Contains(s, "saved") {
		t.Fatalf("config shows:\n%s", s)
	}
	if !strings.Contains(out.String(), "warning: mail goes out through SMTP from the default") {
		t.Errorf("no warning about the default From address:\n%s", out.String())
	}
	for _, bad := range [][]string{{"--smtp-url", "ftp://mail"}, {"--smtp-url", "smtp://mail.example.org:587?tls=bogus"}, {"--mail-from", "not an address"}} {
		if err := run(context.Background(), append([]string{"config", "--data", dir}, bad...), noEnv, &out, &errs); err == nil {
			t.Errorf("config %v was kept", bad)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "site.json")); strings.Contains(string(b), "bogus") || strings.Contains(string(b), "not an address") {
		t.Fatalf("a refused setting reached the file:\n%s", b)
	}
	// A folder served at an address, without a public URL, links there.
	other := t.TempDir()
	if err := run(context.Background(), []string{"config", "--data", other, "--addr", "127.0.0.1:8093"}, noEnv, &out, &errs); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "site.json")); !strings.Contains(string(b), `"base-url": "http://127.0.0.1:8093"`) {
		t.Fatalf("the address's base URL was not kept:\n%s", b)
	}
	err := run(context.Background(), []string{"digest", "send", "--data", dir, "--smtp-url", ""}, noEnv, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "SMTP server") {
		t.Fatalf("digest send against the kept settings: %v", err)
	}
}
