// Command puente-bench measures Puente on a database of realistic size:
// it generates the database (once) and times the weekly digest of every
// account against a local SMTP server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"puente/db"
	"puente/internal/accounts"
	"puente/internal/app"
	"puente/internal/config"
	"puente/internal/digest"
	"puente/internal/practices"
	"puente/internal/scale"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "puente-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: puente-bench generate|digest|search|load [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	path := fs.String("db", "bench/scale.db", "scale database file; generated when missing")
	small := fs.Bool("small", false, "a tiny database (for the smoke test), not the full size")
	var lo loadOptions
	fs.StringVar(&lo.server, "server", "bin/puente", "load: the puente binary to start against the database")
	fs.StringVar(&lo.wrk, "wrk", "wrk", "load: the wrk binary that drives the server")
	fs.DurationVar(&lo.duration, "duration", 5*time.Second, "load: how long each measurement runs (whole seconds, at least 1s)")
	fs.DurationVar(&lo.warmup, "warmup", time.Second, "load: warm-up before each row's measurements")
	fs.IntVar(&lo.runs, "runs", 3, "load: measurements per row and concurrency; the table gives their median")
	fs.BoolVar(&lo.digest, "digest", true, "load: also time the weekly digest of every account, in a process of its own")
	fs.StringVar(&lo.results, "results", "bench/results.md", "load: file the table is written to")
	fs.StringVar(&lo.rows, "rows", "", "load: run only the rows whose names contain one of these comma-separated parts (the ceiling always runs)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	size := scale.Full
	if *small {
		size = scale.Size{Accounts: 200, Practices: 1000, Comments: 5000, Seed: 1, Years: 2}
	}
	d, err := ensure(ctx, *path, size, out)
	if err != nil {
		return err
	}
	defer d.Close()
	switch args[0] {
	case "generate":
		return nil
	case "digest":
		return benchDigest(ctx, d, out)
	case "search":
		return benchSearch(ctx, d, out)
	case "load":
		return benchLoad(ctx, d, lo, out)
	}
	return fmt.Errorf("unknown benchmark %q", args[0])
}

// ensure opens the scale database, generating it first when missing.
func ensure(ctx context.Context, path string, size scale.Size, out io.Writer) (*db.DB, error) {
	if _, err := os.Stat(path); err == nil {
		d, err := db.Open(path)
		if err != nil {
			return nil, err
		}
		_, err = d.Migrate(ctx)
		return d, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	d, err := db.Open(tmp)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	err = scale.Generate(ctx, d, size, func(s string) { fmt.Fprintf(out, "\rgenerating: %-40s", s) })
	fmt.Fprintln(out)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.W.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	d.Close()
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	fmt.Fprintf(out, "generated %s in %s: %d accounts, %d practices, %d comments\n", path, time.Since(start).Round(time.Second),
		size.Accounts, size.Practices, size.Comments)
	d, err = db.Open(path)
	if err != nil {
		return nil, err
	}
	_, err = d.Migrate(ctx)
	return d, err
}

// sink is an SMTP server that accepts and counts every message.
type sink struct{ n atomic.Int64 }

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s}, nil }

type sinkSession struct{ s *sink }

func (ss *sinkSession) Reset()                               {}
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	ss.s.n.Add(1)
	return err
}

// peakRSS is the process's high-water resident memory, in MiB.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

// benchDigest composes the last complete week's digest for every account
// and hands each to a local SMTP server, and reports the time taken.
func benchDigest(ctx context.Context, d *db.DB, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sk := &sink{}
	srv := smtp.NewServer(sk)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	defer srv.Close()

	// Start from a clean slate of deliveries so every run measures the same work.
	accounts, err := scale.ResetDigests(ctx, d)
	if err != nil {
		return err
	}
	// Weeks in UTC, as the generator places its data.
	a, err := newApp(ctx, d, "--smtp-url", "smtp://"+ln.Addr().String()+"?tls=none", "--digest-tz", "UTC")
	if err != nil {
		return err
	}
	runner, outbox := a.Digest, a.Outbox
	// The week that ended last where the digest counts its weeks (UTC
	// here): a week still under way there is refused.
	p := digest.LastComplete(time.Now(), runner.Location)
	runtime.GC()
	start := time.Now()
	sum, err := runner.Run(ctx, p, digest.Options{Progress: func(done, total int) {
		fmt.Fprintf(out, "\rcomposing %d/%d", done, total)
	}})
	fmt.Fprintln(out)
	if err != nil {
		return err
	}
	composed := time.Since(start)
	sent, err := outbox.SendDue(ctx)
	if err != nil {
		return err
	}
	total := time.Since(start)
	fmt.Fprintf(out, "digest %s over %d accounts: %s\n", p, accounts, sum)
	fmt.Fprintf(out, "composed and queued in %s; %d handed to SMTP (server counted %d); total %s (%.0f digests/s); peak RSS %.0f MiB\n",
		composed.Round(time.Millisecond), sent, sk.n.Load(), total.Round(time.Millisecond), float64(sent)/total.Seconds(), peakRSS())
	return nil
}

// ensureIndex builds the search index of a generated database (the
// generator writes the tables directly) once, and reports its size.
func ensureIndex(ctx context.Context, a *app.App, out io.Writer) (int, error) {
	d := a.DB
	var indexed int
	if err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM practice_fts`).Scan(&indexed); err != nil || indexed > 0 {
		return indexed, err
	}
	fmt.Fprintln(out, "building the search index (once)…")
	return a.Search.Reindex(ctx, nil)
}

// benchSearch times searches for two common words, one client, as an
// official of a CRM country sees them, after a warm-up.
func benchSearch(ctx context.Context, d *db.DB, out io.Writer) error {
	a, err := newApp(ctx, d)
	if err != nil {
		return err
	}
	indexed, err := ensureIndex(ctx, a, out)
	if err != nil {
		return err
	}
	store := a.Practices
	v := practices.Viewer{AccountID: 2, Role: accounts.Official, Processes: []string{"CRM"}}
	queries := []string{"migración frontera", "registro salud", "protección asilo", "trámites plataforma", "familias retorno"}
	for i := range 20 {
		if _, err := store.Search(ctx, v, queries[i%len(queries)], practices.Filter{}, 1); err != nil {
			return err
		}
	}
	var times []time.Duration
	hits := 0
	for i := range 200 {
		start := time.Now()
		r, err := store.Search(ctx, v, queries[i%len(queries)], practices.Filter{}, 1)
		if err != nil {
			return err
		}
		times = append(times, time.Since(start))
		hits += len(r.Hits)
	}
	slices.Sort(times)
	pct := func(p float64) time.Duration { return times[int(p*float64(len(times)-1))] }
	fmt.Fprintf(out, "search, two common words, 1 client, %d practices indexed: %d queries, p50 %s, p90 %s, p99 %s, max %s (%d hits)\n",
		indexed, len(times), pct(.5).Round(10*time.Microsecond), pct(.9).Round(10*time.Microsecond),
		pct(.99).Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond), hits)
	return nil
}

// newApp builds the application's stores over the scale database, as the
// server would, with args added to its configuration.
func newApp(ctx context.Context, d *db.DB, args ...string) (*app.App, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := config.Register(fs, func(string) string { return "" })
	args = append([]string{"--data", filepath.Dir(d.Path), "--base-url", "https://puente.example.org",
		"--mail-from", "Puente <no-reply@puente.example.org>"}, args...)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := cfg.Finish(); err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
}
