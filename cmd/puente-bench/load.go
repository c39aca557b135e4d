package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"puente/db"
	"puente/internal/scale"
	"puente/static"
)

// loadOptions bound a load run.
type loadOptions struct {
	server   string        // the puente binary to start
	wrk      string        // the wrk binary
	duration time.Duration // per measurement
	warmup   time.Duration
	runs     int    // measurements per row and concurrency; the median is reported
	results  string // file the table is written to ("" for none)
	rows     string // comma-separated parts of row names to run ("" for all); the references always run
	digest   bool   // also time the weekly digest in a child process
}

// wanted reports whether the row named name is to run.
func (o loadOptions) wanted(name string) bool {
	if o.rows == "" || strings.HasPrefix(name, "static") || strings.HasPrefix(name, "minimal Go") {
		return true
	}
	for _, part := range strings.Split(o.rows, ",") {
		if part = strings.TrimSpace(part); part != "" && strings.Contains(name, part) {
			return true
		}
	}
	return false
}

// row is one line of the load table: the median of its runs.
type row struct {
	name            string
	conns           int
	rps             float64
	p50, p99        time.Duration
	errors          int64
	requests        int64
	bytesPerRequest int64
	ofStatic, ofGo  float64
}

// wrkResult is what the Lua script's done() prints after a run.
type wrkResult struct {
	Requests   int64   `json:"requests"`
	DurationUS int64   `json:"duration_us"`
	Bytes      int64   `json:"bytes"`
	Errors     int64   `json:"errors"`
	Status     int64   `json:"status_errors"`
	P50US      float64 `json:"p50_us"`
	P99US      float64 `json:"p99_us"`
}

