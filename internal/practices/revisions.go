package practices

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"puente/db"
	"puente/internal/sanitize"
)

// Revision is one saved version of a practice.
type Revision struct {
	Number     int
	EditorID   int64
	EditorName string
	CreatedAt  time.Time
	Status     Status
	Snapshot   Snapshot
}

// Revisions lists every revision of practice id, newest first, if v may
// see the practice.
func (s *Store) Revisions(ctx context.Context, v Viewer, id int64) ([]*Revision, error) {
	if _, err := s.Get(ctx, v, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.number, r.editor_id, a.display_name, r.created_at, r.status, r.snapshot
		FROM practice_revisions r JOIN accounts a ON a.id = r.editor_id WHERE r.practice_id = ? ORDER BY r.number DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Revision
	for rows.Next() {
		var r Revision
		var created, snap string
		if err := rows.Scan(&r.Number, &r.EditorID, &r.EditorName, &created, &r.Status, &snap); err != nil {
			return nil, err
		}
		r.CreatedAt, _ = db.ParseTime(created)
		if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
			return nil, fmt.Errorf("revision %d of practice %d: %w", r.Number, id, err)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// RevisionPair returns revisions from and to of practice id.
func RevisionPair(revs []*Revision, from, to int) (*Revision, *Revision, error) {
	var a, b *Revision
	for _, r := range revs {
		if r.Number == from {
			a = r
		}
		if r.Number == to {
			b = r
		}
	}
	if a == nil || b == nil {
		return nil, nil, ErrNotFound
	}
	return a, b, nil
}

// Chunk is a run of text that is the same, added or removed.
type Chunk struct {
	Op   string // "same", "add", "del"
	Text string
}

// FieldDiff is how one field changed between two revisions.
type FieldDiff struct {
	Field  string // catalogue key of the field's name
	Chunks []Chunk
}

// Diff compares two snapshots field by field, rich text as plain text, and
// returns the fields that changed. names turns country codes and tag ids
// into words for the comparison.
func Diff(a, b Snapshot, countryName func(string) string, tagName func(int64) string) []FieldDiff {
	var out []FieldDiff
	add := func(field, x, y string) {
		if x == y {
			return
		}
		dmp := diffmatchpatch.New()
		diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(x, y, false))
		fd := FieldDiff{Field: field}
		for _, d := range diffs {
			op := "same"
			switch d.Type {
			case diffmatchpatch.DiffInsert:
				op = "add"
			case diffmatchpatch.DiffDelete:
				op = "del"
			}
			fd.Chunks = append(fd.Chunks, Chunk{Op: op, Text: d.Text})
		}
		out = append(out, fd)
	}
	add("practice.field.title", a.Title, b.Title)
	add("practice.field.summary", a.Summary, b.Summary)
	for _, key := range Sections {
		add("practice.section."+key, sanitize.Text(a.Sections[key]), sanitize.Text(b.Sections[key]))
	}
	list := func(codes []string) string {
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = countryName(c)
		}
		slices.Sort(names)
		return strings.Join(names, ", ")
	}
	add("practice.field.countries", list(a.Countries), list(b.Countries))
	tags := func(ids []int64) string {
		var names []string
		for _, id := range ids {
			names = append(names, tagName(id))
		}
		return strings.Join(names, "\n")
	}
	add("practice.field.tags", tags(a.Tags), tags(b.Tags))
	add("practice.field.period", a.PeriodStart+" – "+a.PeriodEnd, b.PeriodStart+" – "+b.PeriodEnd)
	add("practice.field.institutions", a.Institutions, b.Institutions)
	add("practice.field.partners", a.Partners, b.Partners)
	add("practice.field.contact", a.ContactName+" <"+a.ContactEmail+">", b.ContactName+" <"+b.ContactEmail+">")
	add("practice.field.lang", a.Lang, b.Lang)
	add("practice.field.scope", a.Scope, b.Scope)
	return out
}
