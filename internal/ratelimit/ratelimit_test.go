package ratelimit

import (
	"testing"
	"time"

	"puente/internal/clock"
)

func TestSlidingWindow(t *testing.T) {
	c := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	l := New(3, 10*time.Minute, c)
	for i := range 3 {
		if ok, _ := l.Check("k"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		l.Hit("k")
		c.Advance(time.Minute)
	}
	ok, retry := l.Check("k")
	if ok {
		t.Fatal("4th attempt allowed")
	}
	if retry != 7*time.Minute {
		t.Fatalf("retry after %v, want 7m", retry)
	}
	if ok, _ := l.Check("other"); !ok {
		t.Fatal("other key refused")
	}
	c.Advance(7 * time.Minute)
	if ok, _ := l.Check("k"); !ok {
		t.Fatal("still refused after the oldest hit left the window")
	}
	l.Hit("k")
	if ok, _ := l.Check("k"); ok {
		t.Fatal("allowed with 3 hits in the window")
	}
	l.Reset("k")
	if ok, _ := l.Check("k"); !ok {
		t.Fatal("refused after reset")
	}
}

func TestBucketAllowsABurstThenARate(t *testing.T) {
	c := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	b := NewBucket(3, 4*time.Second, c)
	for i := range 3 {
		if ok, _ := b.Take("ana"); !ok {
			t.Fatalf("take %d of the burst refused", i+1)
		}
	}
	ok, retry := b.Take("ana")
	if ok || retry != 4*time.Second {
		t.Fatalf("fourth take: ok=%v retry=%s, want refused for 4s", ok, retry)
	}
	if ok, _ := b.Take("luis"); !ok {
		t.Fatal("another key is limited by the first")
	}
	c.Advance(3 * time.Second)
	if ok, retry := b.Take("ana"); ok || retry != time.Second {
		t.Fatalf("after 3s: ok=%v retry=%s, want refused for 1s", ok, retry)
	}
	c.Advance(time.Second)
	if ok, _ := b.Take("ana"); !ok {
		t.Fatal("a token did not come back after 4s")
	}
	if ok, _ := b.Take("ana"); ok {
		t.Fatal("two tokens after 4s")
	}
	c.Advance(time.Hour)
	for i := range 3 {
		if ok, _ := b.Take("ana"); !ok {
			t.Fatalf("after an hour, take %d refused: the bucket holds at most its burst, and all of it", i+1)
		}
	}
	if ok, _ := b.Take("ana"); ok {
		t.Fatal("the bucket filled past its burst")
	}
	off := NewBucket(1, 0, c)
	for range 100 {
		if ok, _ := off.Take("ana"); !ok {
			t.Fatal("a bucket with no interval refused")
		}
	}
}

// Refusals are counted for monitoring: each refused try once, an allowed
// one never.
func TestRefusalsCounted(t *testing.T) {
	c := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	l := New(2, time.Minute, c)
	b := NewBucket(2, time.Minute, c)
	for range 5 {
		if ok, _ := l.Check("k"); ok {
			l.Hit("k")
		}
		b.Take("k")
	}
	if l.Refused() != 3 || b.Refused() != 3 {
		t.Fatalf("refused: limiter %d, bucket %d; want 3 each", l.Refused(), b.Refused())
	}
}