// benchLoad starts the real server on the scale database, signs in as an
// official of a CRM country, and drives each page with wrk (a load
// generator in C, so that the generator is not the ceiling) at fixed
// connection counts, after a warm-up, several times, keeping the median.
// Two references frame every page: the app's own stylesheet (about 23
// KB, through every middleware) and a minimal Go handler serving the same
// bytes from memory, started here: what Go itself reaches on this
// machine.
func benchLoad(ctx context.Context, d *db.DB, o loadOptions, out io.Writer) error {
	if _, err := exec.LookPath(o.wrk); err != nil {
		return fmt.Errorf("the load benchmark drives the server with wrk: %w (make deps installs it)", err)
	}
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
	if err := scale.ConfirmAll(ctx, d, time.Now()); err != nil {
		return err
	}
	fx, err := scale.LoadFixtures(ctx, d)
	if err != nil {
		return err
	}
	d.Close() // the server owns the file from here on

	css, err := fs.ReadFile(static.Files, "css/app.css")
	if err != nil {
		return err
	}
	refAddr, stopRef, err := serveMinimal(css)
	if err != nil {
		return err
	}
	defer stopRef()

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
	// The first home page after start: what the first person of the day
	// waits for.
	firstStart := time.Now()
	if _, err := fetch(base+"/", cookie, nil); err != nil {
		return err
	}
	firstHome := time.Since(firstStart)
	// Measuring an empty result would flatter the search rows.
	for _, q := range []string{"migración frontera", fx.Rare} {
		if err := expectResults(base+"/search?q="+url.QueryEscape(q), cookie); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "puente-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	commented := "/practices/" + strconv.FormatInt(fx.Commented, 10) + "/comments"
	practicePaths := make([]string, len(fx.Visible))
	for i, id := range fx.Visible {
		practicePaths[i] = "/practices/" + strconv.FormatInt(id, 10)
	}
	listPaths := make([]string, len(fx.Cursors))
	for i, c := range fx.Cursors {
		listPaths[i] = "/practices?after=" + c
	}
	type spec struct {
		name   string
		url    string // the base the script's paths are on
		script string // Lua: what each request is (after the common part)
		conns  []int
		// during posts 20 comments a second elsewhere while the row runs.
		during bool
	}
	get := func(path string) string { return "wrk.path = " + luaString(path) + "\n" }
	specs := []spec{
		{"minimal Go handler, same bytes from memory", "http://" + refAddr, get("/app.css"), []int{1, 32}, false},
		{"static stylesheet, 23 KB", base, get(static.URL("css/app.css")), []int{1, 32}, false},
		// wrk waits for the body a HEAD answer announces and never gets:
		// this row's load comes from Go clients (headHealthz).
		{"HEAD /healthz (load from Go)", base, "", []int{1, 32}, false},
		{"home page", base, get("/"), []int{1, 32}, false},
		{"practice list, page 1", base, get("/practices"), []int{1, 32}, false},
		{"practice list, page 500", base, get("/practices?after=" + fx.DeepCursor), []int{1, 32}, false},
		{"practice list, a page not kept", base, randomPaths(listPaths), []int{1, 32}, false},
		// The practice commented on is not on page 1: a comment elsewhere
		// must leave the kept list alone.
		{"practice list while 20 comments/s are posted elsewhere", base, get("/practices"), []int{1, 32}, true},
		{"practice list, two filters", base, get("/practices?country=" + fx.Country + "&tag=" + strconv.FormatInt(fx.Tag, 10)), []int{1, 32}, false},
		{"practice with 50 comments", base, get("/practices/" + strconv.FormatInt(fx.Fifty, 10)), []int{1, 32}, false},
		{fmt.Sprintf("a random practice of %d (none kept)", len(practicePaths)), base, randomPaths(practicePaths), []int{1, 32}, false},
		{"search, two common words", base, get("/search?q=" + url.QueryEscape("migración frontera")), []int{1, 32}, false},
		{"search, a rare word", base, get("/search?q=" + url.QueryEscape(fx.Rare)), []int{1, 32}, false},
		{"comment POST (303 back)", base, commentScript(base, commented), []int{8}, false},
	}
	refs := map[string]map[int]float64{"static": {}, "go": {}}
	var rows []row
	peak := 0.0
	for i, s := range specs {
		if !o.wanted(s.name) {
			continue
		}
		script := filepath.Join(dir, fmt.Sprintf("row%02d.lua", i))
		if s.script != "" {
			common := luaCommon(cookie)
			if strings.HasPrefix(s.name, "minimal Go") || strings.HasPrefix(s.name, "static") {
				// The references send the same 23 KB: the static file's
				// compressed copy would be a different ceiling.
				common = strings.Replace(common, `wrk.headers["Accept-Encoding"] = "gzip"`+"\n", "", 1)
			}
			if err := os.WriteFile(script, []byte(common+s.script+luaDone), 0o644); err != nil {
				return err
			}
		}
		for _, c := range s.conns {
			var stopDuring func()
			if s.during {
				stopDuring = postEvery(base+commented, cookie, time.Second/20)
			}
			measure := func(d time.Duration) (wrkResult, error) {
				if s.script == "" {
					return headLoad(s.url+"/healthz", c, d), nil
				}
				return runWrk(ctx, o.wrk, script, s.url, c, d)
			}
			if o.warmup > 0 {
				if _, err := measure(o.warmup); err != nil {
					return fmt.Errorf("%s: %w", s.name, err)
				}
			}
			var results []wrkResult
			for range max(o.runs, 1) {
				res, err := measure(o.duration)
				if err != nil {
					return fmt.Errorf("%s: %w", s.name, err)
				}
				results = append(results, res)
			}
			if stopDuring != nil {
				stopDuring()
			}
			r := median(s.name, c, results)
			switch {
			case strings.HasPrefix(s.name, "minimal Go"):
				refs["go"][c] = r.rps
			case strings.HasPrefix(s.name, "static"):
				refs["static"][c] = r.rps
			}
			if v := refs["static"][c]; v > 0 {
				r.ofStatic = r.rps / v
			}
			if v := refs["go"][c]; v > 0 {
				r.ofGo = r.rps / v
			}
			rows = append(rows, r)
			peak = max(peak, rssOf(srv.Process.Pid))
			fmt.Fprintf(out, "  %-55s %2d conns: %8.0f req/s  p99 %s\n", s.name, c, r.rps, r.p99.Round(10*time.Microsecond))
		}
	}
	// The comments the POST rows added would pile up on one practice run
	// after run (and its search row with them): they are taken out again.
	stop()
	if err := removeLoadComments(ctx, fx.Path, out); err != nil {
		return err
	}
	var digestLine string
	if o.digest {
		if digestLine, err = digestChild(ctx, fx.Path, out); err != nil {
			return err
		}
	}
	table := formatTable(rows, ready, firstHome, peak, digestLine, fx)
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

// serveMinimal starts the reference: a handler that writes the same bytes
// from memory, with no middleware, on a loopback port of its own.
func serveMinimal(body []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Write(body)
	})}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
}

