package taxonomy

import (
	"context"
	"path/filepath"
	"testing"

	"puente/db"
	"puente/internal/cache"
)

// Meetings are kept in memory between changes: a change made by any
// writer (here plain SQL, as a migration would) is seen by the next call,
// and what one caller does to its copy is never seen by the next.
func TestMeetingsCachedUntilChanged(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, d, &cache.Versions{DB: d})
	if err != nil {
		t.Fatal(err)
	}

	first, err := s.Meetings(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || len(first[0].Objectives) == 0 {
		t.Fatalf("reference data has no meeting with objectives: %+v", first)
	}
	tag := first[0].Objectives[0]

	// A caller that filters or renames in its copy.
	first[0].Objectives = first[0].Objectives[:0]
	first[0].Title = "changed by a caller"
	again, err := s.Meetings(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Title == "changed by a caller" || len(again[0].Objectives) == 0 || again[0].Objectives[0].Label != tag.Label {
		t.Fatalf("a caller's change leaked into the cache: %+v", again[0])
	}

	for _, change := range []struct{ name, sql string }{
		{"label", `UPDATE tag_i18n SET label = 'Relabelled objective' WHERE tag_id = ? AND lang = 'en'`},
		{"retired", `UPDATE tags SET retired_at = '2026-01-01T00:00:00Z' WHERE id = ?`},
	} {
		if _, err := d.W.ExecContext(ctx, change.sql, tag.ID); err != nil {
			t.Fatal(err)
		}
		ms, err := s.Meetings(ctx, "en")
		if err != nil {
			t.Fatal(err)
		}
		got := ms[0].Objectives[0]
		switch change.name {
		case "label":
			if got.Label != "Relabelled objective" {
				t.Errorf("after a label change Meetings still says %q", got.Label)
			}
		case "retired":
			if !got.Retired {
				t.Errorf("after retiring, the tag is not retired: %+v", got)
			}
		}
		tags, err := s.Tags(ctx, "en")
		if err != nil {
			t.Fatal(err)
		}
		if tags[tag.ID].Label != "Relabelled objective" {
			t.Errorf("Tags after the %s change: %q", change.name, tags[tag.ID].Label)
		}
	}
	// Another language is its own entry.
	es, err := s.Meetings(ctx, "es")
	if err != nil {
		t.Fatal(err)
	}
	if es[0].Objectives[0].Label == "Relabelled objective" {
		t.Errorf("the Spanish label took the English change")
	}
}
