package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"puente/internal/dbtest"
	"puente/internal/htmlcheck"
	"puente/internal/search"
	"puente/internal/servertest"
)

var commentArticle = regexp.MustCompile(`<article class="comment[^"]*" id="comment-(\d+)"`)

// TestLongDiscussionsArePaged: however long a thread grows, a practice
// page stays under 200 KB for visitors, members and moderators; the
// earlier comments and replies are a link away, and following the links
// shows every comment exactly once.
func TestLongDiscussionsArePaged(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica muy comentada", []string{"PA"}, "public"))
	mx := e.SignIn("mx@gob.mx")
	long := "<p>" + strings.Repeat("Texto largo de un comentario. ", 260) + "</p>" // about 8 KB
	post := func(i int, parent string) {
		t.Helper()
		v := url.Values{"body": {fmt.Sprintf("<p>Comentario %d</p>%s", i, long)}}
		if parent != "" {
			v.Set("parent_id", parent)
		}
		if res := mx.PostForm(path+"/comments", v); res.Status != http.StatusSeeOther {
			t.Fatalf("comment %d: %d", i, res.Status)
		}
	}
	for i := range 60 {
		post(i, "")
	}
	first := fmt.Sprint(dbtest.Int(t, e.DB.R, `SELECT min(id) FROM comments`))
	last := fmt.Sprint(dbtest.Int(t, e.DB.R, `SELECT max(id) FROM comments`))
	for i := range 45 {
		post(100+i, last) // replies to the newest comment
	}
	for i := range 3 {
		post(200+i, first) // and a few to the oldest
	}
	total := int(dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments`))

	for name, c := range map[string]*servertest.Client{"visitor": e.Client(), "member": e.SignIn("br@gov.br"), "moderator": e.SignIn("mod@puente.test"), "commenter": mx} {
		seen := map[string]int{}
		pages := 0
		var threads []string
		for p := path; p != ""; pages++ {
			res := c.Get(p)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %s: %d", name, p, res.Status)
			}
			if len(res.Body) > 200_000 {
				t.Errorf("%s: %s is %d bytes", name, p, len(res.Body))
			}
			for _, m := range commentArticle.FindAllStringSubmatch(res.Body, -1) {
				seen[m[1]]++
			}
			for _, m := range regexp.MustCompile(`href="(/practices/\d+\?thread=\d+)#`).FindAllStringSubmatch(res.Body, -1) {
				threads = append(threads, m[1])
			}
			p = htmlcheck.NextLink(res.Body)
			if pages > 50 {
				t.Fatal("the earlier-comments links do not end")
			}
		}
		if pages < 3 {
			t.Errorf("%s: 60 comments of 8 KB on %d pages", name, pages)
		}
		if len(threads) == 0 || !strings.Contains(strings.Join(threads, " "), "thread="+last) {
			t.Fatalf("%s: links to threads with earlier replies: %q", name, threads)
		}
		// Each such thread alone, and its earlier replies, page by page.
		for _, th := range threads {
			top := th[strings.Index(th, "thread=")+len("thread="):]
			replies := map[string]bool{}
			for p := th; p != ""; {
				res := c.Get(p)
				if res.Status != http.StatusOK || len(res.Body) > 200_000 {
					t.Fatalf("%s: %s: %d, %d bytes", name, p, res.Status, len(res.Body))
				}
				for _, m := range commentArticle.FindAllStringSubmatch(res.Body, -1) {
					if m[1] != top {
						replies[m[1]] = true
					}
				}
				p = htmlcheck.NextLink(res.Body)
			}
			for id := range replies {
				if seen[id] == 0 {
					seen[id] = 1 // shown in the thread alone only
				}
			}
			want := int(dbtest.Int(t, e.DB.R, `SELECT count(*) FROM comments WHERE parent_id = ?`, top))
			if len(replies) != want {
				t.Errorf("%s: thread %s shows %d of its %d replies", name, top, len(replies), want)
			}
		}
		if len(seen) != total {
			t.Errorf("%s: %d of %d comments reachable", name, len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: comment %s shown %d times", name, id, n)
			}
		}
	}
	// Every comment's own address leads to a page that shows it: the
	// oldest comment, long paged back, and the oldest reply of the long
	// thread, which its first page leaves out.
	oldestReply := fmt.Sprint(dbtest.Int(t, e.DB.R, `SELECT min(id) FROM comments WHERE parent_id = ?`, last))
	visitor := e.Client()
	for _, id := range []string{first, oldestReply, last} {
		res := visitor.Get("/comments/" + id)
		loc := res.Header.Get("Location")
		if res.Status != http.StatusFound || !strings.Contains(visitor.Get(strings.Split(loc, "#")[0]).Body, `id="comment-`+id+`"`) {
			t.Errorf("/comments/%s: %d to %q, which does not show it", id, res.Status, loc)
		}
	}
	if res := e.Client().Get(path + "?thread=999999"); res.Status != http.StatusNotFound {
		t.Errorf("a thread that does not exist: %d", res.Status)
	}
}

// TestSearchIndexCapsAThread: a practice's search row holds at most
// search.MaxCommentText bytes of its comments, through the queued flush
// and through a full reindex alike; the oldest comments stay findable.
func TestSearchIndexCapsAThread(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	path := publish(t, e, pa, practiceForm("Práctica con hilo largo", []string{"PA"}, "public"))
	id := strings.TrimPrefix(path, "/practices/")
	mx := e.SignIn("mx@gob.mx")
	filler := strings.Repeat("relleno ñandú ", 700) // about 10 KB of text
	for i := range 30 {
		body := fmt.Sprintf("<p>%s %s</p>", filler, []string{"primerísimo", "intermedio"}[min(i, 1)])
		if res := mx.PostForm(path+"/comments", url.Values{"body": {body}}); res.Status != http.StatusSeeOther {
			t.Fatalf("comment %d: %d", i, res.Status)
		}
		if i%10 == 9 {
			// A search flushes the queued comments into the row.
			if res := mx.Get("/search?q=primerísimo"); res.Status != http.StatusOK || !strings.Contains(res.Body, "Práctica con hilo largo") {
				t.Fatalf("search after %d comments: %d", i+1, res.Status)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		n := dbtest.Int(t, e.DB.R, `SELECT length(CAST(comments AS BLOB)) FROM practice_fts WHERE rowid = ?`, id)
		if n > search.MaxCommentText || n < search.MaxCommentText-20_000 {
			t.Errorf("%s: the search row holds %d bytes of comments, want just under %d", when, n, search.MaxCommentText)
		}
	}
	check("after the queued flushes")
	if err := e.DB.Tx(context.Background(), func(tx *sql.Tx) error {
		n, _ := strconv.ParseInt(id, 10, 64)
		return e.App.Search.Index(context.Background(), tx, n)
	}); err != nil {
		t.Fatal(err)
	}
	check("after a full reindex")
	if res := mx.Get("/search?q=primerísimo"); !strings.Contains(res.Body, "Práctica con hilo largo") {
		t.Fatal("the first comment is no longer found")
	}
}
