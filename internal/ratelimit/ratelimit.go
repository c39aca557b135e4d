// Package ratelimit counts attempts per key in a sliding window, to slow
// down password guessing and link probing.
package ratelimit

import (
	"sync"
	"sync/atomic"
	"time"

	"puente/internal/clock"
)

// Limiter allows Limit hits per key within Window.
type Limiter struct {
	Limit  int
	Window time.Duration
	Clock  clock.Clock

	mu      sync.Mutex
	hits    map[string][]time.Time
	calls   int
	refused atomic.Uint64
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
	l.refused.Add(1)
	return false, h[len(h)-l.Limit].Add(l.Window).Sub(now)
}

// Refused counts the tries Check refused since the limiter was made.
func (l *Limiter) Refused() uint64 { return l.refused.Load() }

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

// Bucket lets each key act Burst times at once, then once every Every: a
// token bucket, for a person posting, who may send a few things in a row
// but not a flood. An Every of zero lets everything through.
type Bucket struct {
	Burst int
	Every time.Duration
	Clock clock.Clock

	mu      sync.Mutex
	state   map[string]bucketState
	calls   int
	refused atomic.Uint64
}

type bucketState struct {
	tokens float64
	at     time.Time
}

// Refused counts the tries Take refused since the bucket was made.
func (b *Bucket) Refused() uint64 { return b.refused.Load() }

// NewBucket returns a bucket of burst tokens, one more every every.
func NewBucket(burst int, every time.Duration, c clock.Clock) *Bucket {
	return &Bucket{Burst: max(burst, 1), Every: every, Clock: c, state: map[string]bucketState{}}
}

// Take spends one token of key's, if it has one; if not, it says how long
// until it will.
func (b *Bucket) Take(key string) (ok bool, retryAfter time.Duration) {
	if b.Every <= 0 {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.Clock.Now()
	st := b.refill(key, now)
	b.calls++
	if b.calls%1024 == 0 {
		for k := range b.state {
			if s := b.refill(k, now); s.tokens >= float64(b.Burst) {
				delete(b.state, k)
			}
		}
	}
	if st.tokens >= 1 {
		st.tokens--
		b.state[key] = st
		return true, 0
	}
	b.state[key] = st
	b.refused.Add(1)
	return false, time.Duration((1 - st.tokens) * float64(b.Every))
}

// refill is key's state now; the caller holds mu.
func (b *Bucket) refill(key string, now time.Time) bucketState {
	st, ok := b.state[key]
	if !ok {
		return bucketState{tokens: float64(b.Burst), at: now}
	}
	if d := now.Sub(st.at); d > 0 {
		st.tokens = min(float64(b.Burst), st.tokens+float64(d)/float64(b.Every))
		st.at = now
	}
	return st
}
