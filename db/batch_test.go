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
			errs[i] = d.Batch(ctx, func(tx *sql.Tx) error {
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
}

func TestBatchAfterClose(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	d.Close()
	err := d.Batch(context.Background(), func(*sql.Tx) error { return nil })
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
	err := d.Batch(ctx, func(*sql.Tx) error { ran = true; return nil })
	if err == nil || ran {
		t.Fatalf("cancelled write: err %v, ran %v", err, ran)
	}
}
