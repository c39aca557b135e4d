package practices

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

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

// Revisions lists the revisions of practice id v may read, newest first,
// if v may see the practice: all of them for its author and moderators,
// from its publication on for everyone else.
func (s *Store) Revisions(ctx context.Context, v Viewer, id int64) ([]*Revision, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	// Drafts are their author's: other readers' history starts at the
	// revision that was published, never at a half-written save.
	first := 0
	if !v.CanEdit(p) && !v.Staff() {
		// The published text is the last revision written before any
		// written while published (a revision records the status it was
		// written in).
		if err := s.DB.R.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) FROM practice_revisions
			WHERE practice_id = ? AND status <> 'published' AND number < coalesce(
				(SELECT min(number) FROM practice_revisions WHERE practice_id = ? AND status = 'published'), 9223372036854775807)`,
			id, id).Scan(&first); err != nil {
			return nil, err
		}
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.number, r.editor_id, a.display_name, r.created_at, r.status, r.snapshot
		FROM practice_revisions r JOIN accounts a ON a.id = r.editor_id WHERE r.practice_id = ? AND r.number >= ? ORDER BY r.number DESC`, id, first)
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
		out = append(out, FieldDiff{Field: field, Chunks: WordDiff(x, y)})
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

// WordDiff compares two texts word by word: a changed word is shown
// deleted and inserted whole, never as a scatter of changed letters, so
// that a reviewer reads what was rewritten. Words keep the spaces and
// punctuation that follow them.
func WordDiff(x, y string) []Chunk {
	ids := map[string]rune{}
	var words []string
	encode := func(s string) []rune {
		var out []rune
		for _, w := range splitWords(s) {
			r, ok := ids[w]
			if !ok {
				// Each distinct word is one rune of its own, above the
				// surrogates, so that the diff works on whole words.
				r = rune(0xE000 + len(words))
				if r >= 0xF900 {
					r = rune(0xF0000 + len(words) - (0xF900 - 0xE000))
				}
				ids[w] = r
				words = append(words, w)
			}
			out = append(out, r)
		}
		return out
	}
	a, b := encode(x), encode(y)
	back := make(map[rune]string, len(ids))
	for w, r := range ids {
		back[r] = w
	}
	dmp := diffmatchpatch.New()
	var out []Chunk
	for _, d := range dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false)) {
		op := "same"
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = "add"
		case diffmatchpatch.DiffDelete:
			op = "del"
		}
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(back[r])
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text.String()
			continue
		}
		out = append(out, Chunk{Op: op, Text: text.String()})
	}
	return out
}

// splitWords cuts s into runs of letters and digits (words) and the runs
// of spaces and punctuation between them.
func splitWords(s string) []string {
	var out []string
	start, inWord := 0, false
	for i, r := range s {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if i > start && letter != inWord {
			out = append(out, s[start:i])
			start = i
		}
		inWord = letter
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
