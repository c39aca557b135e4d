package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"puente/internal/accounts"
	"puente/internal/dbtest"
	"puente/internal/servertest"
)

// TestTwoHundredClients has 200 signed-in clients read and write at once
// for a bounded time: lists, practice pages, searches, comments, drafts
// and follows. No answer is a 5xx, the log never says "database is
// locked", and every comment the server acknowledged is stored.
func TestTwoHundredClients(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	target := publish(t, e, pa, practiceForm("Registro biométrico", []string{"PA"}, "members"))

	const clients = 200
	cs := make([]*servertest.Client, clients)
	for i := range cs {
		email := fmt.Sprintf("official%d@gob.pa", i)
		e.CreateAccount(email, accounts.Official, "PA")
		cs[i] = e.SignIn(email)
		cs[i].HTTP.Timeout = time.Minute
	}
	before := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`)

	deadline := time.Now().Add(4 * time.Second)
	var requests, acked, fails atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				var req *http.Request
				isComment := false
				switch (i + n) % 6 {
				case 0:
					req, _ = http.NewRequest("GET", c.Base+"/practices", nil)
				case 1:
					req, _ = http.NewRequest("GET", c.Base+target, nil)
				case 2:
					req, _ = http.NewRequest("GET", c.Base+"/search?q=biometrico", nil)
				case 3:
					isComment = true
					req = formReq(c, target+"/comments", url.Values{"body": {fmt.Sprintf("<p>Comentario %d-%d</p>", i, n)}})
				case 4:
					f := practiceForm(fmt.Sprintf("Borrador %d-%d", i, n), []string{"PA"}, "members")
					req = formReq(c, "/practices", f)
				case 5:
					req = formReq(c, target+"/follow", nil)
				}
				res, err := c.HTTP.Do(req)
				requests.Add(1)
				if err != nil {
					fails.Add(1)
					mu.Lock()
					problems = append(problems, err.Error())
					mu.Unlock()
					continue
				}
				res.Body.Close()
				if res.StatusCode >= 500 || res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound {
					fails.Add(1)
					mu.Lock()
					problems = append(problems, fmt.Sprintf("%s %s: %d", req.Method, req.URL.Path, res.StatusCode))
					mu.Unlock()
				}
				if isComment && res.StatusCode == http.StatusSeeOther {
					acked.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	after := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`)
	t.Logf("%d requests from %d clients, %d comments acknowledged, %d failures", requests.Load(), clients, acked.Load(), fails.Load())
	if fails.Load() > 0 {
		t.Errorf("%d failed requests, first: %v", fails.Load(), problems[:min(5, len(problems))])
	}
	if got := after - before; got != acked.Load() {
		t.Errorf("%d comments acknowledged, %d stored", acked.Load(), got)
	}
	if acked.Load() == 0 {
		t.Error("no comment was written: the test measured nothing")
	}
	if strings.Contains(e.Logs.String(), "database is locked") || strings.Contains(e.Logs.String(), "SQLITE_BUSY") {
		t.Error(`the log says "database is locked"`)
	}
}

func formReq(c *servertest.Client, path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}
