package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"puente/db"
	"puente/internal/browsertest"
	"puente/internal/cli"
	"puente/internal/dbtest"
	"puente/internal/scale"
)

// TestDigestBenchSmoke runs the digest benchmark on a tiny database, so
// the benchmark cannot rot between the times someone runs it in full.
func TestDigestBenchSmoke(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	path := filepath.Join(t.TempDir(), "small.db")
	if err := run(context.Background(), []string{"digest", "--small", "--db", path}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "200 recipients") || !strings.Contains(s, "200 handed to SMTP (server counted 200)") {
		t.Fatalf("benchmark output:\n%s", s)
	}
	// A second run reuses the database and measures the same work.
	out.Reset()
	if err := run(context.Background(), []string{"digest", "--small", "--db", path}, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "generated") || !strings.Contains(out.String(), "200 queued") {
		t.Fatalf("second run:\n%s", out.String())
	}
}

// TestSearchBenchSmoke runs the search benchmark on a tiny database: it
// builds the index when it is empty and answers every query.
func TestSearchBenchSmoke(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	path := filepath.Join(t.TempDir(), "small.db")
	if err := run(context.Background(), []string{"search", "--small", "--db", path}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "200 queries, p50 ") || strings.Contains(s, "(0 hits)") {
		t.Fatalf("benchmark output:\n%s", s)
	}
}

// TestMain lets the test binary stand in for the puente server: the load
// benchmark starts its --server with "serve" as the first argument, which
// go test never passes, so the smoke test below needs no build of its own.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := cli.Run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "puente:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLoadBenchSmoke runs every row of the load benchmark for a moment
// against a tiny database, with this test binary as the server.
func TestLoadBenchSmoke(t *testing.T) {
	t.Parallel()
	wrk, _ := exec.LookPath("wrk")
	browsertest.RequireTool(t, wrk, "LOAD BENCHMARK SMOKE TEST NOT RUN: wrk is missing (make deps installs Debian's wrk)")
	dir := t.TempDir()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	results := filepath.Join(dir, "results.md")
	err = run(context.Background(), []string{"load", "--small", "--db", filepath.Join(dir, "small.db"), "--server", bin,
		"--duration", "1s", "--warmup", "0s", "--runs", "1", "--digest=false", "--results", results}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	table, _ := os.ReadFile(results)
	for _, want := range []string{"minimal Go handler", "static stylesheet", "HEAD /healthz", "home page", "practice list, page 500", "a random practice of",
		"practice list while 20 comments/s", "bytes/resp", "practice list, a page not kept", "search, a rare word", "comment POST (303 back)", "start to ready"} {
		if !strings.Contains(string(table), want) {
			t.Errorf("results lack %q:\n%s", want, table)
		}
	}
	// The comments the run posted are gone again, and their practice's
	// count and search row with them.
	d, err := db.Open(filepath.Join(dir, "small.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	left := dbtest.Int(t, d.R, `SELECT count(*) FROM comments WHERE body_html LIKE '<p>' || ? || ' %'`, scale.LoadComment)
	wrong := dbtest.Int(t, d.R, `SELECT count(*) FROM practices p WHERE comment_count <>
		(SELECT count(*) FROM comments c WHERE c.practice_id = p.id AND deleted_at IS NULL AND hidden_at IS NULL)`)
	pending := dbtest.Int(t, d.R, `SELECT count(*) FROM practice_fts WHERE practice_fts MATCH '"comentario de carga"'`)
	if !strings.Contains(out.String(), "removed the ") || left != 0 || wrong != 0 || pending != 0 {
		t.Errorf("after the run: %d load comments left, %d counts wrong, %d search rows with them\n%s", left, wrong, pending, out.String())
	}
}
