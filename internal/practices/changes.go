package practices

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/sanitize"
)

// Change is an author's edit of a published practice waiting for review:
// everyone else reads the approved version until a moderator approves it.
// The author keeps editing it until then; a change sent back carries the
// moderator's note.
type Change struct {
	PracticeID  int64
	EditorID    int64
	Form        Form
	Returned    bool // sent back with ReviewNote
	AuthorNote  string
	ReviewNote  string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
}

// Change statuses.
const (
	changeSubmitted = "submitted"
	changeReturned  = "returned"
)

// reviewed reports whether saving f on published practice p needs a
// moderator: anything but a correction of the contact point or of when
// the practice ended, which go live at once.
func reviewed(p *Practice, f Form) bool {
	live := FormFrom(p)
	live.ContactName, live.ContactEmail, live.PeriodEnd, live.Ongoing = f.ContactName, f.ContactEmail, f.PeriodEnd, f.Ongoing
	return !sameForm(live, f)
}

// sameForm reports whether two forms give the same practice; it changes
// neither (their maps and slices are the callers').
func sameForm(a, b Form) bool {
	a.Note, b.Note = "", ""
	for _, f := range []*Form{&a, &b} {
		f.Countries, f.Tags = slices.Sorted(slices.Values(f.Countries)), slices.Sorted(slices.Values(f.Tags))
		sections := make(map[string]string, len(f.Sections))
		for k, v := range f.Sections {
			sections[k] = sanitize.Rich(v)
		}
		f.Sections = sections
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// ChangeOf returns the change waiting on practice id, or nil.
func ChangeOf(ctx context.Context, q db.Querier, id int64) (*Change, error) {
	var c Change
	var form, status, created, updated, submitted string
	err := q.QueryRowContext(ctx, `SELECT practice_id, editor_id, form, status, author_note, review_note, created_at, updated_at, submitted_at
		FROM practice_changes WHERE practice_id = ?`, id).Scan(&c.PracticeID, &c.EditorID, &form, &status, &c.AuthorNote, &c.ReviewNote,
		&created, &updated, &submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(form), &c.Form); err != nil {
		return nil, err
	}
	c.Returned = status == changeReturned
	c.CreatedAt, _ = db.ParseTime(created)
	c.UpdatedAt, _ = db.ParseTime(updated)
	c.SubmittedAt, _ = db.ParseTime(submitted)
	return &c, nil
}

// ChangeFor returns the change waiting on practice id for its author or
// staff, and nil for anyone else.
func (s *Store) ChangeFor(ctx context.Context, v Viewer, p *Practice) (*Change, error) {
	if !v.CanEdit(p) && !v.Staff() {
		return nil, nil
	}
	return ChangeOf(ctx, s.DB.R, p.ID)
}

// saveChange records f as the change waiting on practice id, submitted
// for review (again, when it had been sent back).
func saveChange(ctx context.Context, tx *sql.Tx, at time.Time, id, editor int64, f Form) error {
	form, err := json.Marshal(f)
	if err != nil {
		return err
	}
	now := db.FormatTime(at)
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_changes (practice_id, editor_id, form, status, author_note, created_at, updated_at, submitted_at)
		VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?)
		ON CONFLICT (practice_id) DO UPDATE SET editor_id = excluded.editor_id, form = excluded.form, author_note = excluded.author_note,
			updated_at = excluded.updated_at,
			submitted_at = CASE status WHEN 'returned' THEN excluded.submitted_at ELSE submitted_at END,
			status = 'submitted'`, id, editor, string(form), f.Note, now, now, now)
	return err
}

// ApproveChange makes the change waiting on practice id what everyone
// reads, as a new revision by its author, inside the caller's
// transaction; it returns the practice as it now is.
func (s *Store) ApproveChange(ctx context.Context, tx *sql.Tx, id int64) (*Practice, error) {
	c, err := ChangeOf(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c == nil || c.Returned {
		return nil, apperr.New(apperr.Conflict, "practice.already_handled")
	}
	if err := s.writeContent(ctx, tx, id, c.EditorID, c.Form); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_changes WHERE practice_id = ?`, id); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE practices SET reviewed_revision = revision, review_note = '' WHERE id = ?`, id); err != nil {
		return nil, err
	}
	return s.get(ctx, tx, id)
}

// ReturnChange sends the change waiting on practice id back to its author
// with note, inside the caller's transaction.
func ReturnChange(ctx context.Context, tx *sql.Tx, at time.Time, id int64, note string) error {
	res, err := tx.ExecContext(ctx, `UPDATE practice_changes SET status = 'returned', review_note = ?, updated_at = ?
		WHERE practice_id = ? AND status = 'submitted'`, note, db.FormatTime(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "practice.already_handled")
	}
	return nil
}

// WithdrawChange drops the change the author has waiting on practice id:
// the approved version stays.
func (s *Store) WithdrawChange(ctx context.Context, v Viewer, id int64) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if !v.CanEdit(p) {
		return apperr.New(apperr.Forbidden, "practice.not_yours")
	}
	res, err := s.DB.W.ExecContext(ctx, `DELETE FROM practice_changes WHERE practice_id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "practice.already_handled")
	}
	return nil
}

