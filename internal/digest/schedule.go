package digest

import (
	"context"
	"time"
)

// NextRun is the first send time (weekday day at hour:00 in loc) after t.
func NextRun(t time.Time, day time.Weekday, hour int, loc *time.Location) time.Time {
	lt := t.In(loc)
	run := time.Date(lt.Year(), lt.Month(), lt.Day(), hour, 0, 0, 0, loc)
	run = run.AddDate(0, 0, (int(day)-int(lt.Weekday())+7)%7)
	if !run.After(lt) {
		run = run.AddDate(0, 0, 7)
	}
	return run
}

// Schedule sends the digest at every send time until ctx ends. At start
// it also sends the last send time's digest, in case the server was down
// then; a digest already sent is never sent again, so this is safe.
func (r *Runner) Schedule(ctx context.Context, day time.Weekday, hour int) {
	now := r.Clock.Now()
	last := NextRun(now, day, hour, r.Location).AddDate(0, 0, -7)
	r.runFor(ctx, last)
	for {
		next := NextRun(r.Clock.Now(), day, hour, r.Location)
		r.Log.Info("digest scheduled", "at", next.Format(time.RFC3339), "period", LastComplete(next, r.Location).String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		r.runFor(ctx, next)
	}
}

func (r *Runner) runFor(ctx context.Context, at time.Time) {
	if _, err := r.Run(ctx, LastComplete(at, r.Location), Options{}); err != nil && ctx.Err() == nil {
		r.Log.Error("scheduled digest", "err", err)
	}
}
