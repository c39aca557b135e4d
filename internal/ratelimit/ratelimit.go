// Package ratelimit counts attempts per key in a sliding window, to slow
// down password guessing and link probing.
package ratelimit

import (
	"sync"
	"time"

	"puente/internal/clock"
)

// Limiter allows Limit hits per key within Window.
type Limiter struct {
	Limit  int
	Window time.Duration
	Clock  clock.Clock

	mu    sync.Mutex
	hits  map[string][]time.Time
	calls int
}

// New returns a limiter of limit hits per window.
func New(limit int, window time.Duration, c clock.Clock) *Limiter {
	return &Limiter{Limit: limit, Window: window, Clock: c, hits: map[string][]time.Time{}}
}

// recent drops hits older than the window; the caller holds mu.
func (l *Limiter) recent(key string, now time.Time) []time.Time {
	h := l.hits[key]
	cut := 0
	for cut < len(h) && now.Sub(h[cut]) >= l.Window {
		cut++
	}
	h = h[cut:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}

// Check reports whether key may try again now, and if not, how long until
// it may.
func (l *Limiter) Check(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Clock.Now()
	h := l.recent(key, now)
	if len(h) < l.Limit {
		return true, 0
	}
	return false, h[len(h)-l.Limit].Add(l.Window).Sub(now)
}

// Hit records one attempt for key.
func (l *Limiter) Hit(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Clock.Now()
	h := l.recent(key, now)
	l.hits[key] = append(h, now)
	l.calls++
	if l.calls%1024 == 0 {
		for k := range l.hits {
			l.recent(k, now)
		}
	}
}

// Reset forgets key, for example after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.hits, key)
	l.mu.Unlock()
}
