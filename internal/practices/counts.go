package practices

import (
	"context"
	"fmt"
	"sync"
)

// countCache keeps counts over the published practices (a list's total,
// counts per tag and per country) for as long as list_version, which
// triggers bump on every change that could alter them, stays the same.
// Counting 100,000 practices on every page view is the cost it removes.
//
// A count is stored with the version read before it was computed, so a
// write that lands in between only makes the entry look older than it is;
// an entry is never served after a change. Keys hold the query and its
// arguments, so viewers with different scopes never share an entry.
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	version int64
	value   any
}

// maxCountEntries bounds the memory: when full, the cache starts over.
const maxCountEntries = 4096

func (s *Store) listVersion(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT n FROM list_version WHERE id = 1`).Scan(&n)
	return n, err
}

// cachedCount returns the value compute gives for key, computing it only
// when the lists changed since it was last computed.
func cachedCount[T any](ctx context.Context, s *Store, key string, compute func() (T, error)) (T, error) {
	var zero T
	version, err := s.listVersion(ctx)
	if err != nil {
		return zero, err
	}
	c := &s.counts
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.version == version {
		return e.value.(T), nil
	}
	v, err := compute()
	if err != nil {
		return zero, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCountEntries {
		c.entries = map[string]countEntry{}
	}
	c.entries[key] = countEntry{version, v}
	c.mu.Unlock()
	return v, nil
}

func countKey(query string, args []any) string { return fmt.Sprintf("%s\x00%#v", query, args) }
