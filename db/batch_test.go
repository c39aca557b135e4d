package db

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"puente/internal/dbtest"
)

// TestBatchSharesCommitsAndIsolatesFailures: 200 concurrent writers, every
// seventh failing after its insert. Every successful write is stored, no
// failed one is, and the writes shared far fewer commits than there were
// writes.
func TestBatchSharesCommitsAndIsolatesFailures(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	if _, err := d.W.Exec(`CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	before := commits.Load()
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = d.Batch(ctx, func(_ context.Context, tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO t (n) VALUES (?)`, i); err != nil {
					return err
				}
				if i%7 == 0 {
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		stored := dbtest.Int(t, d.R, `SELECT count(*) FROM t WHERE n = ?`, i)
		switch {
		case i%7 == 0 && (err == nil || stored != 0):
			t.Errorf("write %d: err %v, stored %d; want its error and nothing stored", i, err, stored)
		case i%7 != 0 && (err != nil || stored != 1):
			t.Errorf("write %d: err %v, stored %d", i, err, stored)
		}
	}
	used := commits.Load() - before
	t.Logf("%d writes in %d commits", n, used)
	if used >= n {
		t.Errorf("%d writes took %d commits: nothing was shared", n, used)
	}
	// What monitoring is told: every batch of this database, every write,
	// each batch in the classes its size fits.
	count, sum, cumulative := d.BatchSizes()
	if count != uint64(used) || sum != n {
		t.Errorf("BatchSizes: %d batches of %d writes, want %d of %d", count, sum, used, n)
	}
	if last := cumulative[len(cumulative)-1]; last != count {
		t.Errorf("batches of at most %d writes: %d, want all %d", maxBatch, last, count)
	}
	if cumulative[0] == count {
		t.Errorf("every batch held one write, yet %d writes took %d commits", n, used)
	}
	for i := 1; i < len(cumulative); i++ {
		if cumulative[i] < cumulative[i-1] {
			t.Errorf("classes not cumulative: %v", cumulative)
		}
	}
}

func TestBatchAfterClose(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	d.Close()
	err := d.Batch(context.Background(), func(context.Context, *sql.Tx) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("Batch after Close: %v", err)
	}
}

func TestBatchCancelledBeforeItsTurn(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := d.Batch(ctx, func(context.Context, *sql.Tx) error { ran = true; return nil })
	if err == nil || ran {
		t.Fatalf("cancelled write: err %v, ran %v", err, ran)
	}
}

// TestBatchOutlivesItsCaller: a caller who goes away once its write has
// begun (a closed tab) neither loses that write nor breaks the others
// that share its commit: SQLite answers an interrupted write by rolling
// back the whole transaction.
func TestBatchOutlivesItsCaller(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	if _, err := d.W.Exec(`CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	const n = 100
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errs[i] = d.Batch(ctx, func(ctx context.Context, tx *sql.Tx) error {
				if i%5 == 0 {
					cancel() // the caller leaves while its write runs
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, i)
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if stored := dbtest.Int(t, d.R, `SELECT count(*) FROM t`); stored != n {
		t.Errorf("%d of %d writes stored", stored, n)
	}
}
