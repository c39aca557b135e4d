// Package cache keeps computed values (counts, reference lists, rendered
// parts of pages) in memory for as long as the data they come from stays
// the same.
//
// Triggers count the changes to each topic of data in the versions table
// (see db/migrations/0014_versions.sql). An entry records the versions of
// the topics it was computed from and is served only while they are
// unchanged, so an entry is never served after a change: it simply stops
// being served. Each Cache is bounded in bytes; when full it starts over.
package cache

import (
	"context"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"puente/db"
)

// Topic names a kind of data whose changes the versions table counts.
type Topic string

// The topics triggers keep.
const (
	Taxonomy  Topic = "taxonomy"  // meetings, tags and their texts
	Lists     Topic = "lists"     // which practices lists hold and what cards show, comment counts aside
	Names     Topic = "names"     // the names and countries that sign practices and comments
	Discussed Topic = "discussed" // any practice's comment count
	Features  Topic = "features"  // which practices are featured, their notes and order
	seq       Topic = "seq"       // every change to any topic
)

// Practice is one practice's topic: its row, its countries and tags and
// its comments.
func Practice(id int64) Topic { return Topic("practice:" + strconv.FormatInt(id, 10)) }

// Versions reads the versions table.
type Versions struct{ DB *db.DB }

// Stamp is the versions of some topics at one moment.
type Stamp struct {
	topics []Topic
	n      []int64
	seq    int64
}

// Read returns the versions of topics (and of seq) in one statement.
func (v *Versions) Read(ctx context.Context, topics []Topic) (Stamp, error) {
	all := make([]any, 0, len(topics)+1)
	all = append(all, string(seq))
	for _, t := range topics {
		all = append(all, string(t))
	}
	rows, err := v.DB.R.QueryContext(ctx, `SELECT topic, n FROM versions WHERE topic IN (?`+strings.Repeat(", ?", len(all)-1)+`)`, all...)
	if err != nil {
		return Stamp{}, err
	}
	defer rows.Close()
	got := make(map[Topic]int64, len(all))
	for rows.Next() {
		var t string
		var n int64
		if err := rows.Scan(&t, &n); err != nil {
			return Stamp{}, err
		}
		got[Topic(t)] = n
	}
	if err := rows.Err(); err != nil {
		return Stamp{}, err
	}
	s := Stamp{topics: topics, n: make([]int64, len(topics)), seq: got[seq]}
	// A topic nothing has changed yet has no row: version 0.
	for i, t := range topics {
		s.n[i] = got[t]
	}
	return s, nil
}

// Extend adds topics learnt while computing (the practices a list turned
// out to show) to a stamp read before computing. It reports false when
// anything changed in between, when the value just computed may already
// be out of date and must not be kept.
func (v *Versions) Extend(ctx context.Context, before Stamp, more []Topic) (Stamp, bool, error) {
	after, err := v.Read(ctx, append(append([]Topic(nil), before.topics...), more...))
	if err != nil {
		return Stamp{}, false, err
	}
	return after, after.seq == before.seq, nil
}

// Seq is the count of every change to any topic: when it has not moved
// since a stamp was read, none of the stamp's topics has either. Within a
// context from WithSeqMemo, it is read once and answered again while
// this process writes nothing.
func (v *Versions) Seq(ctx context.Context) (int64, error) {
	m, _ := ctx.Value(seqMemoKey{}).(*seqMemo)
	if m == nil {
		return v.readSeq(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.read && m.commits == v.DB.Commits() {
		return m.n, nil
	}
	commits := v.DB.Commits()
	n, err := v.readSeq(ctx)
	if err == nil {
		m.read, m.n, m.commits = true, n, commits
	}
	return n, err
}

func (v *Versions) readSeq(ctx context.Context) (int64, error) {
	var n int64
	err := v.DB.R.QueryRowContext(ctx, `SELECT coalesce((SELECT n FROM versions WHERE topic = ?), 0)`, string(seq)).Scan(&n)
	return n, err
}

// seqMemo is the seq one request read, and this process's count of
// commits when it did.
type seqMemo struct {
	mu      sync.Mutex
	read    bool
	n       int64
	commits uint64
}

type seqMemoKey struct{}

// WithSeqMemo returns a context in which Seq is read from the database
// once, for the several lookups one page makes (the site's header, its
// parts, counts, the taxonomy), rather than once for each. A lookup then
// answers as of that read: as if it had been made then, which is what a
// lookup made at that moment would have answered. A commit by this
// process since (the request's own write, say) makes Seq read again.
func WithSeqMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, seqMemoKey{}, &seqMemo{})
}

// Version is the version of the stamp's i-th topic.
func (s Stamp) Version(i int) int64 { return s.n[i] }

func (s Stamp) same(o Stamp) bool {
	if len(s.n) != len(o.n) {
		return false
	}
	for i := range s.n {
		if s.n[i] != o.n[i] {
			return false
		}
	}
	return true
}

