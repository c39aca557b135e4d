package db

import (
	"context"
	"database/sql"
)

// Querier is what both a pool and a transaction offer: the stores' helpers
// that take part in a caller's transaction accept one.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
