package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"puente/db"
	"puente/internal/browsertest"
	"puente/internal/dbtest"
	"puente/internal/demo"
)

// The drill runs the README's own litestream.yml for a file replica,
// with its two paths changed. Every monitor interval Litestream copies
// what the WAL gained to its shadow log, and every sync interval it ships
// that to the replica: a write is in the replica at most their sum after
// its commit, plus the time the shipping itself takes (tens of
// milliseconds; more on a busy machine), for which the bound allows one
// more monitor interval. That is what the README promises a machine's
// death may lose: 1.5 s of writes.
const (
	replicaSyncInterval    = time.Second
	replicaMonitorInterval = 250 * time.Millisecond
	lossBound              = replicaSyncInterval + 2*replicaMonitorInterval
)

// readmeLitestream returns the README's litestream.yml files, in order:
// the file replica's, then the S3 bucket's.
func readmeLitestream(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(# Litestream: .*?)```").FindAllStringSubmatch(string(readme), -1) {
		out = append(out, m[1])
	}
	if len(out) != 2 {
		t.Fatalf("the README has %d litestream.yml files, want the file replica's and the bucket's", len(out))
	}
	for _, want := range []string{"monitor-interval: " + replicaMonitorInterval.String(), "sync-interval: " + replicaSyncInterval.String()} {
		for _, yml := range out {
			if !strings.Contains(yml, want) {
				t.Fatalf("a README litestream.yml lacks %q, which the drill's bound is made of:\n%s", want, yml)
			}
		}
	}
	return out
}

// litestreamBin is the Litestream the Makefile installs (make deps).
func litestreamBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("PUENTE_LITESTREAM_BIN")
	if _, err := os.Stat(bin); bin == "" || err != nil {
		bin, _ = exec.LookPath("litestream")
	}
	return browsertest.RequireTool(t, bin, "RESTORE DRILL NOT RUN: Litestream not found (run make deps, or the test through make test)")
}

// A write the server acknowledged, and when.
type acked struct {
	key string
	at  time.Time
}

