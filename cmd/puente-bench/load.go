package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"puente/db"
	"puente/internal/scale"
)

// loadOptions bound a load run.
type loadOptions struct {
	server   string        // the puente binary to start
	duration time.Duration // per row and concurrency
	warmup   time.Duration
	results  string // file the table is written to ("" for none)
	rows     string // comma-separated parts of row names to run ("" for all); the ceiling always runs
}

// wanted reports whether the row named name is to run.
func (o loadOptions) wanted(name string) bool {
	if o.rows == "" || strings.HasPrefix(name, "static") {
		return true
	}
	for _, part := range strings.Split(o.rows, ",") {
		if part = strings.TrimSpace(part); part != "" && strings.Contains(name, part) {
			return true
		}
	}
	return false
}

// row is one line of the load table.
type row struct {
	name        string
	conns       int
	rps         float64
	p50, p99    time.Duration
	errors      uint64
	requests    uint64
	ratio       float64 // of the static ceiling at the same concurrency
	ceilingLike bool
}

// benchLoad starts the real server on the scale database, signs in as an
// official of a CRM country, and drives each page at fixed concurrencies
// with vegeta, after a warm-up, for a fixed time. A static file (the
// stylesheet, about 17 KB, part of every build) served by the same binary
// is the ceiling every page is compared with.
func benchLoad(ctx context.Context, d *db.DB, o loadOptions, out io.Writer) error {
	a, err := newApp(ctx, d)
	if err != nil {
		return err
	}
	if _, err := ensureIndex(ctx, a, out); err != nil {
		return err
	}
	// What an interrupted run posted goes first, so every run starts from
	// the same database.
	if _, err := scale.RemoveLoadComments(ctx, d, a.Comments); err != nil {
		return err
	}
	fx, err := scale.LoadFixtures(ctx, d)
	if err != nil {
		return err
	}
	d.Close() // the server owns the file from here on

	addr, err := freeLoopback()
	if err != nil {
		return err
	}
	base := "http://" + addr
	srv := exec.CommandContext(ctx, o.server, "serve", "--db", fx.Path, "--data", filepath.Dir(fx.Path), "--addr", addr,
		// The comment row posts as one account far past what a person
		// may: the per-account post limit is off for the benchmark.
		"--base-url", base, "--log-level", "error", "--post-every", "0")
	srv.Stdout, srv.Stderr = io.Discard, os.Stderr
	start := time.Now()
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start %s: %w", o.server, err)
	}
	var stopOnce sync.Once
	stop := func() { stopOnce.Do(func() { srv.Process.Kill(); srv.Wait() }) }
	defer stop()
	if err := waitReady(base, 60*time.Second); err != nil {
		return err
	}
	ready := time.Since(start)

	cookie, err := signIn(base, fx.Email, scale.Password)
	if err != nil {
		return err
	}
	hdr := http.Header{"Cookie": {cookie}, "Accept-Language": {"es"}, "Accept-Encoding": {"gzip"}}
	// Measuring an empty result would flatter the search rows.
	for _, q := range []string{"migración frontera", fx.Rare} {
		if err := expectResults(base+"/search?q="+url.QueryEscape(q), cookie); err != nil {
			return err
		}
	}
	get := func(path string) vegeta.Targeter {
		return vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: base + path, Header: hdr})
	}
	var n atomic.Int64
	commentPost := func(tgt *vegeta.Target) error {
		i := n.Add(1)
		h := hdr.Clone()
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		h.Set("Origin", base)
		h.Set("Sec-Fetch-Site", "same-origin")
		*tgt = vegeta.Target{Method: "POST", URL: base + "/practices/" + strconv.FormatInt(fx.Commented, 10) + "/comments", Header: h,
			Body: []byte(url.Values{"body": {fmt.Sprintf("<p>%s %d: la experiencia de registro fue útil.</p>", scale.LoadComment, i)}}.Encode())}
		return nil
	}
	deep := "/practices?after=" + fx.DeepCursor
	// Pages the server has not kept: a random one of thousands each time.
	var pick atomic.Uint64
	anyPage := func(tgt *vegeta.Target) error {
		i := pick.Add(0x9E3779B97F4A7C15) % uint64(len(fx.Cursors))
		*tgt = vegeta.Target{Method: "GET", URL: base + "/practices?after=" + fx.Cursors[i], Header: hdr}
		return nil
	}

	type spec struct {
		name  string
		tr    vegeta.Targeter
		conns []int
		// during, when set, is posted at 20 requests per second while the
		// row is measured.
		during vegeta.Targeter
	}
	specs := []spec{
		{"static stylesheet (ceiling)", get("/static/css/app.css"), []int{1, 8, 32}, nil},
		{"home page", get("/"), []int{1, 32}, nil},
		{"practice list, page 1", get("/practices"), []int{1, 32}, nil},
		// The practice commented on is not on page 1: a comment elsewhere
		// must leave the kept list alone.
		{"list page while 20 comments/s are posted elsewhere", get("/practices"), []int{1, 32}, commentPost},
		{"practice list, page 500", get(deep), []int{1, 32}, nil},
		{"practice list, a page not kept", vegeta.Targeter(anyPage), []int{1, 32}, nil},
		{"practice list, two filters", get("/practices?country=" + fx.Country + "&tag=" + strconv.FormatInt(fx.Tag, 10)), []int{1, 32}, nil},
		{"practice with 50 comments", get("/practices/" + strconv.FormatInt(fx.Fifty, 10)), []int{1, 32}, nil},
		{"search, two common words", get("/search?q=" + url.QueryEscape("migración frontera")), []int{1, 32}, nil},
		{"search, a rare word", get("/search?q=" + url.QueryEscape(fx.Rare)), []int{1, 32}, nil},
		{"comment POST (303 back)", commentPost, []int{8}, nil},
	}
	ceiling := map[int]float64{}
	var rows []row
	peak := 0.0
	for _, s := range specs {
		if !o.wanted(s.name) {
			continue
		}
		for _, c := range s.conns {
			var background sync.WaitGroup
			if s.during != nil {
				bg := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.KeepAlive(true))
				background.Go(func() {
					for range bg.Attack(s.during, vegeta.Rate{Freq: 20, Per: time.Second}, o.warmup+o.duration, "elsewhere") {
					}
				})
			}
			if o.warmup > 0 {
				attack(s.tr, c, o.warmup)
			}
			m := attack(s.tr, c, o.duration)
			background.Wait()
			r := row{name: s.name, conns: c, rps: m.Throughput, p50: m.Latencies.P50, p99: m.Latencies.P99,
				requests: m.Requests, errors: m.Requests - uint64(float64(m.Requests)*m.Success+0.5)}
			if strings.HasPrefix(s.name, "static") {
				ceiling[c] = m.Throughput
				r.ceilingLike = true
			}
			if cl := ceiling[c]; cl > 0 {
				r.ratio = m.Throughput / cl
			} else if cl := ceiling[32]; cl > 0 {
				r.ratio = m.Throughput / cl
			}
			if len(m.Errors) > 0 {
				fmt.Fprintf(os.Stderr, "%s at %d: %v\n", s.name, c, m.Errors[:min(3, len(m.Errors))])
			}
			rows = append(rows, r)
			peak = max(peak, rssOf(srv.Process.Pid))
			fmt.Fprintf(out, "  %-30s %2d conns: %8.0f req/s\n", s.name, c, m.Throughput)
		}
	}
	// The comments the POST row added would pile up on one practice run
	// after run (and its search row with them): they are taken out again.
	stop()
	if o.wanted("comment POST") || o.wanted("comments/s") {
		d, err := db.Open(fx.Path)
		if err != nil {
			return err
		}
		a, err := newApp(ctx, d)
		if err != nil {
			d.Close()
			return err
		}
		n, err := scale.RemoveLoadComments(ctx, d, a.Comments)
		d.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  removed the %d comments the run posted\n", n)
	}
	table := formatTable(rows, ready, peak, fx)
	fmt.Fprint(out, table)
	if o.results != "" {
		if err := os.WriteFile(o.results, []byte(table), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "written to %s\n", o.results)
	}
	for _, r := range rows {
		if r.requests == 0 {
			return fmt.Errorf("%s: no request completed", r.name)
		}
		if r.errors > 0 {
			return fmt.Errorf("%s at %d connections: %d of %d requests failed", r.name, r.conns, r.errors, r.requests)
		}
	}
	return nil
}

