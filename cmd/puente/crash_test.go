package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"puente/db"
	"puente/internal/dbtest"
	"puente/internal/demo"
)

// TestMain lets the test binary act as the server in a child process, so
// the crash test can kill a real server with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("PUENTE_TEST_CHILD_SERVE") == "1" {
		if err := run(context.Background(), append([]string{"serve"}, os.Args[len(os.Args)-4:]...), os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "puente:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the server running in a child process.
type child struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has ended
	base   string
	stderr *syncBuf
}

// startChild starts the server in a child process on the data folder dir,
// with env added to this process's environment, and waits until it
// answers its health check.
func startChild(t *testing.T, dir string, env ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$", "--data", dir, "--addr", "127.0.0.1:0"), exited: make(chan struct{}), stderr: &syncBuf{}}
	c.cmd.Env = append(append(os.Environ(), "PUENTE_TEST_CHILD_SERVE=1"), env...)
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() { c.cmd.Process.Kill(); <-c.exited })
	ready := time.Now().Add(30 * time.Second)
	addr, ok := listenedAddr(c.stderr, func() bool {
		select {
		case <-c.exited:
			return true
		default:
			return false
		}
	}, ready)
	if !ok {
		t.Fatalf("server did not start listening\n%s", c.stderr.String())
	}
	c.base = "http://" + addr
	for !healthy(c.base) {
		if time.Now().After(ready) {
			t.Fatalf("server not ready\n%s", c.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return c
}

// TestSIGKILLLosesNoAcknowledgedWrite kills the server with SIGKILL while
// 50 clients post comments and practices, restarts it, and checks that
// every write it answered with success is stored and that the database
// passes PRAGMA integrity_check; five rounds.
func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var (
		mu       sync.Mutex
		comments []string // bodies of acknowledged comments
		drafts   []string // titles of acknowledged practices
	)
	for round := range 5 {
		// 50 clients post as one official, far past the per-account
		// post limit, which is off here: this test is about durability.
		child := startChild(t, dir, "PUENTE_DEMO=1", "PUENTE_POST_EVERY=0")
		cmd, exited, base := child.cmd, child.exited, child.base
		// Five sessions of Panama's official, shared by 50 clients.
		var sessions []*http.Client
		for range 5 {
			c := client()
			if res := post(t, c, base+"/signin", url.Values{"email": {"panama@demo.puente.test"}, "password": {demo.Password}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign in: %d", res.StatusCode)
			}
			sessions = append(sessions, c)
		}
		target := base + "/practices/1"

		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := sessions[i%len(sessions)]
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					var path string
					var form url.Values
					key := fmt.Sprintf("r%d-c%d-n%d", round, i, n)
					if n%4 == 0 {
						path = base + "/practices"
						form = url.Values{"title": {"Borrador " + key}, "summary": {"Resumen del borrador"}, "lang": {"es"}, "scope": {"members"},
							"countries": {"PA"}, "context": {"<p>Contexto</p>"}, "actions": {"<p>Pasos</p>"}, "tags": {"1"},
							"period_start": {"2021-09"}, "ongoing": {"1"}, "institutions": {"Servicio Nacional de Migración"},
							"contact_name": {"Punto focal"}, "contact_email": {"focal@gob.example"}, "action": {"save"}}
					} else {
						path = target + "/comments"
						form = url.Values{"body": {"<p>Comentario " + key + "</p>"}}
					}
					req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					res, err := c.Do(req)
					if err != nil {
						return // the server is gone
					}
					res.Body.Close()
					if res.StatusCode == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
						mu.Lock()
						if n%4 == 0 {
							drafts = append(drafts, "Borrador "+key)
						} else {
							comments = append(comments, "Comentario "+key)
						}
						mu.Unlock()
					} else if res.StatusCode >= 500 || (round == 0 && n < 2 && res.StatusCode != http.StatusSeeOther) {
						t.Errorf("round %d: %s answered %d", round, path, res.StatusCode)
					}
				}
			}()
		}
		time.Sleep(time.Duration(400+200*round) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		close(stop)
		wg.Wait()

		d, err := db.Open(filepath.Join(dir, "puente.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.IntegrityCheck(context.Background()); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		stored := map[string]bool{}
		dbtest.Rows(t, d.R, `SELECT body_raw FROM comments UNION ALL SELECT title FROM practices`, nil, func(rows *sql.Rows) error {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			stored[strings.TrimSuffix(strings.TrimPrefix(s, "<p>"), "</p>")] = true
			return nil
		})
		d.Close()
		mu.Lock()
		lost := 0
		for _, k := range append(append([]string{}, comments...), drafts...) {
			if !stored[k] {
				lost++
				if lost <= 3 {
					t.Errorf("round %d: acknowledged write %q is missing", round, k)
				}
			}
		}
		t.Logf("round %d: %d comments and %d practices acknowledged so far, %d missing", round, len(comments), len(drafts), lost)
		mu.Unlock()
		if lost > 0 {
			t.FailNow()
		}
	}
	if len(comments) == 0 || len(drafts) == 0 {
		t.Fatal("no write was acknowledged: the test measured nothing")
	}
}
