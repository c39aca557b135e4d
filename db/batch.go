package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
)

// Group commit. Under synchronous=FULL every commit waits for the disk, so
// one writer committing each small write alone spends most of its time
// waiting. Batch lets the writes that arrive while a commit is under way
// share the next one: one transaction, one wait, each write inside its own
// savepoint so that one failing does not undo the others.

// maxBatch bounds how many writes share a commit, so no caller waits behind
// an unbounded queue.
const maxBatch = 64

// ErrClosed is returned by Batch once the database is closed.
var ErrClosed = errors.New("database closed")

type batchJob struct {
	ctx  context.Context
	fn   func(context.Context, *sql.Tx) error
	done chan error
}

// Batch runs fn in a write transaction that it may share with other Batch
// calls made at the same moment. fn's writes are committed, or rolled back
// alone when fn returns an error, which Batch then returns; a failed commit
// fails every write of the batch. When Batch returns nil, fn's writes are on
// disk.
//
// fn must run its statements with the context it is given, never the
// caller's: once a write has begun, a caller who goes away (a closed tab)
// must not interrupt it, because SQLite answers an interrupted write by
// rolling back the whole transaction, and with it the other writes of the
// batch.
func (d *DB) Batch(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	j := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case d.jobs <- j:
	case <-d.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the job runs or is refused; its outcome is awaited
	// whatever the caller's context does, so a caller never returns while
	// its write may still land.
	return <-j.done
}

// commitLoop is the one goroutine that runs batches, until Close.
func (d *DB) commitLoop() {
	defer close(d.loopDone)
	for {
		var first *batchJob
		select {
		case first = <-d.jobs:
		case <-d.quit:
			return
		}
		batch := []*batchJob{first}
	more:
		for len(batch) < maxBatch {
			select {
			case j := <-d.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		d.runBatch(batch)
	}
}

// commits counts the transactions Batch has committed, for tests.
var commits atomic.Int64

// BatchBounds are the upper bounds of the batch-size classes BatchSizes
// counts: a commit of n writes counts in every class whose bound is at
// least n (cumulative, as Prometheus histograms are).
var BatchBounds = []int{1, 2, 4, 8, 16, 32, maxBatch}

// batchStats counts the batches by size, for monitoring.
type batchStats struct {
	count, sum atomic.Uint64
	le         [7]atomic.Uint64 // one per BatchBounds
}

// BatchSizes reports how many batches ran, how many writes they held in
// all, and, for each of BatchBounds, how many held at most that many.
func (d *DB) BatchSizes() (count, sum uint64, cumulative []uint64) {
	cumulative = make([]uint64, len(BatchBounds))
	for i := range BatchBounds {
		cumulative[i] = d.batches.le[i].Load()
	}
	return d.batches.count.Load(), d.batches.sum.Load(), cumulative
}

func (d *DB) countBatch(n int) {
	d.batches.count.Add(1)
	d.batches.sum.Add(uint64(n))
	for i, b := range BatchBounds {
		if n <= b {
			d.batches.le[i].Add(1)
		}
	}
}

func (d *DB) runBatch(batch []*batchJob) {
	commits.Add(1)
	d.countBatch(len(batch))
	ctx := context.Background()
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		for _, j := range batch {
			j.done <- err
		}
		return
	}
	var applied []*batchJob
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		sp := fmt.Sprintf("batch_%d", i)
		if _, err := tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
			j.done <- err
			continue
		}
		if err := j.fn(context.WithoutCancel(j.ctx), tx); err != nil {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO "+sp); rerr != nil {
				// The transaction is in an unknown state: nothing of it
				// may be committed.
				_ = tx.Rollback()
				j.done <- err
				for _, a := range applied {
					a.done <- rerr
				}
				for _, rest := range batch[i+1:] {
					rest.done <- rerr
				}
				return
			}
			_, _ = tx.ExecContext(ctx, "RELEASE "+sp)
			j.done <- err
			continue
		}
		if _, err := tx.ExecContext(ctx, "RELEASE "+sp); err != nil {
			_ = tx.Rollback()
			for _, a := range append(applied, batch[i:]...) {
				a.done <- err
			}
			return
		}
		applied = append(applied, j)
	}
	err = tx.Commit()
	for _, j := range applied {
		j.done <- err
	}
}
