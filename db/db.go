// Package db opens Puente's SQLite database and keeps its schema current.
//
// Every pooled connection gets its pragmas from the DSN (WAL, foreign keys,
// busy timeout, synchronous=FULL, immediate write transactions). Writes go
// through a pool of one connection so writers queue in Go rather than spin
// on SQLite's lock; reads use a separate pool that cannot write.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3" // the SQLite driver, built with sqlite_fts5
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB holds the writer and reader pools of one SQLite file.
type DB struct {
	// W is the only pool that writes. It has one connection, and its
	// transactions begin IMMEDIATE, so a read-then-write transaction never
	// fails half-way with "database is locked".
	W *sql.DB
	// R is for reads only (query_only); it may have many connections.
	R    *sql.DB
	Path string

	batches  batchStats
	hooked   *atomic.Uint64 // commits by this process's writer, counted as they happen
	jobs     chan *batchJob // writes waiting for Batch's next commit
	quit     chan struct{}  // closed by Close
	loopDone chan struct{}  // closed when the commit loop has stopped
}

// ErrSchemaTooNew means the file was migrated by a newer Puente.
var ErrSchemaTooNew = errors.New("database schema is newer than this program knows")

// stmtCacheSize is how many prepared statements each connection keeps:
// more than the distinct queries of the busiest pages.
const stmtCacheSize = 96

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	// Each connection keeps its most recent statements prepared: parsing
	// and planning a page's queries again cost as much as running them.
	q.Set("_stmt_cache_size", strconv.Itoa(stmtCacheSize))
	if readOnly {
		q.Set("_query_only", "true")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Options are how a database is opened beyond its path.
type Options struct {
	// Replicated says a replicator such as Litestream ships the WAL and
	// checkpoints it. Puente then checkpoints only when the WAL reaches
	// ReplicatedCheckpointPages, so that the two do not contend for the
	// checkpoint (Litestream's own threshold is 1,000 pages, SQLite's
	// default); if the replicator stops, the WAL still stays bounded.
	Replicated bool
}

// ReplicatedCheckpointPages is the WAL size, in pages, at which Puente
// checkpoints when a replicator normally does it (about 40 MB).
const ReplicatedCheckpointPages = 10000

// Open opens (creating if needed) the database file at path.
func Open(path string) (*DB, error) { return OpenWith(path, Options{}) }

// OpenWith opens the database file at path with opts.
func OpenWith(path string, opts Options) (*DB, error) {
	var pragmas []string
	if opts.Replicated {
		pragmas = append(pragmas, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", ReplicatedCheckpointPages))
	}
	// Only the writer commits, so only its connection checkpoints after a
	// commit: the setting is the writer's.
	hooked := new(atomic.Uint64)
	w := sql.OpenDB(connector{dsn: dsn(path, false), pragmas: pragmas, commits: hooked})
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The first connection creates the file and switches it to WAL before
	// any reader opens it.
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	d := &DB{W: w, R: r, Path: path, hooked: hooked, jobs: make(chan *batchJob), quit: make(chan struct{}), loopDone: make(chan struct{})}
	go d.commitLoop()
	return d, nil
}

// connector opens SQLite connections and runs pragmas the DSN cannot
// carry on each, so that a connection opened again has them too. With
// commits set, each connection counts its commits there.
type connector struct {
	dsn     string
	pragmas []string
	commits *atomic.Uint64
}

func (c connector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(c.dsn)
	if err != nil {
		return nil, err
	}
	for _, p := range c.pragmas {
		if _, err := conn.(driver.ExecerContext).ExecContext(ctx, p, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	if c.commits != nil {
		// Called as each transaction (or statement outside one) commits,
		// before it is visible to readers.
		conn.(*sqlite3.SQLiteConn).RegisterCommitHook(func() int { c.commits.Add(1); return 0 })
	}
	return conn, nil
}

// Commits counts the commits this process's writer has begun. A count
// read before a read of the database and unchanged after it means this
// process wrote nothing in between (another process may have).
func (d *DB) Commits() uint64 { return d.hooked.Load() }

// WALAutocheckpoint reports the writer's checkpoint threshold in pages.
func (d *DB) WALAutocheckpoint(ctx context.Context) (int, error) {
	var n int
	err := d.W.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n)
	return n, err
}

// Close stops the group commit and closes both pools.
func (d *DB) Close() error {
	select {
	case <-d.quit:
	default:
		close(d.quit)
	}
	<-d.loopDone
	return errors.Join(d.R.Close(), d.W.Close())
}

// Ping checks that the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Tx runs fn inside one write transaction, committing when fn returns nil.
func (d *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		if !ok || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %q: %w", name, err)
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := range out {
		if out[i].version != i+1 {
			return nil, fmt.Errorf("migration %q: expected number %d", out[i].name, i+1)
		}
	}
	return out, nil
}

// LatestVersion is the schema version this program migrates to.
func LatestVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies every migration the file lacks, each in its own
// transaction, and records it. It refuses a file whose schema is newer.
// It returns the versions it applied.
func (d *DB) Migrate(ctx context.Context) ([]int, error) { return d.migrateTo(ctx, 0) }

// migrateTo migrates up to version last (0: every migration), so that a
// test can fill a file as an older version left it and then migrate it.
func (d *DB) migrateTo(ctx context.Context, last int) ([]int, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	all := len(ms)
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return nil, err
	}
	var current int
	if err := d.W.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return nil, err
	}
	if current > all {
		return nil, fmt.Errorf("%w (file has version %d, this program knows %d)", ErrSchemaTooNew, current, all)
	}
	if last > 0 && last < all {
		ms = ms[:last]
	}
	var applied []int
	for _, m := range ms[min(current, len(ms)):] {
		apply := func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, FormatTime(time.Now()))
			return err
		}
		var err error
		if strings.HasPrefix(m.sql, foreignKeysOff) {
			err = d.withoutForeignKeys(ctx, apply)
		} else {
			err = d.Tx(ctx, apply)
		}
		if err != nil {
			if strings.Contains(err.Error(), "no such module: fts5") {
				err = fmt.Errorf("%w (this build of the SQLite driver lacks FTS5: build and test with -tags sqlite_fts5, as the Makefile does)", err)
			}
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

// Optimize lets SQLite refresh the statistics its query planner chooses
// by, where tables changed enough since they were last gathered (with a
// bounded analysis, so it stays quick on a large file). Without them, as
// after a table is rebuilt, the planner can walk every practice to find
// three. SQLite advises running it when a long-lived connection opens
// and then now and then.
func (d *DB) Optimize(ctx context.Context) error {
	_, err := d.W.ExecContext(ctx, `PRAGMA optimize=0x10002`)
	return err
}

// StablePlans reports whether SQLite was built with the query planner
// stability guarantee on (SQLITE_ENABLE_QPSG, set by the Makefile). Without
// it, SQLite 3.54 plans a statement again each time a new value is bound to
// a LIMIT or an OFFSET (to use the value in its estimates), so a kept
// prepared statement costs as much as a new one: a fifth of a practice
// page's time went to parsing. With it, a statement keeps one plan whatever
// its values, which is what statements written for any value want.
func (d *DB) StablePlans(ctx context.Context) (bool, error) {
	var n int
	err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG'`).Scan(&n)
	return n == 1, err
}

// foreignKeysOff starts a migration that rebuilds a table others refer
// to: dropping the old table with foreign keys on would delete (through
// ON DELETE CASCADE) every row that refers to it.
const foreignKeysOff = "-- foreign_keys: off\n"

// withoutForeignKeys runs fn in a transaction on the writer's connection
// with foreign keys off, as SQLite's procedure for rebuilding a table
// says (the pragma has no effect inside a transaction), and commits only
// if every reference still holds.
func (d *DB) withoutForeignKeys(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return errors.New("a reference no longer holds after the rebuild")
	}
	return tx.Commit()
}

// CheckVersion reports an error unless the file is exactly at the version
// this program knows; the server uses it to refuse a newer schema.
func (d *DB) CheckVersion(ctx context.Context) error {
	var current int
	if err := d.R.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return err
	}
	if latest := LatestVersion(); current > latest {
		return fmt.Errorf("%w (file has version %d, this program knows %d)", ErrSchemaTooNew, current, latest)
	} else if current < latest {
		return fmt.Errorf("database schema is at version %d; run migrate to reach %d", current, latest)
	}
	return nil
}

// TimeLayout stores instants in UTC at a fixed width, so that text order is
// time order and indexes on time columns work.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime formats t for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// TimeOrNull is FormatTime(t) for a nullable column, NULL for the zero time
// (a hidden_at that a restore clears, say).
func TimeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return FormatTime(t)
}

// ParseTime parses a stored instant; an empty string is the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(TimeLayout, s)
}

// IsUniqueViolation tells whether err is a UNIQUE constraint failure.
func IsUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
