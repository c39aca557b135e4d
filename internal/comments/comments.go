// Package comments holds the discussion under each practice: comments in
// sanitised rich text, one level of replies, edits and deletions that
// keep the thread readable.
package comments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"puente/db"
	"puente/internal/apperr"
	"puente/internal/clock"
	"puente/internal/notifications"
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
	// AuthorOrg is the organisation of an observer who wrote it.
	AuthorOrg string
	ParentID  int64
	Raw       string
	HTML      string
	CreatedAt time.Time
	EditedAt  time.Time
	DeletedAt time.Time
	// HiddenAt is set when moderators hid the comment, with their reason.
	HiddenAt     time.Time
	HiddenReason string
	Replies      []*Comment
	// EarlierReplies counts the replies older than the first one in
	// Replies that the page leaves out.
	EarlierReplies int
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

// Validate checks a comment body, given with its sanitised html (so that
// a comment is parsed once on its way in), and returns the catalogue key
// of its problem, or "".
func Validate(body, html string) string {
	switch {
	case strings.TrimSpace(sanitize.Text(html)) == "":
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
// the new comment's id.
func (s *Store) Add(ctx context.Context, v practices.Viewer, practiceID, parentID int64, body string) (int64, error) {
	if !v.Member() {
		return 0, apperr.New(apperr.Unauthorized, "error.signin_needed")
	}
	if err := s.visiblePractice(ctx, v, practiceID); err != nil {
		return 0, err
	}
	// Sanitised before the transaction: the single writer is held for the
	// writes alone.
	html := sanitize.Rich(body)
	if key := Validate(body, html); key != "" {
		return 0, apperr.New(apperr.Unprocessable, key)
	}
	var id int64
	// Comments arrive many at a time: they share commits (group commit).
	err := s.DB.Batch(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var parent any
		var repliedTo int64 // the author of the comment answered
		if parentID != 0 {
			var pp sql.NullInt64
			var practice int64
			var deleted sql.NullString
			err := tx.QueryRowContext(ctx, `SELECT practice_id, parent_id, deleted_at, author_id FROM comments WHERE id = ?`, parentID).
				Scan(&practice, &pp, &deleted, &repliedTo)
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
		if err = s.Practices.AdjustCommentCount(ctx, tx, practiceID, +1); err != nil {
			return err
		}
		// The person answered is told of the reply; the practice's author
		// and followers of the comment.
		at := s.Clock.Now()
		n := notifications.Notification{PracticeID: practiceID, CommentID: id, ActorID: v.AccountID}
		if repliedTo != 0 {
			n.Kind = notifications.Reply
			if err := notifications.Add(ctx, tx, at, n, repliedTo); err != nil {
				return err
			}
		}
		n.Kind = notifications.Comment
		if err := notifications.AddGathered(ctx, tx, at, n, repliedTo, practices.WatchersQuery, practiceID, practiceID); err != nil {
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
	coalesce(c.hidden_at, ''), c.hidden_reason, a.organisation`

func scan(r interface{ Scan(...any) error }) (*Comment, error) {
	var c Comment
	var created, edited, deleted, hidden string
	if err := r.Scan(&c.ID, &c.PracticeID, &c.AuthorID, &c.AuthorName, &c.AuthorCC, &c.ParentID, &c.Raw, &c.HTML, &created, &edited, &deleted,
		&hidden, &c.HiddenReason, &c.AuthorOrg); err != nil {
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
func Load(ctx context.Context, q db.Querier, id int64) (*Comment, error) {
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
	html := sanitize.Rich(body)
	if key := Validate(body, html); key != "" {
		return nil, apperr.New(apperr.Unprocessable, key)
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET body_raw = ?, body_html = ?, policy_version = ?, edited_at = ? WHERE id = ? AND deleted_at IS NULL`,
			body, html, sanitize.PolicyVersion, db.FormatTime(s.Clock.Now()), id); err != nil {
			return err
		}
		return s.Practices.Reindex(ctx, tx, c.PracticeID)
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
			if err = s.Practices.AdjustCommentCount(ctx, tx, c.PracticeID, -1); err != nil {
				return err
			}
		}
		return s.Practices.Reindex(ctx, tx, c.PracticeID)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}

// A page of a discussion holds about PageBudget bytes of comments, so that
// a practice page stays small (under about 200 KB with everything around
// it) however long its thread grows: a comment counts its HTML and about
// perComment bytes of names, dates, links and forms around it.
const (
	PageBudget      = 120_000
	perComment      = 1_500
	MaxRepliesShown = 20
	topFetch        = 200
)

// PageQuery chooses a page of a practice's discussion. The zero value is
// the newest top-level comments with their newest replies. Before, a
// comment id, asks for the top-level comments older than it; Thread asks
// for one top-level comment alone with its replies, and then Before for
// the replies older than that one.
type PageQuery struct {
	Before int64
	Thread int64
}

// Page is one page of a discussion, oldest first.
type Page struct {
	Comments []*Comment
	// Earlier is the id to ask Before for older comments (or, in a
	// thread, older replies), or 0 when there are none.
	Earlier int64
	// Partial is true when this is not the newest page of the whole
	// discussion: an earlier page, or a thread alone.
	Partial bool
	// Thread is the top-level comment shown alone, or 0.
	Thread int64
}

// Discussion returns one page of the comments on p, a practice as read
// for its viewer (practices.Store.Get or GetHead, which answer only what
// the viewer may see): whoever may read a practice reads its discussion.
// It once checked that again, a query of its own on every practice page.
func (s *Store) Discussion(ctx context.Context, p *practices.Practice, q PageQuery) (*Page, error) {
	practiceID := p.ID
	pg := &Page{Partial: q.Before != 0 || q.Thread != 0, Thread: q.Thread}
	budget := PageBudget
	if q.Thread != 0 {
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
			WHERE c.id = ? AND c.practice_id = ? AND c.parent_id IS NULL`, q.Thread, practiceID)
		if err != nil {
			return nil, err
		}
		top, err := scanAll(rows)
		if err != nil {
			return nil, err
		}
		if len(top) == 0 {
			return nil, apperr.New(apperr.NotFound, "error.not_found")
		}
		budget -= size(top[0])
		if pg.Earlier, err = s.replies(ctx, top[0], q.Before, 0, &budget); err != nil {
			return nil, err
		}
		pg.Comments = top
		return pg, nil
	}
	// Newest first until the budget is spent, at least one; then shown
	// oldest first.
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.practice_id = ? AND c.parent_id IS NULL
		  AND (? = 0 OR (c.created_at, c.id) < (SELECT b.created_at, b.id FROM comments b WHERE b.id = ?))
		  AND (c.deleted_at IS NULL OR EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id))
		ORDER BY c.created_at DESC, c.id DESC LIMIT ?`, practiceID, q.Before, q.Before, topFetch+1)
	if err != nil {
		return nil, err
	}
	top, err := scanAll(rows)
	if err != nil {
		return nil, err
	}
	var shown []*Comment
	var newest map[int64][]*Comment // replies of the top-level comments, read a chunk at a time
	for i, c := range top {
		if i == topFetch || (len(shown) > 0 && budget-size(c) < 0) {
			pg.Earlier = shown[len(shown)-1].ID
			break
		}
		budget -= size(c)
		if i%replyChunk == 0 {
			if newest, err = s.newestReplies(ctx, top[i:min(i+replyChunk, len(top), topFetch)]); err != nil {
				return nil, err
			}
		}
		if _, err := s.keptReplies(ctx, c, newest[c.ID], MaxRepliesShown, &budget); err != nil {
			return nil, err
		}
		shown = append(shown, c)
	}
	slices.Reverse(shown)
	pg.Comments = shown
	return pg, nil
}

// replyChunk is how many top-level comments' replies one query reads.
const replyChunk = 20

// newestReplies reads, in one query, the newest MaxRepliesShown+1
// replies of each of tops, newest first, by top-level comment: a page of
// a discussion read them one query per thread.
func (s *Store) newestReplies(ctx context.Context, tops []*Comment) (map[int64][]*Comment, error) {
	ids := make([]int64, len(tops))
	for i, c := range tops {
		ids[i] = c.ID
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM (
			SELECT id, row_number() OVER (PARTITION BY parent_id ORDER BY id DESC) AS n FROM comments
			WHERE parent_id IN (SELECT value FROM json_each(?))
		) r JOIN comments c ON c.id = r.id JOIN accounts a ON a.id = c.author_id
		WHERE r.n <= ? ORDER BY c.parent_id, c.id DESC`, db.IDList(ids), MaxRepliesShown+1)
	if err != nil {
		return nil, err
	}
	all, err := scanAll(rows)
	if err != nil {
		return nil, err
	}
	by := make(map[int64][]*Comment, len(tops))
	for _, r := range all {
		by[r.ParentID] = append(by[r.ParentID], r)
	}
	return by, nil
}

// replies fills c.Replies with its newest replies older than before (all
// when 0), at most limit (none when 0), while the budget lasts, oldest
// first; c.EarlierReplies counts those left out. It returns the id to ask
// for the earlier ones, or 0.
func (s *Store) replies(ctx context.Context, c *Comment, before int64, limit int, budget *int) (int64, error) {
	if limit == 0 {
		limit = 1 << 30
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.parent_id = ? AND (? = 0 OR c.id < ?) ORDER BY c.id DESC LIMIT ?`, c.ID, before, before, min(limit, topFetch)+1)
	if err != nil {
		return 0, err
	}
	all, err := scanAll(rows)
	if err != nil {
		return 0, err
	}
	return s.keptReplies(ctx, c, all, limit, budget)
}

// keptReplies keeps, of all (c's newest replies, newest first), the ones
// the limit and the budget allow, oldest first, and counts those left.
func (s *Store) keptReplies(ctx context.Context, c *Comment, all []*Comment, limit int, budget *int) (int64, error) {
	var shown []*Comment
	for i, r := range all {
		if i == limit || i == topFetch || (len(shown) > 0 && *budget-size(r) < 0) {
			break
		}
		*budget -= size(r)
		shown = append(shown, r)
	}
	var earlier int64
	if len(shown) < len(all) {
		earlier = shown[len(shown)-1].ID
		n, err := s.countReplies(ctx, c.ID, earlier)
		if err != nil {
			return 0, err
		}
		c.EarlierReplies = n
	}
	slices.Reverse(shown)
	c.Replies = shown
	return earlier, nil
}

func (s *Store) countReplies(ctx context.Context, parent, before int64) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE parent_id = ? AND id < ?`, parent, before).Scan(&n)
	return n, err
}

// PageURL is the address of the page of its practice's discussion that
// shows c, whatever page the thread has grown to: its thread alone, with c
// the newest reply shown when it is one.
func PageURL(c *Comment) string {
	if c.ParentID == 0 {
		return fmt.Sprintf("/practices/%d?thread=%d#comment-%d", c.PracticeID, c.ID, c.ID)
	}
	return fmt.Sprintf("/practices/%d?thread=%d&before=%d#comment-%d", c.PracticeID, c.ParentID, c.ID+1, c.ID)
}

func size(c *Comment) int { return len(c.HTML) + len(c.HiddenReason) + perComment }

// Hidden returns the comments moderators hid, most recently hidden first,
// written by officials of one country (every country when country is "").
func (s *Store) Hidden(ctx context.Context, country string, limit int) ([]*Comment, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.hidden_at IS NOT NULL AND c.deleted_at IS NULL AND (? = '' OR a.country_code = ?)
		ORDER BY c.hidden_at DESC, c.id DESC LIMIT ?`, country, country, limit)
	if err != nil {
		return nil, err
	}
	return scanAll(rows)
}

func scanAll(rows *sql.Rows) ([]*Comment, error) {
	defer rows.Close()
	var out []*Comment
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
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

// SearchTexts returns the visible comments of practice id, oldest first,
// for the search index.
func SearchTexts(ctx context.Context, q db.Querier, practiceID int64) ([]string, error) {
	return db.Column[string](ctx, q, `SELECT body_html FROM comments WHERE practice_id = ? AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id`, practiceID)
}

// VisibleTexts returns the HTML of those of the comments ids that are
// visible, for the search index.
func VisibleTexts(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	return db.Pairs[int64, string](ctx, q, `SELECT id, body_html FROM comments WHERE id IN (SELECT value FROM json_each(?))
		AND deleted_at IS NULL AND hidden_at IS NULL`, db.IDList(ids))
}

// WroteOn reports whether account wrote any comment on practice id.
func (s *Store) WroteOn(ctx context.Context, practiceID, account int64) (bool, error) {
	var wrote bool
	err := s.DB.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM comments WHERE practice_id = ? AND author_id = ?)`, practiceID, account).Scan(&wrote)
	return wrote, err
}

// SetHidden hides comment id with a reason (at is when) or, with a zero
// at, makes it visible again, inside the caller's transaction: the
// practice's comment count and search row follow.
func (s *Store) SetHidden(ctx context.Context, tx db.Querier, id int64, at time.Time, reason string) error {
	var practiceID int64
	var deleted sql.NullString
	var wasHidden bool
	if err := tx.QueryRowContext(ctx, `SELECT practice_id, deleted_at, hidden_at IS NOT NULL FROM comments WHERE id = ?`, id).
		Scan(&practiceID, &deleted, &wasHidden); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET hidden_at = ?, hidden_reason = ? WHERE id = ?`, db.TimeOrNull(at), reason, id); err != nil {
		return err
	}
	// A deleted comment is out of the count already.
	if hide := !at.IsZero(); !deleted.Valid && hide != wasHidden {
		delta := 1
		if hide {
			delta = -1
		}
		if err := s.Practices.AdjustCommentCount(ctx, tx, practiceID, delta); err != nil {
			return err
		}
	}
	// A hidden comment's words leave the search index.
	return s.Practices.Reindex(ctx, tx, practiceID)
}

