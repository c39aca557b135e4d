package server_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"puente/internal/dbtest"
)

type feedDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
	} `xml:"entry"`
}

// parseFeed parses an Atom document and checks what RFC 4287 requires of
// a feed and its entries.
func parseFeed(t *testing.T, body string) *feedDoc {
	t.Helper()
	var f feedDoc
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("not Atom: %v\n%s", err, body)
	}
	if f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Fatalf("feed lacks id, title or author: %+v", f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Fatalf("feed updated %q", f.Updated)
	}
	self := false
	for _, l := range f.Links {
		self = self || l.Rel == "self"
	}
	if !self {
		t.Fatal("no self link")
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title == "" || e.Link.Href == "" {
			t.Fatalf("entry lacks id, title or link: %+v", e)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Fatalf("entry updated %q", e.Updated)
		}
	}
	return &f
}

func titlesOf(f *feedDoc) string {
	var s []string
	for _, e := range f.Entries {
		s = append(s, e.Title)
	}
	return strings.Join(s, "|")
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Pública de Panamá", []string{"PA"}, "public"))
	publish(t, e, pa, practiceForm("Solo CRM", []string{"PA"}, "crm"))
	publish(t, e, pa, practiceForm("Para miembros", []string{"PA", "CR"}, "members"))
	anon := e.Client()

	res := anon.Get("/feeds/practices.atom")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("public feed: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	feed := parseFeed(t, res.Body)
	if got := titlesOf(feed); got != "Pública de Panamá" {
		t.Fatalf("public feed entries: %q", got)
	}
	// Lists read cards, which leave the author out; the feed names them.
	if got := feed.Entries[0].Author.Name; got != "pa" {
		t.Errorf("the entry's author is %q, want the account's name, pa", got)
	}
	if got := titlesOf(parseFeed(t, anon.Get("/feeds/countries/pa.atom").Body)); got != "Pública de Panamá" {
		t.Fatalf("country feed: %q", got)
	}
	if got := titlesOf(parseFeed(t, anon.Get("/feeds/tags/4.atom").Body)); got != "Pública de Panamá" {
		t.Fatalf("tag feed: %q", got)
	}
	if got := titlesOf(parseFeed(t, anon.Get("/feeds/countries/CR.atom").Body)); got != "" {
		t.Fatalf("Costa Rica's public feed: %q", got)
	}
	for _, p := range []string{"/feeds/tags/999.atom", "/feeds/countries/XX.atom", "/feeds/private/nope.atom"} {
		if r := anon.Get(p); r.Status != 404 {
			t.Errorf("%s: %d", p, r.Status)
		}
	}

	// A CSM official's private feed: their scope, no session needed.
	br := e.SignIn("br@gov.br")
	page := br.PostForm("/account/feed", url.Values{"action": {"new"}})
	link := regexp.MustCompile(`value="(http[^"]+/feeds/private/[^"]+\.atom)"`).FindStringSubmatch(page.Body)
	if link == nil {
		t.Fatalf("no private link shown:\n%s", page.Body)
	}
	path := strings.TrimPrefix(link[1], e.HTTP.URL)
	got := titlesOf(parseFeed(t, anon.Get(path).Body))
	if !strings.Contains(got, "Para miembros") || !strings.Contains(got, "Pública de Panamá") || strings.Contains(got, "Solo CRM") {
		t.Fatalf("CSM official's private feed: %q", got)
	}
	if f := parseFeed(t, anon.Get(path).Body); strings.Contains(f.ID, path[strings.LastIndex(path, "/")+1:len(path)-5]) {
		t.Fatal("the feed id repeats the secret token")
	}
	if got := titlesOf(parseFeed(t, anon.Get(path+"?country=CR").Body)); got != "Para miembros" {
		t.Fatalf("private feed narrowed to Costa Rica: %q", got)
	}
	// Replaced or revoked, the old link stops working.
	br.PostForm("/account/feed", url.Values{"action": {"new"}})
	if r := anon.Get(path); r.Status != http.StatusNotFound {
		t.Fatalf("replaced link: %d", r.Status)
	}
	br.PostForm("/account/feed", url.Values{"action": {"revoke"}})
	if n := dbtest.Int(t, e.DB.R, `SELECT count(*) FROM accounts WHERE feed_token_hash IS NOT NULL`); n != 0 {
		t.Fatal("revoked token still stored")
	}
	// A suspended member's feed stops.
	c := e.SignIn("pa@gob.pa")
	page = c.PostForm("/account/feed", url.Values{"action": {"new"}})
	link = regexp.MustCompile(`value="(http[^"]+/feeds/private/[^"]+\.atom)"`).FindStringSubmatch(page.Body)
	dbtest.Exec(t, e.DB.W, `UPDATE accounts SET status = 'suspended' WHERE email = 'pa@gob.pa'`)
	if r := anon.Get(strings.TrimPrefix(link[1], e.HTTP.URL)); r.Status != 404 {
		t.Fatalf("suspended member's feed: %d", r.Status)
	}
}