// luaCommon is the start of every row's script: the session and the
// headers a browser sends.
func luaCommon(cookie string) string {
	return `wrk.headers["Cookie"] = ` + luaString(cookie) + `
wrk.headers["Accept-Language"] = "es"
wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) puente-bench"
`
}

// luaDone prints the run's figures as one JSON line for runWrk to read
// (latencies in microseconds).
const luaDone = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('PUENTE-RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout + e.status, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`

// randomPaths makes each request one of paths at random (each wrk thread
// seeded differently), so that the server has kept none of them.
func randomPaths(paths []string) string {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		b.WriteString(luaString(p))
		b.WriteString(",\n")
	}
	b.WriteString(`}
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter * 7919) end
init = function(args) math.randomseed(seed + os.time()) end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
`)
	return b.String()
}

// commentScript posts a new comment with every request, as the form does.
func commentScript(base, path string) string {
	return `wrk.method = "POST"
wrk.path = ` + luaString(path) + `
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = ` + luaString(base) + `
wrk.headers["Sec-Fetch-Site"] = "same-origin"
local n = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, "body=" .. ` + luaString(url.QueryEscape("<p>"+scale.LoadComment+" ")) + ` .. id .. "-" .. n .. "%3A+la+experiencia+de+registro+fue+%C3%BAtil.%3C%2Fp%3E")
end
`
}

// luaString quotes s for a Lua script: its bytes as they are, with only
// the backslash, the quote and line ends escaped.
func luaString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(s) + `"`
}

// runWrk runs wrk once and reads the result line the script prints.
func runWrk(ctx context.Context, bin, script, base string, conns int, d time.Duration) (wrkResult, error) {
	threads := min(conns, runtime.NumCPU())
	secs := max(int((d+time.Second-1)/time.Second), 1)
	cmd := exec.CommandContext(ctx, bin, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", strconv.Itoa(secs)+"s",
		"--timeout", "10s", "-s", script, base)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w: %s", err, stderr.String())
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if js, ok := strings.CutPrefix(line, "PUENTE-RESULT "); ok {
			var r wrkResult
			if err := json.Unmarshal([]byte(js), &r); err != nil {
				return r, fmt.Errorf("wrk's result %q: %w", js, err)
			}
			return r, nil
		}
	}
	return wrkResult{}, fmt.Errorf("wrk printed no result:\n%s%s", stdout.String(), stderr.String())
}

