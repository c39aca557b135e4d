package cache_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"puente/db"
	"puente/internal/cache"
	"puente/internal/clock"
	"puente/internal/dbtest"
)

func open(t *testing.T) *db.DB {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// A value is computed once and served until one of its topics changes;
// a change to another topic leaves it alone.
func TestServedUntilItsTopicChanges(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	c := cache.New[string](&cache.Versions{DB: d}, 1<<20, func(int) int { return 8 })
	computed := 0
	get := func() int {
		t.Helper()
		v, err := c.Get(ctx, "k", []cache.Topic{cache.Taxonomy, cache.Practice(7)}, func() (int, error) { computed++; return computed, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first, second := get(), get()
	if first != 1 || second != 1 {
		t.Fatalf("computed %d times for two reads, want once", computed)
	}
	// As every trigger does: the topic, and seq.
	bump := func(topic string) {
		dbtest.Exec(t, d.W, `INSERT INTO versions (topic, n) VALUES (?, 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1`, topic)
		dbtest.Exec(t, d.W, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`)
	}
	bump("practice:8")
	bump(string(cache.Lists))
	if get() != 1 {
		t.Fatal("a change to other topics evicted the value")
	}
	bump("practice:7")
	if get() != 2 {
		t.Fatal("a change to the value's practice did not evict it")
	}
	bump(string(cache.Taxonomy))
	if get() != 3 {
		t.Fatal("a change to the taxonomy did not evict it")
	}
}

// The triggers bump what each change touches: a comment bumps its
// practice (and the most-discussed order), not the lists; an edit of a
// practice bumps both.
func TestTriggersBumpTheRightTopics(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	v := &cache.Versions{DB: d}
	dbtest.Exec(t, d.W, `INSERT INTO accounts (id, email, display_name, password_hash, role, status, country_code, lang, created_at, updated_at, password_changed_at)
		VALUES (1, 'a@example.org', 'A', 'x', 'official', 'active', 'PA', 'es', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`)
	dbtest.Exec(t, d.W, `INSERT INTO practices (id, author_id, status, scope, lang, title, summary, policy_version, period_start, created_at, updated_at)
		VALUES (1, 1, 'published', 'members', 'es', 'T', 'S', 1, '2025-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
		       (2, 1, 'published', 'members', 'es', 'U', 'S', 1, '2025-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`)
	topics := []cache.Topic{cache.Lists, cache.Discussed, cache.Practice(1), cache.Practice(2), cache.Names}
	read := func() cache.Stamp {
		t.Helper()
		s, err := v.Read(ctx, topics)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	changed := func(before, after cache.Stamp) []cache.Topic {
		var out []cache.Topic
		for i, tp := range topics {
			if before.Version(i) != after.Version(i) {
				out = append(out, tp)
			}
		}
		return out
	}
	for _, step := range []struct {
		name string
		sql  string
		want []cache.Topic
	}{
		{"comment posted", `INSERT INTO comments (practice_id, author_id, body_raw, body_html, policy_version, created_at)
			VALUES (1, 1, 'x', '<p>x</p>', 1, '2026-01-02T00:00:00Z')`, []cache.Topic{cache.Practice(1)}},
		// The count changes only with a comment, whose own triggers count
		// the practice's topic (above): the count itself is the discussed
		// topic's alone.
		{"count raised", `UPDATE practices SET comment_count = comment_count + 1 WHERE id = 1`, []cache.Topic{cache.Discussed}},
		{"title edited", `UPDATE practices SET title = 'T2' WHERE id = 2`, []cache.Topic{cache.Lists, cache.Practice(2)}},
		{"country added", `INSERT INTO practice_countries (practice_id, country_code) VALUES (2, 'CR')`, []cache.Topic{cache.Lists, cache.Practice(2)}},
		{"name changed", `UPDATE accounts SET display_name = 'B' WHERE id = 1`, []cache.Topic{cache.Names}},
	} {
		before := read()
		seqBefore, err := v.Seq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dbtest.Exec(t, d.W, step.sql)
		// A lookup trusts an unmoved seq to mean that nothing changed.
		if seqAfter, err := v.Seq(ctx); err != nil || seqAfter == seqBefore {
			t.Errorf("%s left seq at %d (%v)", step.name, seqAfter, err)
		}
		got := changed(before, read())
		if len(got) != len(step.want) {
			t.Errorf("%s changed %v, want %v", step.name, got, step.want)
			continue
		}
		for i := range got {
			if got[i] != step.want[i] {
				t.Errorf("%s changed %v, want %v", step.name, got, step.want)
			}
		}
	}
}

// A stamp extended with topics learnt while computing is refused when
// anything changed in between, so a value computed from older data is
// never kept under newer versions.
func TestExtendRefusesAChangeInBetween(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	v := &cache.Versions{DB: d}
	before, err := v.Read(ctx, []cache.Topic{cache.Lists})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := v.Extend(ctx, before, []cache.Topic{cache.Practice(3)}); err != nil || !ok {
		t.Fatalf("nothing changed, yet Extend refused (%v)", err)
	}
	dbtest.Exec(t, d.W, `INSERT INTO versions (topic, n) VALUES ('practice:9', 1)`)
	dbtest.Exec(t, d.W, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`)
	if _, ok, err := v.Extend(ctx, before, []cache.Topic{cache.Practice(3)}); err != nil || ok {
		t.Fatalf("a change happened in between, yet Extend accepted (%v)", err)
	}
}

// The cache stays within its budget: past it, it starts over.
func TestBounded(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	c := cache.New[int](&cache.Versions{DB: d}, 64*100, func(b []byte) int { return len(b) })
	for i := range 1000 {
		if _, err := c.Get(ctx, i, nil, func() ([]byte, error) { return make([]byte, 100), nil }); err != nil {
			t.Fatal(err)
		}
		if n := c.Bytes(); n > 64*100 {
			t.Fatalf("after %d values the cache holds %d bytes, over its budget of %d", i+1, n, 64*100)
		}
	}
}

// A key is kept from its second miss on: a value asked for once is not
// worth keeping. A key kept before is kept again at once after a change.
func TestAdmitFromTheSecondMiss(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	v := &cache.Versions{DB: d}
	c := cache.New[string](v, 1<<20, func(int) int { return 8 })
	if c.Admit("a") {
		t.Fatal("first miss admitted")
	}
	if c.Admit("b") {
		t.Fatal("another key's first miss admitted")
	}
	if !c.Admit("a") {
		t.Fatal("second miss not admitted")
	}
	stamp, err := v.Read(ctx, []cache.Topic{cache.Practice(1)})
	if err != nil {
		t.Fatal(err)
	}
	c.Put("a", stamp, 1)
	dbtest.Exec(t, d.W, `INSERT INTO versions (topic, n) VALUES ('practice:1', 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1`)
	dbtest.Exec(t, d.W, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`)
	if _, ok, err := c.Lookup(ctx, "a"); err != nil || ok {
		t.Fatalf("out-of-date value served: %v %v", ok, err)
	}
	if !c.Admit("a") {
		t.Fatal("a key kept before waits again")
	}
	// The memory of first misses is bounded: past it, it starts over.
	for i := range 1 << 15 {
		c.Admit(strconv.Itoa(i))
	}
	if c.Admit("b") {
		t.Fatal("a first miss remembered past the bound")
	}
}

// Within one request's context, seq is read once; a write by this process
// makes it read again, so a request never misses its own change. Another
// process's write is seen by the next request.
func TestSeqReadOncePerRequest(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	v := &cache.Versions{DB: d}
	other, err := db.Open(d.Path) // another process on the same file
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	seq := func(ctx context.Context) int64 {
		t.Helper()
		n, err := v.Seq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	bump := func(d *db.DB) { dbtest.Exec(t, d.W, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`) }
	req := cache.WithSeqMemo(ctx)
	first := seq(req)
	bump(other)
	if got := seq(req); got != first {
		t.Fatalf("seq read again within a request after another process's write: %d, then %d", first, got)
	}
	if got := seq(ctx); got != first+1 {
		t.Fatalf("outside a request seq is %d, want %d", got, first+1)
	}
	if got := seq(cache.WithSeqMemo(ctx)); got != first+1 {
		t.Fatalf("the next request reads seq %d, want %d", got, first+1)
	}
	bump(d)
	if got := seq(req); got != first+2 {
		t.Fatalf("after this process's own write the request read seq %d, want %d", got, first+2)
	}
	// A transaction counts as it commits.
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := seq(req); got != first+3 {
		t.Fatalf("after a transaction the request read seq %d, want %d", got, first+3)
	}
}

// Replace refines a kept value in place: same stamp, new size counted; it
// leaves alone a value recomputed meanwhile, and one gone out of date
// stays out of date.
func TestReplaceRefinesWhatIsKept(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	c := cache.New[string](&cache.Versions{DB: d}, 1<<20, func(s string) int { return len(s) })
	topics := []cache.Topic{cache.Practice(7)}
	if _, err := c.Get(ctx, "k", topics, func() (string, error) { return "rough", nil }); err != nil {
		t.Fatal(err)
	}
	c.Replace("k", func(kept string) bool { return kept == "other" }, "never")
	c.Replace("k", func(kept string) bool { return kept == "rough" }, "refined value")
	c.Replace("absent", func(string) bool { return true }, "x")
	v, ok, err := c.Lookup(ctx, "k")
	if err != nil || !ok || v != "refined value" {
		t.Fatalf("after Replace: %q %v %v, want the refined value", v, ok, err)
	}
	if n := c.Bytes(); n != len("refined value") {
		t.Errorf("the cache counts %d bytes, want %d", n, len("refined value"))
	}
	dbtest.Exec(t, d.W, `INSERT INTO versions (topic, n) VALUES ('practice:7', 1) ON CONFLICT (topic) DO UPDATE SET n = n + 1`)
	dbtest.Exec(t, d.W, `UPDATE versions SET n = n + 1 WHERE topic = 'seq'`)
	if _, ok, _ := c.Lookup(ctx, "k"); ok {
		t.Fatal("a refined value outlived a change to its topic")
	}
}

// Once the cache has started over, a key asked for again only after longer
// than the cache keeps values is not kept: it would be gone before it was
// asked for a third time. Asked for again sooner, it is kept; and as the
// cache grows older without starting over, it keeps values for longer.
func TestAdmitWhatWouldStayUntilReused(t *testing.T) {
	ctx := context.Background()
	d := open(t)
	v := &cache.Versions{DB: d}
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	c := cache.New[string](v, 64*100, func([]byte) int { return 100 }).WithClock(clk)
	stamp, err := v.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Before it ever started over, a second miss is enough, however late.
	c.Admit("slow")
	clk.Advance(time.Hour)
	if !c.Admit("slow") {
		t.Fatal("second miss not admitted before the cache ever started over")
	}
	// The cache fills, is first asked for "late" half a second later, and
	// starts over a second after it began: it kept values for a second.
	for i := range 64 {
		c.Put(strconv.Itoa(i), stamp, make([]byte, 100))
	}
	clk.Advance(500 * time.Millisecond)
	c.Admit("late")
	clk.Advance(500 * time.Millisecond)
	c.Put("full", stamp, make([]byte, 100))
	clk.Advance(1500 * time.Millisecond)
	if c.Admit("late") {
		t.Fatal("a key asked for again after 2 s admitted into a cache that kept values for 1 s and is 1.5 s old")
	}
	c.Admit("soon")
	clk.Advance(500 * time.Millisecond)
	if !c.Admit("soon") {
		t.Fatal("a key asked for again within the cache's life not admitted")
	}
	// The refused key's last miss counts as its first: asked for again
	// soon, it is kept.
	clk.Advance(200 * time.Millisecond)
	if !c.Admit("late") {
		t.Fatal("a key asked for again soon after a refused miss not admitted")
	}
	// Nothing kept for a minute: the cache keeps values for a minute now.
	c.Admit("patient")
	clk.Advance(30 * time.Second)
	if !c.Admit("patient") {
		t.Fatal("a second miss 30 s later not admitted into a cache a minute old")
	}
}
