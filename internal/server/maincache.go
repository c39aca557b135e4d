package server

import (
	"context"
	"sync"

	"puente/db"
)

// mainCache keeps rendered parts of pages that every viewer of a kind
// sees alike (a list's results for one scope, language and filter; a
// practice's comments for visitors), for as long as the data they show
// stays the same. The key holds everything
// the part depends on, the versions of the data included, so an entry is
// never served after a change: it simply stops being asked for.
type mainCache struct {
	mu      sync.Mutex
	entries map[string][]byte
	size    int
}

// maxMainCacheBytes bounds the memory: when full, the cache starts over.
const maxMainCacheBytes = 16 << 20

func (c *mainCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[key]
	return b, ok
}

func (c *mainCache) put(key string, b []byte) {
	if len(b) > maxMainCacheBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.size+len(b) > maxMainCacheBytes {
		c.entries, c.size = map[string][]byte{}, 0
	}
	if old, ok := c.entries[key]; ok {
		c.size -= len(old)
	}
	c.entries[key] = b
	c.size += len(b)
}

// dataVersion reads the state of everything kept pages show: pages,
// which triggers bump on every change to practices, their countries and
// tags, comments and the names that sign them (page_version), and the
// meetings and tags (taxonomy_version).
func dataVersion(ctx context.Context, d *db.DB) (pages, taxonomy int64, err error) {
	err = d.R.QueryRowContext(ctx, `SELECT (SELECT n FROM page_version WHERE id = 1), (SELECT n FROM taxonomy_version WHERE id = 1)`).
		Scan(&pages, &taxonomy)
	return pages, taxonomy, err
}
