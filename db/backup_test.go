package db

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"puente/internal/dbtest"
)

// TestBackupUnderWriteLoad takes a backup while a writer commits without
// pause: the copy passes the integrity check and holds every write
// acknowledged before the backup began.
func TestBackupUnderWriteLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`CREATE TABLE load (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64 // the highest id whose insert returned
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := d.W.Exec(`INSERT INTO load (id, body) VALUES (?, 'una práctica que funcionó')`, i); err != nil {
				t.Error(err)
				return
			}
			acked.Store(i)
		}
	}()
	for acked.Load() < 200 {
		time.Sleep(time.Millisecond)
	}
	before := acked.Load()
	dest := filepath.Join(t.TempDir(), "copy.db")
	err := d.Backup(ctx, dest)
	after := acked.Load()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Log("no write landed during the backup; the test still checks the copy")
	}

	b, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.CheckVersion(ctx); err != nil {
		t.Fatal(err)
	}
	var n, hi int64
	if err := b.R.QueryRow(`SELECT count(*), coalesce(max(id), 0) FROM load WHERE id <= ?`, before).Scan(&n, &hi); err != nil {
		t.Fatal(err)
	}
	if n != before || hi != before {
		t.Fatalf("the copy holds %d of the %d writes acknowledged before the backup", n, before)
	}
	if countries := dbtest.Int(t, b.R, `SELECT count(*) FROM countries`); countries != 23 {
		t.Fatalf("copy has %d countries", countries)
	}

	// An existing file is never overwritten.
	if err := d.Backup(ctx, dest); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("second backup to the same file: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".copy.db.partial-*")); len(m) != 0 {
		t.Fatalf("partial files left behind: %v", m)
	}
}
