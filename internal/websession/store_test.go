package websession

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"puente/db"
	"puente/internal/clock"
)

func newStore(t *testing.T, d *db.DB, clk clock.Clock, keys ...string) *Store {
	var ks [][]byte
	for _, k := range keys {
		ks = append(ks, []byte(strings.Repeat(k, 32)))
	}
	return New(d, clk, 2*time.Hour, 12*time.Hour, false, ks)
}

func TestKeyRotation(t *testing.T) {
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`INSERT INTO accounts (id, email, display_name, password_hash, role, created_at, updated_at, password_changed_at)
		VALUES (7, 'a@b.org', 'A', 'x', 'admin', '', '', '')`); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	old := newStore(t, d, clk, "o")

	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	s, _ := old.Get(r, "puente")
	s.Values[AccountKey] = int64(7)
	if err := s.Save(r, w); err != nil {
		t.Fatal(err)
	}
	cookie := w.Result().Cookies()[0]

	load := func(st *Store) int64 {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
		s, err := st.New(r, "puente")
		if err != nil {
			t.Fatal(err)
		}
		return AccountID(s)
	}
	if got := load(newStore(t, d, clk, "n", "o")); got != 7 {
		t.Fatalf("new key first, old key listed: account %d, want 7", got)
	}
	if got := load(newStore(t, d, clk, "n")); got != 0 {
		t.Fatalf("old key dropped: account %d, want 0 (signed out)", got)
	}
	if got := load(old); got != 7 {
		t.Fatalf("original store: %d", got)
	}
}
