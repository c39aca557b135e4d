package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupExists means the backup's destination is already taken.
var ErrBackupExists = errors.New("backup destination already exists")

// Backup writes a consistent copy of the database to dest while the
// server keeps running: VACUUM INTO reads one snapshot, so the copy holds
// every write committed before it began and none half-made after. The
// copy is written beside dest, checked with PRAGMA integrity_check, and
// only then renamed into place; dest is never overwritten.
func (d *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%w: %s", ErrBackupExists, dest)
	}
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpPath)

	// A connection of its own, outside both pools: VACUUM INTO only reads
	// the source (in WAL mode it neither waits for nor blocks writers), but
	// the readers' query_only would refuse it.
	c, err := sql.Open("sqlite3", dsn(d.Path, false))
	if err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, `VACUUM INTO ?`, tmpPath)
	c.Close()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := checkIntegrity(ctx, tmpPath); err != nil {
		return err
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%w: %s", ErrBackupExists, dest)
	}
	return os.Rename(tmpPath, dest)
}

// checkIntegrity opens the file at path read-only and runs SQLite's
// integrity check on it.
func checkIntegrity(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("backup check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("backup check failed: %s", res)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check on the database file.
func (d *DB) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := d.R.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check failed: %s", res)
	}
	return nil
}