// attack runs tr with c workers over c connections, as fast as the server
// answers, for du; redirects are not followed, so a 303 is a success.
func attack(tr vegeta.Targeter, c int, du time.Duration) vegeta.Metrics {
	a := vegeta.NewAttacker(vegeta.Workers(uint64(c)), vegeta.MaxWorkers(uint64(c)), vegeta.Connections(c),
		vegeta.MaxConnections(c), vegeta.Redirects(vegeta.NoFollow), vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	for res := range a.Attack(tr, vegeta.Rate{Freq: 0}, du, "") {
		m.Add(res)
	}
	m.Close()
	return m
}

func formatTable(rows []row, ready time.Duration, peakMiB float64, fx *scale.Fixtures) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "\nPuente load benchmark, %s, %s (%d CPUs), %d practices, %d comments, %d accounts\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), fx.Practices, fx.Comments, fx.Accounts)
	fmt.Fprintf(&b, "| row | conns | req/s | p50 | p99 | errors | of ceiling |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		ratio := fmt.Sprintf("%.0f%%", r.ratio*100)
		if r.ceilingLike {
			ratio = "100%"
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %d | %s |\n", r.name, r.conns, r.rps,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.errors, ratio)
	}
	fmt.Fprintf(&b, "\nstart to ready on the scale database: %s; server peak RSS: %.0f MiB\n", ready.Round(time.Millisecond), peakMiB)
	return b.String()
}

func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return errors.New("the server did not become ready")
}

// signIn signs in through the form, as a person would, and returns the
// session cookie to send with every request.
func signIn(base, email, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in as %s: status %d", email, res.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), nil
}

// expectResults fails unless the search page at u lists a practice.
func expectResults(u, cookie string) error {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Cookie", cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `class="practice-card"`) {
		return fmt.Errorf("%s: status %d and no result; is the search index built?", u, res.StatusCode)
	}
	return nil
}

// rssOf reads the peak resident set of process pid.
func rssOf(pid int) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
