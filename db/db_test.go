package db

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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

// A file an older version filled, log entries included, migrates: the
// backfills of the append-only log step around its trigger, which is
// back in force afterwards.
func TestMigratesAFileWithALog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := openTemp(t)
	if _, err := d.migrateTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, email, display_name, password_hash, role, country_code, created_at, updated_at, password_changed_at)
			VALUES (1, 'pa@gob.pa', 'Samira', 'x', 'official', 'PA', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO practices (id, author_id, status, lang, title, summary, policy_version, period_start, created_at, updated_at)
			VALUES (7, 1, 'published', 'es', 'Registro biométrico', 'Resumen', 1, '2021-09', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
		`INSERT INTO comments (id, practice_id, author_id, body_raw, body_html, policy_version, created_at)
			VALUES (9, 7, 1, 'x', '<p>x</p>', 1, '2025-01-02T00:00:00Z')`,
		`INSERT INTO moderation_log (at, action, target_type, target_id, country_code, reason, reason_private)
			VALUES ('2025-01-03T00:00:00Z', 'practice.send_back', 'practice', 7, 'PA', 'Añada cifras.', 0),
			       ('2025-01-04T00:00:00Z', 'comment.hide', 'comment', 9, 'PA', 'Fuera de tema.', 1),
			       ('2025-01-05T00:00:00Z', 'account.suspend', 'account', 1, 'PA', '', 0)`,
	} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dbtest.Int(t, d.R, `SELECT count(*) FROM moderation_log WHERE practice_id = 7 AND title = 'Registro biométrico'`); got != 2 {
		t.Errorf("%d entries name practice 7 and its title, want 2", got)
	}
	// Notes of past decisions were written for the author: none stays public.
	if got := dbtest.Value[string](t, d.R, `SELECT group_concat(note, '|') FROM moderation_log WHERE reason = '' AND note <> ''`); got != "Añada cifras.|Fuera de tema." {
		t.Errorf("notes after migrating: %q", got)
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE moderation_log SET reason = 'cambiado'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("the log can be rewritten after migrating: %v", err)
	}
}
