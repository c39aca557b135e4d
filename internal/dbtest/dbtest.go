// Package dbtest holds the checked ways for tests to read and change a
// database directly: every query or statement that fails fails the test,
// so an assertion such as "the count is 0" cannot pass on a broken query.
package dbtest

import (
	"context"
	"database/sql"
	"testing"
)

// Querier is what a test reads and writes through: a pool (db.DB's R or
// W), a connection or a transaction.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Value returns the single column of the single row query gives; a query
// that fails or finds no row fails the test.
func Value[T any](t testing.TB, q Querier, query string, args ...any) T {
	t.Helper()
	var v T
	Row(t, q, query, args...).Scan(&v)
	return v
}

// Int is Value for a count or an id.
func Int(t testing.TB, q Querier, query string, args ...any) int64 {
	t.Helper()
	return Value[int64](t, q, query, args...)
}

// Checked is one row whose Scan fails the test on error.
type Checked struct {
	t     testing.TB
	row   *sql.Row
	query string
}

// Row runs query for one row; call Scan on the result.
func Row(t testing.TB, q Querier, query string, args ...any) Checked {
	t.Helper()
	return Checked{t: t, row: q.QueryRowContext(context.Background(), query, args...), query: query}
}

// Scan copies the row's columns into dest, failing the test when the query
// failed, found no row, or a column does not fit its destination.
func (c Checked) Scan(dest ...any) {
	c.t.Helper()
	if err := c.row.Scan(dest...); err != nil {
		c.t.Fatalf("query %q: %v", c.query, err)
	}
}

// Column returns the first column of every row query gives.
func Column[T any](t testing.TB, q Querier, query string, args ...any) []T {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return out
}

// Rows calls scan for every row query gives; an error from the query, from
// scan or from the iteration fails the test.
func Rows(t testing.TB, q Querier, query string, args []any, scan func(*sql.Rows) error) {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
}

// Plan is SQLite's query plan for query, one step per line.
func Plan(t testing.TB, q Querier, query string, args ...any) []string {
	t.Helper()
	var steps []string
	Rows(t, q, `EXPLAIN QUERY PLAN `+query, args, func(rows *sql.Rows) error {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return err
		}
		steps = append(steps, detail)
		return nil
	})
	return steps
}

// Exec runs a statement and returns how many rows it changed; an error
// fails the test.
func Exec(t testing.TB, q Querier, query string, args ...any) int64 {
	t.Helper()
	res, err := q.ExecContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
	return n
}