// Cache keeps values of type V by keys of type K.
type Cache[K comparable, V any] struct {
	versions *Versions
	maxBytes int
	size     func(V) int

	mu      sync.Mutex
	entries map[K]entry[V]
	bytes   int

	// seen holds (hashed) the keys missed once and not kept, with when:
	// see Admit.
	seed maphash.Seed
	seen map[uint64]time.Time

	// The cache starts over when full: born is when it last did, life how
	// long it had lasted then (how long a value was kept at most).
	now         func() time.Time
	born        time.Time
	life        time.Duration
	startedOver bool

	hits, misses atomic.Uint64
}

// Counts reports how many lookups found a value still current, and how
// many did not, since the cache was made.
func (c *Cache[K, V]) Counts() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// maxSeen bounds the keys Admit remembers (a time and a map slot each):
// when full it starts over, so a key asked for again long after its first
// miss simply waits one more miss to be kept.
const maxSeen = 1 << 14

type entry[V any] struct {
	stamp Stamp
	value V
	size  int
}

// New returns a cache over versions holding at most maxBytes, as size
// measures each value.
func New[K comparable, V any](versions *Versions, maxBytes int, size func(V) int) *Cache[K, V] {
	return &Cache[K, V]{versions: versions, maxBytes: maxBytes, size: size, seed: maphash.MakeSeed(), now: time.Now}
}

// WithClock has the cache tell time by clk (a test's fake clock).
func (c *Cache[K, V]) WithClock(clk interface{ Now() time.Time }) *Cache[K, V] {
	c.now = clk.Now
	return c
}

// Admit reports whether a value computed after a miss on key is worth
// keeping: it is from the key's second miss on (or when a value was kept
// for it before, now out of date). Values asked for once, such as a
// practice opened from a search or a list page deep in the past, then
// cost nothing to keep (copying and compressing a rendered part costs a
// tenth of a page) and do not push out of a full cache the values asked
// for again and again.
//
// Once the cache has started over, a second miss is admitted only if it
// came sooner after the first than the cache keeps values (the longer of
// its last life and its present age): when more pages are read than it
// holds, one asked for again only after that would be gone before it is
// asked again, and keeping it would cost without ever serving it.
func (c *Cache[K, V]) Admit(key K) bool {
	h := maphash.Comparable(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return true
	}
	now := c.now()
	if first, ok := c.seen[h]; ok {
		if !c.startedOver || now.Sub(first) <= max(c.life, now.Sub(c.born)) {
			delete(c.seen, h)
			return true
		}
	}
	if c.seen == nil || len(c.seen) >= maxSeen {
		c.seen = make(map[uint64]time.Time)
	}
	c.seen[h] = now
	return false
}

// Lookup returns the value kept for key if the topics it came from are
// unchanged.
func (c *Cache[K, V]) Lookup(ctx context.Context, key K) (V, bool, error) {
	v, ok, err := c.lookup(ctx, key)
	if err == nil {
		if ok {
			c.hits.Add(1)
		} else {
			c.misses.Add(1)
		}
	}
	return v, ok, err
}

func (c *Cache[K, V]) lookup(ctx context.Context, key K) (V, bool, error) {
	var zero V
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok {
		return zero, false, nil
	}
	// Nothing at all changed since the entry was stamped: one row tells.
	if s, err := c.versions.Seq(ctx); err != nil {
		return zero, false, err
	} else if s == e.stamp.seq {
		return e.value, true, nil
	}
	now, err := c.versions.Read(ctx, e.stamp.topics)
	if err != nil {
		return zero, false, err
	}
	if !now.same(e.stamp) {
		return zero, false, nil
	}
	return e.value, true, nil
}

// Put keeps value for key, stamped with the versions read before it was
// computed: a change landing in between only makes the entry look older
// than it is.
func (c *Cache[K, V]) Put(key K, stamp Stamp, value V) {
	n := c.size(value)
	if n > c.maxBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+n > c.maxBytes {
		now := c.now()
		if c.entries != nil {
			c.life, c.startedOver = now.Sub(c.born), true
		}
		c.entries, c.bytes, c.born = map[K]entry[V]{}, 0, now
	}
	if old, ok := c.entries[key]; ok {
		c.bytes -= old.size
	}
	c.entries[key] = entry[V]{stamp, value, n}
	c.bytes += n
}

// Replace puts value in place of the value kept for key, with the same
// stamp, if is says the kept value is the one it was made from: a value
// refined after it was kept (compressed harder), not recomputed.
func (c *Cache[K, V]) Replace(key K, is func(V) bool, value V) {
	n := c.size(value)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !is(e.value) {
		return
	}
	c.bytes += n - e.size
	c.entries[key] = entry[V]{e.stamp, value, n}
}

// Get returns the value for key, computing it when the topics changed
// since it was kept.
func (c *Cache[K, V]) Get(ctx context.Context, key K, topics []Topic, compute func() (V, error)) (V, error) {
	if v, ok, err := c.Lookup(ctx, key); err != nil || ok {
		return v, err
	}
	stamp, err := c.versions.Read(ctx, topics)
	if err != nil {
		var zero V
		return zero, err
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.Put(key, stamp, v)
	return v, nil
}

// Bytes is how much the kept values take, as size measures them.
func (c *Cache[K, V]) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
