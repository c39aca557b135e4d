package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource reads axe-core, installed by the build (npm ci) into
// node_modules at the repository's root.
func axeSource(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(path)
	if err != nil {
		msg := "ACCESSIBILITY TEST NOT RUN: axe-core is missing (run make assets): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Log("!!!!!!!! " + msg + " !!!!!!!!")
		t.Skip(msg)
	}
	return string(b)
}

// Violation is one failed accessibility rule on a page.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	s := fmt.Sprintf("%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 3 {
			s += fmt.Sprintf("\n    … and %d more", len(v.Nodes)-3)
			break
		}
		s += fmt.Sprintf("\n    %v %.160s", n.Target, n.HTML)
	}
	return s
}

// Axe runs axe-core's WCAG 2.1 A and AA rules on the current page and
// returns the serious and critical violations.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src := axeSource(t)
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => JSON.stringify(r.violations))`, func(p *cdpruntime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var all []Violation
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	var bad []Violation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v)
		}
	}
	return bad
}
