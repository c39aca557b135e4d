package main

import (
	"bytes"
	"context"
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
