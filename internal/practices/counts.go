package practices

import (
	"context"
	"fmt"
	"strings"

	"puente/internal/cache"
)

// Counts over the published practices (a list's total, counts per tag and
// per country) are kept while the lists topic stays the same: counting
// 100,000 practices on every page view is the cost this removes. Keys hold
// the query and its arguments, so viewers with different scopes never
// share an entry.
type countKey struct {
	query string
	args  string
}

func keyOf(query string, args []any) countKey {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "%T:%v\x00", a, a)
	}
	return countKey{query, b.String()}
}

// maxCountBytes bounds the memory the counts take.
const maxCountBytes = 4 << 20

// cachedCount returns the value compute gives for key, computing it only
// when the lists changed since it was last computed.
func cachedCount[T any](ctx context.Context, s *Store, key countKey, compute func() (T, error)) (T, error) {
	s.countsOnce.Do(func() {
		s.counts = cache.New[countKey](s.Versions, maxCountBytes, func(v any) int {
			switch m := v.(type) {
			case map[int64]int:
				return 256 + 64*len(m)
			case map[string]int:
				return 256 + 64*len(m)
			case map[int64]map[Scope]int:
				return 256 + 256*len(m)
			case map[string]map[Scope]int:
				return 256 + 256*len(m)
			case map[Scope]int:
				return 256 + 64*len(m)
			}
			return 256
		})
	})
	v, err := s.counts.Get(ctx, key, []cache.Topic{cache.Lists}, func() (any, error) { return compute() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// WarmCounts computes, once, the number of practices and the counts per
// objective and per country that the home page and the lists show (each
// made once for every reader, split by scope), so that the first reader
// after a start does not wait for them.
func (s *Store) WarmCounts(ctx context.Context) error {
	if _, err := s.countVisible(ctx, Viewer{}); err != nil {
		return err
	}
	if _, err := s.CountByTag(ctx, Viewer{}); err != nil {
		return err
	}
	_, err := s.CountByCountry(ctx, Viewer{})
	return err
}
