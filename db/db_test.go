package db

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"puente/internal/dbtest"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "puente.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestMigrateAppliesOnceAndRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	applied, err := d.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != LatestVersion() {
		t.Fatalf("applied %v, want %d migrations", applied, LatestVersion())
	}
	again, err := d.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate: applied %v, err %v", again, err)
	}
	if err := d.CheckVersion(ctx); err != nil {
		t.Fatal(err)
	}
	countries := dbtest.Int(t, d.R, `SELECT count(*) FROM countries`)
	crm := dbtest.Int(t, d.R, `SELECT count(*) FROM process_members WHERE process_code='CRM'`)
	csm := dbtest.Int(t, d.R, `SELECT count(*) FROM process_members WHERE process_code='CSM'`)
	if countries != 23 || crm != 11 || csm != 12 {
		t.Fatalf("countries=%d crm=%d csm=%d", countries, crm, csm)
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	t.Parallel()
	d := openTemp(t)
	check := func(label, q, want string) {
		t.Helper()
		var got string
		if err := d.R.QueryRow(q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("reader %s = %q, want %q", label, got, want)
		}
		if err := d.W.QueryRow(q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("writer %s = %q, want %q", label, got, want)
		}
	}
	check("journal_mode", "PRAGMA journal_mode", "wal")
	check("foreign_keys", "PRAGMA foreign_keys", "1")
	check("synchronous", "PRAGMA synchronous", "2")
	check("busy_timeout", "PRAGMA busy_timeout", "10000")
	if _, err := d.R.Exec(`CREATE TABLE t (x)`); err == nil {
		t.Error("reader pool could write")
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`INSERT INTO schema_migrations VALUES (?, 'future.sql', '')`, LatestVersion()+1); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Migrate err = %v, want ErrSchemaTooNew", err)
	}
	if err := d.CheckVersion(ctx); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("CheckVersion err = %v, want ErrSchemaTooNew", err)
	}
}
