// Package comments holds the discussion under each practice: comments in
// sanitised rich text, one level of replies, edits and deletions that
// keep the thread readable.
package comments

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/practices"
	"puente/internal/sanitize"
	"puente/internal/search"
)

// MaxBody is the longest comment, in characters of raw rich text.
const MaxBody = 10000

// Comment is one comment or reply.
type Comment struct {
	ID         int64
	PracticeID int64
	AuthorID   int64
	AuthorName string
	AuthorCC   string
	ParentID   int64
	Raw        string
	HTML       string
	CreatedAt  time.Time
	EditedAt   time.Time
	DeletedAt  time.Time
	// HiddenAt is set when moderators hid the comment, with their reason.
	HiddenAt     time.Time
	HiddenReason string
	Replies      []*Comment
}

// Hidden reports whether moderators hid the comment.
func (c *Comment) Hidden() bool { return !c.HiddenAt.IsZero() }

// Deleted reports whether the author deleted the comment; its place in
// the thread stays, its words do not.
func (c *Comment) Deleted() bool { return !c.DeletedAt.IsZero() }

// Edited reports whether the comment changed after it was posted.
func (c *Comment) Edited() bool { return !c.EditedAt.IsZero() }

// Store reads and writes comments. Every method checks the practice's
// visibility for the viewer first, through the practices store.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Practices *practices.Store
}

// Validate checks a comment body and returns the catalogue key of its
// problem, or "".
func Validate(body string) string {
	switch {
	case strings.TrimSpace(sanitize.Text(sanitize.Rich(body))) == "":
		return "field.required"
	case utf8.RuneCountInString(body) > MaxBody:
		return "comment.too_long"
	}
	return ""
}

// visiblePractice returns the practice if v may read and discuss it:
// comments exist only on published practices.
// visiblePractice checks that v may comment on practice id: visible to v
// and published. Only the status is read, not the practice.
func (s *Store) visiblePractice(ctx context.Context, v practices.Viewer, id int64) error {
	st, hidden, err := s.Practices.Status(ctx, v, id)
	if err != nil {
		return err
	}
	if st != practices.Published {
		return apperr.New(apperr.Conflict, "comment.not_published")
	}
	// A hidden practice is out of circulation until it is restored: only
	// moderators write on it, to tell its author (who still sees it) what
	// must change; the thread is there again when it comes back.
	if hidden && !v.Staff() {
		return apperr.New(apperr.Conflict, "comment.practice_hidden")
	}
	return nil
}