// headLoad sends HEAD requests to u from c Go clients, each on its own
// kept-alive connection, as fast as they are answered, for d.
func headLoad(u string, c int, d time.Duration) wrkResult {
	var mu sync.Mutex
	var lat []time.Duration
	var errs int64
	var wg sync.WaitGroup
	start := time.Now()
	until := start.Add(d)
	for range c {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
			var mine []time.Duration
			var bad int64
			for time.Now().Before(until) {
				t := time.Now()
				req, _ := http.NewRequest(http.MethodHead, u, nil)
				res, err := client.Do(req)
				if err != nil || res.StatusCode != http.StatusOK {
					bad++
				}
				if err == nil {
					res.Body.Close()
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(start)
	slices.Sort(lat)
	r := wrkResult{Requests: int64(len(lat)), DurationUS: took.Microseconds(), Errors: errs}
	if len(lat) > 0 {
		r.P50US = float64(lat[len(lat)/2].Microseconds())
		r.P99US = float64(lat[len(lat)*99/100].Microseconds())
	}
	return r
}

// median keeps, for each figure, the median of the runs.
func median(name string, conns int, rs []wrkResult) row {
	pick := func(f func(wrkResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	r := row{name: name, conns: conns}
	r.rps = pick(func(w wrkResult) float64 { return float64(w.Requests) / (float64(w.DurationUS) / 1e6) })
	r.p50 = time.Duration(pick(func(w wrkResult) float64 { return w.P50US })) * time.Microsecond
	r.p99 = time.Duration(pick(func(w wrkResult) float64 { return w.P99US })) * time.Microsecond
	for _, w := range rs {
		r.requests += w.Requests
		r.errors += w.Errors
	}
	if r.requests > 0 {
		var b int64
		for _, w := range rs {
			b += w.Bytes
		}
		r.bytesPerRequest = b / r.requests
	}
	return r
}

// postEvery posts a comment every d until stopped: the writes going on
// elsewhere while a row is measured.
func postEvery(u, cookie string, d time.Duration) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(d)
		defer t.Stop()
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
			}
			req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(url.Values{"body": {fmt.Sprintf("<p>%s bg-%d: la experiencia de registro fue útil.</p>", scale.LoadComment, i)}}.Encode()))
			req.Header.Set("Cookie", cookie)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", strings.SplitN(u, "/practices", 2)[0])
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if res, err := c.Do(req); err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// removeLoadComments takes out what the POST rows posted, with their
// place in the counts and the search index.
func removeLoadComments(ctx context.Context, path string, out io.Writer) error {
	d, err := db.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := newApp(ctx, d)
	if err != nil {
		return err
	}
	n, err := scale.RemoveLoadComments(ctx, d, a.Comments)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  removed the %d comments the run posted\n", n)
	return nil
}

// digestChild times the weekly digest of every account in a process of
// its own (this program's digest command), so that its peak memory is
// the digest's alone, and returns its summary line.
func digestChild(ctx context.Context, path string, out io.Writer) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, self, "digest", "--db", path)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("digest: %w\n%s", err, buf.String())
	}
	took := time.Since(start)
	var maxKiB int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxKiB = ru.Maxrss
	}
	line := ""
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "digest ") {
			line = strings.TrimSpace(l)
		}
	}
	s := fmt.Sprintf("weekly digest of every account, in a process of its own: %s in all, peak RSS %.0f MiB (%s)",
		took.Round(100*time.Millisecond), float64(maxKiB)/1024, line)
	fmt.Fprintln(out, "  "+s)
	return s, nil
}

func formatTable(rows []row, ready, firstHome time.Duration, peakMiB float64, digestLine string, fx *scale.Fixtures) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "\nPuente load benchmark, %s, %s (%d CPUs), %d practices, %d comments, %d accounts; load from wrk, median of the runs\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), fx.Practices, fx.Comments, fx.Accounts)
	fmt.Fprintf(&b, "| row | conns | req/s | p50 | p99 | errors | bytes/resp (gzip) | of static file | of minimal Go |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	pct := func(f float64) string {
		if f == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f%%", f*100)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %d | %d | %s | %s |\n", r.name, r.conns, r.rps,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.errors, r.bytesPerRequest, pct(r.ofStatic), pct(r.ofGo))
	}
	fmt.Fprintf(&b, "\nstart to ready on the scale database: %s; first home page after start: %s; server peak RSS over the run: %.0f MiB\n",
		ready.Round(time.Millisecond), firstHome.Round(time.Millisecond), peakMiB)
	if digestLine != "" {
		fmt.Fprintf(&b, "%s\n", digestLine)
	}
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

// fetch GETs u with the session cookie and returns the body.
func fetch(u, cookie string, hdr http.Header) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Cookie", cookie)
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("%s: status %d", u, res.StatusCode)
	}
	return string(b), nil
}

// expectResults fails unless the search page at u lists a practice.
func expectResults(u, cookie string) error {
	b, err := fetch(u, cookie, nil)
	if err != nil || !strings.Contains(b, `class="practice-card"`) {
		return fmt.Errorf("%s: %v and no result; is the search index built?", u, err)
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
