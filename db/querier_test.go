package db

import (
	"context"
	"reflect"
	"testing"
)

func TestColumnPairsAndIDList(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, `INSERT INTO t VALUES (1, 'uno'), (22, 'veintidós'), (333, 'trescientos')`); err != nil {
		t.Fatal(err)
	}
	for ids, want := range map[string][]int64{"[]": nil, "[22]": {22}, "[1,22,333]": {1, 22, 333}} {
		if got := IDList(want); got != ids {
			t.Errorf("IDList(%v) = %q, want %q", want, got, ids)
		}
		got, err := Column[int64](ctx, d.R, `SELECT id FROM t WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`, ids)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Column over %s = %v, %v; want %v", ids, got, err, want)
		}
	}
	names, err := Pairs[int64, string](ctx, d.R, `SELECT id, name FROM t WHERE id > ?`, 1)
	if err != nil || !reflect.DeepEqual(names, map[int64]string{22: "veintidós", 333: "trescientos"}) {
		t.Errorf("Pairs = %v, %v", names, err)
	}
	if _, err := Column[int64](ctx, d.R, `SELECT name FROM t`); err == nil {
		t.Error("Column scanned text into int64 without an error")
	}
	if _, err := Pairs[int64, string](ctx, d.R, `SELECT id FROM t`); err == nil {
		t.Error("Pairs scanned one column into two without an error")
	}
}