// TestLitestreamRestoreDrill is the drill an IT department runs before it
// trusts replication. The server runs with --litestream beside Litestream
// (a file replica). Eight clients post comments, and drafts that carry a
// PDF each, until both processes are killed with SIGKILL. The replica is
// restored into a new data folder, a server starts on it, and every write
// acknowledged longer before the kill than the sync and monitor intervals
// together must be there,
// attachments byte for byte, with PRAGMA integrity_check ok. A
// point-in-time restore to a moment between two known writes holds the
// first and not the second. The loss window is logged.
func TestLitestreamRestoreDrill(t *testing.T) {
	bin := litestreamBin(t)
	dir := t.TempDir()
	data, replica, restored := filepath.Join(dir, "data"), filepath.Join(dir, "replica"), filepath.Join(dir, "restored")
	dbPath := filepath.Join(data, "puente.db")
	ymls := readmeLitestream(t)
	fileYML := strings.NewReplacer("/var/lib/puente/puente.db", dbPath, "/mnt/replica/puente", replica).Replace(ymls[0])
	if fileYML == ymls[0] {
		t.Fatalf("the README's file replica does not name /var/lib/puente/puente.db and /mnt/replica/puente:\n%s", ymls[0])
	}
	cfg := filepath.Join(dir, "litestream.yml")
	if err := os.WriteFile(cfg, []byte(fileYML), 0o600); err != nil {
		t.Fatal(err)
	}
	// The bucket's file is read as Litestream reads it.
	s3 := filepath.Join(dir, "litestream-s3.yml")
	if err := os.WriteFile(s3, []byte(ymls[1]), 0o600); err != nil {
		t.Fatal(err)
	}
	check := exec.Command(bin, "databases", "-config", s3)
	check.Env = append(os.Environ(), "LITESTREAM_ACCESS_KEY_ID=AKIAEXAMPLE", "LITESTREAM_SECRET_ACCESS_KEY=example")
	if out, err := check.CombinedOutput(); err != nil || !strings.Contains(string(out), "/var/lib/puente/puente.db  s3") {
		t.Fatalf("the README's S3 litestream.yml, as Litestream reads it: %v\n%s", err, out)
	}

	srv := startChild(t, data, "PUENTE_DEMO=1", "PUENTE_POST_EVERY=0", "PUENTE_LITESTREAM=1")
	var lsLog syncBuf
	ls := exec.Command(bin, "replicate", "-config", cfg)
	ls.Stdout, ls.Stderr = &lsLog, &lsLog
	if err := ls.Start(); err != nil {
		t.Fatal(err)
	}
	lsDone := make(chan struct{})
	go func() { ls.Wait(); close(lsDone) }()
	t.Cleanup(func() { ls.Process.Kill(); <-lsDone })

	sessions := make([]*http.Client, 4)
	for i := range sessions {
		sessions[i] = client()
		if res := post(t, sessions[i], srv.base+"/signin", url.Values{"email": {"panama@demo.puente.test"}, "password": {demo.Password}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
	}
	comment := func(c *http.Client, key string) bool {
		req, _ := http.NewRequest(http.MethodPost, srv.base+"/practices/1/comments", strings.NewReader(url.Values{"body": {"<p>" + key + "</p>"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.Do(req)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/signin")
	}

	// The point in time: one comment well before it, one well after,
	// each past a sync of its own.
	if !comment(sessions[0], "Antes del punto") {
		t.Fatal("first marker comment refused")
	}
	time.Sleep(2 * replicaSyncInterval)
	pointInTime := time.Now().UTC()
	time.Sleep(2 * replicaSyncInterval)
	if !comment(sessions[0], "Después del punto") {
		t.Fatal("second marker comment refused")
	}

	var (
		mu    sync.Mutex
		acks  []acked
		files = map[string][]byte{} // attachment name → content
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Eight clients, each writing every few milliseconds: the load of a
	// plenary's busiest minute many times over, leaving Litestream the
	// CPU a real server would.
	for i := range 8 {
		wg.Go(func() {
			c := sessions[i%len(sessions)]
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				key := fmt.Sprintf("c%d-n%d", i, n)
				if n%5 == 4 {
					name, content := "Anexo "+key+".pdf", pdfFor(key)
					if draftWithFile(c, srv.base, "Borrador "+key, name, content) {
						mu.Lock()
						acks = append(acks, acked{"Borrador " + key, time.Now()})
						files[name] = content
						mu.Unlock()
					}
					continue
				}
				if comment(c, "Comentario "+key) {
					mu.Lock()
					acks = append(acks, acked{"Comentario " + key, time.Now()})
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(5 * time.Second)
	// The machine dies: the server and Litestream at once.
	killedAt := time.Now()
	srv.cmd.Process.Signal(syscall.SIGKILL)
	ls.Process.Signal(syscall.SIGKILL)
	<-srv.exited
	<-lsDone
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acks) < 500 || len(files) < 50 {
		t.Fatalf("only %d writes and %d files acknowledged: the drill measured too little\n%s", len(acks), len(files), srv.stderr.String())
	}

	// Restore the latest into a new data folder, as the README says.
	restoredDB := filepath.Join(restored, "puente.db")
	restore := func(out string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append(append([]string{"restore", "-config", cfg, "-o", out}, args...), dbPath)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("litestream restore %v: %v\n%s\nreplicate's log:\n%s", args, err, b, lsLog.String())
		}
	}
	if err := os.MkdirAll(restored, 0o700); err != nil {
		t.Fatal(err)
	}
	restore(restoredDB)
	stored := storedTexts(t, restoredDB)

	var missing []acked
	for _, a := range acks {
		if !stored[a.key] {
			missing = append(missing, a)
		}
	}
	window := time.Duration(0)
	for _, a := range missing {
		if age := killedAt.Sub(a.at); age > window {
			window = age
		}
	}
	t.Logf("acknowledged %d writes (%d with a file) in 5 s; after the restore %d are missing, the oldest acknowledged %s before the kill (bound %s: sync interval %s + twice the monitor interval %s)",
		len(acks), len(files), len(missing), window.Round(time.Millisecond), lossBound, replicaSyncInterval, replicaMonitorInterval)
	for _, a := range missing {
		if killedAt.Sub(a.at) > lossBound {
			t.Errorf("%q, acknowledged %s before the kill, is not in the replica", a.key, killedAt.Sub(a.at).Round(time.Millisecond))
		}
	}

	// The restored folder serves: the server starts on it, is ready, and
	// hands out the files as they were sent.
	again := startChild(t, restored)
	if res, err := http.Get(again.base + "/readyz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("restored server not ready: %v", err)
	}
	d, err := db.Open(restoredDB)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("restored database: %v", err)
	}
	type file struct {
		id   int64
		name string
	}
	var kept []file
	dbtest.Rows(t, d.R, `SELECT id, name FROM practice_attachments WHERE name LIKE 'Anexo %'`, nil, func(rows *sql.Rows) error {
		var f file
		if err := rows.Scan(&f.id, &f.name); err != nil {
			return err
		}
		kept = append(kept, f)
		return nil
	})
	c := client()
	if res := post(t, c, again.base+"/signin", url.Values{"email": {"panama@demo.puente.test"}, "password": {demo.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on the restored server: %d", res.StatusCode)
	}
	checked := 0
	for _, f := range kept {
		want, ok := files[f.name]
		if !ok {
			continue // acknowledged after the client's last look
		}
		res, err := c.Get(fmt.Sprintf("%s/attachments/%d", again.base, f.id))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("attachment %q from the restored server: %d, %d bytes; want the %d sent", f.name, res.StatusCode, len(got), len(want))
		}
		checked++
	}
	if checked < len(files)-len(missing) {
		t.Errorf("%d of %d acknowledged files checked", checked, len(files))
	}

	// Point in time: the replica as it was between the two markers.
	earlier := filepath.Join(dir, "earlier.db")
	restore(earlier, "-timestamp", pointInTime.Format(time.RFC3339Nano))
	then := storedTexts(t, earlier)
	if !then["Antes del punto"] || then["Después del punto"] {
		t.Errorf("restored to %s: the comment before it present %v, the one after it present %v; want true, false",
			pointInTime.Format(time.RFC3339Nano), then["Antes del punto"], then["Después del punto"])
	}
	if slices.ContainsFunc(acks, func(a acked) bool { return then[a.key] }) {
		t.Error("the point-in-time copy holds a write made after its moment")
	}
}

var paragraph = regexp.MustCompile(`^<p>(.*)</p>$`)

// storedTexts reads the comment bodies and practice titles of the
// database file at path, checked for integrity first.
func storedTexts(t *testing.T, path string) map[string]bool {
	t.Helper()
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]bool{}
	dbtest.Rows(t, d.R, `SELECT body_raw FROM comments UNION ALL SELECT title FROM practices`, nil, func(rows *sql.Rows) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if m := paragraph.FindStringSubmatch(s); m != nil {
			s = m[1]
		}
		out[s] = true
		return nil
	})
	return out
}

// pdfFor is a small PDF whose content is its key's, some 20 KB.
func pdfFor(key string) []byte {
	return []byte("%PDF-1.7\n% " + key + "\n" + strings.Repeat("1 0 obj << >> endobj\n", 1000) + "trailer << >>\n%%EOF\n")
}

// draftWithFile saves a draft practice carrying one file, as the browser
// sends the form, and reports whether the server acknowledged it.
func draftWithFile(c *http.Client, base, title, name string, content []byte) bool {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"title": title, "summary": "Resumen del borrador", "lang": "es", "scope": "members",
		"countries": "PA", "context": "<p>Contexto</p>", "actions": "<p>Pasos</p>", "tags": "1", "period_start": "2021-09", "ongoing": "1",
		"institutions": "Servicio Nacional de Migración", "contact_name": "Punto focal", "contact_email": "focal@gob.example", "action": "save"} {
		w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("attachments", name)
	part.Write(content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/practices", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/signin")
}
