package dbtest

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// recorder stands in for *testing.T: it records a failure and stops the
// goroutine the way Fatal does.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(r)
}

func fails(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil && p != r {
				panic(p)
			}
		}()
		fn(r)
	}()
	return r.failed
}

func TestHelpersFailTheTest(t *testing.T) {
	d, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	Exec(t, d, `CREATE TABLE t (n INTEGER, s TEXT)`)
	if n := Exec(t, d, `INSERT INTO t VALUES (1, 'uno'), (2, 'dos')`); n != 2 {
		t.Fatalf("Exec changed %d rows, want 2", n)
	}
	if n := Int(t, d, `SELECT count(*) FROM t`); n != 2 {
		t.Fatalf("Int = %d", n)
	}
	if s := Value[string](t, d, `SELECT s FROM t WHERE n = ?`, 2); s != "dos" {
		t.Fatalf("Value = %q", s)
	}
	if got := Column[int](t, d, `SELECT n FROM t ORDER BY n`); fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("Column = %v", got)
	}
	for name, fn := range map[string]func(testing.TB){
		"a query on a missing table": func(tb testing.TB) { Int(tb, d, `SELECT count(*) FROM missing`) },
		"no row":                     func(tb testing.TB) { Int(tb, d, `SELECT n FROM t WHERE n = 9`) },
		"a column that does not fit": func(tb testing.TB) { Int(tb, d, `SELECT s FROM t WHERE n = 1`) },
		"a failing statement":        func(tb testing.TB) { Exec(tb, d, `INSERT INTO missing VALUES (1)`) },
		"a failing column query":     func(tb testing.TB) { Column[int](tb, d, `SELECT n FROM missing`) },
		"a failing scan of rows": func(tb testing.TB) {
			Rows(tb, d, `SELECT s FROM t`, nil, func(r *sql.Rows) error { var n int; return r.Scan(&n) })
		},
	} {
		if msg := fails(t, fn); msg == "" {
			t.Errorf("%s did not fail the test", name)
		} else if !strings.Contains(msg, "query") && !strings.Contains(msg, "exec") {
			t.Errorf("%s: message %q does not name the query", name, msg)
		}
	}
}