// ChangeQueue returns the practices with a change submitted for review,
// oldest first, as they are published, each with SubmittedAt the time
// its change was submitted.
func (s *Store) ChangeQueue(ctx context.Context) ([]*Practice, error) {
	// A practice in this queue waits since its change was submitted.
	cols := strings.Replace(listColumns, "coalesce(p.submitted_at, '')", "c.submitted_at", 1)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cols+` FROM practice_changes c
		JOIN practices p ON p.id = c.practice_id JOIN accounts a ON a.id = p.author_id
		WHERE c.status = 'submitted' ORDER BY c.submitted_at, p.id LIMIT 500`)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// Hidden returns the practices moderators hid, most recently hidden
// first, of one country (every country when country is "").
func (s *Store) Hidden(ctx context.Context, country string, limit int) ([]*Practice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+listColumns+` FROM practices p JOIN accounts a ON a.id = p.author_id
		WHERE p.hidden_at IS NOT NULL AND (? = '' OR EXISTS (SELECT 1 FROM practice_countries pc WHERE pc.practice_id = p.id AND pc.country_code = ?))
		ORDER BY p.hidden_at DESC, p.id DESC LIMIT ?`, country, country, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// CountChanges counts the changes waiting for review.
func CountChanges(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM practice_changes WHERE status = 'submitted'`).Scan(&n)
	return n, err
}

// SnapshotOfForm is the content f would give a practice, sanitised as a
// revision stores it, for comparing a change with what is published.
func SnapshotOfForm(f Form) Snapshot {
	s := Snapshot{Title: f.Title, Summary: f.Summary, Sections: map[string]string{}, Countries: f.Countries,
		PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, Institutions: f.Institutions, Partners: f.Partners,
		ContactName: f.ContactName, ContactEmail: f.ContactEmail, Lang: f.Lang, Scope: f.Scope}
	for _, key := range Sections {
		s.Sections[key] = sanitize.Rich(f.Sections[key])
	}
	for _, t := range f.Tags {
		var id int64
		if err := json.Unmarshal([]byte(t), &id); err == nil {
			s.Tags = append(s.Tags, id)
		}
	}
	return s
}

// Transfer makes account to the author of every practice account from
// wrote, inside the caller's transaction, and returns how many. A change
// waiting for review moves with its practice; when each practice was
// last changed stays as it was.
func Transfer(ctx context.Context, tx db.Querier, from, to int64) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE practices SET author_id = ? WHERE author_id = ?`, to, from)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `UPDATE practice_changes SET editor_id = ? WHERE editor_id = ?`, to, from); err != nil {
		return 0, err
	}
	return int(n), nil
}

// WatchersQuery selects the author and the followers of a practice (its
// id, twice): who is told of a new comment.
const WatchersQuery = `SELECT author_id FROM practices WHERE id = ? UNION SELECT account_id FROM practice_follows WHERE practice_id = ?`