// Activity is what was said on one practice in a period.
type Activity struct {
	PracticeID int64
	Count      int     // comments
	People     int     // distinct authors
	AuthorIDs  []int64 // the first few authors, in the order they spoke
}

// NewOn counts the visible comments written in [from, to) on the
// practices ids by anyone but except, the most recently active practice
// first, at most limit practices, naming up to named authors of each.
func (s *Store) NewOn(ctx context.Context, ids []int64, from, to time.Time, except int64, limit, named int) ([]Activity, error) {
	f, t := db.FormatTime(from), db.FormatTime(to)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT practice_id, count(*), count(DISTINCT author_id) FROM comments
		WHERE practice_id IN (SELECT value FROM json_each(?)) AND created_at >= ? AND created_at < ?
		  AND deleted_at IS NULL AND hidden_at IS NULL AND author_id <> ?
		GROUP BY practice_id ORDER BY max(created_at) DESC LIMIT ?`, db.IDList(ids), f, t, except, limit)
	if err != nil {
		return nil, err
	}
	var out []Activity
	for rows.Next() {
		var a Activity
		if err := rows.Scan(&a.PracticeID, &a.Count, &a.People); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		var err error
		out[i].AuthorIDs, err = db.Column[int64](ctx, s.DB.R, `SELECT author_id FROM comments
			WHERE practice_id = ? AND created_at >= ? AND created_at < ? AND deleted_at IS NULL AND hidden_at IS NULL AND author_id <> ?
			GROUP BY author_id ORDER BY min(id) LIMIT ?`, out[i].PracticeID, f, t, except, named)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Backdate sets when comment id was written, for seeded demonstration
// data.
func (s *Store) Backdate(ctx context.Context, id int64, at time.Time) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE comments SET created_at = ? WHERE id = ?`, db.FormatTime(at), id)
	return err
}

// FirstBy returns the id of the first comment account wrote, or 0.
func (s *Store) FirstBy(ctx context.Context, account int64) (int64, error) {
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM comments WHERE author_id = ? ORDER BY id LIMIT 1`, account).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// Listed returns up to limit comments of practice id with ids above
// after, oldest first, as every reader sees them: neither deleted nor
// hidden. The practice must come from a read that checked v may see it.
func (s *Store) Listed(ctx context.Context, v practices.Viewer, id, after int64, limit int) ([]*Comment, error) {
	if _, err := s.Practices.GetHead(ctx, v, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM comments c JOIN accounts a ON a.id = c.author_id
		WHERE c.practice_id = ? AND c.id > ? AND c.deleted_at IS NULL AND c.hidden_at IS NULL ORDER BY c.id LIMIT ?`, id, after, limit)
	if err != nil {
		return nil, err
	}
	return scanAll(rows)
}
