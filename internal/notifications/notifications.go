// Package notifications is each person's notification centre: what
// happened to them or their work, newest first, read or not. It owns the
// notifications table. Entries are added by the stores where the events
// happen, inside the events' own transactions, so that an event that
// commits always has its notifications and one that does not has none.
package notifications

import (
	"context"
	"database/sql"
	"time"

	"puente/db"
)

// The kinds of notification.
const (
	Reply            = "reply"             // a reply to the person's comment
	Comment          = "comment"           // a comment on a practice they wrote or follow
	Published        = "published"         // their practice was published
	SentBack         = "sent_back"         // their practice was sent back, with a note
	Rejected         = "rejected"          // their practice was rejected, with a note
	PracticeHidden   = "practice_hidden"   // their practice was hidden
	PracticeRestored = "practice_restored" // their practice was shown again
	ChangeApproved   = "change_approved"   // their change to a published practice was approved
	ChangeReturned   = "change_returned"   // their change was sent back, with a note
	CommentHidden    = "comment_hidden"    // their comment was hidden
	CommentRestored  = "comment_restored"  // their comment was shown again
	AppealAnswered   = "appeal_answered"   // their appeal was decided
	FlagActioned     = "flag_actioned"     // what they flagged was hidden
	FlagDismissed    = "flag_dismissed"    // their flag was dismissed
	InviteAccepted   = "invite_accepted"   // a person they invited joined
	QueueWaiting     = "queue_waiting"     // something waits in the review queue (moderators; one until read)
	Adoption         = "adoption"          // a country recorded or updated its take-up of a practice they wrote or follow
	AdoptionHidden   = "adoption_hidden"   // their country's adoption record was hidden
	AdoptionRestored = "adoption_restored" // their country's adoption record was shown again
	Question         = "question"          // a question about a practice they wrote
	QuestionAnswered = "question_answered" // the answer to their question
	QuestionReminder = "question_reminder" // a question on their practice waits for an answer (once, after two weeks)
	QuestionHidden   = "question_hidden"   // the published exchange they asked was hidden
	QuestionRestored = "question_restored" // the published exchange they asked was shown again
	// For focal points: what no author answered on their country's practice.
	QuestionUnanswered = "question_unanswered" // a question waited two weeks without the author's answer
	ReviewUnanswered   = "review_unanswered"   // its author left the question "is it still current?" unanswered
)

// Kinds lists every kind.
var Kinds = []string{Reply, Comment, Published, SentBack, Rejected, PracticeHidden, PracticeRestored, ChangeApproved,
	ChangeReturned, CommentHidden, CommentRestored, AppealAnswered, FlagActioned, FlagDismissed, InviteAccepted, QueueWaiting,
	Adoption, AdoptionHidden, AdoptionRestored, Question, QuestionAnswered, QuestionReminder, QuestionHidden, QuestionRestored,
	QuestionUnanswered, ReviewUnanswered}

// Notification is one entry.
type Notification struct {
	ID         int64
	AccountID  int64
	Kind       string
	PracticeID int64
	CommentID  int64
	ActorID    int64
	Note       string // a moderator's note for the person, when the kind has one
	Detail     string // refines the kind: an appeal "upheld" or "reversed", an adoption's stage, a question's id
	CreatedAt  time.Time
	ReadAt     time.Time
}

// Unread reports whether the person has not marked it read.
func (n *Notification) Unread() bool { return n.ReadAt.IsZero() }

// Add records n for each of the accounts to, but its actor, inside the
// caller's transaction.
func Add(ctx context.Context, tx db.Querier, at time.Time, n Notification, to ...int64) error {
	seen := map[int64]bool{n.ActorID: true}
	for _, id := range to {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		var practice, comment, actor any
		if n.PracticeID != 0 {
			practice = n.PracticeID
		}
		if n.CommentID != 0 {
			comment = n.CommentID
		}
		if n.ActorID != 0 {
			actor = n.ActorID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (account_id, kind, practice_id, comment_id, actor_id, note, detail, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, n.Kind, practice, comment, actor, n.Note, n.Detail, db.FormatTime(at)); err != nil {
			return err
		}
	}
	return nil
}

// AddSelected records n for each account the query selects (one column
// of account ids, written by the owner of what it reads), but its actor
// and except, in one statement inside the caller's transaction: a comment
// tells a practice's author and followers without a round trip each.
func AddSelected(ctx context.Context, tx db.Querier, at time.Time, n Notification, except int64, query string, args ...any) error {
	var practice, comment any
	if n.PracticeID != 0 {
		practice = n.PracticeID
	}
	if n.CommentID != 0 {
		comment = n.CommentID
	}
	_, err := tx.ExecContext(ctx, `WITH w(id) AS (`+query+`)
		INSERT INTO notifications (account_id, kind, practice_id, comment_id, actor_id, note, detail, created_at)
		SELECT id, ?, ?, ?, nullif(?, 0), ?, ?, ? FROM w WHERE id NOT IN (?, ?)`,
		append(append(append([]any(nil), args...), n.Kind, practice, comment, n.ActorID, n.Note, n.Detail, db.FormatTime(at)), n.ActorID, except)...)
	return err
}

// AddOnce is Add for a kind that groups: an account that has an unread
// notification of n's kind gets no second one.
func AddOnce(ctx context.Context, tx db.Querier, at time.Time, n Notification, to ...int64) error {
	var fresh []int64
	for _, id := range to {
		var waiting bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notifications WHERE account_id = ? AND kind = ? AND read_at IS NULL)`,
			id, n.Kind).Scan(&waiting); err != nil {
			return err
		}
		if !waiting {
			fresh = append(fresh, id)
		}
	}
	return Add(ctx, tx, at, n, fresh...)
}

// Store reads and marks a person's notifications.
type Store struct{ DB *db.DB }

// List returns account's notifications older than before (0: the newest),
// at most limit, newest first, and whether more follow.
func (s *Store) List(ctx context.Context, account, before int64, limit int) ([]*Notification, bool, error) {
	if before == 0 {
		before = 1<<62 - 1
	}
	out, err := scan(s.DB.R.QueryContext(ctx, `SELECT `+columns+` FROM notifications WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
		account, before, limit+1))
	if err != nil {
		return nil, false, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

const columns = `id, account_id, kind, coalesce(practice_id, 0), coalesce(comment_id, 0), coalesce(actor_id, 0),
	note, detail, created_at, coalesce(read_at, '')`

func scan(rows *sql.Rows, err error) ([]*Notification, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		n := &Notification{}
		var created, read string
		if err := rows.Scan(&n.ID, &n.AccountID, &n.Kind, &n.PracticeID, &n.CommentID, &n.ActorID, &n.Note, &n.Detail, &created, &read); err != nil {
			return nil, err
		}
		n.CreatedAt, _ = db.ParseTime(created)
		n.ReadAt, _ = db.ParseTime(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Unread counts account's unread notifications.
func (s *Store) Unread(ctx context.Context, account int64) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE account_id = ? AND read_at IS NULL`, account).Scan(&n)
	return n, err
}

// MarkRead marks one of account's notifications read (id), or all of
// them (id 0).
func (s *Store) MarkRead(ctx context.Context, account, id int64, at time.Time) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL AND (? = 0 OR id = ?)`,
		db.FormatTime(at), account, id, id)
	return err
}
