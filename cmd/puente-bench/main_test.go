package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDigestBenchSmoke runs the digest benchmark on a tiny database, so
// the benchmark cannot rot between the times someone runs it in full.
func TestDigestBenchSmoke(t *testing.T) {
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

// TestLoadBenchSmoke builds the server, and runs every row of the load
// benchmark for a moment against a tiny database.
func TestLoadBenchSmoke(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "puente")
	build := exec.Command("go", "build", "-o", bin, "puente/cmd/puente")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var out bytes.Buffer
	results := filepath.Join(dir, "results.md")
	err := run(context.Background(), []string{"load", "--small", "--db", filepath.Join(dir, "small.db"), "--server", bin,
		"--duration", "300ms", "--warmup", "0s", "--results", results}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	table, _ := os.ReadFile(results)
	for _, want := range []string{"static 20 KB (ceiling)", "practice list, page 500", "search, a rare word", "comment POST (303 back)", "start to ready"} {
		if !strings.Contains(string(table), want) {
			t.Errorf("results lack %q:\n%s", want, table)
		}
	}
}