// Add posts a comment (parentID 0) or a reply on practice id and returns
// the new comment's id. (Reading the comment back cost a tenth of the time
// of a post under load, for callers that only want the id.)
func (s *Store) Add(ctx context.Context, v practices.Viewer, practiceID, parentID int64, body string) (int64, error) {
	if !v.Member() {
		return 0, apperr.New(apperr.Unauthorized, "error.signin_needed")
	}
	if err := s.visiblePractice(ctx, v, practiceID); err != nil {
		return 0, err
	}
	if key := Validate(body); key != "" {
		return 0, apperr.New(apperr.Unprocessable, key)
	}
	// Sanitised before the transaction: the single writer is held for the
	// writes alone.
	html := sanitize.Rich(body)
	var id int64
	// Comments arrive many at a time: they share commits (group commit).
	err := s.DB.Batch(ctx, func(tx *sql.Tx) error {
		var parent any
		if parentID != 0 {
			var pp sql.NullInt64
			var practice int64
			var deleted sql.NullString
			err := tx.QueryRowContext(ctx, `SELECT practice_id, parent_id, deleted_at FROM comments WHERE id = ?`, parentID).Scan(&practice, &pp, &deleted)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && practice != practiceID) {
				return apperr.New(apperr.NotFound, "error.not_found")
			}
			if err != nil {
				return err
			}
			if pp.Valid {
				// One level of replies: a reply to a reply joins its thread.
				parentID = pp.Int64
			} else if deleted.Valid {
				return apperr.New(apperr.Conflict, "comment.parent_deleted")
			}
			parent = parentID
		}
		now := db.FormatTime(s.Clock.Now())
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (practice_id, author_id, parent_id, body_raw, body_html, policy_version, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, practiceID, v.AccountID, parent, body, html, sanitize.PolicyVersion, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		if _, err = tx.ExecContext(ctx, `UPDATE practices SET comment_count = comment_count + 1 WHERE id = ?`, practiceID); err != nil {
			return err
		}
		// Added to the search index by the next flush (a search runs one
		// first): rewriting the practice's row on every comment would
		// cost more with each comment.
		return search.QueueComment(ctx, tx, id, practiceID)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

const columns = `c.id, c.practice_id, c.author_id, a.display_name, coalesce(a.country_code, ''), coalesce(c.parent_id, 0),
	c.body_raw, c.body_html, c.created_at, coalesce(c.edited_at, ''), coalesce(c.deleted_at, ''),
	coalesce(c.hidden_at, ''), c.hidden_reason`

func scan(r interface{ Scan(...any) error }) (*Comment, error) {
	var c Comment
	var created, edited, deleted, hidden string
	if err := r.Scan(&c.ID, &c.PracticeID, &c.AuthorID, &c.AuthorName, &c.AuthorCC, &c.ParentID, &c.Raw, &c.HTML, &created, &edited, &deleted,
		&hidden, &c.HiddenReason); err != nil {
		return nil, err
	}
	c.HiddenAt, _ = db.ParseTime(hidden)
	c.CreatedAt, _ = db.ParseTime(created)
	c.EditedAt, _ = db.ParseTime(edited)
	c.DeletedAt, _ = db.ParseTime(deleted)
	return &c, nil
}

func (s *Store) get(ctx context.Context, id int64) (*Comment, error) {
	c, err := scan(s.DB.R.QueryRowContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return c, err
}

// Get returns comment id if v may see its practice.
func (s *Store) Get(ctx context.Context, v practices.Viewer, id int64) (*Comment, error) {
	c, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Practices.Get(ctx, v, c.PracticeID); err != nil {
		return nil, err
	}
	return c, nil
}

// mine loads comment id for a change by its author.
func (s *Store) mine(ctx context.Context, v practices.Viewer, id int64) (*Comment, error) {
	c, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if c.AuthorID != v.AccountID {
		return nil, apperr.New(apperr.Forbidden, "comment.not_yours")
	}
	if c.Deleted() {
		return nil, apperr.New(apperr.Conflict, "comment.deleted")
	}
	return c, nil
}

// Load returns comment id whatever its state, for moderation.
func Load(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (*Comment, error) {
	c, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return c, err
}

// Edit replaces the text of the author's own comment, unless moderators
// hid it.
func (s *Store) Edit(ctx context.Context, v practices.Viewer, id int64, body string) (*Comment, error) {
	c, err := s.mine(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if c.Hidden() {
		return nil, apperr.New(apperr.Conflict, "comment.hidden_no_edit")
	}
	if key := Validate(body); key != "" {
		return nil, apperr.New(apperr.Unprocessable, key)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET body_raw = ?, body_html = ?, policy_version = ?, edited_at = ? WHERE id = ? AND deleted_at IS NULL`,
			body, sanitize.Rich(body), sanitize.PolicyVersion, db.FormatTime(s.Clock.Now()), id); err != nil {
			return err
		}
		return search.Index(ctx, tx, c.PracticeID)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}

// Delete removes the words of the author's own comment and leaves a
// placeholder, so replies keep their place.
func (s *Store) Delete(ctx context.Context, v practices.Viewer, id int64) (*Comment, error) {
	c, err := s.mine(ctx, v, id)
	if err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET body_raw = '', body_html = '', deleted_at = ? WHERE id = ? AND deleted_at IS NULL`,
			db.FormatTime(s.Clock.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "comment.deleted")
		}
		if !c.Hidden() { // a hidden comment was already out of the count
			if _, err = tx.ExecContext(ctx, `UPDATE practices SET comment_count = comment_count - 1 WHERE id = ?`, c.PracticeID); err != nil {
				return err
			}
		}
		return search.Index(ctx, tx, c.PracticeID)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}

// Thread returns the comments of practice id as top-level comments with
// their replies, oldest first. A deleted comment stays as a placeholder,
// unless it is a top-level comment that nobody answered.
func (s *Store) Thread(ctx context.Context, v practices.Viewer, practiceID int64) ([]*Comment, error) {
	if _, err := s.Practices.Get(ctx, v, practiceID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.practice_id = ? ORDER BY c.created_at, c.id`, practiceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var top []*Comment
	byID := map[int64]*Comment{}
	var replies []*Comment
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, err
		}
		if c.ParentID == 0 {
			top = append(top, c)
			byID[c.ID] = c
		} else {
			replies = append(replies, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range replies {
		if p, ok := byID[r.ParentID]; ok {
			p.Replies = append(p.Replies, r)
		}
	}
	out := top[:0]
	for _, c := range top {
		if !c.Deleted() || len(c.Replies) > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// Resanitize renders every comment again from its raw input with the
// current policy: those made under an older policy, or all of them.
func (s *Store) Resanitize(ctx context.Context, all bool, progress func(done int)) (int, error) {
	done := 0
	var after int64
	for {
		n := 0
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, body_raw FROM comments WHERE id > ? AND (? OR policy_version < ?) ORDER BY id LIMIT 500`,
				after, all, sanitize.PolicyVersion)
			if err != nil {
				return err
			}
			type row struct {
				id  int64
				raw string
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.raw); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			for _, r := range batch {
				if _, err := tx.ExecContext(ctx, `UPDATE comments SET body_html = ?, policy_version = ? WHERE id = ?`,
					sanitize.Rich(r.raw), sanitize.PolicyVersion, r.id); err != nil {
					return err
				}
				after = r.id
			}
			n = len(batch)
			return nil
		})
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		done += n
		if progress != nil {
			progress(done)
		}
	}
}
