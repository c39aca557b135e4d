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
