package server_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"puente/db"
	"puente/internal/dbtest"
	"puente/internal/digest"
	"puente/internal/servertest"
)

// scrape reads the metrics as Prometheus would: series → value.
func scrape(t *testing.T, e *servertest.Env) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	e.App.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d\n%s", rec.Code, rec.Body)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsCountWhatTheOperatorWatches: each family the operator's
// dashboard reads moves when the thing it counts happens: requests by
// route pattern (never by raw path), rate-limit refusals, the kept
// parts, the group commit, the outbox and its deliveries, sessions.
func TestMetricsCountWhatTheOperatorWatches(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	before := scrape(t, e)
	for _, name := range []string{
		"puente_outbox_queued", "puente_outbox_failed", "puente_outbox_oldest_queued_age_seconds",
		"puente_sessions_open", "puente_sessions_active", "puente_search_pending_comments",
		"puente_digest_last_run_timestamp_seconds", "puente_db_wal_bytes", "puente_cache_bytes",
		`puente_mail_deliveries_total{outcome="sent"}`, `puente_digest_runs_total{outcome="ok"}`,
		`puente_ratelimit_refusals_total{limit="signin_account"}`, `puente_ratelimit_refusals_total{limit="questions"}`,
		`puente_cache_lookups_total{result="hit"}`, `puente_db_commit_batch_writes_count`,
		`go_sql_wait_count_total{db_name="writer"}`, `go_sql_wait_duration_seconds_total{db_name="reader"}`,
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if _, ok := before[name]; !ok {
			t.Errorf("metrics lack %s", name)
		}
	}

	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))
	mx := e.SignIn("mx@gob.mx")
	for range 3 {
		if res := mx.Get(path); res.Status != http.StatusOK {
			t.Fatalf("practice: %d", res.Status)
		}
	}
	mx.Get("/practices/999999")
	if res := mx.PostForm(path+"/comments", url.Values{"body": {"<p>¿Cuánto costó?</p>"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", res.Status)
	}
	for i := range 11 {
		e.Client().PostForm("/signin", url.Values{"email": {"nadie@gob.pa"}, "password": {"adivinanza" + strconv.Itoa(i)}})
	}
	after := scrape(t, e)
	grew := func(series string, by float64) {
		t.Helper()
		if got := after[series] - before[series]; got < by {
			t.Errorf("%s grew by %v, want at least %v", series, got, by)
		}
	}
	grew(`puente_http_requests_total{code="200",method="GET",route="/practices/{id}"}`, 3)
	grew(`puente_http_requests_total{code="404",method="GET",route="/practices/{id}"}`, 1)
	grew(`puente_http_requests_total{code="429",method="POST",route="/signin"}`, 1)
	grew(`puente_http_request_duration_seconds_count{route="/practices/{id}"}`, 4)
	grew(`puente_ratelimit_refusals_total{limit="signin_account"}`, 1)
	grew(`puente_cache_lookups_total{result="hit"}`, 1)
	grew(`puente_cache_lookups_total{result="miss"}`, 1)
	grew(`puente_db_commit_batch_writes_count`, 1)
	grew(`puente_db_commit_batch_writes_bucket{le="64"}`, 1)
	for series := range after {
		if strings.Contains(series, "999999") || strings.Contains(series, "/practices/1\"") {
			t.Errorf("a raw path became a series: %s", series)
		}
	}
	if after["puente_sessions_open"] < 3 || after["puente_sessions_active"] < 3 {
		t.Errorf("sessions open %v, active %v; want the three signed in", after["puente_sessions_open"], after["puente_sessions_active"])
	}

	// A password link waits in the outbox until the sender runs; its age
	// is the clock's.
	if res := e.Client().PostForm("/password/forgot", url.Values{"email": {"mx@gob.mx"}}); res.Status >= 400 {
		t.Fatalf("forgot: %d", res.Status)
	}
	e.Clock.Advance(10 * time.Minute)
	queued := scrape(t, e)
	if queued["puente_outbox_queued"] < 1 || queued["puente_outbox_oldest_queued_age_seconds"] < 600 {
		t.Errorf("outbox queued %v, oldest %vs; want the waiting email, 600 s old", queued["puente_outbox_queued"], queued["puente_outbox_oldest_queued_age_seconds"])
	}
	sent := e.SendMail()
	done := scrape(t, e)
	if done["puente_outbox_queued"] != 0 || done["puente_outbox_oldest_queued_age_seconds"] != 0 {
		t.Errorf("after sending: outbox queued %v, oldest %vs", done["puente_outbox_queued"], done["puente_outbox_oldest_queued_age_seconds"])
	}
	if got := done[`puente_mail_deliveries_total{outcome="sent"}`]; got < float64(sent) || sent == 0 {
		t.Errorf("%d messages sent, deliveries counted %v", sent, got)
	}

	// A digest run tells when it ran, even with nothing to send: a quiet
	// week is no alarm.
	if done["puente_digest_last_run_timestamp_seconds"] != 0 {
		t.Errorf("last digest run %v before any ran", done["puente_digest_last_run_timestamp_seconds"])
	}
	if _, err := e.Digest.Run(context.Background(), digest.LastComplete(e.Clock.Now(), e.Config.DigestLocation), digest.Options{}); err != nil {
		t.Fatal(err)
	}
	ran := scrape(t, e)
	if got, want := ran["puente_digest_last_run_timestamp_seconds"], float64(e.Clock.Now().Unix()); got != want {
		t.Errorf("last digest run at %v, want the clock's %v", got, want)
	}
	if ran[`puente_digest_runs_total{outcome="ok"}`] != done[`puente_digest_runs_total{outcome="ok"}`]+1 {
		t.Errorf("digest runs: %v then %v", done[`puente_digest_runs_total{outcome="ok"}`], ran[`puente_digest_runs_total{outcome="ok"}`])
	}
}

// TestReadyz: ready when everything works; 503 with the reason when mail
// has been stuck longer than --ready-outbox-age, and again ready once it
// goes out; when the schema is not the one this program knows; when the
// disk has less room than --ready-min-disk-mb.
// /healthz answers 200 throughout: the process is alive.
func TestReadyz(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	c := e.Client()
	check := func(path string, status int, body string) {
		t.Helper()
		res := c.Get(path)
		if res.Status != status || !strings.Contains(res.Body, body) {
			t.Errorf("%s: %d %q, want %d %q", path, res.Status, res.Body, status, body)
		}
	}
	check("/readyz", http.StatusOK, "ok")
	if res := c.PostForm("/password/forgot", url.Values{"email": {"pa@gob.pa"}}); res.Status >= 400 {
		t.Fatalf("forgot: %d", res.Status)
	}
	e.Clock.Advance(59 * time.Minute)
	check("/readyz", http.StatusOK, "ok")
	e.Clock.Advance(2 * time.Minute)
	check("/readyz", http.StatusServiceUnavailable, "outbox stuck")
	check("/healthz", http.StatusOK, "ok")
	if e.SendMail() == 0 {
		t.Fatal("nothing was sent")
	}
	check("/readyz", http.StatusOK, "ok")

	// A newer binary migrated the file under this one.
	dbtest.Exec(t, e.DB.W, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', '2027-01-01T00:00:00.000000Z')`, db.LatestVersion()+1)
	check("/readyz", http.StatusServiceUnavailable, "database schema not current")
	dbtest.Exec(t, e.DB.W, `DELETE FROM schema_migrations WHERE version = ?`, db.LatestVersion()+1)
	check("/readyz", http.StatusOK, "ok")

	full := servertest.New(t, servertest.WithArgs("--ready-min-disk-mb", "1000000000"))
	res := full.Client().Get("/readyz")
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, "disk nearly full") {
		t.Errorf("disk below the minimum: %d %q", res.Status, res.Body)
	}
	if strings.Contains(res.Body, full.Config.DataDir) {
		t.Errorf("the public answer names the data folder: %q", res.Body)
	}
}

// TestAccessLog: with --access-log every request is one info line naming
// the route pattern; the raw path (a reset link's token) never appears.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	e := servertest.New(t, servertest.WithArgs("--access-log", "--log-level", "info"))
	e.Client().Get("/password/reset/secreto-de-un-enlace")
	logs := e.Logs.String()
	if strings.Contains(logs, "secreto-de-un-enlace") {
		t.Errorf("the raw path was logged:\n%s", logs)
	}
	line := regexp.MustCompile(`level=INFO msg=request method=GET route=/password/reset/\{token\} status=410 bytes=\d+ ms=[\d.]+ ip=127\.0\.0\.1\n`)
	if !line.MatchString(logs) {
		t.Errorf("no info line for the request:\n%s", logs)
	}
}
